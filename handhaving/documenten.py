"""The letters of the fine procedure as document kinds of the platform (``inburgering.documents``).

One kind per letter (``handhaving.voornemen``, ``handhaving.boetebeschikking``,
``handhaving.geen_boete``, ``handhaving.intrekking``), registered from
``HandhavingConfig.ready()``. A service puts a ``Brief`` in "being made" and queues
``document_renderen(<code>, brief.pk, user.pk)``; the platform task loads the letter, renders
``handhaving/brieven/<soort>.html`` with ``brieven.brief_context`` (Dutch, PDF/A), and hands the
PDF and its hash to ``services.brief_vastleggen`` — or, on any failure, the reason to
``services.brief_mislukt``. A letter already sent is skipped (a redelivered task).
"""

from __future__ import annotations

from typing import Any

from inburgering.accounts.models import User
from inburgering.documents.registry import DocumentKind, register

from .constants import BriefSoort, BriefStatus
from .models import Brief


def code_van(soort: str) -> str:
    return f"handhaving.{soort}"


def template_van(soort: str) -> str:
    return f"handhaving/brieven/{soort}.html"


def _load(brief_id: int) -> Brief:
    return Brief.objects.select_related(
        "procedure__verzuim",
        "procedure__dossier__inburgeraar",
        "procedure__dossier__gemeente",
        "procedure__dossier__werkcoach",
        "procedure__rapport_door",
    ).get(pk=brief_id)


def _awaits_document(brief: Brief) -> bool:
    return brief.status == BriefStatus.WORDT_GEMAAKT


def _context(brief: Brief) -> dict[str, Any]:
    from .brieven import brief_context  # the wording; only where a letter is rendered

    return brief_context(brief)


def _store(brief: Brief, *, pdf_bytes: bytes, sha256: str, user: User | None) -> Brief:
    from .services import brief_vastleggen

    return brief_vastleggen(brief=brief, pdf_bytes=pdf_bytes, sha256=sha256, user=user)


def _roll_back(brief_id: int, reason: str) -> None:
    from .services import brief_mislukt

    brief = Brief.objects.filter(pk=brief_id).first()
    if brief is not None:
        brief_mislukt(brief=brief, fout=reason)


def registreren() -> None:
    from inburgering.documents import registry

    for soort in BriefSoort.values:
        if code_van(soort) in registry.codes():
            continue
        register(
            DocumentKind(
                code=code_van(soort),
                load=_load,
                awaits_document=_awaits_document,
                template=template_van(soort),
                context=_context,
                store=_store,
                roll_back=_roll_back,
            )
        )
