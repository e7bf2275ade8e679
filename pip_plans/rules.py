"""Pure legal calculations for the brede intake and the PIP: dates in, answers out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from cases.constants import ASIEL_DOELGROEPEN, Doelgroep
from cases.rules import add_years_months, leeftijd_op

from .constants import Leerroute, Leersnelheid

TERMIJN_JAREN = 3  # Wet inburgering 2021, art. 7: three years from the day after vaststelling
BEZWAAR_WEKEN = 6  # Awb art. 6:7 and 6:8: six weeks from the day after sending
SWITCH_MAANDEN = 18  # Wi 2021 / Besluit art. 4.x: one switch of route, until 18 months
AFSCHALEN_MAANDEN = 18  # afschalen B1 → A2 only after 18 months ...
AFSCHALEN_LESUREN = 600  # ... and 600 lesson hours (incl. alfabetisering) and sufficient effort
ONDERWIJSROUTE_LEEFTIJD = 28  # under 28 the onderwijsroute must be considered
ONTZORGEN_MINIMUM_MAANDEN = 6  # statutory minimum for asielstatushouders on a benefit
MUNICIPALE_ROUTES = {Leerroute.B1, Leerroute.ONDERWIJS, Leerroute.Z}


@dataclass(frozen=True)
class Termijn:
    start: date
    eind: date  # last day of the term (inclusive)


def inburgeringstermijn(vastgesteld: date) -> Termijn:
    """Starts the day after vaststelling; a term of years ends the day before the same date
    three years on (29 February without a counterpart: the last day of February)."""
    start = vastgesteld + timedelta(days=1)
    return Termijn(start=start, eind=add_years_months(vastgesteld, TERMIJN_JAREN))


@lru_cache(maxsize=32)
def _atw_feestdagen(jaar: int) -> frozenset[date]:
    """Algemeen erkende feestdagen (Algemene termijnenwet art. 3): Nieuwjaarsdag, tweede Paas- en
    Pinksterdag, Hemelvaartsdag, Koningsdag, 5 mei (every year) and both Christmas days.
    From the maintained ``holidays`` package; Goede Vrijdag is not an Atw holiday."""
    dagen = {
        d for d, naam in holidays.NL(years=jaar, language="en_US").items() if naam != "Good Friday"
    }
    dagen.add(date(jaar, 5, 5))
    return frozenset(dagen)


def is_werkdag(dag: date) -> bool:
    return dag.weekday() < 5 and dag not in _atw_feestdagen(dag.year)


def volgende_werkdag(dag: date) -> date:
    while not is_werkdag(dag):
        dag += timedelta(days=1)
    return dag


def bezwaar_einddatum(verzonden: date) -> date:
    """Last day to object: six weeks starting the day after sending (Awb 6:8), moved to the next
    working day when it falls on a Saturday, Sunday or recognised holiday (Atw art. 1)."""
    return volgende_werkdag(verzonden + timedelta(weeks=BEZWAAR_WEKEN))


def switch_weigering(*, termijn_start: date, datum: date, eerdere_switches: int) -> str | None:
    if eerdere_switches >= 1:
        return "al_geswitcht"
    if datum > add_years_months(termijn_start, 0, SWITCH_MAANDEN):
        return "na_18_maanden"
    return None


def afschalen_weigering(
    *, termijn_start: date, datum: date, lesuren: int, voldoende_inspanning: bool
) -> list[str]:
    """All unmet conditions (so the refusal names each of them)."""
    redenen = []
    if datum < add_years_months(termijn_start, 0, AFSCHALEN_MAANDEN):
        redenen.append("voor_18_maanden")
    if lesuren < AFSCHALEN_LESUREN:
        redenen.append("te_weinig_lesuren")
    if not voldoende_inspanning:
        redenen.append("geen_inspanning")
    return redenen


def route_advies(
    *,
    geboortedatum: date,
    peildatum: date,
    doelgroep: str,
    leerbaarheid_laag: bool | None,
    leersnelheid: str = "",
    geletterd: bool | None = None,
) -> str:
    """The system's proposal; the werkcoach decides and motivates."""
    if doelgroep not in ASIEL_DOELGROEPEN:
        return Leerroute.EIGEN_KOSTEN
    if leerbaarheid_laag or (leersnelheid == Leersnelheid.LANGZAAM and geletterd is False):
        return Leerroute.Z
    if leeftijd_op(geboortedatum, peildatum) < ONDERWIJSROUTE_LEEFTIJD and (
        leersnelheid in ("", Leersnelheid.SNEL) and leerbaarheid_laag is False
    ):
        return Leerroute.ONDERWIJS
    return Leerroute.B1


def onderwijsroute_moet_overwogen(geboortedatum: date, peildatum: date) -> bool:
    return leeftijd_op(geboortedatum, peildatum) < ONDERWIJSROUTE_LEEFTIJD


def heeft_municipaal_aanbod(doelgroep: str) -> bool:
    """Leerroute, ontzorgen and MB are for asielmigranten (incl. nareizigers) only."""
    return doelgroep in ASIEL_DOELGROEPEN


__all__ = ["Doelgroep", "Termijn"]
