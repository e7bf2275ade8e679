"""The PIP beschikking as a document kind of the platform (``inburgering.documents``).

Registered from ``PipPlansConfig.ready()``. ``pip_vaststellen`` checks who may issue and queues
``document_renderen(BESCHIKKING, pip.pk, user.pk)``; the platform task loads the PIP, renders
``pip_plans/beschikking.html`` with ``pdf.beschikking_context``, and hands the PDF and its hash
to ``pip_beschikking_vastleggen`` — or, on any failure, the reason to ``pip_render_mislukt``.
"""

from __future__ import annotations

from typing import Any

from inburgering.accounts.models import User
from inburgering.documents.registry import DocumentKind, register

from . import services
from .constants import PipStatus
from .models import Pip

BESCHIKKING = "pip.beschikking"
TEMPLATE = "pip_plans/beschikking.html"


def _load(pip_id: int) -> Pip:
    return Pip.objects.select_related("dossier__inburgeraar", "dossier__gemeente").get(pk=pip_id)


def _awaits_document(pip: Pip) -> bool:
    # Anything else: already issued (rendered in-process by the demo, or a redelivered message)
    # or put back.
    return pip.status == PipStatus.WORDT_VASTGESTELD


def _context(pip: Pip) -> dict[str, Any]:
    from . import pdf  # the wording; imports WeasyPrint, so only where a document is rendered

    return pdf.beschikking_context(pip)


def _store(pip: Pip, *, pdf_bytes: bytes, sha256: str, user: User | None) -> Pip:
    return services.pip_beschikking_vastleggen(
        pip=pip, pdf_bytes=pdf_bytes, sha256=sha256, user=user
    )


def _roll_back(pip_id: int, reason: str) -> None:
    pip = Pip.objects.filter(pk=pip_id).first()
    if pip is not None:  # a PIP that no longer exists waits for nothing
        services.pip_render_mislukt(pip=pip, fout=reason)


beschikking = register(
    DocumentKind(
        code=BESCHIKKING,
        load=_load,
        awaits_document=_awaits_document,
        template=TEMPLATE,
        context=_context,
        store=_store,
        roll_back=_roll_back,
    )
)
