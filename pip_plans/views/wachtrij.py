"""The teamleider's queue of PIPs awaiting approval."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from inburgering.core.access import vereis

from .. import selectors
from ._gemeen import (
    _user,
)


@require_GET
def wachtrij(request: HttpRequest) -> HttpResponse:
    """Teamleider: PIPs awaiting approval."""
    user = _user(request)
    vereis(user, "pip.wachtrij")
    pips = selectors.teamleider_wachtrij(user).select_related("dossier__werkcoach")
    return render(request, "pip_plans/wachtrij.html", {"pips": pips})
