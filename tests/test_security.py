"""Security baseline: log-in required, lock-out, headers, session, deploy checks, no BSN in logs
or URLs, and the health check."""

from __future__ import annotations

import io
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from cases import rules
from cases.models import Inburgeraar
from inburgering.core.logging import RedactBsnFilter, redact_bsn

from .factories import PASSWORD

BASE_DIR = Path(settings.BASE_DIR)
VALID_BSN = "111222333"  # passes the elfproef
NOT_A_BSN = "123456789"  # nine digits, fails the elfproef


# --------------------------------------------------------------------------------------------
# 1. Log-in required, except for a few public endpoints
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_require_login(client):
    """Rule: every page requires log-in; anonymous users go to /inloggen/?next=..."""
    response = client.get("/dossiers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/?next=")
    assert "dossiers" in response["Location"]


@pytest.mark.django_db
def test_dossier_detail_requires_login(world, client):
    """Rule: a dossier page redirects anonymous users and shows no data."""
    response = client.get(f"/dossiers/{world.dossier_a.uuid}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/?next=")
    assert world.dossier_a.inburgeraar.achternaam.encode() not in response.content


@pytest.mark.django_db
def test_public_endpoints_are_reachable_anonymously(client):
    """Rule: /healthz, /inloggen/ and security.txt need no log-in."""
    assert client.get("/inloggen/").status_code == 200
    health = client.get("/healthz")
    assert health.status_code in (200, 503)
    assert "Location" not in health
    txt = client.get("/.well-known/security.txt")
    assert txt.status_code == 200
    assert txt["Content-Type"].startswith("text/plain")
    body = txt.content.decode()
    assert "Contact:" in body
    assert "Expires:" in body


# --------------------------------------------------------------------------------------------
# 2. django-axes lock-out
# --------------------------------------------------------------------------------------------


def test_lockout_after_five_failures(world, client):
    """Rule: after 5 wrong passwords for one username (same IP) even the right password is
    refused with 429 and the locked-out page."""
    assert settings.AXES_FAILURE_LIMIT == 5
    username = world.werkcoach_a.username
    for attempt in range(1, 5):
        response = client.post("/inloggen/", {"username": username, "password": "fout"})
        assert response.status_code == 200, attempt
        assert "_auth_user_id" not in client.session
    client.post("/inloggen/", {"username": username, "password": "fout"})
    response = client.post("/inloggen/", {"username": username, "password": PASSWORD})
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    assert client.get("/dossiers/").status_code == 302


