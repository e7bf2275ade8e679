"""The pages of the second factor: set-up at first log-in, verification at every log-in, once
more before a sensitive action, and the user's own overview (app, passkeys, recovery codes).
The rules are in ``tweefactor``; these views only ask and show."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from . import meldingen, tweefactor
from .sessies import _gebeurtenis

NIEUWE_APP = "_tweede_factor_nieuwe_app"  # the pk of the device the set-up page showed


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=6,
        min_length=6,
        help_text=gettext_lazy("The six digits the app shows after you scanned the QR code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _volgende(request: HttpRequest) -> str:
    doel = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        doel, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return doel
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(device: Any) -> str:
    """The device's otpauth:// URL as an inline SVG (no script, no style: the CSP holds)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5,
        dark="#000",
        light="#fff",
        omitsize=True,
        title=_("QR code for your authenticator app"),
    )


def _geheim(device: Any) -> str:
    from base64 import b32encode

    tekst = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(tekst[i : i + 4] for i in range(0, len(tekst), 4))


def _herstelcodes_tonen(request: HttpRequest, codes: list[str], volgende: str) -> HttpResponse:
    return render(
        request,
        "tweefactor/herstelcodes.html",
        {"codes": codes, "volgende": volgende},
    )


@require_http_methods(["GET", "POST"])
def instellen(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan, type the code it shows, keep the recovery codes.
    Replacing an app that is set up already asks for the second factor first."""
    user: Any = request.user
    vervangen = tweefactor.app(user) is not None
    if tweefactor.ingesteld(user) and not tweefactor.gegeven(request):
        return redirect(reverse("tweefactor-verifieren") + "?next=" + request.get_full_path())
    if vervangen and tweefactor.verplicht() and not tweefactor.recent_gegeven(request):
        return redirect(reverse("tweefactor-bevestigen") + "?next=" + request.get_full_path())
    volgende = _volgende(request)
    device = None
    pk = request.session.get(NIEUWE_APP)
    if request.method == "POST" and pk:
        device = tweefactor.TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()
    if device is None:
        device = tweefactor.nieuwe_app(user)
        request.session[NIEUWE_APP] = device.pk
        form = AppCodeForm()
    else:
        form = AppCodeForm(request.POST)
        if form.is_valid():
            if device.verify_token(form.cleaned_data["code"].strip()):
                return _app_bevestigd(request, device, volgende)
            form.add_error(
                "code",
                _(
                    "This code is not correct. Check the time on your phone and type the code "
                    "the app shows now."
                ),
            )
            _gebeurtenis(request, "tweede_factor.mislukt")
    return render(
        request,
        "tweefactor/instellen.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device)),  # noqa: S308 - segno's own SVG, no user input
            "geheim": _geheim(device),
            "vervangen": vervangen,
            "volgende": volgende,
        },
    )


def _app_bevestigd(request: HttpRequest, device: Any, volgende: str) -> HttpResponse:
    user: Any = request.user
    from django.db import transaction

    with transaction.atomic():
        tweefactor.TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = (
            tweefactor.nieuwe_herstelcodes(user) if not tweefactor.herstelcodes_over(user) else None
        )
        request.session.pop(NIEUWE_APP, None)
        tweefactor.gegeven_met(request, device, "tweede_factor.ingesteld")
        meldingen.melden(user, meldingen.Melding.TWEEDE_FACTOR)
    messages.success(request, _("Your authenticator app is set up."))
    if codes:
        return _herstelcodes_tonen(request, codes, volgende)
    return HttpResponseRedirect(volgende)


@require_http_methods(["GET", "POST"])
def verifieren(request: HttpRequest, opnieuw: bool = False) -> HttpResponse:
    """The second factor at log-in (``opnieuw``: once more before a sensitive action)."""
    user: Any = request.user
    volgende = _volgende(request)
    if not opnieuw and tweefactor.gegeven(request):
        return HttpResponseRedirect(volgende)
    if not tweefactor.ingesteld(user):
        if opnieuw and request.session.get(tweefactor.VIA_IDP):
            # signed in through the identity provider: it asks again
            return redirect(reverse("oidc_authentication_init") + "?next=" + volgende)
        return redirect(reverse("tweefactor-instellen") + "?next=" + volgende)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resultaat = tweefactor.controleren(user, form.cleaned_data["code"])
        if resultaat.device is not None:
            if resultaat.herstelcode:
                tweefactor.gegeven_met(request, resultaat.device, "tweede_factor.herstelcode")
                over = tweefactor.herstelcodes_over(user)
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; %(over)d are left. Make new ones on "
                        "the page of your second factor."
                    )
                    % {"over": over},
                )
            else:
                tweefactor.gegeven_met(request, resultaat.device, "tweede_factor.gegeven")
            return HttpResponseRedirect(volgende)
        form.add_error("code", resultaat.fout)
        _gebeurtenis(request, "tweede_factor.mislukt")
    return render(
        request,
        "tweefactor/verifieren.html",
        {
            "form": form,
            "opnieuw": opnieuw,
            "volgende": volgende,
            "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
            "heeft_app": tweefactor.app(user) is not None,
        },
    )


def bevestigen(request: HttpRequest) -> HttpResponse:
    return verifieren(request, opnieuw=True)


def overzicht(request: HttpRequest) -> HttpResponse:
    """The user's own second factors."""
    user: Any = request.user
    return render(
        request,
        "tweefactor/overzicht.html",
        {
            "app": tweefactor.app(user),
            "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by(
                "created_at"
            ),
            "herstelcodes": tweefactor.herstelcodes_over(user),
        },
    )


@require_POST
@tweefactor.herbevestiging_vereist
def herstelcodes(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    codes = tweefactor.nieuwe_herstelcodes(user)
    _gebeurtenis(request, "tweede_factor.herstelcodes")
    meldingen.melden(user, meldingen.Melding.TWEEDE_FACTOR)
    return _herstelcodes_tonen(request, codes, reverse("tweefactor"))


@require_POST
@tweefactor.herbevestiging_vereist
def passkey_verwijderen(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    passkey = get_object_or_404(WebAuthnCredential, pk=pk, user=user)
    passkey.delete()
    _gebeurtenis(request, "tweede_factor.passkey_verwijderd")
    meldingen.melden(user, meldingen.Melding.TWEEDE_FACTOR)
    messages.success(request, _("The passkey was removed."))
    return redirect("tweefactor")


class PasskeyRegistratie(CompleteCredentialRegistrationView):
    """django-otp-webauthn's registration, on record and told to the user."""

    def post(self, *args: Any, **kwargs: Any) -> Any:
        antwoord = super().post(*args, **kwargs)
        if antwoord.status_code == 200:
            _gebeurtenis(self.request, "tweede_factor.passkey_toegevoegd")
            meldingen.melden(self.request.user, meldingen.Melding.TWEEDE_FACTOR)
        return antwoord


class PasskeyVerificatie(CompleteCredentialAuthenticationView):
    """django-otp-webauthn's verification, with the bookkeeping of every second factor."""

    def complete_auth(self, device: Any) -> Any:
        tweefactor.gegeven_met(self.request, device, "tweede_factor.gegeven")
