"""Permission classes of the termijn endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from inburgering.core.access import mag
from inburgering.core.api import RolePermission, is_detail


class TermijnPermission(RolePermission):
    """Reading termijnen is the ``termijn.bekijken`` action, changing them ``termijn.beheren``
    (``cases.policy``; auditors never write: ``RolePermission``). Which termijnen a user reaches
    is decided by ``dossiers_for`` (a 404); the services check the same rules again."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if is_detail(view):
            return True  # visibility first (404), then ``has_object_permission`` (403)
        return mag(request.user, self._actie(request))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if not super().has_object_permission(request, view, obj):
            return False
        return mag(request.user, self._actie(request), obj)

    @staticmethod
    def _actie(request: Request) -> str:
        return (
            "termijn.bekijken" if request.method in permissions.SAFE_METHODS else "termijn.beheren"
        )
