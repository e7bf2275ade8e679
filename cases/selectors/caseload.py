"""The caseload: search, filters, sorting, and the people a dossier can be assigned to."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    F,
    Q,
    QuerySet,
)

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente, User
from inburgering.core.access import gemeente_ids

from .. import rules
from ..constants import (
    OPEN_FASEN,
)
from ..models import Dossier
from ..policy import dossiers_for
from .termijnen import met_termijnstatus, termijn_filter

SORTERINGEN: dict[str, tuple[Any, ...]] = {
    # the dossier's copy of the name (``SORTEERNAAM_VELDEN``): read in index order
    "naam": ("sorteer_achternaam", "sorteer_voornamen", "id"),
    "-naam": ("-sorteer_achternaam", "-sorteer_voornamen", "-id"),
    "brp": ("datum_brp_inschrijving", "id"),
    "-brp": ("-datum_brp_inschrijving", "-id"),
    "fase": ("fase", "id"),
    "gemeente": ("gemeente__naam", "id"),
    "gewijzigd": ("gewijzigd_op", "id"),
    "-gewijzigd": ("-gewijzigd_op", "-id"),
    # nearest open deadline first; dossiers without one last
    "termijn": (F("termijn_eerstvolgend_op").asc(nulls_last=True), "id"),
}


def zoek_filter(zoekterm: str) -> Q:
    """A BSN (nine digits passing the elfproef) matches exactly; anything else searches names."""
    term = zoekterm.strip()
    bsn = rules.normalise_bsn(term)
    if rules.is_valid_bsn(bsn):
        return Q(inburgeraar__bsn=bsn)
    q = Q()
    for word in term.split():
        q &= (
            Q(inburgeraar__voornamen__icontains=word)
            | Q(inburgeraar__achternaam__icontains=word)
            | Q(inburgeraar__tussenvoegsel__iexact=word)
        )
    return q


def caseload(
    *,
    user: User,
    fase: str = "",
    doelgroep: str = "",
    regime: str = "",
    gemeente: str = "",
    werkcoach: str = "",
    alleen_open: bool = True,
    zoekterm: str = "",
    sortering: str = "naam",
    termijn: str = "",
) -> QuerySet[Dossier]:
    """The caseload list: one query for the rows whatever the page length. Each row carries
    its deadline status (``termijn_eerstvolgend``, ``termijn_eerstvolgend_code``,
    ``termijn_eerstvolgend_nummer``, ``termijnen_verlopen``) from the dossier's own columns,
    see ``met_termijnstatus``."""
    qs = met_termijnstatus(
        dossiers_for(user).select_related("inburgeraar", "gemeente", "werkcoach", "begeleider")
    )
    if fase:
        qs = qs.filter(fase=fase)
    elif alleen_open:
        qs = qs.filter(fase__in=OPEN_FASEN)
    if doelgroep:
        qs = qs.filter(inburgeraar__doelgroep=doelgroep)
    if regime:
        qs = qs.filter(inburgeraar__regime=regime)
    if gemeente:
        qs = qs.filter(gemeente__uuid=gemeente)
    if werkcoach in ("", "alle"):
        pass
    elif werkcoach == "mij":
        qs = qs.filter(werkcoach=user)
    elif werkcoach == "geen":
        qs = qs.filter(werkcoach__isnull=True)
    elif werkcoach:
        qs = qs.filter(werkcoach__uuid=werkcoach)
    if zoekterm.strip():
        qs = qs.filter(zoek_filter(zoekterm))
    if termijn:
        qs = qs.filter(termijn_filter(termijn))
    return qs.order_by(*SORTERINGEN.get(sortering, SORTERINGEN["naam"]))


def dossier_voor(user: User, uuid: Any) -> Dossier:
    """One dossier the user may see, or ``Dossier.DoesNotExist`` (→ 404, never another's data)."""
    return (
        dossiers_for(user)
        .select_related(
            "inburgeraar", "gemeente", "werkcoach", "begeleider", "vorig_dossier__gemeente"
        )
        .get(uuid=uuid)
    )


def gemeenten_voor(user: User) -> QuerySet[Gemeente]:
    return Gemeente.objects.filter(pk__in=gemeente_ids(user)).order_by("naam")


def werkcoaches_voor(user: User, gemeente: Gemeente | None = None) -> QuerySet[User]:
    """Werkcoaches (and teamleiders) of teams serving the user's gemeenten, or one gemeente."""
    ids = [gemeente.pk] if gemeente else gemeente_ids(user)
    return (
        User.objects.filter(
            groups__name__in=[Rol.WERKCOACH, Rol.TEAMLEIDER],
            organisatie__gemeenten__in=ids,
            is_active=True,
        )
        .distinct()
        .select_related("organisatie")
        .order_by("last_name", "first_name")
    )
