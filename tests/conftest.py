"""Shared fixtures: a world of two gemeenten served by two teams, a partner organisation, and a
user for every role. Tests run against the real PostgreSQL (pytest-django's test database)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from cases.models import Dossier
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente, Organisatie, User

from .factories import PASSWORD, DossierFactory, GemeenteFactory, partner, team, user_met_rol

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told this is safe (it is: the loop is Playwright's, idle).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    gemeente_a: Gemeente
    gemeente_b: Gemeente
    team_a: Organisatie
    team_b: Organisatie
    partner_a: Organisatie
    werkcoach_a: User
    werkcoach_a2: User
    teamleider_a: User
    auditor_a: User
    beheerder_a: User
    begeleider_a: User
    begeleider_a2: User
    partner_auditor_a: User
    werkcoach_b: User
    dossier_a: Dossier  # werkcoach_a, begeleider_a
    dossier_a2: Dossier  # werkcoach_a2, begeleider_a2
    dossier_b: Dossier  # gemeente B


@pytest.fixture
def world(db) -> World:
    with scopes_disabled():
        gemeente_a = GemeenteFactory(naam="Huizen")
        gemeente_b = GemeenteFactory(naam="Het Hogeland")
        team_a = team(gemeente_a)
        team_b = team(gemeente_b)
        partner_a = partner(gemeente_a)
        w = World(
            gemeente_a=gemeente_a,
            gemeente_b=gemeente_b,
            team_a=team_a,
            team_b=team_b,
            partner_a=partner_a,
            werkcoach_a=user_met_rol(Rol.WERKCOACH, team_a, username="wc_a"),
            werkcoach_a2=user_met_rol(Rol.WERKCOACH, team_a, username="wc_a2"),
            teamleider_a=user_met_rol(Rol.TEAMLEIDER, team_a, username="tl_a"),
            auditor_a=user_met_rol(Rol.AUDITOR, team_a, username="aud_a"),
            beheerder_a=user_met_rol(Rol.FUNCTIONEEL_BEHEERDER, team_a, username="fb_a"),
            begeleider_a=user_met_rol(Rol.BEGELEIDER, partner_a, username="mb_a"),
            begeleider_a2=user_met_rol(Rol.BEGELEIDER, partner_a, username="mb_a2"),
            partner_auditor_a=user_met_rol(Rol.AUDITOR, partner_a, username="aud_p"),
            werkcoach_b=user_met_rol(Rol.WERKCOACH, team_b, username="wc_b"),
            dossier_a=None,  # type: ignore[arg-type]
            dossier_a2=None,  # type: ignore[arg-type]
            dossier_b=None,  # type: ignore[arg-type]
        )
        w.dossier_a = DossierFactory(
            gemeente=gemeente_a, werkcoach=w.werkcoach_a, begeleider=w.begeleider_a
        )
        w.dossier_a2 = DossierFactory(
            gemeente=gemeente_a, werkcoach=w.werkcoach_a2, begeleider=w.begeleider_a2
        )
        w.dossier_b = DossierFactory(gemeente=gemeente_b, werkcoach=w.werkcoach_b)
    return w


@pytest.fixture
def login(client):
    """Log a user in with the Django test client (through the real log-in form)."""

    def _login(user: User):
        client.logout()
        response = client.post("/inloggen/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return client

    return _login


@pytest.fixture
def api():
    """An API client authenticating with a real token."""
    from rest_framework.authtoken.models import Token

    def _api(user: User) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return c

    return _api
