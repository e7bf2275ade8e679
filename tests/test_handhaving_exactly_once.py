"""Exactly once, for real (issue 11): one boetebeschikking, one letter, one kenmerk, whatever
happens at the same moment or fails halfway.

Each concurrent call runs in its own thread with its own PostgreSQL connection
(``transaction=True``: the rows are committed and the connections see each other's commits, as
in production), released at the same moment by a ``threading.Barrier`` — the pattern of
``test_api_concurrency``. The killed-worker test starts a real Celery worker process on the test
Redis and kills it (SIGKILL) while it is storing the letter.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_scopes import scopes_disabled

from handhaving import services, tijdlijn
from handhaving.constants import BriefSoort, BriefStatus, ProcedureStatus
from handhaving.models import Brief, KenmerkTeller, Procedure
from inburgering.accounts.constants import Rol
from inburgering.celery import app as celery_app
from inburgering.core.access import user_scope
from inburgering.documents.tasks import OK, SKIPPED, document_renderen

from .conftest import ROOT, stop_process, subprocess_env
from .factories import DossierFactory, user_met_rol
from .handhaving_stappen import goedgekeurd, opstellen, procedure_tot, tot_besluit
from .test_handhaving_services import VANDAAG, events

pytestmark = pytest.mark.django_db(transaction=True)

from .klok import vandaag_fixture  # noqa: E402

_vandaag = vandaag_fixture(VANDAAG)


@pytest.fixture(autouse=True)
def _omgeving(settings, tmp_path):
    """Letters under a temporary MEDIA_ROOT; the fine amounts of migration 0002 present (a
    transactional test before this one flushed the tables a data migration filled); no
    rendering message of an earlier test left on the queue."""
    settings.MEDIA_ROOT = tmp_path
    importlib.import_module("handhaving.migrations.0002_tarieven").tarieven(apps, None)
    celery_app.control.purge()
    yield
    celery_app.control.purge()


def gelijktijdig(calls: list[Callable[[], Any]]) -> list[Any]:
    """Every call at once, each on its own thread and database connection; the result or the
    exception of each (none left unfinished)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = calls[i]()
        except Exception as exc:  # judged by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r is not None for r in results), results
    return results


def alleen_verwachte_weigeringen(results: list[Any]) -> list[Procedure]:
    """No exception but a refusal naming the step; the procedures returned."""
    for r in results:
        if isinstance(r, Exception):
            assert isinstance(r, ValidationError) and set(r.message_dict) == {"status"}, repr(r)
    return [r for r in results if isinstance(r, Procedure)]


def als(user, service: Callable[..., Procedure], procedure: Procedure) -> Callable[[], Any]:
    def call() -> Procedure:
        with user_scope(user):
            return service(user=user, procedure=procedure)

    return call


def brieven(soort: str = BriefSoort.BOETEBESCHIKKING) -> list[Brief]:
    with scopes_disabled():
        return list(Brief.objects.filter(soort=soort).order_by("kenmerk"))


def teller(gemeente) -> int:
    """The last boetebeschikking number given (0: none, the counter row not even created)."""
    rij = KenmerkTeller.objects.filter(
        gemeente=gemeente, jaar=VANDAAG.year, soort=BriefSoort.BOETEBESCHIKKING
    ).first()
    return rij.laatste if rij else 0


# --- (a) two teamleiders approving, two werkcoaches sending, at the same moment -------------


def test_two_teamleiders_approve_and_two_werkcoaches_send_at_once(world):
    tl2 = user_met_rol(Rol.TEAMLEIDER, world.team_a, username="tl_a2")
    p = procedure_tot(world, ProcedureStatus.TER_GOEDKEURING)

    results = gelijktijdig(
        [
            als(world.teamleider_a, services.boete_goedkeuren, p),
            als(tl2, services.boete_goedkeuren, p),
        ]
    )
    assert {r.status for r in alleen_verwachte_weigeringen(results)} == {"goedgekeurd"}
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == ProcedureStatus.GOEDGEKEURD
    assert p.goedgekeurd_door in (world.teamleider_a, tl2)
    assert events(p.dossier_id).count(tijdlijn.BOETE_GOEDGEKEURD) == 1

    results = gelijktijdig(
        [
            als(world.werkcoach_a, services.boete_versturen, p),
            als(world.werkcoach_a2, services.boete_versturen, p),
        ]
    )
    assert {r.status for r in alleen_verwachte_weigeringen(results)} == {"wordt_verstuurd"}
    [brief] = brieven()
    assert brief.kenmerk == f"BB-{world.gemeente_a.cbs_code}-{VANDAAG.year}-00001"
    assert teller(world.gemeente_a) == 1
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == ProcedureStatus.WORDT_VERSTUURD


