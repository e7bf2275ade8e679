"""The sweep as real processes on the real PostgreSQL and Redis: two sweeps at once, a sweep
killed midway and resumed, Redis down, and a real Celery worker with beat firing the task."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_scopes import scopes_disabled

from cases import bewaking, termijnen
from cases.constants import Fase, SignaalSoort, TermijnStatus
from cases.models import BewakingsRun, Dossier, Signaal, Termijn

from .conftest import ROOT, start_worker, stop_process, subprocess_env
from .factories import DossierFactory
from .klok import vandaag_fixture

pytestmark = pytest.mark.worker

# The test process travels to VANDAAG (tick=True: the waits below are real). A worker or
# manage.py subprocess does not: each gets its peildatum explicitly, or (beat) data whose
# outcome does not depend on the worker's "today".
VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)
REDEN = "Overdue (termijnbewaking)"


def dossiers_met_achterstand(world, n: int) -> list[Dossier]:
    """n dossiers of werkcoach A whose intake clock runs out tomorrow (so overdue at
    ``VANDAAG + 2``)."""
    brp = VANDAAG - timedelta(weeks=4) + timedelta(days=1)
    result = []
    with scopes_disabled():
        for _ in range(n):
            d = DossierFactory(
                gemeente=world.gemeente_a,
                werkcoach=world.werkcoach_a,
                fase=Fase.INTAKE,
                datum_koppeling=brp - timedelta(days=30),
                datum_huisvesting=brp,
                datum_brp_inschrijving=brp,
            )
            termijnen.herberekenen(d, user=None)
            result.append(d)
    return result


def assert_elk_eenmaal(n: int) -> None:
    """Every overdue intake clock expired once (one history row, one escalation, one notice)."""
    with scopes_disabled():
        verlopen = list(Termijn.objects.filter(status=TermijnStatus.VERLOPEN))
        assert len(verlopen) == n
        for t in verlopen:
            assert Termijn.history.filter(id=t.pk, history_change_reason=REDEN).count() == 1
        assert Signaal.objects.filter(soort=SignaalSoort.ESCALATIE).count() == n
        assert Signaal.objects.filter(soort=SignaalSoort.VERLOPEN).count() == n


def manage(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**subprocess_env(), **kwargs.pop("env", {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_sweeps_at_once_create_everything_exactly_once(transactional_db, world):
    dossiers_met_achterstand(world, 24)
    peildatum = VANDAAG + timedelta(days=2)
    start = threading.Barrier(2)
    resultaten: list[bewaking.Resultaat] = []
    fouten: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            with scopes_disabled():
                resultaten.append(bewaking.sweep(peildatum=peildatum, chunk=2))
        except BaseException as exc:  # reported below
            fouten.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not fouten, fouten
    assert len(resultaten) == 2
    assert_elk_eenmaal(24)
    # together they did the work once: what one created, the other did not
    assert sum(r.verlopen for r in resultaten) == 24
    with scopes_disabled():
        assert sum(r.signalen + r.escalaties for r in resultaten) == Signaal.objects.count()


def test_sweep_killed_midway_resumes_and_duplicates_nothing(transactional_db, world):
    dossiers = dossiers_met_achterstand(world, 6)
    peildatum = (VANDAAG + timedelta(days=2)).isoformat()
    proc = manage("termijnen_bewaken", "--chunk", "1", "--pauze", "1", "--peildatum", peildatum)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with scopes_disabled():
                if Termijn.objects.filter(status=TermijnStatus.VERLOPEN).count() >= 2:
                    break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        else:
            pytest.fail("the sweep made no progress")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    run = BewakingsRun.objects.get()
    assert run.voltooid_op is None
    with scopes_disabled():
        gedaan = Termijn.objects.filter(status=TermijnStatus.VERLOPEN).count()
    assert 2 <= gedaan < 6, "killed midway: some chunks committed, not all"
    assert run.laatste_dossier_id in [d.pk for d in dossiers]

    herstart = manage("termijnen_bewaken", "--chunk", "1", "--peildatum", peildatum)
    out, err = herstart.communicate(timeout=120)
    assert herstart.returncode == 0, err
    assert f"Resumed an unfinished sweep after dossier id {run.laatste_dossier_id}" in out
    assert "overdue" in out
    run.refresh_from_db()
    assert run.voltooid_op is not None
    assert_elk_eenmaal(6)

    # and a full sweep after that finds nothing left to do
    nog_eens = manage("termijnen_bewaken", "--peildatum", peildatum)
    out, err = nog_eens.communicate(timeout=120)
    assert nog_eens.returncode == 0, err
    assert "0 termijnen overdue; 0 signals; 0 escalations" in out
    assert_elk_eenmaal(6)


def test_sweep_queued_while_redis_is_down_fails_clearly_and_changes_nothing(
    transactional_db, world
):
    dossiers_met_achterstand(world, 2)
    proc = manage(
        "termijnen_bewaken", "--via-celery", env={"TEST_REDIS_URL": "redis://127.0.0.1:1/15"}
    )
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "the broker (Redis) is unreachable" in err
    assert "beat runs the sweep again at the next hour" in err
    assert not BewakingsRun.objects.exists()
    with scopes_disabled():
        assert not Signaal.objects.exists()
        assert not Termijn.objects.filter(status=TermijnStatus.VERLOPEN).exists()


def test_beat_triggers_the_sweep_in_a_real_worker(transactional_db, world):
    """A real worker with an embedded beat (django-celery-beat's DatabaseScheduler) runs the
    sweep from a schedule stored in the database."""
    dossiers_met_achterstand(world, 3)
    with scopes_disabled():  # make the clocks already overdue today
        Termijn.objects.filter(code="intake").update(
            uiterste_datum=VANDAAG - timedelta(days=1),
            berekende_datum=VANDAAG - timedelta(days=1),
            startdatum=VANDAAG - timedelta(weeks=5),
        )
        # The worker sweeps on its own (real) day, not on VANDAAG: every other clock is put
        # far beyond any such day, so the outcome is the same whenever the suite runs.
        ver = VANDAAG + timedelta(days=20 * 365)
        Termijn.objects.exclude(code="intake").update(uiterste_datum=ver, berekende_datum=ver)
    elke_seconde, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.create(
        name="termijnen-bewaken-test", task="cases.tasks.termijnen_bewaken", interval=elke_seconde
    )
    proc = start_worker("--beat", "--scheduler", settings.CELERY_BEAT_SCHEDULER)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if BewakingsRun.objects.filter(voltooid_op__isnull=False).exists():
                break
            time.sleep(0.3)
        else:
            pytest.fail("beat did not run the sweep within 90 s")
        # beat keeps firing every second; every run after the first finds nothing new
        deadline = time.monotonic() + 30
        while BewakingsRun.objects.filter(voltooid_op__isnull=False).count() < 2:
            assert time.monotonic() < deadline, "beat fired only once"
            time.sleep(0.3)
    finally:
        stop_process(proc)
        connection.close()
    assert_elk_eenmaal(3)
    assert "termijnen-bewaken" in settings.CELERY_BEAT_SCHEDULE


def test_tasks_survive_a_killed_worker():
    """A killed worker's sweep is redelivered rather than lost (acks_late), and a database
    outage is retried."""
    from cases.tasks import signalen_digest, termijnen_bewaken

    for task in (termijnen_bewaken, signalen_digest):
        assert task.acks_late and task.reject_on_worker_lost
        assert task.autoretry_for


def test_peildatum_is_the_amsterdam_day_around_dst(world):
    """A clock due on 29 March 2026 (the night clocks go forward) is overdue from local
    midnight, which is 22:00 UTC after the change."""
    [d] = [world.dossier_a]
    with scopes_disabled():
        Dossier.objects.filter(pk=d.pk).update(
            fase=Fase.INTAKE,
            datum_koppeling=date(2026, 2, 1),
            datum_huisvesting=date(2026, 3, 1),
            datum_brp_inschrijving=date(2026, 3, 1),
        )
        d.refresh_from_db()
        termijnen.herberekenen(d, user=None)
        Termijn.objects.filter(code="intake").update(status=TermijnStatus.OPEN)
        voor = bewaking.sweep(
            peildatum=timezone.localdate(datetime(2026, 3, 29, 21, 59, tzinfo=UTC))
        )
        assert voor.verlopen == 0
        na = bewaking.sweep(peildatum=timezone.localdate(datetime(2026, 3, 29, 22, 0, tzinfo=UTC)))
        assert na.verlopen == 1
