"""Statutory rules of the brede intake and the PIP (pip_plans.rules): pure date calculations,
with the edges the law cares about (29 February, holidays under the Algemene termijnenwet)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.constants import Doelgroep
from cases.rules import add_years_months
from pip_plans import rules
from pip_plans.constants import Leerroute, Leersnelheid

# --- inburgeringstermijn (Wi 2021 art. 7: three years from the day after vaststelling) -------


def test_termijn_ordinary_date():
    termijn = rules.inburgeringstermijn(date(2026, 3, 10))
    assert termijn.start == date(2026, 3, 11)
    assert termijn.eind == date(2029, 3, 10)


def test_termijn_vastgesteld_on_29_february_starts_1_march_ends_28_february():
    termijn = rules.inburgeringstermijn(date(2028, 2, 29))
    assert termijn.start == date(2028, 3, 1)
    assert termijn.eind == date(2031, 2, 28)


def test_termijn_vastgesteld_on_28_february_of_leap_year_starts_29_february():
    """A term starting on 29 February has no counterpart three years on: it runs to the last
    day of February 2031 — three full years, never a day short."""
    termijn = rules.inburgeringstermijn(date(2028, 2, 28))
    assert termijn.start == date(2028, 2, 29)
    assert termijn.eind == date(2031, 2, 28)


def test_termijn_never_shorter_than_three_years():
    """For every day of a leap cycle the term covers at least three calendar years."""
    dag = date(2027, 1, 1)
    while dag < date(2029, 1, 1):
        termijn = rules.inburgeringstermijn(dag)
        assert termijn.eind >= add_years_months(termijn.start, 3) - timedelta(days=1)
        assert termijn.eind <= add_years_months(dag, 3)
        dag += timedelta(days=1)


# --- bezwaartermijn (Awb 6:7/6:8, Algemene termijnenwet) ----------------------------------

ZES_WEKEN = timedelta(weeks=6)


@pytest.mark.parametrize(
    ("laatste_dag", "verwacht", "waarom"),
    [
        (date(2029, 3, 6), date(2029, 3, 6), "ordinary Tuesday"),
        (date(2029, 3, 10), date(2029, 3, 12), "Saturday → Monday"),
        (date(2029, 3, 11), date(2029, 3, 12), "Sunday → Monday"),
        (date(2029, 4, 27), date(2029, 4, 30), "Koningsdag (Friday) → Monday"),
        (date(2033, 4, 27), date(2033, 4, 28), "Koningsdag (Wednesday) → Thursday"),
        (date(2031, 4, 26), date(2031, 4, 28), "Koningsdag on 26 April (27th a Sunday)"),
        (date(2029, 12, 25), date(2029, 12, 27), "Christmas Tue+Wed → Thursday"),
        (date(2031, 12, 25), date(2031, 12, 29), "Christmas Thu+Fri, weekend → Monday"),
        (date(2031, 12, 26), date(2031, 12, 29), "second Christmas day (Friday) → Monday"),
        (date(2031, 5, 5), date(2031, 5, 6), "5 May in a non-lustrum year (Atw: every year)"),
        (date(2030, 5, 6), date(2030, 5, 6), "day after Liberation Day is a working day"),
        # Atw art. 3 lid 2: Goede Vrijdag counts like the holidays of lid 1 (then Easter Monday)
        (date(2029, 3, 30), date(2029, 4, 3), "Good Friday → past Easter Monday → Tuesday"),
        (date(2030, 4, 19), date(2030, 4, 23), "Good Friday (2030) → Tuesday after Easter"),
        (date(2029, 4, 2), date(2029, 4, 3), "Easter Monday → Tuesday"),
        (date(2029, 5, 10), date(2029, 5, 11), "Ascension Day → Friday"),
        (date(2029, 5, 21), date(2029, 5, 22), "Whit Monday → Tuesday"),
        (date(2031, 1, 1), date(2031, 1, 2), "New Year's Day → Thursday"),
    ],
)
def test_bezwaar_einddatum(laatste_dag, verwacht, waarom):
    verzonden = laatste_dag - ZES_WEKEN
    assert rules.bezwaar_einddatum(verzonden) == verwacht, waarom


def test_good_friday_and_holidays_as_working_days():
    assert not rules.is_werkdag(date(2029, 3, 30))  # Goede Vrijdag (Atw art. 3 lid 2)
    assert not rules.is_werkdag(date(2029, 4, 27))  # Koningsdag
    assert not rules.is_werkdag(date(2031, 5, 5))  # Bevrijdingsdag, non-lustrum
    assert not rules.is_werkdag(date(2031, 4, 26))  # Saturday anyway
    assert rules.volgende_werkdag(date(2029, 3, 30)) == date(2029, 4, 3)


# --- switch of route (at most once, until 18 months) --------------------------------------

START = date(2028, 1, 15)


def test_switch_allowed_at_exactly_18_months():
    assert (
        rules.switch_weigering(termijn_start=START, datum=date(2029, 7, 15), eerdere_switches=0)
        is None
    )


def test_switch_refused_the_day_after_18_months():
    assert (
        rules.switch_weigering(termijn_start=START, datum=date(2029, 7, 16), eerdere_switches=0)
        == "na_18_maanden"
    )


def test_switch_18_months_from_a_29_february_start():
    start = date(2028, 2, 29)
    assert (
        rules.switch_weigering(termijn_start=start, datum=date(2029, 8, 29), eerdere_switches=0)
        is None
    )
    assert (
        rules.switch_weigering(termijn_start=start, datum=date(2029, 8, 30), eerdere_switches=0)
        == "na_18_maanden"
    )


def test_second_switch_refused_even_within_18_months():
    assert (
        rules.switch_weigering(
            termijn_start=START, datum=START + timedelta(days=30), eerdere_switches=1
        )
        == "al_geswitcht"
    )


# --- afschalen B1 → A2 (18 months and 600 hours and sufficient effort) ----------------------


def test_afschalen_allowed_at_18_months_600_hours_and_effort():
    assert (
        rules.afschalen_weigering(
            termijn_start=START, datum=date(2029, 7, 15), lesuren=600, voldoende_inspanning=True
        )
        == []
    )


@pytest.mark.parametrize(
    ("datum", "lesuren", "inspanning", "redenen"),
    [
        (date(2029, 7, 14), 600, True, ["voor_18_maanden"]),
        (date(2029, 7, 15), 599, True, ["te_weinig_lesuren"]),
        (date(2029, 7, 15), 600, False, ["geen_inspanning"]),
        (
            date(2028, 6, 1),
            100,
            False,
            ["voor_18_maanden", "te_weinig_lesuren", "geen_inspanning"],
        ),
    ],
)
def test_afschalen_refusal_lists_each_unmet_condition(datum, lesuren, inspanning, redenen):
    assert (
        rules.afschalen_weigering(
            termijn_start=START, datum=datum, lesuren=lesuren, voldoende_inspanning=inspanning
        )
        == redenen
    )


# --- route advice -------------------------------------------------------------------------

PEIL = date(2026, 6, 1)


def advies(**kwargs):
    defaults = {
        "geboortedatum": date(1990, 1, 1),
        "peildatum": PEIL,
        "doelgroep": Doelgroep.ASIELMIGRANT,
        "leerbaarheid_laag": False,
    }
    return rules.route_advies(**{**defaults, **kwargs})


@pytest.mark.parametrize("doelgroep", [Doelgroep.GEZINSMIGRANT, Doelgroep.OVERIGE_MIGRANT])
def test_route_advies_gezinsmigrant_eigen_kosten(doelgroep):
    assert advies(doelgroep=doelgroep, geboortedatum=date(2005, 1, 1)) == Leerroute.EIGEN_KOSTEN


def test_route_advies_low_learnability_z():
    assert advies(leerbaarheid_laag=True) == Leerroute.Z
    assert advies(leerbaarheid_laag=True, geboortedatum=date(2005, 1, 1)) == Leerroute.Z


def test_route_advies_slow_illiterate_z():
    assert advies(leersnelheid=Leersnelheid.LANGZAAM, geletterd=False) == Leerroute.Z


def test_route_advies_under_28_fast_learner_onderwijs():
    jong = date(2000, 6, 2)  # 25 on the peildatum
    assert advies(geboortedatum=jong, leersnelheid=Leersnelheid.SNEL) == Leerroute.ONDERWIJS
    assert advies(geboortedatum=jong) == Leerroute.ONDERWIJS
    assert advies(doelgroep=Doelgroep.NAREIZIGER, geboortedatum=jong) == Leerroute.ONDERWIJS


def test_route_advies_28_exactly_is_b1():
    assert advies(geboortedatum=date(1998, 6, 1)) == Leerroute.B1  # 28 today
    assert advies(geboortedatum=date(1998, 6, 2)) == Leerroute.ONDERWIJS  # 27 until tomorrow


def test_route_advies_otherwise_b1():
    assert advies() == Leerroute.B1
    assert (
        advies(geboortedatum=date(2000, 6, 2), leersnelheid=Leersnelheid.GEMIDDELD) == Leerroute.B1
    )
    assert advies(geboortedatum=date(2000, 6, 2), leerbaarheid_laag=None) == Leerroute.B1


def test_onderwijsroute_consideration_and_municipal_offer():
    assert rules.onderwijsroute_moet_overwogen(date(1998, 6, 2), PEIL)
    assert not rules.onderwijsroute_moet_overwogen(date(1998, 6, 1), PEIL)
    assert rules.heeft_municipaal_aanbod(Doelgroep.ASIELMIGRANT)
    assert rules.heeft_municipaal_aanbod(Doelgroep.NAREIZIGER)
    assert not rules.heeft_municipaal_aanbod(Doelgroep.GEZINSMIGRANT)
    assert not rules.heeft_municipaal_aanbod(Doelgroep.OVERIGE_MIGRANT)
