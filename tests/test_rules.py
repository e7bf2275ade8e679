"""Pure legal calculations: BSN elfproef, age limits of the obligation, phase transitions."""

from datetime import date

import pytest

from cases import rules
from cases.constants import Doelgroep, Fase


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999990019", "010000008"])
def test_valid_bsns_pass_the_elfproef(bsn):
    assert rules.is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn", ["123456789", "111222334", "000000000", "12345678", "1234567890", "12345678a", ""]
)
def test_invalid_bsns_fail(bsn):
    assert not rules.is_valid_bsn(bsn)


def test_normalise_bsn_strips_separators_and_pads_eight_digits():
    assert rules.normalise_bsn("1112.22.333") == "111222333"
    assert rules.normalise_bsn(" 111 222 333 ") == "111222333"
    assert rules.normalise_bsn("10000008") == "010000008"


def test_add_years_months_from_29_february():
    assert rules.add_years_months(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert rules.add_years_months(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert rules.add_years_months(date(2023, 11, 30), 0, 3) == date(2024, 2, 29)


def test_minimum_age_is_sixteen_on_the_day():
    born = date(2010, 3, 15)
    assert rules.leeftijd_weigering(born, date(2026, 3, 14)) == "jonger dan 16"
    assert rules.leeftijd_weigering(born, date(2026, 3, 15)) is None


def test_aow_age_uses_the_year_it_is_reached():
    # Born 1959-05-01: 67 in 2026 (AOW age 67 in 2026).
    assert rules.aow_datum(date(1959, 5, 1)) == date(2026, 5, 1)
    # Born 1961-01-10: 67y3m in 2028.
    assert rules.aow_datum(date(1961, 1, 10)) == date(2028, 4, 10)
    # Born 1956-06-01: 66y10m in 2023.
    assert rules.aow_datum(date(1956, 6, 1)) == date(2023, 4, 1)


def test_obligation_ends_at_aow_age():
    born = date(1959, 5, 1)
    assert rules.leeftijd_weigering(born, date(2026, 4, 30)) is None
    assert rules.leeftijd_weigering(born, date(2026, 5, 1)) == "AOW-leeftijd bereikt"


def test_phase_moves_forward_possibly_skipping():
    assert rules.fase_overgang_weigering(Fase.AANGEMELD, Fase.INTAKE) is None
    assert rules.fase_overgang_weigering(Fase.GEKOPPELD, Fase.GEHUISVEST) is None
    assert rules.fase_overgang_weigering(Fase.INTAKE, Fase.GEKOPPELD) == "terug"
    assert rules.fase_overgang_weigering(Fase.INTAKE, Fase.INTAKE) == "zelfde"


def test_closed_dossier_has_no_transitions_and_relocation_is_separate():
    assert rules.fase_overgang_weigering(Fase.VERHUISD, Fase.INTAKE) == "gesloten"
    assert rules.fase_overgang_weigering(Fase.AFGEROND, Fase.BEEINDIGD) == "gesloten"
    assert rules.fase_overgang_weigering(Fase.PIP, Fase.VERHUISD) == "verhuizing"
    assert rules.fase_overgang_weigering(Fase.PIP, Fase.BEEINDIGD) is None


def test_required_dates_depend_on_phase_and_target_group():
    assert rules.vereiste_datums(Fase.AANGEMELD, Doelgroep.ASIELMIGRANT) == []
    assert rules.vereiste_datums(Fase.GEKOPPELD, Doelgroep.ASIELMIGRANT) == ["datum_koppeling"]
    assert rules.vereiste_datums(Fase.INTAKE, Doelgroep.NAREIZIGER) == [
        "datum_koppeling",
        "datum_huisvesting",
        "datum_brp_inschrijving",
    ]
    # COA does not couple gezinsmigranten: only the BRP date starts their clocks.
    assert rules.vereiste_datums(Fase.INTAKE, Doelgroep.GEZINSMIGRANT) == ["datum_brp_inschrijving"]
    assert rules.vereiste_datums(Fase.GEKOPPELD, Doelgroep.GEZINSMIGRANT) == []
