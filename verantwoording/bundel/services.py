"""Writes of the evidence bundle: requesting one (the task makes it, ``tasks``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases.models import Dossier
from inburgering.core.access import vereis

from ..models import Bewijsbundel
from . import ACTIE_MAKEN


@transaction.atomic
def bewijsbundel_aanvragen(*, user: Any, dossier: Dossier) -> Bewijsbundel:
    """Record the request and queue the task once the row is committed (its id only)."""
    from .tasks import bewijsbundel_maken

    vereis(user, ACTIE_MAKEN, dossier)
    bundel = Bewijsbundel(gemeente_id=dossier.gemeente_id, dossier=dossier, gemaakt_door=user)
    bundel.full_clean()
    bundel.save()
    transaction.on_commit(lambda: bewijsbundel_maken.delay(bundel.pk))
    return bundel
