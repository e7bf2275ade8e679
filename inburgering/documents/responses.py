"""Serving a decision document. The caller decides first who may have it (its own access policy:
an object outside the user's visibility is a 404 before this is reached); these helpers only
shape the response: ``application/pdf``, never cached, a filename that is safe in a header and
never carries a BSN."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.files import File
from django.http import FileResponse, HttpResponse
from rest_framework.renderers import BaseRenderer

from inburgering.core.logging import redact_bsn

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

CACHE_CONTROL = "private, no-store"  # personal data: not in any browser or proxy cache


def safe_filename(name: str, *, default: str = "document") -> str:
    """ASCII letters, digits, '.', '_' and '-' only, ending in '.pdf'; a BSN is dropped."""
    stem = name.removesuffix(".pdf")
    stem = _UNSAFE.sub("-", redact_bsn(stem).replace("*********", "")).strip("-.")
    stem = re.sub(r"-{2,}", "-", re.sub(r"\.{2,}", ".", stem))
    return f"{stem or default}.pdf"


def document_response(file: File, filename: str) -> FileResponse:
    """The stored PDF as a download (``Content-Disposition: attachment``)."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=safe_filename(filename),
        content_type="application/pdf",
    )
    response["Cache-Control"] = CACHE_CONTROL
    return response


def pdf_response(pdf_bytes: bytes, filename: str) -> HttpResponse:
    """A PDF rendered now (a preview, not stored), shown in the browser (``inline``)."""
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{safe_filename(filename)}"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


class PdfRenderer(BaseRenderer):
    """For an API download action: lets a client ask for ``Accept: application/pdf``; errors
    still come as problem+json."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, (bytes, bytearray)):
            return bytes(data)
        return json.dumps(data, default=str).encode()
