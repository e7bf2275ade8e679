"""OpenID Connect sign-in with the gemeente's own identity provider (mozilla-django-oidc, the
library Open Zaak and Open Formulieren build on), configured from the environment; off until
``OIDC_RP_CLIENT_ID`` is set.

- **Who**: a user is found by the provider's ``sub`` (``User.oidc_subject``), never by e-mail
  or username: an account here is not taken over by someone with the same name there. A new
  ``sub`` makes a new user, without a password (``set_unusable_password``) — and the password
  backend refuses such a user for good (``backends.WachtwoordBackend``).
- **Organisation**: the claim ``OIDC_CLAIM_ORGANISATIE`` names it (its name or UUID here); a
  sign-in without a known organisation is refused, since what a user may see follows from it.
- **Roles** stay managed here, unless ``OIDC_CLAIM_ROLLEN`` names a claim with role names:
  then every sign-in sets the user's roles to those (that fit the organisation's kind).
- **Second factor**: the provider's own counts (``OIDC_IDP_TWEEDE_FACTOR``, on by default);
  off, the user sets up and gives one here as well.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import meldingen, tweefactor
from .constants import ROL_ORGANISATIE_SOORTEN
from .models import Organisatie, User


def aan() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def _organisatie(claims: dict[str, Any]) -> Organisatie | None:
    waarde = str(claims.get(settings.OIDC_CLAIM_ORGANISATIE) or "").strip()
    if not waarde:
        return None
    filter = Q(naam=waarde)
    try:
        import uuid

        filter |= Q(uuid=uuid.UUID(waarde))
    except ValueError:
        pass
    return Organisatie.objects.filter(filter).first()


def _rollen(claims: dict[str, Any], organisatie: Organisatie) -> set[str] | None:
    """The roles the claim gives (``None``: roles are managed here)."""
    if not settings.OIDC_CLAIM_ROLLEN:
        return None
    waarde = claims.get(settings.OIDC_CLAIM_ROLLEN) or []
    namen = {waarde} if isinstance(waarde, str) else {str(w) for w in waarde}
    return {rol for rol in namen if organisatie.soort in ROL_ORGANISATIE_SOORTEN.get(rol, set())}


class OIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        sub = claims.get("sub")
        if not sub:
            return User.objects.none()
        return User.objects.filter(oidc_subject=sub)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("sub"):
            return False
        if _organisatie(claims) is None:
            request = getattr(self, "request", None)
            if request is not None:
                request.oidc_weigering = _(
                    "Your organisation is not known here: ask your functioneel beheerder to add "
                    "it, or to check the identity provider's organisation claim."
                )
            return False
        return True

    def _gebruikersnaam(self, claims: dict[str, Any]) -> str:
        basis = str(
            claims.get(settings.OIDC_CLAIM_GEBRUIKERSNAAM) or claims.get("email") or claims["sub"]
        )[:140]
        naam, n = basis, 1
        while User.objects.filter(username=naam).exists():
            n += 1
            naam = f"{basis}-{n}"
        return naam

    def _bijwerken(self, user: User, claims: dict[str, Any]) -> User:
        organisatie = _organisatie(claims)
        assert organisatie is not None  # verify_claims checked it
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]
        user.organisatie = organisatie
        with transaction.atomic():
            user.save()
            rollen = _rollen(claims, organisatie)
            if rollen is not None and rollen != set(user.groups.values_list("name", flat=True)):
                user.groups.set(Group.objects.filter(name__in=rollen))
                meldingen.melden(user, meldingen.Melding.ROLLEN)
        return user

    def create_user(self, claims: dict[str, Any]) -> User:
        user = User(username=self._gebruikersnaam(claims), oidc_subject=claims["sub"])
        user.set_unusable_password()
        return self._bijwerken(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return self._bijwerken(user, claims)


class Begin(OIDCAuthenticationRequestView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not aan():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class Terugkomst(OIDCAuthenticationCallbackView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not aan():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def failure_url(self) -> str:
        return str(settings.LOGIN_URL)

    def login_failure(self) -> HttpResponse:
        from .sessies import _gebeurtenis

        _gebeurtenis(self.request, "aanmelden.mislukt")
        messages.error(
            self.request,
            getattr(self.request, "oidc_weigering", "")
            or _("Logging in through your organisation did not succeed. Please try again."),
        )
        return redirect(settings.LOGIN_URL)

    def login_success(self) -> HttpResponse:
        antwoord = super().login_success()
        if settings.OIDC_IDP_TWEEDE_FACTOR:
            tweefactor.gegeven_door_idp(self.request)
        return antwoord


urlpatterns = [
    path("authenticate/", login_not_required(Begin.as_view()), name="oidc_authentication_init"),
    path(
        "callback/", login_not_required(Terugkomst.as_view()), name="oidc_authentication_callback"
    ),
]
