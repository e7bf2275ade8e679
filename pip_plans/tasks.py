"""Rendering the beschikking happens in a Celery task; the PIP is vastgesteld only when its
PDF exists. Tasks take ids only (never a BSN)."""

import hashlib
import logging

from celery import shared_task
from django_scopes import scopes_disabled

from inburgering.accounts.models import User

from . import services
from .constants import PipStatus
from .models import Pip

logger = logging.getLogger(__name__)


@shared_task
def beschikking_renderen(pip_id: int, user_id: int | None = None) -> str:
    from .pdf import render_beschikking

    with scopes_disabled():
        pip = Pip.objects.select_related("dossier__inburgeraar", "dossier__gemeente").get(pk=pip_id)
        if pip.status != PipStatus.WORDT_VASTGESTELD:
            # Already issued (rendered in-process by the demo, or a redelivered message) or
            # put back: nothing to render.
            return "skipped"
        user = User.objects.filter(pk=user_id).first() if user_id else None
        try:
            pdf_bytes = render_beschikking(pip)
        except Exception as exc:  # any rendering failure: no decision without its document
            logger.exception("beschikking for PIP %s failed to render", pip_id)
            services.pip_render_mislukt(pip=pip, fout=f"{exc.__class__.__name__}: {exc}")
            return "failed"
        services.pip_beschikking_vastleggen(
            pip=pip, pdf_bytes=pdf_bytes, sha256=hashlib.sha256(pdf_bytes).hexdigest(), user=user
        )
    return "ok"
