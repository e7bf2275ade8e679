from typing import Any

from django.http import HttpRequest


def rollen(request: HttpRequest) -> dict[str, Any]:
    """The user's roles, to show next to their name (what they may do is asked of the policy
    engine: ``{% load policy %}``, ``user|mag:"…"``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"rollen": set()}
    return {"rollen": user.rollen}
