"""Date arithmetic of every termijn rule, pure: facts in, clocks out (no database).

Edges: month ends, leap years, 31 January + 10 weeks, 29 February + 3 years, DST changes (legal
dates are dates; the sweep's "today" is the Amsterdam calendar day)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from begeleiding.termijnregels import BegeleidingFeiten
from cases.constants import Doelgroep, Regime
from cases.feiten import DossierFeiten, Feiten
from cases.termijnregels import registry
from handhaving.termijnregels import HandhavingFeiten
from pip_plans.rules import inburgeringstermijn
from pip_plans.termijnregels import PipFeiten

DOSSIER_FEITEN = {f.name for f in fields(DossierFeiten)}
PIP_FEITEN = {f.name for f in fields(PipFeiten)}


def feiten(**kwargs) -> Feiten:
    """Typed facts from keywords: each goes to the dataclass of the app that owns it (a
    keyword neither owns is an error here, as a misspelt fact is in the rules)."""
    base = {
        "open": True,
        "regime": Regime.WI2021,
        "doelgroep": Doelgroep.ASIELMIGRANT,
        "koppeling": None,
        "brp": None,
        "huisvesting": None,
        "beleid": None,
    }
    alles = {**base, **kwargs}
    onbekend = alles.keys() - DOSSIER_FEITEN - PIP_FEITEN
    assert not onbekend, f"no app owns the facts {sorted(onbekend)}"
    return Feiten(
        [
            DossierFeiten(**{k: v for k, v in alles.items() if k in DOSSIER_FEITEN}),
            PipFeiten(**{k: v for k, v in alles.items() if k in PIP_FEITEN}),
            HandhavingFeiten(),  # no enforcement procedure (handhaving's clocks: their own tests)
            BegeleidingFeiten(),  # no begeleiding (begeleiding's clocks: their own tests)
        ]
    )


def klokken(code: str, f: Feiten):
    regel = registry.get(code)
    assert regel is not None, code
    return regel.bereken(f)


def beleid(**kwargs):
    base = {
        "pip_na_intake_weken": None,
        "taalstart_weken": None,
        "mb_maanden": None,
        "max_verlenging_inburgeringstermijn_maanden": 6,
        "waarschuwingsdagen": [14, 0],
    }
    return SimpleNamespace(**{**base, **kwargs})


def pip(**kwargs):
    base = {
        "pvt": True,
        "map_vrijgesteld": False,
        "leerroute": "b1",
        "voortgangsgesprekken_per_jaar": 2,
        "maatschappelijke_begeleiding": True,
        "heeft_uitkering": True,
        "ontzorgen_start": None,
        "ontzorgen_maanden": None,
    }
    return SimpleNamespace(**{**base, **kwargs})


def na_pip(vastgesteld: date, **kwargs) -> Feiten:
    t = inburgeringstermijn(vastgesteld)
    return feiten(termijn_start=t.start, termijn_eind=t.eind, pip_vastgesteld=vastgesteld, **kwargs)


def test_every_app_contributes_its_rules():
    assert {r.code: r for r in registry}.keys() >= {
        "intake",
        "pip",
        "pip_na_intake",
        "taalstart",
        "inburgeringstermijn",
        "pvt",
        "map",
        "routewissel",
        "voortgangsgesprek",
        "mb_einde",
        "ontzorgen",
    }


@pytest.mark.parametrize(
    ("brp", "intake", "pip_"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), date(2026, 4, 11)),  # 31 Jan + 10 weeks
        (date(2024, 1, 31), date(2024, 2, 28), date(2024, 4, 10)),  # leap year
        (date(2024, 2, 29), date(2024, 3, 28), date(2024, 5, 9)),  # from 29 February
        (date(2026, 12, 31), date(2027, 1, 28), date(2027, 3, 11)),  # over the year end
        (date(2026, 3, 20), date(2026, 4, 17), date(2026, 5, 29)),  # across the DST change
    ],
)
def test_intake_four_weeks_and_pip_ten_weeks_after_brp(brp, intake, pip_):
    f = feiten(brp=brp)
    assert [(k.start, k.uiterste_datum) for k in klokken("intake", f)] == [(brp, intake)]
    assert [(k.start, k.uiterste_datum) for k in klokken("pip", f)] == [(brp, pip_)]


def test_intake_and_pip_need_a_brp_date_and_are_met_by_their_fact():
    assert klokken("intake", feiten()) == []
    assert klokken("pip", feiten()) == []
    f = feiten(
        brp=date(2026, 1, 5), intake_afgerond=date(2026, 1, 20), pip_vastgesteld=date(2026, 3, 1)
    )
    assert klokken("intake", f)[0].gehaald_op == date(2026, 1, 20)
    assert klokken("pip", f)[0].gehaald_op == date(2026, 3, 1)


def test_no_clocks_for_wi2013_or_closed_dossiers():
    assert registry.klokken(feiten(brp=date(2026, 1, 5))) != {}
    assert registry.klokken(feiten(brp=date(2026, 1, 5), regime=Regime.WI2013_ONDERTUSSEN)) == {}
    assert registry.klokken(feiten(brp=date(2026, 1, 5), open=False)) == {}


def test_policy_pip_after_intake_only_when_configured():
    f = feiten(intake_afgerond=date(2026, 2, 27))
    assert klokken("pip_na_intake", f) == []
    f = feiten(intake_afgerond=date(2026, 2, 27), beleid=beleid(pip_na_intake_weken=4))
    assert klokken("pip_na_intake", f)[0].uiterste_datum == date(2026, 3, 27)


def test_policy_taalstart_from_brp():
    f = feiten(brp=date(2026, 10, 19), beleid=beleid(taalstart_weken=10))
    assert klokken("taalstart", f)[0].uiterste_datum == date(2026, 12, 28)
    assert klokken("taalstart", feiten(brp=date(2026, 10, 19))) == []


@pytest.mark.parametrize(
    ("vastgesteld", "start", "eind"),
    [
        (date(2026, 3, 10), date(2026, 3, 11), date(2029, 3, 10)),
        (date(2024, 2, 28), date(2024, 2, 29), date(2027, 2, 28)),  # starts on 29 February
        (date(2024, 2, 29), date(2024, 3, 1), date(2027, 2, 28)),  # no 29 Feb in 2027
        (date(2026, 12, 31), date(2027, 1, 1), date(2029, 12, 31)),
    ],
)
def test_inburgeringstermijn_pvt_map_run_three_years(vastgesteld, start, eind):
    f = na_pip(vastgesteld, pip=pip())
    for code in ("inburgeringstermijn", "pvt", "map"):
        [klok] = klokken(code, f)
        assert (klok.start, klok.uiterste_datum) == (start, eind), code


def test_map_exempt_and_no_pvt_give_no_clock():
    f = na_pip(date(2026, 3, 10), pip=pip(map_vrijgesteld=True, pvt=False))
    assert klokken("map", f) == []
    assert klokken("pvt", f) == []
    assert len(klokken("inburgeringstermijn", f)) == 1


def test_route_switch_window_eighteen_months_for_municipal_routes_only():
    f = na_pip(date(2024, 8, 30), pip=pip())  # termijn from 31 August
    assert klokken("routewissel", f)[0].uiterste_datum == date(2026, 2, 28)  # month end
    f = na_pip(date(2024, 8, 30), pip=pip(), route_switch=date(2025, 1, 1))
    assert klokken("routewissel", f)[0].gehaald_op == date(2025, 1, 1)
    assert (
        klokken("routewissel", na_pip(date(2024, 8, 30), pip=pip(leerroute="eigen_kosten"))) == []
    )


def test_voortgangsgesprekken_spread_over_three_years():
    f = na_pip(date(2026, 1, 30), pip=pip(voortgangsgesprekken_per_jaar=2))  # from 31 Jan
    gesprekken = klokken("voortgangsgesprek", f)
    assert [k.volgnummer for k in gesprekken] == [1, 2, 3, 4, 5, 6]
    assert gesprekken[0].uiterste_datum == date(2026, 7, 31)
    assert gesprekken[1].start == gesprekken[0].uiterste_datum
    assert gesprekken[-1].uiterste_datum == date(2029, 1, 31)
    f = na_pip(date(2026, 1, 30), pip=pip(voortgangsgesprekken_per_jaar=4))
    assert klokken("voortgangsgesprek", f)[0].uiterste_datum == date(2026, 4, 30)  # 31 → 30
    assert (
        klokken(
            "voortgangsgesprek",
            na_pip(date(2026, 1, 30), pip=pip(voortgangsgesprekken_per_jaar=None)),
        )
        == []
    )


def test_ontzorgen_end_for_asielstatushouders_on_a_benefit():
    p = pip(ontzorgen_start=date(2025, 8, 31), ontzorgen_maanden=6)
    [klok] = klokken("ontzorgen", feiten(pip=p))
    assert klok.uiterste_datum == date(2026, 2, 28)
    assert klokken("ontzorgen", feiten(pip=p, doelgroep=Doelgroep.GEZINSMIGRANT)) == []
    geen_uitkering = pip(
        ontzorgen_start=date(2025, 8, 31), ontzorgen_maanden=6, heeft_uitkering=False
    )
    assert klokken("ontzorgen", feiten(pip=geen_uitkering)) == []


def test_policy_mb_end_after_housing():
    f = feiten(huisvesting=date(2024, 2, 29), pip=pip(), beleid=beleid(mb_maanden=12))
    assert klokken("mb_einde", f)[0].uiterste_datum == date(2025, 2, 28)
    f = feiten(huisvesting=date(2024, 2, 29), pip=pip(), beleid=beleid(mb_maanden=14))
    assert klokken("mb_einde", f)[0].uiterste_datum == date(2025, 4, 29)
    assert klokken("mb_einde", feiten(huisvesting=date(2024, 2, 29), pip=pip())) == []
    f = feiten(
        huisvesting=date(2024, 2, 29),
        pip=pip(),
        beleid=beleid(mb_maanden=12),
        doelgroep=Doelgroep.GEZINSMIGRANT,
    )
    assert klokken("mb_einde", f) == []


@pytest.mark.parametrize(
    ("utc", "dag"),
    [
        # spring forward: 29 March 2026 02:00 CET → 03:00 CEST
        (datetime(2026, 3, 29, 21, 59, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 22, 0, tzinfo=UTC), date(2026, 3, 30)),
        # fall back: 25 October 2026 03:00 CEST → 02:00 CET
        (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 0, tzinfo=UTC), date(2026, 10, 26)),
    ],
)
def test_today_is_the_amsterdam_calendar_day_across_dst(utc, dag):
    """The sweep judges 'overdue' by the local date: one minute after local midnight a clock due
    yesterday is overdue, one minute before it is not, on both DST changes."""
    assert timezone.localdate(utc) == dag
