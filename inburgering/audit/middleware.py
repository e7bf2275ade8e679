from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from . import activiteiten, logboek, trace
from .models import Kanaal, Resultaat


def _kanaal(request: HttpRequest, response: HttpResponse) -> str:
    soort = response.get("Content-Type", "")
    if soort.startswith("application/pdf"):
        return Kanaal.DOCUMENT
    if request.path_info.startswith("/api/"):
        return Kanaal.API
    if soort.startswith(("application/zip", "text/csv", "application/vnd.openxmlformats")):
        return Kanaal.EXPORT
    return Kanaal.PAGINA


def _app(match: Any) -> str | None:
    """The URL namespace, or for the API (no namespace) the app the view's module is in."""
    if match is None:
        return None
    return match.app_name or (getattr(match.func, "__module__", "") or "").split(".")[0] or None


class LogboekMiddleware:
    """One span per request: the trace continued from an incoming ``traceparent`` header (or a
    new one), the processing activity from the URL's namespace, the actor from the session or
    the API token (DRF sets it on the request during the view, so it is read at the end)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(("/static/", "/healthz")) or not logboek.actief():
            return self.get_response(request)
        context = trace.context_uit(request.headers.get("traceparent"))
        with logboek.verwerking(
            activiteiten.ALGEMEEN,
            kanaal=Kanaal.PAGINA,
            context=context,
            methode=request.method or "",
        ) as span:
            request.audit_span = span  # type: ignore[attr-defined]
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            span.activiteit = getattr(request, "audit_activiteit", None) or activiteiten.voor_app(
                _app(match)
            )
            # the URL pattern, never the path: no query string (a search term may be a BSN) and
            # no dossier's uuid, which must not outlive the dossier's destruction
            span.pad = "/" + match.route if match is not None else ""
            span.kanaal = _kanaal(request, response)
            # who signed out (or was signed out) is no longer ``request.user``
            span.user = getattr(request, "audit_actor", None) or getattr(request, "user", None)
            span.status = response.status_code
            if response.status_code >= 500:
                span.resultaat = Resultaat.FOUT
            elif response.status_code in (401, 403, 404):
                span.resultaat = Resultaat.GEWEIGERD
            response["traceparent"] = span.context.traceparent()
            return response