# --- (b) kenmerken without gaps or duplicates -------------------------------------------------


def test_kenmerken_of_concurrent_letters_have_no_gaps_or_duplicates(world):
    n, m = 6, 3
    tl_b = user_met_rol(Rol.TEAMLEIDER, world.team_b, username="tl_b")
    with scopes_disabled():
        dossiers_a = [
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a) for _ in range(n)
        ]
    a = [goedgekeurd(world, opstellen(world, tot_besluit(world, dossier=d))) for d in dossiers_a]
    # gemeente B: its own werkcoach and teamleider (the helpers act as werkcoach A)
    b_world = type(world)(**{**world.__dict__, "werkcoach_a": world.werkcoach_b})
    b_world.teamleider_a = tl_b
    with scopes_disabled():
        dossiers_b = [
            DossierFactory(gemeente=world.gemeente_b, werkcoach=world.werkcoach_b) for _ in range(m)
        ]
    b = [
        goedgekeurd(b_world, opstellen(b_world, tot_besluit(b_world, dossier=d)))
        for d in dossiers_b
    ]

    results = gelijktijdig(
        [als(world.werkcoach_a, services.boete_versturen, p) for p in a]
        + [als(world.werkcoach_b, services.boete_versturen, p) for p in b]
    )
    assert len(alleen_verwachte_weigeringen(results)) == n + m  # none refused
    jaar = VANDAAG.year
    kenmerken = [x.kenmerk for x in brieven()]
    cbs_a, cbs_b = world.gemeente_a.cbs_code, world.gemeente_b.cbs_code
    assert sorted(k for k in kenmerken if cbs_a in k) == [
        f"BB-{cbs_a}-{jaar}-{i:05d}" for i in range(1, n + 1)
    ]
    assert sorted(k for k in kenmerken if cbs_b in k) == [
        f"BB-{cbs_b}-{jaar}-{i:05d}" for i in range(1, m + 1)
    ]
    assert teller(world.gemeente_a) == n and teller(world.gemeente_b) == m


def test_a_failed_transaction_gives_its_number_back(world):
    eerste = goedgekeurd(world, opstellen(world, tot_besluit(world)))
    with pytest.raises(RuntimeError), transaction.atomic():
        with user_scope(world.werkcoach_a):
            p = services.boete_versturen(user=world.werkcoach_a, procedure=eerste)
        with scopes_disabled():
            brief = Brief.objects.get(procedure=p, soort=BriefSoort.BOETEBESCHIKKING)
            assert brief.kenmerk.endswith("-00001")
        raise RuntimeError("the database went away after the number was taken")
    assert brieven() == []
    with scopes_disabled():
        eerste.refresh_from_db()
    assert eerste.status == ProcedureStatus.GOEDGEKEURD
    assert teller(world.gemeente_a) == 0
    # the next letter (of another procedure) gets that number
    tweede = goedgekeurd(world, opstellen(world, tot_besluit(world)))
    with user_scope(world.werkcoach_a):
        services.boete_versturen(user=world.werkcoach_a, procedure=tweede)
    [brief] = brieven()
    assert brief.procedure_id == tweede.pk and brief.kenmerk.endswith(f"{VANDAAG.year}-00001")


# --- (c) a retried task -------------------------------------------------------------------------


def test_a_retried_rendering_task_stores_one_letter(world, settings):
    p = goedgekeurd(world, opstellen(world, tot_besluit(world)))
    with user_scope(world.werkcoach_a):
        p = services.boete_versturen(user=world.werkcoach_a, procedure=p)
    [brief] = brieven()
    code = "handhaving.boetebeschikking"
    assert document_renderen(code, brief.pk, world.werkcoach_a.pk) == OK
    assert document_renderen(code, brief.pk, world.werkcoach_a.pk) == SKIPPED
    [brief] = brieven()
    assert brief.status == BriefStatus.VERZONDEN, brief.render_fout
    [voornemen] = brieven(BriefSoort.VOORNEMEN)
    opgeslagen = {f.name: f for f in Path(settings.MEDIA_ROOT).rglob("*") if f.is_file()}
    assert set(opgeslagen) == {Path(voornemen.pdf.name).name, Path(brief.pdf.name).name}
    pdf = opgeslagen[Path(brief.pdf.name).name].read_bytes()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == brief.pdf_sha256
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == ProcedureStatus.OPGELEGD
    assert events(p.dossier_id).count(tijdlijn.BRIEF_VERZONDEN) == 2  # voornemen, beschikking
    assert teller(world.gemeente_a) == 1


