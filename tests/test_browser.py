"""Browser tests: Playwright (Python) driving Debian's Chromium against the live server."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from cases.constants import Fase

from .factories import PASSWORD, DossierFactory

pytestmark = pytest.mark.browser


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dossiers/")
    expect(page).to_have_url(f"{base}/inloggen/?next=/dossiers/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()


def test_werkcoach_filters_caseload_opens_dossier_and_sees_history(live_server, world, page):
    with scopes_disabled():
        intake = DossierFactory(
            gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, in_intake=True
        )
    base = live_server.url
    log_in(page, base, world.werkcoach_a.username)
    rows = page.locator("tr[data-dossier]")
    expect(rows).to_have_count(2)  # own caseload: dossier_a and the intake dossier

    # Filter by phase: htmx swaps the table and pushes the filter into the URL.
    page.get_by_label("Fase").select_option(Fase.INTAKE.value)
    expect(rows).to_have_count(1)
    expect(page.locator(f'tr[data-dossier="{intake.uuid}"]')).to_be_visible()
    expect(page).to_have_url(re.compile(r"fase=intake"))

    page.get_by_role("link", name=intake.inburgeraar.volledige_naam).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(intake.inburgeraar.achternaam)

    # Add a note from the dossier header: the timeline section opens with the note field
    # focused, and the timeline updates in place (htmx).
    page.get_by_role("link", name="Notitie toevoegen").click()
    expect(page).to_have_url(re.compile(rf"/dossiers/{intake.uuid}/tijdlijn/#notitie-tekst$"))
    expect(page.get_by_label("Notitie")).to_be_focused()
    page.keyboard.type("Intakegesprek ingepland met tolk")
    page.get_by_role("button", name="Notitie toevoegen").click()
    expect(page.locator("#tijdlijn")).to_contain_text("Intakegesprek ingepland met tolk")

    # Another section through its tab: htmx swaps the section in and pushes its own URL;
    # the header stays, the focus goes to the section's heading.
    kop = page.locator("#dossier-kop").element_handle()
    page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
        "link", name="Historie"
    ).click()
    expect(page).to_have_url(f"{base}/dossiers/{intake.uuid}/historie/")
    history = page.locator("#historie")
    expect(history).to_be_visible()
    expect(history).to_contain_text("Dossier")
    expect(page.get_by_role("heading", name="Historie", level=2)).to_be_focused()
    expect(page.locator('.dossier-tabs__link[aria-current="page"]')).to_have_text("Historie")
    assert kop is not None and kop.evaluate("el => el.isConnected")  # not reloaded: swapped
    expect(page).to_have_title(re.compile(r"^Historie — "))
    # the same URL opened directly (a bookmark) gives the same section, without htmx
    page.goto(f"{base}/dossiers/{intake.uuid}/historie/")
    expect(page.locator("#historie")).to_contain_text("Dossier")
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_begeleider_sees_only_assigned_dossiers(live_server, world, page):
    base = live_server.url
    log_in(page, base, world.begeleider_a.username)
    rows = page.locator("tr[data-dossier]")
    expect(rows).to_have_count(1)
    expect(page.locator(f'tr[data-dossier="{world.dossier_a.uuid}"]')).to_be_visible()
    # Someone else's dossier, even in the same gemeente, is not found.
    response = page.goto(f"{base}/dossiers/{world.dossier_a2.uuid}/")
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(world.dossier_a2.inburgeraar.achternaam)
    # No history section for a begeleider on their own dossier either.
    page.goto(f"{base}/dossiers/{world.dossier_a.uuid}/")
    expect(page.locator("#historie")).to_have_count(0)


def test_search_by_bsn_posts_and_keeps_bsn_out_of_the_url(live_server, world, page):
    base = live_server.url
    log_in(page, base, world.teamleider_a.username)
    bsn = world.dossier_a2.inburgeraar.bsn
    page.get_by_label("Zoek op naam of BSN").fill(bsn)
    page.get_by_label("Zoek op naam of BSN").press("Enter")
    expect(page.locator("tr[data-dossier]")).to_have_count(1)
    assert bsn not in page.url
