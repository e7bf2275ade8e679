"""Termijn rules owned by pip_plans: the brede intake, the PIP, the inburgeringstermijn and what
runs inside it, and the facts they stand on (``PipFeiten``).

See ``cases.termijnregels`` for the rule type and ``cases.hub`` for how they are registered.
Statutory lengths come from ``pip_plans.rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cases.constants import ASIEL_DOELGROEPEN, TermijnSoort
from cases.feiten import Feiten
from cases.models import (
    INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN,
    STANDAARD_MAX_VERLENGING_MAANDEN,
    Dossier,
)
from cases.rules import add_years_months
from cases.termijnregels import Klok, TermijnRegel, Verlengbaar

from . import rules
from .constants import PipStatus, RouteWijzigingSoort

if TYPE_CHECKING:
    from .models import Pip

INTAKE_WEKEN = 4  # brede intake within 4 weeks of BRP registration (Wi 2021, by design)
PIP_WEKEN = 10  # Wi 2021 art. 15: the PIP within 10 weeks of BRP registration
TAALSTART_STANDAARD_WEKEN = 10


@dataclass(frozen=True)
class PipFeiten:
    """The facts pip_plans owns about one dossier."""

    intake_afgerond: date | None = None
    pip_vastgesteld: date | None = None  # the first PIP's date: it starts the termijn
    pip: Pip | None = None  # the PIP in force
    termijn_start: date | None = None
    termijn_eind: date | None = None  # the statutory end, before any extension
    route_switch: date | None = None


def pip_feiten(dossier: Dossier) -> PipFeiten:
    from .models import BredeIntake, Pip, RouteWijziging
    from .selectors import inburgeringstermijn_voor

    intake = BredeIntake.objects.filter(dossier=dossier).only("datum_afgerond").first()
    pips = list(
        Pip.objects.filter(
            dossier=dossier,
            status__in=[PipStatus.VASTGESTELD, PipStatus.GEWIJZIGD],
            datum_vastgesteld__isnull=False,
        ).order_by("versie")
    )
    eerste = pips[0] if pips else None
    huidige = next((p for p in reversed(pips) if p.status == PipStatus.VASTGESTELD), None)
    switch = (
        RouteWijziging.objects.filter(pip__dossier=dossier, soort=RouteWijzigingSoort.SWITCH)
        .order_by("datum")
        .values_list("datum", flat=True)
        .first()
    )
    # The statutory termijn (extensions are this clock's own, kept on its Termijn row).
    termijn = inburgeringstermijn_voor(eerste, met_verlenging=False) if eerste else None
    return PipFeiten(
        intake_afgerond=intake.datum_afgerond if intake else None,
        pip_vastgesteld=eerste.datum_vastgesteld if eerste else None,
        pip=huidige,
        termijn_start=termijn.start if termijn else None,
        termijn_eind=termijn.berekende_eind if termijn else None,
        route_switch=switch,
    )


def _intake(f: Feiten) -> list[Klok]:
    brp = f.dossier.brp
    if not brp:
        return []
    return [
        Klok(
            start=brp,
            uiterste_datum=brp + timedelta(weeks=INTAKE_WEKEN),
            gehaald_op=f.van(PipFeiten).intake_afgerond,
        )
    ]


def _pip(f: Feiten) -> list[Klok]:
    brp = f.dossier.brp
    if not brp:
        return []
    return [
        Klok(
            start=brp,
            uiterste_datum=brp + timedelta(weeks=PIP_WEKEN),
            gehaald_op=f.van(PipFeiten).pip_vastgesteld,
        )
    ]


def _pip_na_intake(f: Feiten) -> list[Klok]:
    beleid, p = f.dossier.beleid, f.van(PipFeiten)
    weken = beleid.pip_na_intake_weken if beleid else None
    if not weken or not p.intake_afgerond:
        return []
    return [
        Klok(
            start=p.intake_afgerond,
            uiterste_datum=p.intake_afgerond + timedelta(weeks=weken),
            gehaald_op=p.pip_vastgesteld,
        )
    ]


def _taalstart(f: Feiten) -> list[Klok]:
    d = f.dossier
    weken = d.beleid.taalstart_weken if d.beleid else None
    if not weken or not d.brp:
        return []
    return [Klok(start=d.brp, uiterste_datum=d.brp + timedelta(weeks=weken))]


def _binnen_termijn(f: Feiten, van_toepassing: bool) -> list[Klok]:
    p = f.van(PipFeiten)
    if not p.termijn_start or not p.termijn_eind or not van_toepassing:
        return []
    return [Klok(start=p.termijn_start, uiterste_datum=p.termijn_eind)]


def _inburgeringstermijn(f: Feiten) -> list[Klok]:
    return _binnen_termijn(f, True)


def _pvt(f: Feiten) -> list[Klok]:
    pip = f.van(PipFeiten).pip
    return _binnen_termijn(f, bool(pip and pip.pvt))


def _map(f: Feiten) -> list[Klok]:
    pip = f.van(PipFeiten).pip
    return _binnen_termijn(f, bool(pip and not pip.map_vrijgesteld))


def _routewissel(f: Feiten) -> list[Klok]:
    p = f.van(PipFeiten)
    if not p.termijn_start or not p.pip or p.pip.leerroute not in rules.MUNICIPALE_ROUTES:
        return []
    return [
        Klok(
            start=p.termijn_start,
            uiterste_datum=add_years_months(p.termijn_start, 0, rules.SWITCH_MAANDEN),
            gehaald_op=p.route_switch,
        )
    ]


def _voortgangsgesprekken(f: Feiten) -> list[Klok]:
    """The number per year agreed in the PIP, spread evenly over the three-year termijn."""
    p = f.van(PipFeiten)
    per_jaar = p.pip.voortgangsgesprekken_per_jaar if p.pip else None
    if not p.termijn_start or not per_jaar:
        return []
    per_jaar = min(per_jaar, 12)
    interval = 12 // per_jaar
    klokken = []
    start = p.termijn_start
    for n in range(1, per_jaar * rules.TERMIJN_JAREN + 1):
        uiterste = add_years_months(p.termijn_start, 0, n * interval)
        klokken.append(Klok(start=start, uiterste_datum=uiterste, volgnummer=n))
        start = uiterste
    return klokken


def _mb_einde(f: Feiten) -> list[Klok]:
    d, pip = f.dossier, f.van(PipFeiten).pip
    maanden = d.beleid.mb_maanden if d.beleid else None
    if (
        not maanden
        or not d.huisvesting
        or d.doelgroep not in ASIEL_DOELGROEPEN
        or not (pip and pip.maatschappelijke_begeleiding)
    ):
        return []
    return [Klok(start=d.huisvesting, uiterste_datum=add_years_months(d.huisvesting, 0, maanden))]


def _max_verlenging(f: Feiten) -> int:
    beleid = f.dossier.beleid
    maanden = (
        beleid.max_verlenging_inburgeringstermijn_maanden
        if beleid
        else STANDAARD_MAX_VERLENGING_MAANDEN
    )
    return min(maanden, INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN)


WI_TERMIJN = _("Wi 2021 art. 7: within the three-year inburgeringstermijn")

REGELS: tuple[TermijnRegel, ...] = (
    TermijnRegel(
        code="intake",
        omschrijving=_("Brede intake completed"),
        soort=TermijnSoort.WETTELIJK,
        grondslag=_(
            "Wi 2021 art. 14 (brede intake), within 4 weeks of BRP registration as the law intends"
        ),
        bereken=_intake,
        app="pip_plans",
    ),
    TermijnRegel(
        code="pip",
        omschrijving=_("PIP issued"),
        soort=TermijnSoort.WETTELIJK,
        grondslag=_("Wi 2021 art. 15: the PIP within 10 weeks of BRP registration"),
        bereken=_pip,
    ),
    TermijnRegel(
        code="pip_na_intake",
        omschrijving=_("PIP after the brede intake"),
        soort=TermijnSoort.BELEID,
        grondslag=_("Gemeente policy: the PIP within a set number of weeks after the intake"),
        bereken=_pip_na_intake,
        verlengbaar=Verlengbaar.VRIJ,
    ),
    TermijnRegel(
        code="taalstart",
        omschrijving=_("Taalstart report"),
        soort=TermijnSoort.BELEID,
        grondslag=_("Gemeente policy: Taalstart done and reported after BRP registration"),
        bereken=_taalstart,
        verlengbaar=Verlengbaar.VRIJ,
        handmatig_gehaald=True,
    ),
    TermijnRegel(
        code="inburgeringstermijn",
        omschrijving=_("Inburgeringstermijn"),
        soort=TermijnSoort.WETTELIJK,
        grondslag=_("Wi 2021 art. 7: three years from the day after the PIP was issued"),
        bereken=_inburgeringstermijn,
        verlengbaar=Verlengbaar.BEPERKT,
        max_verlenging_maanden=_max_verlenging,
        handmatig_gehaald=True,
    ),
    TermijnRegel(
        code="pvt",
        omschrijving=_("PVT completed"),
        soort=TermijnSoort.WETTELIJK,
        grondslag=WI_TERMIJN,
        bereken=_pvt,
        verlengbaar=Verlengbaar.BEPERKT,
        max_verlenging_maanden=_max_verlenging,
        handmatig_gehaald=True,
    ),
    TermijnRegel(
        code="map",
        omschrijving=_("MAP completed"),
        soort=TermijnSoort.WETTELIJK,
        grondslag=WI_TERMIJN,
        bereken=_map,
        verlengbaar=Verlengbaar.BEPERKT,
        max_verlenging_maanden=_max_verlenging,
        handmatig_gehaald=True,
    ),
    TermijnRegel(
        code="routewissel",
        omschrijving=_("Window for a switch of route"),
        soort=TermijnSoort.WETTELIJK,
        grondslag=_("Wi 2021: one switch of route, until 18 months into the termijn"),
        bereken=_routewissel,
        escaleren=False,
    ),
    TermijnRegel(
        code="voortgangsgesprek",
        omschrijving=_("Voortgangsgesprek"),
        soort=TermijnSoort.BELEID,
        grondslag=_("PIP: the number of voortgangsgesprekken per year agreed in the PIP"),
        bereken=_voortgangsgesprekken,
        verlengbaar=Verlengbaar.VRIJ,
        handmatig_gehaald=True,
        herhalend=True,
    ),
    TermijnRegel(
        code="mb_einde",
        omschrijving=_("End of maatschappelijke begeleiding"),
        soort=TermijnSoort.BELEID,
        grondslag=_("Gemeente policy: maatschappelijke begeleiding for a set number of months"),
        bereken=_mb_einde,
        verlengbaar=Verlengbaar.VRIJ,
        handmatig_gehaald=True,
    ),
)
