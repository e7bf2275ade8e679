"""The second factor (issue 14): django-otp with its TOTP and static (recovery code) devices and
django-otp-webauthn's passkeys, on the product's own pages.

- **Required**: with ``TWEEDE_FACTOR_VERPLICHT`` on (the default; production refuses it off), a
  signed-in user who has not given a second factor in this session reaches only the pages of
  the second factor itself (set-up when they have none, verification when they have one) and
  log-out. The API answers such a session 403: the browsable API's session is no way around it.
  Token clients have no session and are not affected.
- **Given** with a code from the authenticator app, a recovery code (each works once), or a
  passkey; or by the identity provider when the user signed in through OpenID Connect and the
  installation trusts the provider's own second factor (``OIDC_IDP_TWEEDE_FACTOR``).
- **Again** before the most sensitive actions (``herbevestiging_vereist``): when the second
  factor was given longer than ``HERBEVESTIGEN_MINUTEN`` ago, the user gives it once more.
- **On record**: set-up, verification, failure, a recovery code used, a new set of codes, a
  passkey added or removed and a beheerder's reset are the request's audit event, never with
  a code; the user is e-mailed when their second factor changes (``meldingen``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import meldingen, sessies
from .sessies import _gebeurtenis

GEGEVEN_OP = "_tweede_factor_op"  # when the second factor was last given, ISO 8601
VIA_IDP = "_tweede_factor_idp"  # the identity provider gave it (OpenID Connect sign-in)
HERSTELCODES = 10
_TEKENS = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper without doubt

# paths a user without a second factor in this session may reach
VRIJ = (
    "/account/tweede-factor/",
    "/webauthn/",
    "/uitloggen/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/.well-known/",
    "/oidc/",
)


def verplicht() -> bool:
    return bool(settings.TWEEDE_FACTOR_VERPLICHT)


def ingesteld(user: Any) -> bool:
    """Whether ``user`` has a confirmed second factor (app, passkey or recovery codes)."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def gegeven(request: HttpRequest) -> bool:
    """Whether the request's user gave a second factor in this session."""
    user: Any = request.user
    if not user.is_authenticated:
        return False
    if request.session.get(VIA_IDP):
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


def _roteren(request: HttpRequest) -> None:
    """A new session key once the second factor is given (the session now holds more rights
    than before); the session's record follows the key."""
    oud = request.session.session_key
    request.session.cycle_key()
    sessies.sleutel_gewijzigd(request, oud)


def gegeven_met(request: HttpRequest, device: Any, gebeurtenis: str) -> None:
    """The user gave ``device``: the session is verified (and rotated), the time noted."""
    if request.session.get(DEVICE_ID_SESSION_KEY) is None:
        request.session.save()  # a key to rotate from
        _roteren(request)
    otp_login(request, device)
    request.session[GEGEVEN_OP] = timezone.now().isoformat()
    _gebeurtenis(request, gebeurtenis)


def gegeven_door_idp(request: HttpRequest) -> None:
    request.session[VIA_IDP] = True
    request.session[GEGEVEN_OP] = timezone.now().isoformat()


def recent_gegeven(request: HttpRequest) -> bool:
    op = request.session.get(GEGEVEN_OP)
    if not op:
        return False
    return timezone.now() - datetime.fromisoformat(op) <= timedelta(
        minutes=settings.HERBEVESTIGEN_MINUTEN
    )


# --- devices ---------------------------------------------------------------------------------