def test_lockout_is_per_username(world, client):
    """Rule: the lock-out is by username+IP: another user from the same IP can still log in."""
    for _ in range(5):
        client.post("/inloggen/", {"username": world.werkcoach_a.username, "password": "fout"})
    response = client.post(
        "/inloggen/", {"username": world.werkcoach_a2.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.werkcoach_a2.pk)


def test_fewer_failures_do_not_lock(world, client):
    """Rule: four failures do not lock the account; a successful log-in works."""
    for _ in range(4):
        client.post("/inloggen/", {"username": world.werkcoach_a.username, "password": "fout"})
    response = client.post(
        "/inloggen/", {"username": world.werkcoach_a.username, "password": PASSWORD}
    )
    assert response.status_code == 302


# --------------------------------------------------------------------------------------------
# 3. Headers and session
# --------------------------------------------------------------------------------------------


def test_csp_and_frame_headers(world, login):
    """Rule: a strict CSP without unsafe-inline and no framing."""
    client = login(world.werkcoach_a)
    response = client.get("/dossiers/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_login_page_has_csp(client):
    """Rule: the log-in page is covered by the same CSP."""
    response = client.get("/inloggen/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_session_cookie_httponly_and_idle_timeout(world, client):
    """Rule: the session cookie is HttpOnly, and the session expires after idle time."""
    response = client.post(
        "/inloggen/", {"username": world.werkcoach_a.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE > 0
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    # the idle timeout moves with every request: a later page sets the cookie again
    again = client.get("/dossiers/")
    assert settings.SESSION_COOKIE_NAME in again.cookies


# --------------------------------------------------------------------------------------------
# 4. Production settings
# --------------------------------------------------------------------------------------------


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="inburgering.settings.production",
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:6379/15",
        ALLOWED_HOSTS="inburgering.example.nl",
        SECURITY_TXT_CONTACT="mailto:security@gemeente-huizen.nl",
        AUDIT_PSEUDONIEM_SLEUTEL=secrets.token_urlsafe(32),
    )
    # the test run's own switches are no part of a deployment
    for key in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    python = BASE_DIR / ".venv" / "bin" / "python"
    return subprocess.run(
        [str(python if python.exists() else sys.executable), "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    """Rule: production settings pass `check --deploy` without warnings."""
    env = _production_env()
    assert len(env["SECRET_KEY"]) == 60
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_production_settings_refuse_missing_secret_key():
    """Rule: production refuses to start without a SECRET_KEY."""
    result = _manage("check", env=_production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_short_secret_key():
    """Rule: a short SECRET_KEY is refused too."""
    result = _manage("check", env=_production_env(SECRET_KEY="kort"))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("sleutel", [None, "te-kort"])
def test_production_settings_refuse_missing_or_short_pseudonym_key(sleutel):
    """Rule: production refuses to start without the key of the processing log's pseudonyms
    (a guessable key would let anyone with a list of BSNs link the log to persons)."""
    result = _manage("check", env=_production_env(AUDIT_PSEUDONIEM_SLEUTEL=sleutel))
    assert result.returncode != 0
    assert "AUDIT_PSEUDONIEM_SLEUTEL" in result.stderr


# --------------------------------------------------------------------------------------------
# 5. BSN never in logs
# --------------------------------------------------------------------------------------------


def test_redact_bsn():
    """Rule: a valid BSN in a log line is masked; other nine-digit numbers are kept."""
    assert rules.is_valid_bsn(VALID_BSN)
    assert not rules.is_valid_bsn(NOT_A_BSN)
    assert redact_bsn(f"dossier voor {VALID_BSN} geopend") == "dossier voor ********* geopend"
    assert redact_bsn(f"factuur {NOT_A_BSN}") == f"factuur {NOT_A_BSN}"
    assert redact_bsn(f"a{VALID_BSN}b") == "a*********b"
    # part of a longer number is not a BSN
    assert redact_bsn(f"1{VALID_BSN}") == f"1{VALID_BSN}"


def test_redact_filter_on_record_with_args():
    """Rule: the logging filter masks a BSN that arrives through the record's args."""
    record = logging.LogRecord(
        "cases", logging.INFO, __file__, 1, "zoeken op %s door %s", (VALID_BSN, "wc_a"), None
    )
    assert RedactBsnFilter().filter(record) is True
    message = record.getMessage()
    assert VALID_BSN not in message
    assert message == "zoeken op ********* door wc_a"

    harmless = logging.LogRecord(
        "cases", logging.INFO, __file__, 1, "nummer %s", (NOT_A_BSN,), None
    )
    assert RedactBsnFilter().filter(harmless) is True
    assert harmless.getMessage() == f"nummer {NOT_A_BSN}"
    assert harmless.args == (NOT_A_BSN,)


def test_configured_console_handler_redacts_bsn():
    """Rule: the configured console handler writes no BSN."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if any(isinstance(f, RedactBsnFilter) for f in h.filters)]
    assert handlers, "no root handler carries RedactBsnFilter"
    handler = handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    old_stream = handler.setStream(buffer)
    try:
        logging.getLogger("cases.test").warning("BSN %s gezocht", VALID_BSN)
    finally:
        handler.setStream(old_stream)
    output = buffer.getvalue()
    assert "gezocht" in output
    assert VALID_BSN not in output
    assert "*********" in output


# --------------------------------------------------------------------------------------------
# 6. BSN never in URLs: the caseload search is a POST
# --------------------------------------------------------------------------------------------


def test_caseload_search_by_bsn_is_post_and_keeps_bsn_out_of_url(world, login):
    """Rule: the caseload search is a POST; the redirect carries no BSN; the result is kept in
    the session and narrows the caseload."""
    with scopes_disabled():
        Inburgeraar.objects.filter(pk=world.dossier_a.inburgeraar_id).update(
            voornamen="Zaid", achternaam="Alfazoeknaam"
        )
        Inburgeraar.objects.filter(pk=world.dossier_a2.inburgeraar_id).update(
            voornamen="Rana", achternaam="Betazoeknaam"
        )
        bsn = world.dossier_a.inburgeraar.bsn
    client = login(world.teamleider_a)
    before = client.get("/dossiers/").content.decode()
    assert "Alfazoeknaam" in before
    assert "Betazoeknaam" in before

    response = client.post("/dossiers/zoeken/", {"zoekterm": bsn})
    assert response.status_code == 302
    assert bsn not in response["Location"]
    assert response["Location"].startswith("/dossiers/")

    after = client.get(response["Location"])
    assert after.status_code == 200
    html = after.content.decode()
    assert "Alfazoeknaam" in html
    assert "Betazoeknaam" not in html


def test_caseload_search_get_not_allowed(world, login):
    """Rule: GET on the search is 405, so a BSN can never be put in its URL."""
    client = login(world.teamleider_a)
    bsn = world.dossier_a.inburgeraar.bsn
    assert client.get("/dossiers/zoeken/").status_code == 405
    assert client.get("/dossiers/zoeken/", {"zoekterm": bsn}).status_code == 405


def test_caseload_search_does_not_cross_gemeenten(world, login):
    """Rule: searching for another gemeente's BSN finds nothing."""
    client = login(world.werkcoach_a)
    response = client.post("/dossiers/zoeken/", {"zoekterm": world.dossier_b.inburgeraar.bsn})
    html = client.get(response["Location"]).content.decode()
    assert world.dossier_b.inburgeraar.volledige_naam not in html


# --------------------------------------------------------------------------------------------
# 7. Health check
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_missing_worker(client):
    """Rule: /healthz is 503 when a dependency is down, naming which one (no worker runs on the
    test Redis database here)."""
    assert settings.REDIS_URL.endswith("/15")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"] == {"database": "up", "redis": "up", "celeryWorker": "down"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_get_only(client):
    """Rule: /healthz answers GET only."""
    assert client.post("/healthz").status_code == 405
