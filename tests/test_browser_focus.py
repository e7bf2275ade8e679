"""After a refused form the focus moves to the error summary (issue 8, defect 9), so keyboard
and screen-reader users start at what to correct — under the strict CSP (no inline script)."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from pip_plans import services

from .test_browser import log_in

pytestmark = pytest.mark.browser

ACTIEF = "() => { const e = document.activeElement; return e ? e.id + '|' + e.className : ''; }"


def test_refused_intake_conversation_focuses_the_error_summary(live_server, world, page):
    with scopes_disabled():
        intake = services.intake_starten(user=world.werkcoach_a, dossier=world.dossier_a)
    base = live_server.url
    log_in(page, base, world.werkcoach_a.username)
    page.goto(f"{base}/pip/intake/{intake.uuid}/")
    formulier = page.locator("#gesprek-form")
    formulier.locator("input[name=datum]").fill("")
    formulier.locator("button[type=submit]").click()

    samenvatting = page.locator("#gesprek-form .error-summary")
    expect(samenvatting).to_be_visible()
    expect(samenvatting).to_be_focused()
    assert page.evaluate(ACTIEF) == "error-summary|error-summary"
    # the summary's links lead to the field of this form (unique ids)
    link = samenvatting.locator("a").first
    doel = link.get_attribute("href")
    assert doel and doel.startswith("#id_gesprek-")
    link.click()
    expect(page.locator(doel)).to_be_focused()
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_refused_registration_focuses_the_error_summary(live_server, world, page):
    base = live_server.url
    log_in(page, base, world.werkcoach_a.username)
    page.goto(f"{base}/dossiers/nieuw/")
    page.locator("#dossier-form button[type=submit]").first.click()
    samenvatting = page.locator(".error-summary")
    expect(samenvatting).to_be_visible()
    expect(samenvatting).to_be_focused()
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_a_page_without_errors_keeps_the_focus_where_it_was(live_server, world, page):
    base = live_server.url
    log_in(page, base, world.werkcoach_a.username)
    page.goto(f"{base}/dossiers/nieuw/")
    assert page.locator(".error-summary").count() == 0
    assert page.evaluate("() => document.activeElement === document.body")


def test_refused_note_swapped_in_by_htmx_focuses_its_error_summary(live_server, world, page):
    base = live_server.url
    log_in(page, base, world.werkcoach_a.username)
    page.goto(f"{base}/dossiers/{world.dossier_a.uuid}/tijdlijn/")
    page.locator("#notitie-form textarea").fill("   ")  # passes `required`, refused by the server
    page.locator("#notitie-form button[type=submit]").click()
    samenvatting = page.locator("#notitie-form .error-summary")
    expect(samenvatting).to_be_visible()
    expect(samenvatting).to_be_focused()
    assert page.csp_violations == []  # type: ignore[attr-defined]
