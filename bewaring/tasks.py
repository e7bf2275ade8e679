"""Carrying out an approved destruction run. The argument is the run's id (never a BSN)."""

from __future__ import annotations

import logging

from celery import shared_task
from django_scopes import scopes_disabled

from inburgering.audit import logboek

from . import services
from .apps import ACTIVITEIT
from .models import Vernietigingsronde

logger = logging.getLogger(__name__)

OK = "ok"
SKIPPED = "skipped"  # not approved (any more): carried out already, or a redelivered message
FAILED = "failed"  # rolled back: nothing destroyed, the reason recorded on the run


# Acknowledged when done: a worker killed mid-run leaves the message to be redelivered; the
# rerun is harmless (the run's row is locked and must still be approved).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def ronde_uitvoeren(ronde_id: int) -> str:
    with scopes_disabled():
        ronde = (
            Vernietigingsronde._base_manager.select_related("beoordeeld_door")
            .filter(pk=ronde_id)
            .first()
        )
        if ronde is None:
            return SKIPPED
        try:
            with logboek.verwerking(ACTIVITEIT, kanaal="taak", user=ronde.beoordeeld_door):
                verklaring = services.ronde_uitvoeren(ronde_id=ronde_id)
        except Exception as exc:
            logger.exception("destruction run %s failed", ronde_id)
            services.ronde_mislukt(ronde_id=ronde_id, fout=f"{exc.__class__.__name__}: {exc}")
            return FAILED
    return OK if verklaring is not None else SKIPPED


# the audit log's task span (``inburgering.audit.logboek``) takes the activity from the task
ronde_uitvoeren.audit_activiteit = ACTIVITEIT  # type: ignore[attr-defined]
