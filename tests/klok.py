"""The tests' clock: every date test says its date (issue 8, defect 16).

A module sets ``VANDAAG = date(...)`` and travels there with ``vandaag_fixture(VANDAAG)``; the
moment is 10:00 in the Netherlands, so ``timezone.localdate()`` is that day. ``tick=True`` keeps
the clock running from there (real waits, live servers and timeouts still advance). A real
Celery worker or beat runs in another process and does not see the travel: give it explicit
dates, or assert on what does not depend on "today".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def moment(dag: date, uur: int = 10, minuut: int = 0) -> datetime:
    return datetime.combine(dag, time(uur, minuut), tzinfo=AMSTERDAM)


def vandaag_fixture(dag: date, *, tick: bool = True) -> Callable[[], Iterator[None]]:
    """An autouse fixture that puts the test on ``dag`` (assign it to a module-level name)."""

    @pytest.fixture(autouse=True)
    def _vandaag() -> Iterator[None]:
        with time_machine.travel(moment(dag), tick=tick):
            yield

    return _vandaag
