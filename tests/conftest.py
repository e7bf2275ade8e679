"""Shared fixtures: a world of two gemeenten served by two teams, a partner organisation, and a
user for every role. Tests run against the real PostgreSQL (pytest-django's test database)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled
from playwright.sync_api import sync_playwright
from rest_framework.test import APIClient

from cases.models import Dossier
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente, Organisatie, User
from inburgering.celery import app as celery_app

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


def zonder_begeleiding(world: World) -> World:
    """The world's dossiers without their running begeleiding (and so without its clocks and
    signals), for tests of the hub's own clocks; a test that needs the begeleider to reach a
    dossier gives it back with ``factories.lopende_begeleiding`` after the clocks are computed."""
    from begeleiding.models import Aanmelding

    with scopes_disabled():
        Aanmelding.objects.all().delete()
        Dossier.objects.update(begeleider=None)
    return world


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


ROOT = Path(__file__).resolve().parent.parent


def subprocess_env() -> dict[str, str]:
    """Environment for a child process (worker, beat, manage.py) on the test database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inburgering.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_REDIS_URL": settings.REDIS_URL,
    }


def start_worker(*extra: str) -> subprocess.Popen:
    """Start ``celery worker`` as a separate process and wait until it answers a ping."""
    hostname = f"testworker-{os.getpid()}-{time.monotonic_ns()}@%h"
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "inburgering",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            f"--hostname={hostname}",
            "--without-gossip",
            "--without-mingle",
            *extra,
        ],
        cwd=ROOT,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = proc.stdout.read().decode() if proc.stdout else ""
            pytest.fail(f"celery worker exited early:\n{output}")
        if celery_app.control.ping(timeout=0.5):
            return proc
    stop_process(proc)
    pytest.fail("celery worker did not answer a ping within 60 s")


def stop_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start ``celery worker`` as a separate process against the test database."""
    proc = start_worker()
    try:
        yield proc
    finally:
        stop_process(proc)
        connection.close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _taal_terug():
    """A request in Dutch leaves Dutch active in this thread (LocaleMiddleware activates, no one
    deactivates): every test starts in the default language, whatever ran before it."""
    yield
    translation.deactivate()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: (
            page.csp_violations.append(msg.text)  # type: ignore[attr-defined]
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    yield page
    context.close()
