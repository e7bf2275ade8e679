"""Issue 8, defect 13: BSNs out of tracebacks, ``Cache-Control: no-store`` on personal data, and a
security.txt with a real contact and an expiry under a year (RFC 9116)."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from cases.models import Inburgeraar
from inburgering.core.logging import RedactBsnFilter

from .test_security import _manage, _production_env

VALID_BSN = "111222333"


def _root_handler() -> logging.StreamHandler:
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactBsnFilter) for f in h.filters)
    ]
    assert handlers, "no root handler carries RedactBsnFilter"
    return handlers[0]  # type: ignore[return-value]


def _log_output(emit) -> str:
    handler = _root_handler()
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        emit()
    finally:
        handler.setStream(old)
    return buffer.getvalue()


@pytest.mark.django_db
def test_integrity_error_traceback_in_the_log_carries_no_bsn(world):
    """A real duplicate-key IntegrityError quotes the BSN in its text; the configured handler
    writes the traceback without it."""
    bestaand = world.dossier_a.inburgeraar

    def emit() -> None:
        try:
            with scopes_disabled(), transaction.atomic():
                Inburgeraar.objects.create(
                    bsn=bestaand.bsn,
                    voornamen="X",
                    achternaam="Y",
                    geboortedatum=bestaand.geboortedatum,
                )
        except IntegrityError as exc:
            assert bestaand.bsn in str(exc)  # the database did quote it
            logging.getLogger("django.request").exception("Internal Server Error: /dossiers/nieuw/")

    output = _log_output(emit)
    assert "IntegrityError" in output and "Traceback" in output
    assert bestaand.bsn not in output
    assert "*********" in output


def test_exception_text_with_a_bsn_in_other_digits_is_redacted():
    def emit() -> None:
        try:
            arabisch = VALID_BSN.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
            raise ValueError(f"bsn {VALID_BSN} / {arabisch}")
        except ValueError:
            logging.getLogger("cases.test").error("mislukt", exc_info=True, stack_info=True)

    output = _log_output(emit)
    assert "ValueError" in output
    assert VALID_BSN not in output
    assert "١١١٢٢٢٣٣٣" not in output


def test_filter_redacts_exc_text_for_every_handler():
    try:
        raise RuntimeError(f"Key (bsn)=({VALID_BSN}) already exists.")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    assert RedactBsnFilter().filter(record)
    assert VALID_BSN not in logging.Formatter().format(record)


# --- Cache-Control: no-store --------------------------------------------------------------------


def test_pages_for_a_logged_in_user_are_no_store(world, login):
    client = login(world.werkcoach_a)
    for url in ("/dossiers/", f"/dossiers/{world.dossier_a.uuid}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url


def test_api_answers_are_no_store(world, api):
    response = api(world.werkcoach_a).get(f"/api/v1/dossiers/{world.dossier_a.uuid}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # an error (no token) is no-store too: every /api/ answer
    anonymous = api(world.werkcoach_a)
    anonymous.credentials()
    assert "no-store" in anonymous.get("/api/v1/dossiers")["Cache-Control"]


# --- security.txt --------------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 12, 1, 21, 0, tzinfo=UTC), tick=False)
def test_security_txt_has_the_configured_contact_and_an_expiry_under_a_year(client, settings):
    settings.SECURITY_TXT_CONTACT = "mailto:security@gemeente-huizen.nl"
    body = client.get("/.well-known/security.txt").content.decode()
    velden = dict(line.split(": ", 1) for line in body.strip().splitlines())
    assert velden["Contact"] == "mailto:security@gemeente-huizen.nl"
    expires = datetime.strptime(velden["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
    assert now < expires < now + timedelta(days=365)


@pytest.mark.django_db
def test_security_txt_expiry_moves_with_the_calendar(client):
    """Computed per request: a year later it is still in the future (no stale fixed date)."""
    for jaar in (2026, 2031):
        now = datetime(jaar, 6, 1, 12, 0, tzinfo=UTC)
        with time_machine.travel(now, tick=False):
            body = client.get("/.well-known/security.txt").content.decode()
        regel = next(r for r in body.splitlines() if r.startswith("Expires: "))
        expires = datetime.strptime(regel[9:], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        assert now < expires < now + timedelta(days=365)


def test_settings_refuse_an_expiry_of_a_year_or_more():
    result = _manage("check", env=_production_env(SECURITY_TXT_EXPIRES_DAYS="400"))
    assert result.returncode != 0
    assert "SECURITY_TXT_EXPIRES_DAYS" in result.stderr


@pytest.mark.parametrize(
    "contact", [None, "mailto:security@example.org", "https://example.com/security", "nobody"]
)
def test_production_refuses_a_missing_or_example_contact(contact):
    result = _manage("check", env=_production_env(SECURITY_TXT_CONTACT=contact))
    assert result.returncode != 0
    assert "SECURITY_TXT_CONTACT" in result.stderr
