"""Errors as application/problem+json (RFC 9457, NL API Design Rules), invalid fields listed."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults as django_defaults
from djangorestframework_camel_case.util import camelize
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import Conflict, ContentTooLarge
from .integrity import ConflictError, as_conflict_error, constraint_name

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error dict into NL API ``invalidParams`` entries."""
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = camelize({key: None}, no_underscore_before_number=True)
            field = next(iter(name)) if isinstance(name, dict) else key
            if key in ("non_field_errors", "__all__"):
                field = "nonFieldErrors"
            params += _invalid_params(
                value, f"{prefix}{field}" if not prefix else f"{prefix}.{field}"
            )
    elif isinstance(detail, list):
        for item in detail:
            params += _invalid_params(item, prefix)
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid") or "invalid",
                "reason": str(detail),
            }
        )
    return params


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Errors as ``application/problem+json`` (RFC 9457) with the invalid fields listed."""
    if isinstance(exc, IntegrityError):
        # Only the constraint's name is logged: the exception text may hold a BSN.
        logger.warning(
            "Constraint violation answered as 409: %s (SQLSTATE %s)",
            constraint_name(exc) or "unnamed",
            getattr(exc.__cause__, "pgcode", "?"),
        )
        exc = as_conflict_error(exc)
    if isinstance(exc, ConflictError):
        exc = Conflict(detail=as_serializer_error(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = ContentTooLarge()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    problem: dict[str, Any] = {
        "type": "about:blank",
        "title": getattr(exc, "default_detail", _("Error")),
        "status": response.status_code,
        "instance": request.path if request is not None else "",
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["title"] = (
            _("The request conflicts with a concurrent change.")
            if isinstance(exc, Conflict)
            else _("The request contains invalid parameters.")
        )
        problem["invalid_params"] = _invalid_params(exc.detail)
        problem["detail"] = "; ".join(
            f"{p['name']}: {p['reason']}" for p in problem["invalid_params"]
        )
    else:
        problem["detail"] = str(getattr(exc, "detail", "")) or str(problem["title"])
    problem["title"] = str(problem["title"])
    response.data = problem
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


# --- errors Django answers itself (outside DRF's views) ---------------------------------------

_DJANGO_TITLES = {
    400: _lazy("Bad request."),
    403: _lazy("You do not have permission to perform this action."),
    404: _lazy("Not found."),
    413: _lazy("The request body is too large."),
    500: _lazy("A server error occurred."),
}


def problem_response(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    """A problem+json response for errors raised before or outside a DRF view."""
    title = str(_DJANGO_TITLES.get(status, _("Error")))
    return JsonResponse(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail or title,
            "instance": request.path,
        },
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def request_too_large(request: HttpRequest) -> bool:
    """Whether the declared body exceeds ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (checked before any
    middleware or view reads it)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is not None and length > limit


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: problem+json for the API (413 for a body over the limit)."""
    if not is_api_request(request):
        return django_defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return problem_response(request, 413)
    return problem_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api_request(request):
        return django_defaults.permission_denied(request, exception)
    return problem_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an API path that no view matches is a 404 problem, not an HTML page."""
    if not is_api_request(request):
        return django_defaults.page_not_found(request, exception)
    return problem_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: never details of the failure, but still problem+json on the API."""
    if not is_api_request(request):
        return django_defaults.server_error(request)
    return problem_response(request, 500)
