"""A real Celery worker process, on the real Redis broker, writing to the test PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from inburgering.celery import app as celery_app
from inburgering.core.tasks import opruimen

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.worker


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start ``celery worker`` as a separate process against the test database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inburgering.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_REDIS_URL": settings.REDIS_URL,
    }
    hostname = f"testworker-{os.getpid()}@%h"
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
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                output = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"celery worker exited early:\n{output}")
            if celery_app.control.ping(timeout=0.5):
                break
        else:
            pytest.fail("celery worker did not answer a ping within 60 s")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        connection.close()


def test_worker_executes_a_task_that_writes_to_postgresql(celery_worker_process):
    now = timezone.now()
    Session.objects.create(
        session_key="a" * 32, session_data="x", expire_date=now - timedelta(days=1)
    )
    Session.objects.create(
        session_key="b" * 32, session_data="x", expire_date=now + timedelta(days=1)
    )
    result = opruimen.delay().get(timeout=60)
    assert result["sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_healthz_is_up_with_a_worker(celery_worker_process, client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "up", "redis": "up", "celeryWorker": "up"}


def test_periodic_cleanup_is_declared_for_beat():
    schedule = settings.CELERY_BEAT_SCHEDULE["opruimen-sessies-en-inlogpogingen"]
    assert schedule["task"] == opruimen.name
    assert opruimen.name in celery_app.tasks
