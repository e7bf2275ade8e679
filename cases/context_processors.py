"""Template context of the dossier core: "Mijn signalen" in the header."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from inburgering.core.access import user_scope

from .policy import ontvangt_signalen


class SignalenTeller:
    """The number of the user's open signals, counted (one query) only when a template shows
    it — a partial htmx response that does not show the header costs nothing."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def open(self) -> int:
        from .selectors import open_signalen_aantal

        # its own scope: a response rendered outside the request's scope still counts right
        with user_scope(self.user):
            return open_signalen_aantal(self.user)


def signalen(request: HttpRequest) -> dict[str, Any]:
    """ "Mijn signalen" in the header: for those who receive signals (``ontvangt_signalen``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not ontvangt_signalen(user):
        return {}
    return {"signalen_teller": SignalenTeller(user)}
