"""Writes of the inzageverzoek: registering one (its export is queued at once) and recording
to whom and when the answer was delivered."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404

from cases.models import Inburgeraar
from cases.policy import dossiers_for
from inburgering.core.access import vereis

from ..models import Inzageverzoek
from . import ACTIE_REGISTREREN, ACTIE_VERSTREKKEN


@transaction.atomic
def inzageverzoek_registreren(
    *, user: Any, inburgeraar: Inburgeraar, ontvangen_op: date, toelichting: str = ""
) -> Inzageverzoek:
    """Register the request in the gemeente of the person's (latest) dossier the officer sees,
    and queue its export once committed (ids only)."""
    from .tasks import inzage_maken

    dossier = dossiers_for(user).filter(inburgeraar=inburgeraar).order_by("-aangemaakt_op").first()
    if dossier is None:
        raise Http404
    verzoek = Inzageverzoek(
        gemeente_id=dossier.gemeente_id,
        inburgeraar=inburgeraar,
        gemaakt_door=user,
        ontvangen_op=ontvangen_op,
        toelichting=toelichting,
    )
    vereis(user, ACTIE_REGISTREREN, verzoek)
    verzoek.full_clean()
    verzoek.save()
    transaction.on_commit(lambda: inzage_maken.delay(verzoek.pk))
    return verzoek


@transaction.atomic
def inzageverzoek_verstrekken(
    *, user: Any, verzoek: Inzageverzoek, verstrekt_aan: str, verstrekt_op: date
) -> Inzageverzoek:
    vereis(user, ACTIE_VERSTREKKEN, verzoek)
    verzoek = Inzageverzoek.objects.select_for_update().get(pk=verzoek.pk)
    verzoek.verstrekt_aan = verstrekt_aan.strip()
    verzoek.verstrekt_op = verstrekt_op
    verzoek.verstrekt_door = user
    verzoek.full_clean()
    verzoek.save(update_fields=["verstrekt_aan", "verstrekt_op", "verstrekt_door"])
    return verzoek


__all__ = ["inzageverzoek_registreren", "inzageverzoek_verstrekken"]
