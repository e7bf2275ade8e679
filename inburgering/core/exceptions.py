"""API exceptions of our own (kept apart from ``problems`` so the parsers can raise them
without importing DRF's views)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions


class Conflict(exceptions.ValidationError):
    """409: the request lost a race to a concurrent one (a database constraint refused it);
    ``invalidParams`` names the field as for a 400."""

    status_code = 409
    default_detail = _lazy("The request conflicts with the current state of the resource.")
    default_code = "conflict"


class ContentTooLarge(exceptions.APIException):
    """413: the body exceeds ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    status_code = 413
    default_detail = _lazy("The request body is too large.")
    default_code = "content_too_large"
