from __future__ import annotations

import logging

from celery import shared_task

from . import keten, logboek

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def keten_controleren() -> dict[str, bool]:
    """The nightly verification of both log chains; a break is logged and shown to the
    functioneel beheerder as an incident (``Ketencontrole`` with ``in_orde=False``)."""
    uitkomsten = keten.controleren()
    for controle in uitkomsten:
        if not controle.in_orde:
            logger.error("audit log chain %s broken: %s", controle.tabel, controle.melding)
            logboek.gebeurtenis("keten_breuk")
    return {c.tabel: c.in_orde for c in uitkomsten}
