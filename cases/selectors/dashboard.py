"""The teamleider's termijnen overview: counts per werkcoach and rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    F,
    Q,
)
from django.utils.translation import gettext as _

from inburgering.accounts.models import User

from ..constants import (
    TermijnStatus,
)
from ..models import Termijn
from ..policy import dossiers_for
from ..presentatie import grafiek_geometrie
from ..termijnregels import registry
from .termijnen import binnenkort_grens, termijn_omschrijving

# --- The teamleider's overview ------------------------------------------------------------------

OVERZICHT_LIJST_MAX = 250


@dataclass
class Telling:
    verlopen: int = 0
    binnenkort: int = 0

    @property
    def totaal(self) -> int:
        return self.verlopen + self.binnenkort


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


@dataclass
class Overzicht:
    regels: list[tuple[str, str]]  # (code, description) of the rules that occur
    rijen: list[WerkcoachRij]
    totaal_per_regel: list[Telling]
    totaal: Telling
    lijst: list[Termijn]
    grens: date
    grafiek_hoogte: int = 0
    grafiek_schaal: int = 0


def termijnen_overzicht(user: User, vandaag: date | None = None) -> Overzicht:
    """Overdue and soon-due clocks of the dossiers the user may see, counted per werkcoach and
    rule in the database (one query), plus the first ``OVERZICHT_LIJST_MAX`` of them (one
    query)."""
    grens = binnenkort_grens(vandaag)
    basis = Termijn.objects.filter(dossier__in=dossiers_for(user)).filter(
        Q(status=TermijnStatus.VERLOPEN) | Q(status=TermijnStatus.OPEN, uiterste_datum__lte=grens)
    )
    tellingen = (
        basis.order_by()
        .values(
            "dossier__werkcoach_id",
            "dossier__werkcoach__uuid",
            "dossier__werkcoach__first_name",
            "dossier__werkcoach__last_name",
            "dossier__werkcoach__username",
            "code",
        )
        .annotate(
            verlopen=Count("pk", filter=Q(status=TermijnStatus.VERLOPEN)),
            binnenkort=Count("pk", filter=Q(status=TermijnStatus.OPEN)),
        )
    )
    codes: set[str] = set()
    per_coach: dict[Any, dict[str, Any]] = {}
    for row in tellingen:
        codes.add(row["code"])
        coach = per_coach.setdefault(
            row["dossier__werkcoach_id"],
            {
                "naam": (
                    " ".join(
                        p
                        for p in (
                            row["dossier__werkcoach__first_name"],
                            row["dossier__werkcoach__last_name"],
                        )
                        if p
                    )
                    or row["dossier__werkcoach__username"]
                    or ""
                ),
                "uuid": str(row["dossier__werkcoach__uuid"] or ""),
                "codes": {},
            },
        )
        coach["codes"][row["code"]] = Telling(row["verlopen"], row["binnenkort"])
    volgorde = registry.codes()
    regel_codes = sorted(codes, key=lambda c: (volgorde.index(c) if c in volgorde else 999, c))
    regels = [(c, termijn_omschrijving(c)) for c in regel_codes]
    rijen = []
    for coach_id, coach in per_coach.items():
        cellen = [coach["codes"].get(c, Telling()) for c in regel_codes]
        rijen.append(
            WerkcoachRij(
                naam=coach["naam"] if coach_id else _("Unassigned"),
                uuid=coach["uuid"],
                cellen=cellen,
                totaal=Telling(sum(c.verlopen for c in cellen), sum(c.binnenkort for c in cellen)),
            )
        )
    # werkcoaches by name, unassigned dossiers last
    rijen.sort(key=lambda r: (not r.uuid, r.naam.casefold()))
    grafiek_hoogte, schaal = grafiek_geometrie(rijen)
    per_regel = [
        Telling(
            sum(r.cellen[i].verlopen for r in rijen), sum(r.cellen[i].binnenkort for r in rijen)
        )
        for i in range(len(regel_codes))
    ]
    lijst = list(
        basis.select_related(
            "dossier__inburgeraar", "dossier__werkcoach", "dossier__gemeente"
        ).order_by(
            F("dossier__werkcoach__last_name").asc(nulls_last=True),
            F("dossier__werkcoach__first_name").asc(nulls_last=True),
            "dossier__werkcoach_id",
            "uiterste_datum",
            "id",
        )[:OVERZICHT_LIJST_MAX]
    )
    return Overzicht(
        regels=regels,
        rijen=rijen,
        totaal_per_regel=per_regel,
        totaal=Telling(sum(t.verlopen for t in per_regel), sum(t.binnenkort for t in per_regel)),
        lijst=lijst,
        grens=grens,
        grafiek_hoogte=grafiek_hoogte,
        grafiek_schaal=schaal,
    )
