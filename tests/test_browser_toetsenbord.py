"""Keyboard-only and phone paths (issue 10): log-in → caseload → dossier → note with the keyboard
alone, and a begeleider on a 390×844 phone reaching the note form of a client in three taps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .factories import PASSWORD

pytestmark = pytest.mark.browser

MAX_TABS = 80  # a bound, so a focus trap fails the test instead of hanging it


def _actief(page: Page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, id: e.id, naam: e.getAttribute('name'),"
        " tekst: (e.innerText || e.value || '').trim(), href: e.getAttribute('href')}; }"
    )


def _tab_naar(page: Page, past, omschrijving: str) -> dict:
    """Press Tab until the focused element matches ``past``; fail after MAX_TABS presses."""
    gezien = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        actief = _actief(page)
        gezien.append(actief["tekst"][:30] or actief["tag"])
        if past(actief):
            return actief
    raise AssertionError(f"{omschrijving} not reached with Tab; focus went through {gezien}")


def test_keyboard_only_log_in_caseload_dossier_note(live_server, world, page):
    base = live_server.url
    naam = world.dossier_a.inburgeraar.volledige_naam
    page.goto(f"{base}/dossiers/")
    _tab_naar(page, lambda a: a["naam"] == "username", "the username field")
    page.keyboard.type(world.werkcoach_a.username)
    _tab_naar(page, lambda a: a["naam"] == "password", "the password field")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()

    # the skip link comes first and leads past the navigation and filters to the results
    _tab_naar(page, lambda a: a["tekst"] == "Naar de resultaten", "the skip link")
    page.keyboard.press("Enter")
    _tab_naar(page, lambda a: a["tekst"] == naam, "the client's name in the caseload")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(naam)

    # "Add note" is in the dossier header: the timeline opens with the note field focused
    _tab_naar(page, lambda a: a["id"] == "kop-notitie", "Notitie toevoegen in the header")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tijdlijn/#notitie-tekst$"))
    expect(page.get_by_label("Notitie")).to_be_focused()
    page.keyboard.type("Gebeld met de kinderopvang")
    _tab_naar(page, lambda a: a["tag"] == "BUTTON", "the note's submit button")
    page.keyboard.press("Enter")
    expect(page.locator("#tijdlijn .tijdlijn__item").first).to_contain_text(
        "Gebeld met de kinderopvang"
    )

    # the dossier's sections are reachable by keyboard too, and the focus follows the swap
    _tab_naar(page, lambda a: (a["href"] or "").endswith("/termijnen/"), "the Termijnen tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Termijnen", level=2)).to_be_focused()
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_begeleider_on_a_phone_reaches_the_note_form_in_three_taps(live_server, world, browser):
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(world.begeleider_a.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()

    tikken = 0
    naam = page.get_by_role("link", name=world.dossier_a.inburgeraar.volledige_naam)
    naam.tap()  # 1: the client in the list
    tikken += 1
    notitie = page.get_by_role("link", name="Notitie toevoegen")
    expect(notitie).to_be_in_viewport()  # in the header, without scrolling
    box = notitie.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44  # a large tap target
    notitie.tap()  # 2: the header's "Add note"
    tikken += 1
    veld = page.get_by_label("Notitie")
    expect(veld).to_be_in_viewport()
    veld.fill("Huisbezoek: post doorgenomen, afspraak bij de huisarts gemaakt")
    page.get_by_role("button", name="Notitie toevoegen").tap()  # 3: save
    tikken += 1
    expect(page.locator("#tijdlijn .tijdlijn__item").first).to_contain_text("Huisbezoek")
    assert tikken <= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
