"""Permission classes of the termijn endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from inburgering.core.api import RolePermission


class TermijnPermission(RolePermission):
    """Reading termijnen needs ``cases.view_termijn``, changing them ``cases.beheren_termijn``
    (auditors never write: ``RolePermission``). Which termijnen a user reaches is decided by
    ``dossiers_for``; the services check the same permissions again."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return request.user.has_perm("cases.view_termijn")
        return request.user.has_perm("cases.beheren_termijn")
