"""Shared API machinery: role permission, pagination, scoped views."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from .access import is_read_only, user_scope


class RolePermission(permissions.IsAuthenticated):
    """Authenticated, and no writes through a read-only (auditor) account.

    Which objects a user reaches is decided by the querysets from ``inburgering.core.access``;
    object-level write rules live in the services, so UI and API refuse identically.
    """

    message = "Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return not is_read_only(request.user)


class Pagination(PageNumberPagination):
    page_size_query_param = "pageSize"
    max_page_size = 100


class ScopedViewMixin:
    """Activates the tenancy scope once DRF has authenticated the (token) user."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._scope = user_scope(request.user)
        self._scope.__enter__()

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        scope_cm = getattr(self, "_scope", None)
        if scope_cm is not None:
            scope_cm.__exit__(None, None, None)
            self._scope = None
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
