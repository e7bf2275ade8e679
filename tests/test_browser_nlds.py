"""The NL Design System shell in a real browser (issue 10): at 1366×900 and 390×844 the caseload
and a dossier use the self-hosted component CSS (nothing from another origin), show the utrecht
page header, navigation and buttons, are no wider than the viewport, and on a phone the header
stays under 100 px with the navigation folded behind "Menu" (a <details>, so it works without
JavaScript). Screenshots go to /tmp/screens/<page>-<width>.png (not committed) to look at."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from .factories import PASSWORD

pytestmark = pytest.mark.browser

SCHERMEN = Path(tempfile.gettempdir()) / "screens"
MATEN = [(1366, 900), (390, 844)]


def _inloggen(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dossiers/**")


def _stylesheets(page: Page) -> list[str]:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(l => l.href)"
    )


@pytest.mark.parametrize(("breedte", "hoogte"), MATEN)
def test_caseload_and_dossier_use_the_nl_design_system(
    live_server, world, browser: Browser, breedte: int, hoogte: int
) -> None:
    base = live_server.url
    context = browser.new_context(locale="nl-NL", viewport={"width": breedte, "height": hoogte})
    page = context.new_page()
    andere_bronnen: list[str] = []
    page.on(
        "request",
        lambda r: (
            andere_bronnen.append(r.url)
            if urlsplit(r.url).netloc != urlsplit(base).netloc and not r.url.startswith("data:")
            else None
        ),
    )
    _inloggen(page, base, world.werkcoach_a.username)
    paginas = {"caseload": "/dossiers/", "dossier": f"/dossiers/{world.dossier_a.uuid}/"}
    for naam, pad in paginas.items():
        response = page.goto(f"{base}{pad}")
        assert response is not None and response.status == 200, pad
        bladen = _stylesheets(page)
        nlds = [b for b in bladen if "/static/vendor/utrecht/" in b]
        assert nlds, bladen
        assert all(urlsplit(b).netloc == urlsplit(base).netloc for b in bladen), bladen
        assert all(urlsplit(b).path.startswith("/static/") for b in bladen), bladen
        # the component CSS applied: the utrecht page header, coloured by our theme
        header = page.locator("header.utrecht-page-header")
        expect(header).to_have_count(1)
        kleur = header.evaluate("el => getComputedStyle(el).backgroundColor")
        assert kleur == "rgb(11, 79, 138)", kleur
        expect(page.locator("nav.utrecht-nav-bar")).to_have_count(1)
        assert page.locator(".utrecht-button, .utrecht-button-link").count() > 0
        assert page.locator("body.inburgering-theme").count() == 1
        breed = page.evaluate("() => document.documentElement.scrollWidth")
        assert breed <= breedte, (naam, breed, breedte)
        SCHERMEN.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCHERMEN / f"{naam}-{breedte}.png"), full_page=True)

        menu = page.locator("details.site-menu")
        signalen = page.locator("#nav-signalen")
        if breedte < 600:
            hoogte_kop = header.evaluate("el => el.getBoundingClientRect().height")
            assert hoogte_kop < 100, (naam, hoogte_kop)
            expect(signalen).to_be_hidden()
            page.locator("summary.site-menu__toggle").click()
            expect(menu).to_have_attribute("open", "")
            expect(signalen).to_be_visible()
            page.screenshot(path=str(SCHERMEN / f"{naam}-{breedte}-menu.png"))
            page.locator("summary.site-menu__toggle").click()
            expect(signalen).to_be_hidden()
        else:
            # a bar: the navigation is visible although the <details> is closed, and no menu button
            assert menu.get_attribute("open") is None
            expect(signalen).to_be_visible()
            expect(page.locator("summary.site-menu__toggle")).to_be_hidden()
    assert andere_bronnen == [], andere_bronnen
    context.close()


def test_the_menu_works_without_javascript(live_server, world, browser: Browser) -> None:
    base = live_server.url
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    _inloggen(page, base, world.werkcoach_a.username)
    expect(page.locator("#nav-signalen")).to_be_hidden()
    page.locator("summary.site-menu__toggle").click()
    expect(page.locator("#nav-signalen")).to_be_visible()
    context.close()


def test_filters_fold_away_on_a_phone_and_a_skip_link_leads_to_the_results(
    live_server, world, browser: Browser
) -> None:
    base = live_server.url
    for breedte, hoogte in MATEN:
        context = browser.new_context(locale="nl-NL", viewport={"width": breedte, "height": hoogte})
        page = context.new_page()
        _inloggen(page, base, world.werkcoach_a.username)
        fase = page.get_by_label("Fase")
        if breedte < 768:
            # the client list comes before ~750 px of filters: they wait behind one control
            expect(fase).to_be_hidden()
            lijst_boven = page.locator("#caseload-table").bounding_box()
            assert lijst_boven is not None and lijst_boven["y"] < 600, lijst_boven
            page.locator("summary.filter-toggle__summary").click()
            expect(fase).to_be_visible()
            fase.select_option("intake")
            page.wait_for_url("**fase=intake**")
            # a filter chosen: the control shows it and stays open on the next page
            page.goto(f"{base}/dossiers/?fase=intake")
            expect(page.locator("summary.filter-toggle__summary")).to_have_text("Filters (1)")
            expect(page.get_by_label("Fase")).to_be_visible()
        else:
            expect(fase).to_be_visible()
            expect(page.locator("summary.filter-toggle__summary")).to_be_hidden()
        # the skip link is the first stop after the page's own and takes focus to the results
        page.goto(f"{base}/dossiers/")
        link = page.get_by_role("link", name="Naar de resultaten")
        link.focus()
        expect(link).to_be_visible()
        link.press("Enter")
        expect(page).to_have_url(f"{base}/dossiers/#caseload-table")
        context.close()
