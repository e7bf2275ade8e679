"""Shared API machinery: role permission, pagination, scoped views."""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _
from rest_framework import permissions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from . import sleutels
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
    """``page``/``pageSize`` as always, and for a view that sets ``sleutelpaginering = True``
    keyset pagination: its ``next`` and ``previous`` links carry a ``cursor`` (a signed
    position, ``inburgering.core.sleutels``) instead of a page number, so following them costs
    the same on page 1,000 as on page 1 — no ``OFFSET`` — and the whole list is counted once,
    on the page the client started from (the count travels in the cursor)."""

    page_size_query_param = "pageSize"
    max_page_size = 100
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.request = request
        self.sleutels = bool(getattr(view, "sleutelpaginering", False))
        self.rijen: list[Any] | None = None
        cursor = request.query_params.get(self.cursor_query_param)
        if self.sleutels and cursor is None:
            self._diepte_bewaken(request)
        if not self.sleutels or cursor is None:
            rijen: list[Any] | None = super().paginate_queryset(queryset, request, view)
            self.rijen = rijen
            if self.sleutels and rijen is not None and self.page is not None:
                self.aantal = self.page.paginator.count
                self.vorige = self.page.has_previous()
                self.volgende = self.page.has_next()
            return rijen
        try:
            inhoud = sleutels.lees_token(cursor)
        except signing.BadSignature:
            raise serializers.ValidationError(
                {self.cursor_query_param: [_("This cursor is not valid; follow a next link.")]}
            ) from None
        uitkomst = sleutels.pagina(
            queryset, inhoud["r"], inhoud["k"], self.get_page_size(request) or self.page_size or 25
        )
        if uitkomst is None:
            raise serializers.ValidationError(
                {
                    self.cursor_query_param: [
                        _("The row this cursor starts from is no longer in the list; start again.")
                    ]
                }
            )
        self.rijen, self.vorige, self.volgende = uitkomst
        self.aantal = inhoud["n"]
        return self.rijen

    # a page by number skips this many rows at most: beyond, the database would read and throw
    # away every row before it (0.8 s at 1 user, 9 s at 16 over 60,000 dossiers); the next link
    # (cursor) gets there at the cost of page 1
    max_offset = 10_000

    def _diepte_bewaken(self, request: Request) -> None:
        try:
            nummer = int(request.query_params.get(self.page_query_param) or 1)
        except ValueError:
            return  # DRF answers an unreadable page number itself
        grootte = self.get_page_size(request) or self.page_size or 25
        if (nummer - 1) * grootte >= self.max_offset:
            raise serializers.ValidationError(
                {
                    self.page_query_param: [
                        _(
                            "Pages beyond the first %(aantal)s rows are reached by following the "
                            "next link (cursor), not by number."
                        )
                        % {"aantal": self.max_offset}
                    ]
                }
            )

    def get_paginated_response(self, data: Any) -> Response:
        if not self.sleutels:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": self.aantal,
                "next": self._sleutellink("na", -1) if self.volgende else None,
                "previous": self._sleutellink("voor", 0) if self.vorige else None,
                "results": data,
            }
        )

    def _sleutellink(self, richting: str, index: int) -> str | None:
        if not self.rijen or self.request is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        positie = sleutels.token(self.rijen[index].uuid, richting, self.aantal)
        return replace_query_param(url, self.cursor_query_param, positie)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        if getattr(view, "sleutelpaginering", False):
            parameters.append(
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": "Position in the list, from a next or previous link "
                    "(keyset pagination: every page costs the same).",
                    "schema": {"type": "string"},
                }
            )
        return parameters


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
