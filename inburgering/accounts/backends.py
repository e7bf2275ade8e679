"""The password backend: Django's, refusing a user who signs in through the identity provider
only (``User.oidc_subject``): such a user has no password here, and none may be made to work."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class WachtwoordBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and user.alleen_oidc:
            return None
        return user
