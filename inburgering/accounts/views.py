"""The user's own account pages: *Mijn sessies* (and ending all the others) and changing the
password (not for a user who signs in through the identity provider: they have none here)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
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


class WachtwoordWijzigen(PasswordChangeView):
    """Django's password change (its validators: length over complexity, the common-password
    list); the user's other sessions end with it (their session hash no longer matches), this
    one gets a new key, and the user is e-mailed (``User.save``)."""

    template_name = "registration/wachtwoord.html"
    success_url = reverse_lazy("sessies")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if user.is_authenticated and user.alleen_oidc:
            messages.info(
                request,
                _("You log in through your organisation: your password is managed there."),
            )
            return redirect("sessies")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        oud = self.request.session.session_key
        antwoord = super().form_valid(form)
        sessies.sleutel_gewijzigd(self.request, oud)
        messages.success(self.request, _("Your password was changed."))
        return antwoord


class Inloggen(LoginView):
    """Django's log-in with the password, and the identity provider's button when configured.
    The second factor follows on its own page (``tweefactor.TweeFactorMiddleware``)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from . import oidc

        context = super().get_context_data(**kwargs)
        if oidc.aan():
            from urllib.parse import urlencode

            from django.urls import reverse

            volgende = context.get("next") or ""
            context["oidc_url"] = reverse("oidc_authentication_init") + (
                "?" + urlencode({"next": volgende}) if volgende else ""
            )
        context["oidc_naam"] = settings.OIDC_NAAM or _("your organisation")
        return context