def app(user: Any, *, bevestigd: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.devices_for_user(user, confirmed=bevestigd)
    return qs.order_by("-pk").first()


def nieuwe_app(user: Any) -> TOTPDevice:
    """An unconfirmed authenticator-app device for the set-up page (the previous unconfirmed
    one, if any, is replaced: its QR code may have been seen)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def herstelcode() -> str:
    deel = "".join(secrets.choice(_TEKENS) for _ in range(10))
    return f"{deel[:5]}-{deel[5:]}"


def normaliseer(code: str) -> str:
    kaal = "".join(t for t in code.lower() if t.isalnum())
    return f"{kaal[:5]}-{kaal[5:]}" if len(kaal) == 10 else kaal


@transaction.atomic
def nieuwe_herstelcodes(user: Any) -> list[str]:
    """A fresh set of recovery codes; the previous set no longer works."""
    device, _nieuw = StaticDevice.objects.get_or_create(
        user=user, name="herstelcodes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [herstelcode() for _ in range(HERSTELCODES)]
    device.token_set.bulk_create([device.token_set.model(device=device, token=c) for c in codes])
    return codes


def herstelcodes_over(user: Any) -> int:
    device = StaticDevice.objects.filter(user=user, name="herstelcodes").first()
    return device.token_set.count() if device else 0


class Resultaat:
    """What checking a code gave: the device that took it, or why none did."""

    def __init__(self, device: Any = None, fout: str = "", herstelcode: bool = False) -> None:
        self.device = device
        self.fout = fout
        self.herstelcode = herstelcode


def controleren(user: Any, code: str) -> Resultaat:
    """Check ``code``: six digits against the authenticator app, anything else against the
    recovery codes (one use each). django-otp's throttling holds for both."""
    code = (code or "").strip().replace(" ", "")
    is_app_code = code.isdigit() and len(code) == 6
    with transaction.atomic():
        if is_app_code:
            device: Any = app(user)
        else:
            device = StaticDevice.objects.filter(user=user, name="herstelcodes").first()
            code = normaliseer(code)
        if device is None:
            return Resultaat(
                fout=_("You have no authenticator app set up: use a recovery code or a passkey.")
                if is_app_code
                else _("This is not a valid code.")
            )
        toegestaan, _reden = device.verify_is_allowed()
        if not toegestaan:
            return Resultaat(fout=_("Too many wrong codes: wait a minute and try again."))
        if device.verify_token(code):
            return Resultaat(device=device, herstelcode=not is_app_code)
    return Resultaat(fout=_("This code is not correct (or was used before)."))


@transaction.atomic
def resetten(request: HttpRequest, user: Any) -> int:
    """The functioneel beheerder removes every second factor of ``user`` (a lost phone): the
    user sets up a new one at their next log-in; their sessions end now. On record."""
    aantal = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        aantal += 1
    sessies.beeindigen(user)
    _gebeurtenis(request, "tweede_factor.gereset")
    meldingen.melden(user, meldingen.Melding.TWEEDE_FACTOR_GERESET)
    return aantal


# --- enforcement -----------------------------------------------------------------------------


def _doel(request: HttpRequest) -> str:
    user: Any = request.user
    naam = "tweefactor-verifieren" if ingesteld(user) else "tweefactor-instellen"
    return reverse(naam) + "?" + urlencode({"next": request.get_full_path()})


class TweeFactorMiddleware:
    """After django-otp's middleware: a signed-in session without its second factor reaches
    only the pages in ``VRIJ``; a page sends it to set-up or verification, the API says 403."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if (
            verplicht()
            and user is not None
            and user.is_authenticated
            and not request.path_info.startswith(VRIJ)
            and not gegeven(request)
        ):
            if request.path_info.startswith("/api/"):
                from inburgering.core.problems import problem_response

                return problem_response(
                    request,
                    403,
                    _("Give your second factor first: log in on the website to do so."),
                )
            return redirect(_doel(request))
        return self.get_response(request)


def herbevestiging_vereist(view: Any) -> Any:
    """Before the most sensitive actions: the second factor once more when it was given longer
    than ``HERBEVESTIGEN_MINUTEN`` ago. A POST is not carried out but sent back to its page
    (the user repeats it after confirming); nothing is half done."""

    @wraps(view)
    def bewaakt(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if verplicht() and not recent_gegeven(request):
            terug = request.get_full_path()
            if request.method != "GET":
                terug = request.headers.get("Referer") or terug
                messages.warning(
                    request,
                    _("Confirm it is you, then repeat what you were doing: nothing was done yet."),
                )
            return redirect(reverse("tweefactor-bevestigen") + "?" + urlencode({"next": terug}))
        return view(request, *args, **kwargs)

    return bewaakt
