"""The timeline event kinds of maatschappelijke begeleiding (``cases.tijdlijn``). Whoever reads
begeleiding (``begeleiding.view_aanmelding``: the gemeente's roles and the partner's) sees them;
a contact's event names its kind, date and duration, never its report."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.tijdlijn import Gebeurtenissoort, datum, geheel, keuze, tekst

from .constants import ContactSoort

LEESRECHT = "begeleiding.view_aanmelding"

AANGEMELD = "begeleiding.aangemeld"
GEACCEPTEERD = "begeleiding.geaccepteerd"
AFGEWEZEN = "begeleiding.afgewezen"
TOEGEWEZEN = "begeleiding.toegewezen"
INGETROKKEN = "begeleiding.ingetrokken"
EINDDATUM = "begeleiding.einddatum"
CONTACT = "begeleiding.contact"
GECORRIGEERD = "begeleiding.gecorrigeerd"
SIGNAAL = "begeleiding.signaal"
SIGNAAL_OPGEVOLGD = "begeleiding.signaal_opgevolgd"
EVALUATIE = "begeleiding.evaluatie"
AFGESLOTEN = "begeleiding.afgesloten"


def _soort(code: str, label: object, tekst_: object, parameters: dict) -> Gebeurtenissoort:
    return Gebeurtenissoort(
        code,
        label,  # type: ignore[arg-type]
        tekst_,  # type: ignore[arg-type]
        parameters,
        leesrecht=LEESRECHT,
    )


SOORTEN = (
    _soort(
        AANGEMELD,
        _("referred to begeleiding"),
        _("Referred to %(organisatie)s for maatschappelijke begeleiding."),
        {"organisatie": tekst},
    ),
    _soort(
        GEACCEPTEERD,
        _("begeleiding accepted"),
        _("%(organisatie)s accepted: begeleider %(begeleider)s, from %(start)s to %(einde)s."),
        {"organisatie": tekst, "begeleider": tekst, "start": datum, "einde": datum},
    ),
    _soort(
        AFGEWEZEN,
        _("referral declined"),
        _("%(organisatie)s declined the referral: %(reden)s"),
        {"organisatie": tekst, "reden": tekst},
    ),
    _soort(
        TOEGEWEZEN,
        _("begeleider assigned"),
        _("The begeleiding was assigned to %(begeleider)s."),
        {"begeleider": tekst},
    ),
    _soort(
        INGETROKKEN,
        _("begeleiding withdrawn"),
        _("The referral to %(organisatie)s was withdrawn: %(reden)s"),
        {"organisatie": tekst, "reden": tekst},
    ),
    _soort(
        EINDDATUM,
        _("end of begeleiding changed"),
        _("The begeleiding now ends on %(datum)s: %(reden)s"),
        {"datum": datum, "reden": tekst},
    ),
    _soort(
        CONTACT,
        _("contact with the begeleider"),
        _("Contact with the begeleider (%(soort)s) on %(datum)s, %(minuten)s minutes."),
        {"soort": keuze(ContactSoort), "datum": datum, "minuten": geheel},
    ),
    _soort(
        GECORRIGEERD,
        _("contact corrected"),
        _("The contact of %(datum)s was corrected (version %(versie)s)."),
        {"datum": datum, "versie": geheel},
    ),
    _soort(
        SIGNAAL,
        _("signal from the begeleider"),
        _("Signal for the werkcoach: %(toelichting)s"),
        {"toelichting": tekst},
    ),
    _soort(
        SIGNAAL_OPGEVOLGD,
        _("signal followed up"),
        _("The begeleider's signal of %(datum)s was followed up."),
        {"datum": datum},
    ),
    _soort(
        EVALUATIE,
        _("begeleiding reviewed"),
        _("The begeleiding was reviewed on %(datum)s."),
        {"datum": datum},
    ),
    _soort(
        AFGESLOTEN,
        _("begeleiding closed"),
        _("The begeleiding was closed with a closing report on %(datum)s (warm handover)."),
        {"datum": datum},
    ),
)
