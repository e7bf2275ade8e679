"""Browser test of the termijnen UI: Playwright (Python) driving Debian's Chromium (nl-NL) against
the live server — the header's signal count, "Mijn signalen", the dossier's timeline and an
extension. Assertions use structure, data attributes and counts, so they hold in either
language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from cases.bewaking import sweep
from cases.constants import TermijnStatus
from cases.models import TermijnBeleid, Verlenging
from cases.termijnen import herberekenen

from .conftest import zonder_begeleiding
from .factories import PASSWORD


@pytest.fixture
def world(world):
    """The hub's own clocks (the begeleiding's: tests/test_begeleiding_termijnen.py)."""
    return zonder_begeleiding(world)


pytestmark = pytest.mark.browser


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dossiers/")
    expect(page).to_have_url(f"{base}/inloggen/?next=/dossiers/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()


def test_werkcoach_handles_a_signal_and_extends_a_termijn(live_server, world, page):
    vandaag = timezone.localdate()
    with scopes_disabled():
        TermijnBeleid.objects.create(gemeente=world.gemeente_a, taalstart_weken=6)
        dossier = world.dossier_a
        dossier.datum_brp_inschrijving = vandaag - timedelta(days=40)
        dossier.save()
        klokken = {t.code: t for t in herberekenen(dossier, user=None)}
        sweep(peildatum=vandaag)  # intake overdue, Taalstart due in 2 days: two signals
    intake, taalstart = klokken["intake"], klokken["taalstart"]
    assert intake.status == TermijnStatus.VERLOPEN

    base = live_server.url
    log_in(page, base, world.werkcoach_a.username)

    # The header shows the number of open signals as text.
    teller = page.locator("#signalen-teller")
    expect(teller).to_have_attribute("data-count", "2")
    expect(teller).to_contain_text("2")

    # "Mijn signalen": both signals, mark the warning handled — the count drops.
    page.locator("#nav-signalen").click()
    expect(page).to_have_url(f"{base}/dossiers/signalen/")
    rows = page.locator("tr[data-signaal]")
    expect(rows).to_have_count(2)
    page.locator('tr[data-soort="waarschuwing"] button.signaal-afhandelen').click()
    expect(rows).to_have_count(1)
    expect(page.locator("#signalen-teller")).to_have_attribute("data-count", "1")
    expect(page.locator('.message[role="status"]')).to_be_visible()

    # Follow the overdue signal to the dossier's termijnen.
    page.locator('tr[data-soort="verlopen"] a.signaal-link').click()
    expect(page).to_have_url(
        re.compile(rf"/dossiers/{dossier.uuid}/termijnen/#termijn-{intake.uuid}$")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.inburgeraar.achternaam)
    # the link's target unfolds that termijn's history
    expect(page.locator(f"#termijn-{intake.uuid} details")).to_have_attribute("open", "")
    sectie = page.locator("#termijnen")
    expect(sectie).to_be_visible()
    balken = sectie.locator("svg g.termijn-balk")
    expect(balken).to_have_count(3)

    # The overdue bar: not colour alone — an icon and status text, and a hatched fill.
    verlopen = sectie.locator(f'svg g.termijn-balk[data-termijn="{intake.uuid}"]')
    expect(verlopen).to_have_attribute("data-status", "verlopen")
    expect(verlopen.locator("text.termijn-balk__icoon")).to_have_text("⚠")
    expect(verlopen.locator("tspan.termijn-balk__status")).to_contain_text("⚠")
    fill = verlopen.locator("rect.termijn-balk__balk").evaluate("el => getComputedStyle(el).fill")
    assert "url(" in fill and "termijn-arcering" in fill, fill
    expect(sectie.locator(".termijn-tijdlijn__vandaag line")).to_have_count(1)
    expect(
        sectie.locator(f'tr[data-termijn="{intake.uuid}"] .badge[data-status="verlopen"]')
    ).to_contain_text("⚠")

    # Extend the Taalstart report with a reason.
    nieuw = taalstart.uiterste_datum + timedelta(days=21)
    detail = page.locator(f"#termijn-{taalstart.uuid}")
    detail.locator("summary").click()
    form = detail.locator("form.termijn-form--verlengen")
    expect(form).to_be_visible()
    form.locator(f"#id_verlengen-{taalstart.uuid}-tot").fill(nieuw.isoformat())
    form.locator(f"#id_verlengen-{taalstart.uuid}-reden").fill("Tolk pas over drie weken")
    form.locator('button[type="submit"]').click()

    expect(page).to_have_url(
        re.compile(rf"/dossiers/{dossier.uuid}/termijnen/#termijn-{taalstart.uuid}$")
    )
    expect(page.locator('.message[role="status"]')).to_be_visible()
    rij = page.locator(f'#termijnen tr[data-termijn="{taalstart.uuid}"]')
    expect(rij).to_contain_text(nieuw.strftime("%d-%m-%Y"))
    detail = page.locator(f"#termijn-{taalstart.uuid} details")
    expect(detail).to_have_attribute("open", "")  # unfolded by the redirect's #termijn-…
    expect(detail.locator("tr.termijn-verlenging")).to_be_visible()
    expect(detail.locator("tr.termijn-verlenging")).to_have_count(1)
    expect(detail.locator("tr.termijn-verlenging")).to_contain_text("Tolk pas over drie weken")
    with scopes_disabled():
        verlenging = Verlenging.objects.get(termijn=taalstart)
    assert verlenging.tot_datum == nieuw and verlenging.actor == world.werkcoach_a

    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_on_a_phone_the_deadlines_are_a_vertical_list_with_dates(live_server, world, browser):
    """At 390×844 the wide picture and the table give way to one vertical list: each deadline
    a point on a line, its name, status and due date readable without zooming or scrolling
    sideways; at 1366 the picture is back."""
    with scopes_disabled():
        dossier = world.dossier_a
        dossier.datum_brp_inschrijving = timezone.localdate() - timedelta(days=20)
        dossier.save()
        klokken = herberekenen(dossier, user=None)
    assert len(klokken) >= 2
    base = live_server.url
    for breedte, hoogte, telefoon in ((390, 844, True), (1366, 900, False)):
        context = browser.new_context(locale="nl-NL", viewport={"width": breedte, "height": hoogte})
        page = context.new_page()
        log_in(page, base, world.werkcoach_a.username)
        page.goto(f"{base}/dossiers/{world.dossier_a.uuid}/termijnen/")
        sectie = page.locator("#termijnen")
        if telefoon:
            expect(sectie.locator("figure.termijn-tijdlijn")).to_be_hidden()
            expect(sectie.locator(".termijnen-tabel")).to_be_hidden()
        else:
            expect(sectie.locator("figure.termijn-tijdlijn")).to_be_visible()
        items = sectie.locator(".termijn-details__item")
        expect(items).to_have_count(len(klokken))
        for t in klokken:
            item = sectie.locator(f"#termijn-{t.uuid}")
            expect(item).to_be_visible()
            expect(item.locator("summary")).to_contain_text(t.uiterste_datum.strftime("%d-%m-%Y"))
            box = item.bounding_box()
            assert box is not None and box["x"] + box["width"] <= breedte
        # a point on the line before every deadline (the list's ::before markers)
        punt = items.first.evaluate("el => getComputedStyle(el, '::before').content")
        assert (punt != "none") is telefoon, punt
        assert page.evaluate("document.documentElement.scrollWidth") <= breedte
        context.close()
