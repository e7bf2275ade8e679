"""Termijn rules owned by pip_plans: the PIP, the inburgeringstermijn and what runs inside it.

See ``cases.termijnregels`` for the registry. Statutory lengths come from ``pip_plans.rules``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.constants import ASIEL_DOELGROEPEN, TermijnSoort
from cases.models import INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN, Dossier
from cases.rules import add_years_months
from cases.termijnregels import Feiten, Klok, TermijnRegel, Verlengbaar, registry

from . import rules
from .constants import PipStatus, RouteWijzigingSoort

PIP_WEKEN = 10  # Wi 2021 art. 15: the PIP within 10 weeks of BRP registration
TAALSTART_STANDAARD_WEKEN = 10


@registry.feitbron
def pip_feiten(dossier: Dossier) -> dict[str, Any]:
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
    return {
        "intake_afgerond": intake.datum_afgerond if intake else None,
        "pip_vastgesteld": eerste.datum_vastgesteld if eerste else None,
        "pip": huidige,
        "termijn_start": termijn.start if termijn else None,
        "termijn_eind": termijn.berekende_eind if termijn else None,
        "route_switch": switch,
    }


def _pip(f: Feiten) -> list[Klok]:
    if not f.brp:
        return []
    return [
        Klok(
            start=f.brp,
            uiterste_datum=f.brp + timedelta(weeks=PIP_WEKEN),
            gehaald_op=f.pip_vastgesteld,
        )
    ]


def _pip_na_intake(f: Feiten) -> list[Klok]:
    weken = f.beleid.pip_na_intake_weken if f.beleid else None
    if not weken or not f.intake_afgerond:
        return []
    return [
        Klok(
            start=f.intake_afgerond,
            uiterste_datum=f.intake_afgerond + timedelta(weeks=weken),
            gehaald_op=f.pip_vastgesteld,
        )
    ]


def _taalstart(f: Feiten) -> list[Klok]:
    weken = f.beleid.taalstart_weken if f.beleid else None
    if not weken or not f.brp:
        return []
    return [Klok(start=f.brp, uiterste_datum=f.brp + timedelta(weeks=weken))]


def _binnen_termijn(f: Feiten, van_toepassing: bool) -> list[Klok]:
    if not f.termijn_start or not van_toepassing:
        return []
    return [Klok(start=f.termijn_start, uiterste_datum=f.termijn_eind)]


def _inburgeringstermijn(f: Feiten) -> list[Klok]:
    return _binnen_termijn(f, True)


def _pvt(f: Feiten) -> list[Klok]:
    return _binnen_termijn(f, bool(f.pip and f.pip.pvt))


def _map(f: Feiten) -> list[Klok]:
    return _binnen_termijn(f, bool(f.pip and not f.pip.map_vrijgesteld))


def _routewissel(f: Feiten) -> list[Klok]:
    if not f.termijn_start or not f.pip or f.pip.leerroute not in rules.MUNICIPALE_ROUTES:
        return []
    return [
        Klok(
            start=f.termijn_start,
            uiterste_datum=add_years_months(f.termijn_start, 0, rules.SWITCH_MAANDEN),
            gehaald_op=f.route_switch,
        )
    ]


def _voortgangsgesprekken(f: Feiten) -> list[Klok]:
    """The number per year agreed in the PIP, spread evenly over the three-year termijn."""
    per_jaar = f.pip.voortgangsgesprekken_per_jaar if f.pip else None
    if not f.termijn_start or not per_jaar:
        return []
    per_jaar = min(per_jaar, 12)
    interval = 12 // per_jaar
    klokken = []
    start = f.termijn_start
    for n in range(1, per_jaar * rules.TERMIJN_JAREN + 1):
        uiterste = add_years_months(f.termijn_start, 0, n * interval)
        klokken.append(Klok(start=start, uiterste_datum=uiterste, volgnummer=n))
        start = uiterste
    return klokken


def _mb_einde(f: Feiten) -> list[Klok]:
    maanden = f.beleid.mb_maanden if f.beleid else None
    if (
        not maanden
        or not f.huisvesting
        or f.doelgroep not in ASIEL_DOELGROEPEN
        or not (f.pip and f.pip.maatschappelijke_begeleiding)
    ):
        return []
    return [Klok(start=f.huisvesting, uiterste_datum=add_years_months(f.huisvesting, 0, maanden))]


def _max_verlenging(f: Feiten) -> int:
    beleid = f.beleid.max_verlenging_inburgeringstermijn_maanden if f.beleid else 6
    return min(beleid, INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN)


WI_TERMIJN = _("Wi 2021 art. 7: within the three-year inburgeringstermijn")

for regel in (
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
):
    registry.regel(regel)
