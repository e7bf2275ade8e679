"""Who sees and does what in maatschappelijke begeleiding, registered with the platform's engine
(``inburgering.core.access``) from ``BegeleidingConfig.ready()``.

A partner organisation reaches a dossier only through a running begeleiding of its own
(``partner_toegang``, the hub's partner filter that ``cases.policy.dossiers_for`` applies): its
coördinator and auditors reach every running begeleiding of the organisation, a begeleider only
the ones assigned to them — and only until the end date, while the dossier is open (a
relocation closes it). Before accepting, the coördinator sees the referral itself (what the
werkcoach chose to share), never the dossier.

Medical intake domains, trauma signals and handhaving stay need-to-know by their own
permissions, which no partner role holds.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.constants import GESLOTEN_FASEN
from cases.policy import DOSSIER_WIJZIGEN, dossier_van, dossiers_for, recht_op_dossier
from inburgering.accounts.constants import OrganisatieSoort, Rol
from inburgering.core.access import (
    GEEN_ROL,
    actie_registreren,
    heeft_leesrecht,
    heeft_recht,
    heeft_rol,
)

from .constants import AanmeldingStatus
from .models import Aanmelding, Contactmoment, Vervolgactie

LEZEN = "begeleiding.view_aanmelding"


def _is_partner(user: Any) -> bool:
    organisatie = getattr(user, "organisatie", None)
    return organisatie is not None and organisatie.soort == OrganisatieSoort.PARTNER


def lopende_begeleidingen(user: Any) -> QuerySet[Aanmelding]:
    """The running begeleidingen through which this partner user reaches dossiers."""
    if not _is_partner(user) or not heeft_leesrecht(user, LEZEN):
        return Aanmelding.objects.none()
    qs = Aanmelding.objects.filter(
        status=AanmeldingStatus.LOOPT,
        organisatie_id=user.organisatie_id,
        einddatum__gte=timezone.localdate(),
    ).exclude(dossier__fase__in=GESLOTEN_FASEN)
    if heeft_rol(user, Rol.COORDINATOR, Rol.AUDITOR):
        return qs
    if heeft_rol(user, Rol.BEGELEIDER):
        return qs.filter(begeleider=user)
    return qs.none()


def partner_toegang(user: Any) -> Q | None:
    """The hub's partner filter on ``Dossier`` (``cases.hub.Onderdeel.partner_toegang``)."""
    if not _is_partner(user):
        return None
    return Q(Exists(lopende_begeleidingen(user).filter(dossier_id=OuterRef("pk"))))


def aanmeldingen_for(user: Any) -> QuerySet[Aanmelding]:
    """The referrals ``user`` reaches: the gemeente's of every dossier it sees; a partner's
    coördinator (and auditor) every referral to the organisation, also before deciding; a
    begeleider their running begeleidingen."""
    if not heeft_leesrecht(user, LEZEN):
        return Aanmelding.objects.none()
    if _is_partner(user):
        if heeft_rol(user, Rol.COORDINATOR, Rol.AUDITOR):
            return Aanmelding.objects.filter(organisatie_id=user.organisatie_id)
        return lopende_begeleidingen(user)
    return Aanmelding.objects.filter(dossier__in=dossiers_for(user))


def contactmomenten_for(user: Any) -> QuerySet[Contactmoment]:
    """A partner user reads the contacts of the begeleidingen they reach; the gemeente those of
    the dossiers it sees."""
    if not heeft_leesrecht(user, "begeleiding.view_contactmoment"):
        return Contactmoment.objects.none()
    if _is_partner(user):
        return Contactmoment.objects.filter(aanmelding__in=lopende_begeleidingen(user))
    return Contactmoment.objects.filter(dossier__in=dossiers_for(user))


def vervolgacties_for(user: Any) -> QuerySet[Vervolgactie]:
    return Vervolgactie.objects.filter(contactmoment__in=contactmomenten_for(user))


# --- actions ---------------------------------------------------------------------------------