# --- (d) a killed worker ------------------------------------------------------------------------


def _worker(media_root: Path, *, ping: bool = True) -> subprocess.Popen:
    """A real ``celery worker`` on the test database and Redis, storing letters under
    ``media_root`` (``conftest.start_worker`` with one more environment variable). A solo
    worker that takes a queued task at once answers no ping while it runs it: ``ping=False``."""
    hostname = f"hhworker-{os.getpid()}-{time.monotonic_ns()}@%h"
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "inburgering",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            f"--hostname={hostname}",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**subprocess_env(), "MEDIA_ROOT": str(media_root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not ping:
        return proc
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "celery worker exited early"
        if celery_app.control.ping(timeout=0.5):
            return proc
    stop_process(proc)
    pytest.fail("celery worker did not answer a ping within 60 s")


def _wachtende_backend() -> int | None:
    """The database backend of a session waiting for the letter's row lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # not the transaction's first look
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' "
            # the statement's text is cut at 1 kB, before its FOR UPDATE
            """AND query LIKE 'SELECT "handhaving_brief".%%'"""
        )
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.worker
def test_a_worker_killed_while_storing_the_letter(world, settings):
    """The worker renders the boetebeschikking and, storing it, waits for the letter's row (this
    test holds it): killed there, nothing of the step took effect. Asked again, a new worker
    makes the same letter: one letter, one kenmerk, the fine imposed."""
    media = Path(settings.MEDIA_ROOT)
    p = goedgekeurd(world, opstellen(world, tot_besluit(world)))
    with user_scope(world.werkcoach_a):
        p = services.boete_versturen(user=world.werkcoach_a, procedure=p)  # commits: queued
    [brief] = brieven()
    kenmerk = brief.kenmerk

    proc = None
    try:
        with transaction.atomic(), scopes_disabled():
            Brief.objects.select_for_update().get(pk=brief.pk)
            proc = _worker(media, ping=False)
            deadline = time.monotonic() + 90
            while (pid := _wachtende_backend()) is None:
                assert proc.poll() is None, "the worker died by itself"
                assert time.monotonic() < deadline, "the worker never came to store the letter"
                time.sleep(0.1)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            with connection.cursor() as cursor:  # its session, now without a client, ends
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    [brief] = brieven()
    with scopes_disabled():
        p.refresh_from_db()
    assert (brief.status, brief.pdf_sha256, brief.kenmerk) == (
        BriefStatus.WORDT_GEMAAKT,
        "",
        kenmerk,
    )
    assert p.status == ProcedureStatus.WORDT_VERSTUURD

    def beschikkingen() -> list[Path]:
        [voornemen] = brieven(BriefSoort.VOORNEMEN)
        return [f for f in media.rglob("*") if f.is_file() and f.name not in voornemen.pdf.name]

    assert beschikkingen() == []

    # the werkcoach sends it again: the same letter is queued once more
    with user_scope(world.werkcoach_a):
        p = services.boete_versturen(user=world.werkcoach_a, procedure=p)
    proc = _worker(media)
    try:
        deadline = time.monotonic() + 90
        while True:
            with scopes_disabled():
                p.refresh_from_db()
            if p.status == ProcedureStatus.OPGELEGD:
                break
            assert time.monotonic() < deadline, f"not imposed: {p.status}"
            time.sleep(0.3)
    finally:
        stop_process(proc)
        connection.close()

    [brief] = brieven()
    assert (brief.status, brief.kenmerk) == (BriefStatus.VERZONDEN, kenmerk)
    assert teller(world.gemeente_a) == 1
    [pdf] = beschikkingen()
    assert pdf.name in brief.pdf.name and pdf.read_bytes().startswith(b"%PDF")
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == brief.pdf_sha256
    assert Decimal(p.bedrag) == Decimal("800.00")
