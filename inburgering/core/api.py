"""Shared API machinery: role permission, pagination, scoped views."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from .access import is_read_only, user_scope


class RolePermission(permissions.IsAuthenticated):
    """Authenticated, and no writes through a read-only (auditor) account.

    Which objects a user reaches is decided by each domain's visibility querysets
    (``cases.policy.dossiers_for``…): an unreachable object is a 404. What a user may do to it
    is a named action of the policy engine (``inburgering.core.access.mag``), asked by the
    views and again by the services, so UI and API refuse identically (a 403).
    """

    message = "Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS or is_detail(view):
            return True  # on one object: visibility first (404), then the object check (403)
        return not is_read_only(request.user)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or not is_read_only(request.user)


def is_detail(view: Any) -> bool:
    """A route on one object (``/dossiers/{uuid}/…``): its permission is checked once the
    object is found, so an invisible object is a 404 for everyone, as in the UI."""
    kwarg = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return bool(kwarg) and kwarg in getattr(view, "kwargs", {})


class Pagination(PageNumberPagination):
    page_size_query_param = "pageSize"
    max_page_size = 100


class ScopedViewMixin:
    """Activates the tenancy scope once DRF has authenticated the (token) user, and always
    leaves it again when the request ends, whatever happened in between."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self._scopes = ExitStack()
        with self._scopes:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._scopes.enter_context(user_scope(request.user))
        self._check_uuid_lookup(kwargs)

    def _check_uuid_lookup(self, kwargs: dict[str, Any]) -> None:
        """A path identifier that cannot be a uuid is invalid input (400 naming it, ADR
        /core/error-handling/invalid-input), checked after authentication so it tells an
        anonymous caller nothing; a well-formed uuid of an invisible object stays a 404."""
        field = getattr(self, "lookup_field", None)
        if field != "uuid":
            return
        value = kwargs.get(getattr(self, "lookup_url_kwarg", None) or field)
        if value is None:
            return
        try:
            uuid.UUID(str(value))
        except ValueError:
            raise serializers.ValidationError(
                {"uuid": [_("“%(value)s” is not a valid UUID.") % {"value": str(value)[:40]}]}
            ) from None
