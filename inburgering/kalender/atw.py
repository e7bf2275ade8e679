"""The Algemene termijnenwet calendar as pure functions: dates in, dates out, no database.

A statutory time limit (e.g. the six weeks for bezwaar, Awb 6:7) whose last day falls on a
Saturday, a Sunday or an *algemeen erkende feestdag* ends on the next day that is none of these
(Atw art. 1). The recognised holidays are

* art. 3 lid 1: Nieuwjaarsdag, tweede Paas- en Pinksterdag, Hemelvaartsdag, both Christmas days,
  the day the King's birthday is celebrated (Koningsdag) and 5 May — every year;
* art. 3 lid 2: Goede Vrijdag, put on a par with those;
* art. 3 lid 3: days the government adds by decree (e.g. the Friday after Hemelvaartsdag, bridge
  days), published every few years. Those are data, not code: the functioneel beheerder records
  them as ``AtwExtraDag`` rows, and callers pass them in as ``extra_dagen`` (loaded by
  ``inburgering.kalender.selectors.atw_extra_dagen``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

import holidays

GEEN_EXTRA_DAGEN: frozenset[date] = frozenset()


def paaszondag(jaar: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = jaar % 19, jaar // 100, jaar % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ll) // 433
    maand = (h + ll - 7 * m + 90) // 25
    return date(jaar, maand, (h + ll - 7 * m + 33 * maand + 19) % 32)


def goede_vrijdag(jaar: int) -> date:
    return paaszondag(jaar) - timedelta(days=2)


@lru_cache(maxsize=64)
def atw_feestdagen(jaar: int) -> frozenset[date]:
    """The holidays of Atw art. 3 lid 1 and 2 in ``jaar`` (without decree days, lid 3).

    From the maintained ``holidays`` package (its Dutch calendar holds lid 1's days and Goede
    Vrijdag, Koningsdag moved to the 26th when the 27th is a Sunday) plus 5 May in every year,
    which the Atw names unconditionally.
    """
    dagen = set(holidays.NL(years=jaar).keys())
    dagen.add(date(jaar, 5, 5))
    dagen.add(goede_vrijdag(jaar))  # lid 2, whatever the package's calendar says
    return frozenset(dagen)


def is_werkdag(dag: date, extra_dagen: Collection[date] = GEEN_EXTRA_DAGEN) -> bool:
    """Not a Saturday or Sunday, not an Atw holiday (lid 1, 2) and not a decree day (lid 3)."""
    return dag.weekday() < 5 and dag not in atw_feestdagen(dag.year) and dag not in extra_dagen


def volgende_werkdag(dag: date, extra_dagen: Collection[date] = GEEN_EXTRA_DAGEN) -> date:
    """``dag`` itself when it is a working day, else the first working day after it (Atw art. 1)."""
    while not is_werkdag(dag, extra_dagen):
        dag += timedelta(days=1)
    return dag
