"""The fine procedure's legal calculations (handhaving.rules), pure: dates and amounts in,
answers out (Awb title 5.4, Wet inburgering 2021)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cases.constants import Doelgroep, Regime
from handhaving import rules
from handhaving.constants import VerzuimSoort

# --- Awb 5:51: the decision within 13 weeks of the rapport ---------------------------------


@pytest.mark.parametrize(
    ("rapport", "uiterste"),
    [
        (date(2026, 3, 3), date(2026, 6, 2)),  # a Tuesday: a Tuesday 13 weeks (91 days) later
        (date(2026, 10, 1), date(2026, 12, 31)),  # ends on the last day of the year
        (date(2026, 10, 2), date(2027, 1, 1)),  # one day later crosses into the new year
        (date(2026, 12, 31), date(2027, 4, 1)),  # from the year's end
        (date(2027, 12, 1), date(2028, 3, 1)),  # across 29 February 2028 (a leap year)
        (date(2026, 12, 1), date(2027, 3, 2)),  # across a non-leap February
    ],
)
def test_beslistermijn_is_13_weeks_after_the_rapport(rapport, uiterste):
    assert rules.beslistermijn(rapport) == uiterste
    assert (uiterste - rapport).days == 91


# --- Awb 5:45: the power lapses after 3 years, 5 where 5:53 applies ------------------------


@pytest.mark.parametrize(
    ("overtreding", "zwaar", "laatste_dag"),
    [
        (date(2026, 3, 10), False, date(2029, 3, 9)),
        (date(2026, 3, 10), True, date(2031, 3, 9)),
        (date(2026, 1, 1), False, date(2028, 12, 31)),  # the day before the anniversary
        (date(2026, 12, 31), True, date(2031, 12, 30)),
        # 29 February: three years on there is none, the anniversary is 28 February
        (date(2024, 2, 29), False, date(2027, 2, 27)),
        (date(2024, 2, 29), True, date(2029, 2, 27)),
        # a leap-year anniversary is 29 February itself
        (date(2023, 2, 28), True, date(2028, 2, 27)),
        (date(2023, 3, 1), True, date(2028, 2, 29)),
    ],
)
def test_verval_datum(overtreding, zwaar, laatste_dag):
    assert rules.verval_datum(overtreding, zwaar=zwaar) == laatste_dag


def test_the_pip_fine_lapses_after_five_years_the_intake_fine_after_three():
    assert rules.is_zware_boete(Decimal("800.00"))
    assert not rules.is_zware_boete(Decimal("250.00"))
    assert not rules.is_zware_boete(Decimal("340.00"))  # "can exceed €340": exactly 340 does not
    assert rules.is_zware_boete(Decimal("340.01"))


def test_opgeschorte_dagen_pauses_the_lapse_clock():
    # one decided objection: from receipt to decision
    assert rules.opgeschorte_dagen([(date(2026, 1, 10), date(2026, 2, 9))], date(2026, 6, 1)) == 30
    # a pending objection counts until today
    assert rules.opgeschorte_dagen([(date(2026, 5, 1), None)], date(2026, 5, 21)) == 20
    # several add up
    assert (
        rules.opgeschorte_dagen(
            [(date(2026, 1, 1), date(2026, 1, 11)), (date(2026, 3, 1), None)], date(2026, 3, 6)
        )
        == 15
    )
    assert rules.opgeschorte_dagen([], date(2026, 3, 6)) == 0
    # the paused days move the last day on
    assert rules.verval_datum(date(2026, 3, 10), zwaar=False, opgeschort=30) == date(2029, 4, 8)


def test_is_vervallen_on_the_last_day_and_the_day_after():
    overtreding = date(2026, 3, 10)
    assert not rules.is_vervallen(overtreding, zwaar=False, opgeschort=0, op=date(2029, 3, 9))
    assert rules.is_vervallen(overtreding, zwaar=False, opgeschort=0, op=date(2029, 3, 10))
    # five years for a fine above €340
    assert not rules.is_vervallen(overtreding, zwaar=True, opgeschort=0, op=date(2029, 3, 10))
    assert not rules.is_vervallen(overtreding, zwaar=True, opgeschort=0, op=date(2031, 3, 9))
    assert rules.is_vervallen(overtreding, zwaar=True, opgeschort=0, op=date(2031, 3, 10))
    # an objection of 10 days: still allowed 10 days later
    assert not rules.is_vervallen(overtreding, zwaar=False, opgeschort=10, op=date(2029, 3, 19))
    assert rules.is_vervallen(overtreding, zwaar=False, opgeschort=10, op=date(2029, 3, 20))


# --- Awb 5:53: the intent letter --------------------------------------------------------------


def test_voornemen_vereist_always_for_the_pip_fine_by_policy_for_the_intake_fine():
    pip, intake = Decimal("800.00"), Decimal("250.00")
    assert rules.voornemen_vereist(maximum=pip, beleid_intake_altijd=True)
    assert rules.voornemen_vereist(maximum=pip, beleid_intake_altijd=False)
    assert rules.voornemen_vereist(maximum=intake, beleid_intake_altijd=True)
    assert not rules.voornemen_vereist(maximum=intake, beleid_intake_altijd=False)


# --- Awb 5:46: the amount ---------------------------------------------------------------------


def _fouten(bedrag: str, grond: str = "", motivering: str = "") -> dict[str, str]:
    return rules.bedrag_fouten(
        basisbedrag=Decimal("800.00"),
        bedrag=Decimal(bedrag),
        verlaging_grond=grond,
        verlaging_motivering=motivering,
    )


def test_bedrag_exactly_the_maximum_is_accepted():
    assert _fouten("800.00") == {}


def test_bedrag_above_the_maximum_is_refused():
    fouten = _fouten("800.01")
    assert set(fouten) == {"bedrag"}
    assert "€800.00" in fouten["bedrag"] and "never above" in fouten["bedrag"]


@pytest.mark.parametrize("bedrag", ["0", "0.00", "-5"])
def test_bedrag_of_nothing_is_refused(bedrag):
    fouten = _fouten(bedrag, "verminderde_verwijtbaarheid", "Ziek")
    assert set(fouten) == {"bedrag"}
    assert "no fine" in fouten["bedrag"]


def test_a_reduction_needs_its_ground_and_its_motivation():
    fouten = _fouten("600.00")
    assert set(fouten) == {"verlaging_grond", "verlaging_motivering"}
    assert "Awb 5:46" in fouten["verlaging_grond"] and "Awb 5:46" in fouten["verlaging_motivering"]
    assert set(_fouten("600.00", grond="verminderde_verwijtbaarheid")) == {"verlaging_motivering"}
    assert set(_fouten("600.00", motivering="Ziek")) == {"verlaging_grond"}
    assert set(_fouten("600.00", grond="geen_grove_schuld", motivering="   ")) == {
        "verlaging_motivering"
    }
    assert _fouten("600.00", grond="bijzondere_omstandigheden", motivering="Ziek") == {}


# --- who can be fined under the Wi 2021 -------------------------------------------------------


@pytest.mark.parametrize("regime", [Regime.WI2013_ONDERTUSSEN, Regime.WI2013_ELIP])
@pytest.mark.parametrize("soort", VerzuimSoort.values)
def test_wi2013_dossiers_are_refused_naming_the_wet_inburgering_2013(regime, soort):
    reden = rules.verzuim_weigering(regime=regime, doelgroep=Doelgroep.ASIELMIGRANT, soort=soort)
    assert reden is not None and "Wet inburgering 2013" in reden


@pytest.mark.parametrize("doelgroep", [Doelgroep.GEZINSMIGRANT, Doelgroep.OVERIGE_MIGRANT])
def test_self_paying_migrants_cannot_be_fined_for_lessons(doelgroep):
    reden = rules.verzuim_weigering(
        regime=Regime.WI2021, doelgroep=doelgroep, soort=VerzuimSoort.LESSEN
    )
    assert reden is not None and "pay their course themselves" in reden
    for soort in (
        VerzuimSoort.PVT,
        VerzuimSoort.MAP,
        VerzuimSoort.VOORTGANGSGESPREK,
        VerzuimSoort.INTAKE_NIET_VERSCHENEN,
        VerzuimSoort.INTAKE_NIET_MEEGEWERKT,
        VerzuimSoort.LEERBAARHEIDSTOETS,
    ):
        assert (
            rules.verzuim_weigering(regime=Regime.WI2021, doelgroep=doelgroep, soort=soort) is None
        )


@pytest.mark.parametrize("doelgroep", [Doelgroep.ASIELMIGRANT, Doelgroep.NAREIZIGER])
@pytest.mark.parametrize("soort", VerzuimSoort.values)
def test_asielmigranten_can_be_fined_for_every_failure(doelgroep, soort):
    assert rules.verzuim_weigering(regime=Regime.WI2021, doelgroep=doelgroep, soort=soort) is None
