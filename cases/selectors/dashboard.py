"""The teamleider's termijnen overview: counts per werkcoach and rule, and the drill-down to one
slice of that matrix (a cell, a row, a column or everything)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, cast
from urllib.parse import urlencode

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from inburgering.accounts.models import User

from ..constants import (
    TermijnStatus,
)
from ..models import Termijn, TermijnTeller
from ..policy import dossiers_for, ziet_hele_scope
from ..presentatie import grafiek_geometrie
from ..termijnregels import registry
from .termijnen import binnenkort_grens, termijn_omschrijving

# --- The teamleider's overview ------------------------------------------------------------------

OVERZICHT_PAGE_SIZE = 25
ALLE = "alle"  # the werkcoach parameter's explicit "every werkcoach"
GEEN = "geen"  # the werkcoach parameter for dossiers without a werkcoach
SNEDE_STATUSSEN = ("verlopen", "binnenkort")


def snede_querystring(werkcoach: str = "", regel: str = "", status: str = "") -> str:
    """The drill-down's query string for a slice: ``werkcoach`` a user uuid, ``geen`` or ``""``
    (every werkcoach), ``regel`` a rule code or ``""`` (every rule). Everything at once is
    ``werkcoach=alle``: no parameter at all means no slice chosen."""
    params = [("werkcoach", werkcoach), ("regel", regel), ("status", status)]
    if not werkcoach and not regel:
        params[0] = ("werkcoach", ALLE)
    return urlencode([(k, v) for k, v in params if v])


@dataclass
class Telling:
    verlopen: int = 0
    binnenkort: int = 0
    # the slice this count is of: werkcoach uuid / "geen" / "" (all), rule code / "" (all)
    werkcoach: str = ""
    regel: str = ""
    label: str = ""  # "<werkcoach>, <rule>": the link's context for a screen reader

    @property
    def totaal(self) -> int:
        return self.verlopen + self.binnenkort

    @cached_property
    def querystring(self) -> str:
        # asked for several times per cell of the matrix; the slice is set once it is built
        return snede_querystring(self.werkcoach, self.regel)


@dataclass
class WerkcoachRij:
    naam: str
    uuid: str  # "" for unassigned dossiers
    cellen: list[Telling]
    totaal: Telling
    # bar chart geometry (SVG user units)
    y: int = 0
    verlopen_breedte: int = 0
    binnenkort_x: int = 0
    binnenkort_breedte: int = 0
    tekst_x: int = 0

    @property
    def werkcoach_param(self) -> str:
        return self.uuid or GEEN


@dataclass
class Overzicht:
    regels: list[tuple[str, str]]  # (code, description) of the rules that occur
    rijen: list[WerkcoachRij]
    totaal_per_regel: list[Telling]
    totaal: Telling
    grens: date
    grafiek_hoogte: int = 0
    grafiek_schaal: int = 0
    namen: dict[str, str] = field(default_factory=dict)  # werkcoach parameter → name

    def omschrijving(self, code: str) -> str:
        return dict(self.regels).get(code) or termijn_omschrijving(code)

    def aantal(self, werkcoach: str = "", regel: str = "", status: str = "") -> int:
        """How many clocks a slice (see ``overzicht_termijnen``) holds, from the matrix: its
        list needs no count of its own."""
        if werkcoach:
            tellingen = [
                (r.totaal if not regel else next((c for c in r.cellen if c.regel == regel), None))
                for r in self.rijen
                if r.werkcoach_param == werkcoach
            ]
        elif regel:
            tellingen = [t for t in self.totaal_per_regel if t.regel == regel]
        else:
            tellingen = [self.totaal]
        telling = next((t for t in tellingen if t is not None), None) or Telling()
        if status == "verlopen":
            return telling.verlopen
        if status == "binnenkort":
            return telling.binnenkort
        return telling.totaal


def _aandacht(user: User, vandaag: date | None) -> tuple[QuerySet[Termijn], date]:
    """The overdue and soon-due clocks of the dossiers the user may see."""
    grens = binnenkort_grens(vandaag)
    basis = Termijn.objects.filter(dossier__in=dossiers_for(user)).filter(
        Q(status=TermijnStatus.VERLOPEN) | Q(status=TermijnStatus.OPEN, uiterste_datum__lte=grens)
    )
    return basis, grens


def _naam(row: Mapping[str, Any]) -> str:
    delen = (row["first_name"], row["last_name"])
    return " ".join(p for p in delen if p) or row["username"] or ""


def _tellingen(user: User, vandaag: date | None) -> tuple[list[dict[str, Any]], date]:
    """The overview's counts per werkcoach and rule: for a municipal team (who sees every
    dossier of its gemeenten) from the counts the database keeps (``TermijnTeller``: a few rows
    per werkcoach and rule, whatever the number of dossiers); for anyone else from the clocks
    of the dossiers they may see. Rows: werkcoach_id, uuid, first_name, last_name, username,
    code, verlopen, binnenkort."""
    if ziet_hele_scope(user):
        grens = binnenkort_grens(vandaag)
        gehouden = (
            TermijnTeller.objects.filter(
                Q(status=TermijnStatus.VERLOPEN)
                | Q(status=TermijnStatus.OPEN, uiterste_datum__lte=grens)
            )
            .values(
                "werkcoach_id",
                "code",
                uuid=F("werkcoach__uuid"),
                first_name=F("werkcoach__first_name"),
                last_name=F("werkcoach__last_name"),
                username=F("werkcoach__username"),
            )
            .annotate(
                verlopen=Coalesce(Sum("aantal", filter=Q(status=TermijnStatus.VERLOPEN)), 0),
                binnenkort=Coalesce(Sum("aantal", filter=Q(status=TermijnStatus.OPEN)), 0),
            )
            .order_by()
        )
        return cast("list[dict[str, Any]]", list(gehouden)), grens
    basis, grens = _aandacht(user, vandaag)
    geteld = (
        basis.order_by()
        .values(
            "code",
            werkcoach_id=F("dossier__werkcoach_id"),
            uuid=F("dossier__werkcoach__uuid"),
            first_name=F("dossier__werkcoach__first_name"),
            last_name=F("dossier__werkcoach__last_name"),
            username=F("dossier__werkcoach__username"),
        )
        .annotate(
            verlopen=Count("pk", filter=Q(status=TermijnStatus.VERLOPEN)),
            binnenkort=Count("pk", filter=Q(status=TermijnStatus.OPEN)),
        )
    )
    return cast("list[dict[str, Any]]", list(geteld)), grens


def termijnen_overzicht(user: User, vandaag: date | None = None) -> Overzicht:
    """Overdue and soon-due clocks of the dossiers the user may see, counted per werkcoach and
    rule in the database (one query, see ``_tellingen``). The clocks themselves are listed one
    slice at a time (``overzicht_termijnen``), never all at once."""
    tellingen, grens = _tellingen(user, vandaag)
    codes: set[str] = set()
    per_coach: dict[Any, dict[str, Any]] = {}
    for row in tellingen:
        codes.add(row["code"])
        coach = per_coach.setdefault(
            row["werkcoach_id"],
            {
                "naam": _naam(row) if row["werkcoach_id"] else _("Unassigned"),
                "uuid": str(row["uuid"] or ""),
                "codes": {},
            },
        )
        coach["codes"][row["code"]] = Telling(row["verlopen"], row["binnenkort"])
    volgorde = registry.codes()
    regel_codes = sorted(codes, key=lambda c: (volgorde.index(c) if c in volgorde else 999, c))
    regels = [(c, termijn_omschrijving(c)) for c in regel_codes]
    alle_regels, alle_werkcoaches = _("all rules"), _("all werkcoaches")
    rijen = []
    for coach in per_coach.values():
        param = coach["uuid"] or GEEN
        cellen = []
        for code, omschrijving in regels:
            cel = coach["codes"].get(code) or Telling()
            cel.werkcoach, cel.regel, cel.label = param, code, f"{coach['naam']}, {omschrijving}"
            cellen.append(cel)
        rijen.append(
            WerkcoachRij(
                naam=coach["naam"],
                uuid=coach["uuid"],
                cellen=cellen,
                totaal=Telling(
                    sum(c.verlopen for c in cellen),
                    sum(c.binnenkort for c in cellen),
                    werkcoach=param,
                    label=f"{coach['naam']}, {alle_regels}",
                ),
            )
        )
    # werkcoaches by name, unassigned dossiers last
    rijen.sort(key=lambda r: (not r.uuid, r.naam.casefold()))
    grafiek_hoogte, schaal = grafiek_geometrie(rijen)
    per_regel = [
        Telling(
            sum(r.cellen[i].verlopen for r in rijen),
            sum(r.cellen[i].binnenkort for r in rijen),
            regel=code,
            label=f"{alle_werkcoaches}, {omschrijving}",
        )
        for i, (code, omschrijving) in enumerate(regels)
    ]
    return Overzicht(
        regels=regels,
        rijen=rijen,
        totaal_per_regel=per_regel,
        totaal=Telling(
            sum(t.verlopen for t in per_regel),
            sum(t.binnenkort for t in per_regel),
            label=f"{alle_werkcoaches}, {alle_regels}",
        ),
        grens=grens,
        grafiek_hoogte=grafiek_hoogte,
        grafiek_schaal=schaal,
        namen={r.werkcoach_param: r.naam for r in rijen},
    )


def overzicht_termijnen(
    user: User,
    *,
    werkcoach: str = "",
    regel: str = "",
    status: str = "",
    vandaag: date | None = None,
) -> QuerySet[Termijn]:
    """One slice of the overview's matrix, by due date: ``werkcoach`` a user uuid, ``geen``
    (unassigned) or ``""`` (every werkcoach); ``regel`` a rule code or ``""``; ``status``
    ``verlopen``, ``binnenkort`` or ``""`` (both). Always within ``dossiers_for(user)``: another
    team's werkcoach in the parameters finds nothing."""
    qs, _grens = _aandacht(user, vandaag)
    if werkcoach == GEEN:
        qs = qs.filter(dossier__werkcoach__isnull=True)
    elif werkcoach:
        qs = qs.filter(dossier__werkcoach__uuid=werkcoach)
    if regel:
        qs = qs.filter(code=regel)
    if status == "verlopen":
        qs = qs.filter(status=TermijnStatus.VERLOPEN)
    elif status == "binnenkort":
        qs = qs.filter(status=TermijnStatus.OPEN)
    return qs.select_related(
        "dossier__inburgeraar", "dossier__werkcoach", "dossier__gemeente"
    ).order_by("uiterste_datum", "id")
