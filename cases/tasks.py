"""Deadline enforcement (scheduled in settings.CELERY_BEAT_SCHEDULE). Tasks take no personal
data as arguments."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django_scopes import scopes_disabled

from . import bewaking, meldingen

# A worker killed mid-sweep: the message is not acknowledged (acks_late) and is redelivered; the
# rerun resumes from the last committed chunk. A database outage: retried with backoff.
_BETROUWBAAR: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "max_retries": 8,
}


@shared_task(**_BETROUWBAAR)
def termijnen_bewaken() -> dict[str, Any]:
    with scopes_disabled():
        resultaat = bewaking.sweep()
    data = asdict(resultaat)
    data["peildatum"] = resultaat.peildatum.isoformat()
    return data


@shared_task(**_BETROUWBAAR)
def signalen_digest() -> int:
    with scopes_disabled():
        return meldingen.digest_versturen()
