"""Pure legal calculations for the brede intake and the PIP: dates in, answers out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cases.constants import ASIEL_DOELGROEPEN, Doelgroep, Regime
from cases.rules import add_years_months, leeftijd_op

# The Awb objection term and the Algemene termijnenwet calendar live in the platform; the names
# stay importable here for the tests that know them as PIP rules.
from inburgering.documents.termijnen import BEZWAAR_WEKEN, bezwaar_einddatum  # noqa: F401
from inburgering.kalender.atw import is_werkdag, volgende_werkdag  # noqa: F401

from .constants import Einddoel, Leerroute, Leersnelheid, PipStatus

TERMIJN_JAREN = 3  # Wet inburgering 2021, art. 7: three years from the day after vaststelling
SWITCH_MAANDEN = 18  # Wi 2021 / Besluit art. 4.x: one switch of route, until 18 months
AFSCHALEN_MAANDEN = 18  # afschalen B1 → A2 only after 18 months ...
AFSCHALEN_LESUREN = 600  # ... and 600 lesson hours (incl. alfabetisering) and sufficient effort
ONDERWIJSROUTE_LEEFTIJD = 28  # under 28 the onderwijsroute must be considered
ONTZORGEN_MINIMUM_MAANDEN = 6  # statutory minimum for asielstatushouders on a benefit
MUNICIPALE_ROUTES = {Leerroute.B1, Leerroute.ONDERWIJS, Leerroute.Z}
# The einddoel follows the route: the B1-route ends in B1 exams (A2 on parts after afschalen),
# the onderwijsroute in the taalschakeltraject, the Z-route in hours and effort (no exam).
EINDDOELEN_PER_ROUTE: dict[str, frozenset[str]] = {
    Leerroute.B1: frozenset({Einddoel.B1, Einddoel.A2_DELEN}),
    Leerroute.ONDERWIJS: frozenset({Einddoel.ONDERWIJS}),
    Leerroute.Z: frozenset({Einddoel.Z}),
}
# The einddoel a route starts with (a switch of route sets it).
EINDDOEL_VAN_ROUTE: dict[str, str] = {
    Leerroute.B1: Einddoel.B1,
    Leerroute.ONDERWIJS: Einddoel.ONDERWIJS,
    Leerroute.Z: Einddoel.Z,
}


@dataclass(frozen=True)
class Termijn:
    start: date
    eind: date  # last day of the term (inclusive)


def inburgeringstermijn(vastgesteld: date) -> Termijn:
    """Starts the day after vaststelling; a term of years ends the day before the same date
    three years on (29 February without a counterpart: the last day of February)."""
    start = vastgesteld + timedelta(days=1)
    return Termijn(start=start, eind=add_years_months(vastgesteld, TERMIJN_JAREN))


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


def vaststelbare_statussen(goedkeuring_vereist: bool) -> frozenset[str]:
    """The states a PIP may be vastgesteld from: only after a teamleider's approval when the
    gemeente requires one (``Gemeente.pip_goedkeuring_vereist``), else also from concept. The
    one home of this rule: the service refuses by it and the page offers the action by it."""
    if goedkeuring_vereist:
        return frozenset({PipStatus.GOEDGEKEURD})
    return frozenset({PipStatus.CONCEPT, PipStatus.GOEDGEKEURD})


def route_advies(
    *,
    geboortedatum: date,
    peildatum: date,
    doelgroep: str,
    leerbaarheid_laag: bool | None,
    leersnelheid: str = "",
    geletterd: bool | None = None,
    regime: str = Regime.WI2021,
) -> str:
    """The system's proposal; the werkcoach decides and motivates."""
    if not heeft_municipaal_aanbod(doelgroep, regime):
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


def is_wi2013(regime: str) -> bool:
    """The ondertussengroep and the ELIP-groep stay under the Wet inburgering 2013."""
    return regime in (Regime.WI2013_ONDERTUSSEN, Regime.WI2013_ELIP)


def heeft_municipaal_aanbod(doelgroep: str, regime: str = Regime.WI2021) -> bool:
    """Leerroute and ontzorgen are the Wi 2021 offer for asielmigranten (incl. nareizigers)
    only; a Wi2013 dossier gets intake/PIP-style guidance but buys its own course."""
    return doelgroep in ASIEL_DOELGROEPEN and not is_wi2013(regime)


def einddoel_past_bij_route(leerroute: str, einddoel: str) -> bool:
    """Whether the einddoel is one the route can end in (a purchased route: any)."""
    toegestaan = EINDDOELEN_PER_ROUTE.get(leerroute)
    return toegestaan is None or not einddoel or einddoel in toegestaan


def onder_minimum_voortgangsgesprekken(per_jaar: int | None, minimum: int) -> bool:
    """The PIP must agree at least the gemeente's minimum number of voortgangsgesprekken."""
    return per_jaar is not None and per_jaar < minimum


__all__ = ["Doelgroep", "Termijn"]
