"""*Mijn sessies*: the signed-in user's own sessions, and ending all the others."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from . import sessies


@require_http_methods(["GET", "POST"])
def mijn_sessies(request: HttpRequest) -> HttpResponse:
    huidige = request.session.session_key
    if request.method == "POST":
        aantal = sessies.beeindigd_op_verzoek(request, request.user, behalve=huidige)
        messages.success(
            request,
            ngettext(
                "%(aantal)d other session was ended.",
                "%(aantal)d other sessions were ended.",
                aantal,
            )
            % {"aantal": aantal},
        )
        return redirect("sessies")
    user: Any = request.user
    lijst = list(sessies.lopende(user))
    return render(
        request,
        "registration/sessies.html",
        {
            "sessies": lijst,
            "huidige": huidige,
            "andere": sum(1 for s in lijst if s.sessie_sleutel != huidige),
            "max_uren": f"{sessies.max_leeftijd().total_seconds() / 3600:g}",
            "idle_minuten": settings.SESSION_COOKIE_AGE // 60,
        },
    )
