"""The one rendering task for every decision document (see ``registry`` for the kinds).

A decision takes effect only when its document exists, and it is never left waiting for one:
whatever fails — loading, rendering, hashing, writing the file, the database after the file —
the kind's ``roll_back`` puts the decision back with the reason. Who may issue the decision was
checked before the task was queued (by the domain's service); the task checks no permission.
Arguments are ids only (never a BSN).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django_scopes import scopes_disabled

from inburgering.accounts.models import User
from inburgering.core.logging import redact_bsn

from . import registry

logger = logging.getLogger(__name__)

OK = "ok"
SKIPPED = "skipped"  # issued or put back meanwhile (a redelivered message, the demo)
FAILED = "failed"  # rolled back, the reason recorded


# Acknowledged when done: a worker killed mid-render leaves the message to be redelivered, and the
# rerun is harmless (``awaits_document`` skips a decision whose document exists; ``store`` locks
# and re-checks). Asking for the decision again re-queues it sooner (handhaving's "versturen").
@shared_task(acks_late=True, reject_on_worker_lost=True)
def document_renderen(soort: str, object_id: int, user_id: int | None = None) -> str:
    kind = registry.get(soort)  # an unknown code is a deployment error: fail loudly
    try:
        with scopes_disabled():
            obj = kind.load(object_id)
            if not kind.awaits_document(obj):
                return SKIPPED
            user = User.objects.filter(pk=user_id).first() if user_id else None
            pdf_bytes = kind.render(obj)
            kind.store_document(obj, pdf_bytes=pdf_bytes, user=user)
    except Exception as exc:  # any failure at any step: no decision without its document
        logger.exception("document %s for object %s failed", soort, object_id)
        reason = redact_bsn(f"{exc.__class__.__name__}: {exc}")
        with scopes_disabled():
            # If this fails too (the database is gone), the task fails loudly with it.
            kind.roll_back(object_id, reason)
        return FAILED
    return OK