def _aanmelding(obj: Any) -> Aanmelding | None:
    if obj is None or isinstance(obj, Aanmelding):
        return obj
    if isinstance(obj, Vervolgactie):
        return obj.contactmoment.aanmelding
    return getattr(obj, "aanmelding", None)


def _van_coordinator(user: Any, obj: Any) -> bool:
    """The coördinator of the organisation the referral went to."""
    if not heeft_recht(user, "begeleiding.beoordelen_aanmelding"):
        return False
    aanmelding = _aanmelding(obj)
    return aanmelding is None or user is None or aanmelding.organisatie_id == user.organisatie_id


def _als_begeleider(perm: str) -> Any:
    """The begeleider the running begeleiding is assigned to."""

    def predikaat(user: Any, obj: Any) -> bool:
        if not heeft_recht(user, perm):
            return False
        aanmelding = _aanmelding(obj)
        if aanmelding is None or user is None:
            return True
        return (
            aanmelding.status == AanmeldingStatus.LOOPT
            and aanmelding.begeleider_id == user.pk
            and aanmelding.einddatum >= timezone.localdate()
            # as ``lopende_begeleidingen``: a closed dossier (a relocation) ends it too
            and aanmelding.dossier.fase not in GESLOTEN_FASEN
        )

    return predikaat


def _vervolgactie_afronden(user: Any, obj: Any) -> bool:
    """The assigned begeleider, or the gemeente's werkcoach or teamleider on the dossier."""
    if _als_begeleider("begeleiding.change_vervolgactie")(user, obj):
        return True
    return not _is_partner(user) and recht_op_dossier("begeleiding.change_vervolgactie")(
        user, dossier_van(obj) if obj is not None else None
    )


def _op_dossier(perm: str) -> Any:
    basis = recht_op_dossier(perm)
    return lambda user, obj: (
        (user is None or not _is_partner(user))
        and basis(user, dossier_van(obj) if obj is not None else None)
    )


BEOORDELEN = gettext_lazy("Only the partner organisation's coördinator accepts or declines.")
ALLEEN_BEGELEIDER = gettext_lazy(
    "Only the begeleider this begeleiding is assigned to records contacts, while it runs."
)


def _startpagina(user: Any, obj: Any) -> bool:
    """The begeleider's own start page ("Mijn cliënten") and offline app."""
    return heeft_rol(user, Rol.BEGELEIDER) and heeft_leesrecht(user, LEZEN)


def _wachtrij(user: Any, obj: Any) -> bool:
    """The coördinator's referrals page."""
    return heeft_recht(user, "begeleiding.beoordelen_aanmelding") and _is_partner(user)


ACTIES: tuple[tuple[str, Any, Any], ...] = (
    ("begeleiding.bekijken", lambda user, obj: heeft_leesrecht(user, LEZEN), GEEN_ROL),
    ("begeleiding.startpagina", _startpagina, GEEN_ROL),
    ("begeleiding.wachtrij", _wachtrij, BEOORDELEN),
    ("begeleiding.aanmelden", _op_dossier("begeleiding.add_aanmelding"), DOSSIER_WIJZIGEN),
    ("begeleiding.beheren", _op_dossier("begeleiding.change_aanmelding"), DOSSIER_WIJZIGEN),
    ("begeleiding.beoordelen", _van_coordinator, BEOORDELEN),
    ("begeleiding.toewijzen", _van_coordinator, BEOORDELEN),
    (
        "begeleiding.contact_vastleggen",
        _als_begeleider("begeleiding.add_contactmoment"),
        ALLEEN_BEGELEIDER,
    ),
    (
        "begeleiding.contact_corrigeren",
        _als_begeleider("begeleiding.change_contactmoment"),
        ALLEEN_BEGELEIDER,
    ),
    (
        "begeleiding.afsluiten",
        _als_begeleider("begeleiding.change_contactmoment"),
        ALLEEN_BEGELEIDER,
    ),
    ("begeleiding.vervolgactie_afronden", _vervolgactie_afronden, GEEN_ROL),
)


def registreren() -> None:
    for naam, predikaat, weigering in ACTIES:
        actie_registreren(naam, predikaat, weigering)
