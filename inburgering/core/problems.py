"""Errors as application/problem+json (RFC 9457, NL API Design Rules), invalid fields listed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from djangorestframework_camel_case.util import camelize
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

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
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
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
        problem["title"] = _("The request contains invalid parameters.")
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
