"""The part maatschappelijke begeleiding contributes to the dossier hub (``cases.hub``): the
partner organisations' access (``policy.partner_toegang``), its facts and termijn rules, its
section on the dossier page, links in the dossier API, the history of its referrals, contacts
and follow-up actions, and its timeline event kinds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.feiten import FeitBron
from cases.hub import ApiLink, HistorieBron, Onderdeel, RapportBlok, Sectie, hub
from cases.models import Dossier

from .models import Aanmelding, Contactmoment, Vervolgactie
from .policy import aanmeldingen_for, contactmomenten_for, partner_toegang
from .termijnregels import REGELS, BegeleidingFeiten, begeleiding_feiten
from .tijdlijn import SOORTEN


def _zichtbaar(user: Any, dossier: Dossier) -> bool:
    return user.has_perm("begeleiding.view_aanmelding")


def _sectie(user: Any, dossier: Dossier) -> dict[str, Any] | None:
    from .views import begeleiding_sectie

    return begeleiding_sectie(user, dossier)


def _records(model: Any, zichtbaar: Any, user: Any, dossier: Dossier) -> Sequence[Any]:
    qs = model.history.filter(dossier_id=dossier.pk)
    if user is not None:
        qs = qs.filter(id__in=zichtbaar(user).values("id"))
    return list(qs.select_related("history_user"))


def _aanmelding_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return _records(Aanmelding, aanmeldingen_for, user, dossier)


def _contact_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return _records(Contactmoment, contactmomenten_for, user, dossier)


def _actie_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    from .policy import vervolgacties_for

    return _records(Vervolgactie, vervolgacties_for, user, dossier)


def _rapport(user: Any, dossier: Dossier) -> list[RapportBlok]:
    """The referrals to maatschappelijke begeleiding this reader sees, with their contacts."""
    alle = Aanmelding.objects.filter(dossier=dossier)
    zichtbaar = alle if user is None else alle.filter(id__in=aanmeldingen_for(user).values("id"))
    aanmeldingen = list(zichtbaar.select_related("organisatie").order_by("aangemeld_op", "id"))
    blokken: list[RapportBlok] = []
    if aanmeldingen:
        blokken.append(
            RapportBlok(
                _("Begeleiding"),
                kolommen=(str(_("Organisation")), str(_("Status")), str(_("Referred on"))),
                rijen=tuple(
                    (
                        str(a.organisatie),
                        a.get_status_display(),
                        a.aangemeld_op.strftime("%d-%m-%Y"),
                    )
                    for a in aanmeldingen
                ),
            )
        )
    verborgen = alle.count() - len(aanmeldingen)
    if verborgen:
        blokken.append(
            RapportBlok(
                _("Begeleiding"),
                weggelaten=str(
                    _(
                        "Referrals to begeleiding (%(aantal)s) exist that your role does not "
                        "include. The werkcoach supplies them."
                    )
                )
                % {"aantal": verborgen},
            )
        )
    return blokken


def _pad(naam: str) -> Any:
    return lambda dossier: f"{reverse(naam)}?dossier={dossier.uuid}"


ONDERDEEL = Onderdeel(
    app="begeleiding",
    feitbron=FeitBron(BegeleidingFeiten, begeleiding_feiten),
    termijnregels=REGELS,
    secties=(
        Sectie(
            "begeleiding",
            "begeleiding/_sectie.html",
            _sectie,
            volgorde=60,
            titel=_("Begeleiding"),
            zichtbaar=_zichtbaar,
        ),
    ),
    api_links=(
        ApiLink(
            "aanmeldingen",
            _pad("aanmelding-list"),
            _("The dossier's referrals to maatschappelijke begeleiding."),
        ),
        ApiLink("contactmomenten", _pad("contactmoment-list"), _("The begeleider's contacts.")),
    ),
    gebeurtenissoorten=SOORTEN,
    historie=(
        HistorieBron(_("Referral to begeleiding"), _aanmelding_records, volgorde=60),
        HistorieBron(_("Contact with the begeleider"), _contact_records, volgorde=61),
        HistorieBron(_("Follow-up action"), _actie_records, volgorde=62),
    ),
    partner_toegang=partner_toegang,
    rapport=_rapport,
)


def registreren() -> None:
    hub.registreer(ONDERDEEL)
