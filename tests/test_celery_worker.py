"""A real Celery worker process, on the real Redis broker, writing to the test PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from inburgering.celery import app as celery_app
from inburgering.core.tasks import opruimen

pytestmark = pytest.mark.worker


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
