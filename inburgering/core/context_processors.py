from typing import Any

from django.http import HttpRequest


def rollen(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"rollen": set()}
    return {"rollen": user.rollen}
