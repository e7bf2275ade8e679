"""Deadline enforcement (scheduled in settings.CELERY_BEAT_SCHEDULE). Tasks take no personal
data as arguments."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django_scopes import scopes_disabled

from . import bewaking, meldingen, termijnen

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


@shared_task(**_BETROUWBAAR)
def termijnbeleid_herberekenen(
    history_id: int,
    na_id: int = 0,
    grootte: int = termijnen.BELEID_CHUNK,
    max_chunks: int = termijnen.BELEID_CHUNKS_PER_TAAK,
) -> dict[str, Any]:
    """After a policy change (its history record): recompute the running clocks of the
    gemeente's open dossiers, chunk by chunk (each its own transaction). A large gemeente is
    done by a chain of bounded runs: after ``max_chunks`` this queues its successor from the
    last id; a rerun of a killed run redoes at most one chunk (recomputing is idempotent)."""
    dossiers = chunks = 0
    with scopes_disabled():
        for _ in range(max_chunks):
            aantal, na_id = termijnen.beleid_chunk_herberekenen(
                history_id=history_id, na_id=na_id, grootte=grootte
            )
            dossiers += aantal
            chunks += 1
            if aantal < grootte:
                return {"dossiers": dossiers, "chunks": chunks, "klaar": True}
    termijnbeleid_herberekenen.delay(history_id, na_id, grootte, max_chunks)
    return {"dossiers": dossiers, "chunks": chunks, "klaar": False, "verder_na": na_id}
