"""Lists that fit (issue 10), in a real browser on demo data, in Dutch.

At 1366×900 the caseload table is no wider than its wrapper (nothing to scroll sideways) for the
werkcoach and for the teamleider's team caseload with every column and the select boxes; a value
cut off with an ellipsis keeps its full text (in the element and its title). At 390×844 every row
of the caseload, the signals inbox and the approval queue is a card (``table--kaarten``): a block
or grid no wider than the viewport, its title the row's header cell, every other cell showing its
``data-label``; the column headers are out of sight but still in the table, links and checkboxes
are at least 44×44 px, and the page does not scroll sideways. Screenshots go to
``$UI_SCREENSHOTS`` when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from demo.dossiers import DEMO_PASSWORD

pytestmark = pytest.mark.browser

LAPTOP = (1366, 900)
TELEFOON = (390, 844)
DOEL = 44  # px, the smallest tap target on a phone


@pytest.fixture
def demo(db):
    call_command("demo_data", aantal=60, verbosity=0)


def _pagina(browser: Browser, base: str, username: str, maat: tuple[int, int]) -> Page:
    breedte, hoogte = maat
    context = browser.new_context(locale="nl-NL", viewport={"width": breedte, "height": hoogte})
    page = context.new_page()
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dossiers/**")
    return page


def _openen(page: Page, url: str, naam: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    schermen = os.environ.get("UI_SCREENSHOTS")
    if schermen:
        Path(schermen).mkdir(parents=True, exist_ok=True)
        breedte = page.viewport_size["width"] if page.viewport_size else 0
        page.screenshot(path=f"{schermen}/lijst-{naam}-{breedte}.png", full_page=True)


def _pagina_breedte(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


MAAT_TABEL = """(sel) => {
  const tabel = document.querySelector(sel);
  const wrapper = tabel.closest('.table-wrapper');
  return {
    wrapperScroll: wrapper.scrollWidth, wrapperClient: wrapper.clientWidth,
    tabel: tabel.getBoundingClientRect().width,
    wrapperBreedte: wrapper.getBoundingClientRect().width,
    kolommen: Array.from(tabel.querySelectorAll('thead th')).map(th => th.textContent.trim()),
  };
}"""

AFGEKAPT = """(sel) => Array.from(document.querySelectorAll(sel + ' .table__afgekapt')).map(el => ({
  tekst: el.textContent.trim(), title: el.getAttribute('title'),
  afgekapt: el.scrollWidth > el.clientWidth,
}))"""


def test_the_caseload_fits_1366_without_sideways_scrolling(live_server, browser, demo):
    base = live_server.url
    gevallen = {
        "werkcoach": ("/dossiers/", False),
        "teamleider": ("/dossiers/?werkcoach=alle", True),
    }
    for gebruiker, (pad, selectie) in gevallen.items():
        page = _pagina(browser, base, gebruiker, LAPTOP)
        _openen(page, f"{base}{pad}", f"caseload-{gebruiker}")
        rijen = page.locator("#caseload-table tr[data-dossier]")
        assert rijen.count() > 0, gebruiker
        maat = page.evaluate(MAAT_TABEL, "#caseload-table table")
        assert maat["wrapperScroll"] <= maat["wrapperClient"], (gebruiker, maat)
        assert maat["tabel"] <= maat["wrapperBreedte"], (gebruiker, maat)
        assert _pagina_breedte(page) <= LAPTOP[0], gebruiker
        # the columns a werkcoach works from; the demo's team serves four gemeenten
        for kolom in ("Naam", "Doelgroep", "Gemeente", "Fase", "Termijn", "Werkcoach"):
            assert kolom in maat["kolommen"], (gebruiker, maat["kolommen"])
        eerste = rijen.first
        assert eerste.locator("th[scope=row] .table__sub").inner_text().strip() != ""  # born …
        assert "BRP" in eerste.locator("td[data-label=Fase]").inner_text()
        if selectie:
            # all columns incl. the select boxes, and still no sideways scrolling
            assert page.locator("#select-all").is_visible()
            assert rijen.locator("td.table__select input[type=checkbox]").count() == rijen.count()
            assert rijen.first.locator("td.table__select input").is_visible()
        else:
            assert page.locator("#caseload-table .table__select").count() == 0
        # a value that is cut off keeps its full text, in the element and in its title
        afgekapt = page.evaluate(AFGEKAPT, "#caseload-table")
        assert afgekapt, gebruiker
        assert all(a["title"] == a["tekst"] and a["tekst"] for a in afgekapt), afgekapt
        page.context.close()


def _kaarten(page: Page, rij_selector: str, naam: str) -> None:
    """Every row is a card within the viewport; its labels are shown; headers are for SR only."""
    breedte = TELEFOON[0]
    rijen = page.locator(rij_selector)
    aantal = rijen.count()
    assert aantal > 0, naam
    kaarten = page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel)).map(tr => {
          const r = tr.getBoundingClientRect();
          const cellen = Array.from(tr.querySelectorAll(':scope > td[data-label]'))
            .filter(td => !td.classList.contains('table__select'));
          return {
            display: getComputedStyle(tr).display, links: r.left, rechts: r.right, breedte: r.width,
            titelEerst: tr.querySelector(':scope > th[scope=row]').getBoundingClientRect().top
              <= Math.min(...cellen.map(td => td.getBoundingClientRect().top)),
            labels: cellen.map(td => ({
              label: td.dataset.label,
              getoond: getComputedStyle(td, '::before').content,
              zichtbaar: td.getBoundingClientRect().height > 0,
            })),
            ongelabeld: tr.querySelectorAll(':scope > td:not([data-label])').length,
          };
        })""",
        rij_selector,
    )
    assert len(kaarten) == aantal
    for kaart in kaarten:
        assert kaart["display"] in ("block", "grid", "flex"), (naam, kaart)
        assert kaart["links"] >= 0 and kaart["rechts"] <= breedte, (naam, kaart)
        assert kaart["titelEerst"], (naam, kaart)
        assert kaart["ongelabeld"] == 0, (naam, kaart)
        assert kaart["labels"], (naam, kaart)
        for cel in kaart["labels"]:
            assert cel["zichtbaar"], (naam, cel)
            assert cel["label"] and cel["label"] in cel["getoond"], (naam, cel)
    # the label text is really painted: the first card reads "Label: value"
    eerste = rijen.first
    cel = eerste.locator("td[data-label]:not(.table__select)").first
    label = cel.get_attribute("data-label")
    assert label and cel.is_visible()
    # the column headers are out of sight but still in the table for screen readers
    koppen = page.evaluate(
        """(sel) => { const t = document.querySelector(sel).closest('table');
          return Array.from(t.querySelectorAll('thead th:not(.table__select)')).map(th => {
            const r = th.getBoundingClientRect();
            return [th.textContent.trim(), r.width, r.height]; }); }""",
        rij_selector,
    )
    assert koppen and all(tekst and w <= 1 and h <= 1 for tekst, w, h in koppen), (naam, koppen)
    # tap targets: the links (and checkboxes) in a card are at least 44 × 44 px
    doelen = page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(
             sel + ' a, ' + sel + ' input[type=checkbox], ' + sel + ' button'
           )).map(el => { const r = el.getBoundingClientRect();
             return [el.tagName, el.textContent.trim(), r.width, r.height]; })""",
        rij_selector,
    )
    assert doelen, naam
    klein = [d for d in doelen if d[2] < DOEL - 0.5 or d[3] < DOEL - 0.5]
    assert not klein, (naam, klein)
    assert _pagina_breedte(page) <= breedte, naam


def test_lists_become_cards_on_a_phone(live_server, browser, demo):
    base = live_server.url
    page = _pagina(browser, base, "werkcoach", TELEFOON)
    _openen(page, f"{base}/dossiers/", "caseload-werkcoach")
    _kaarten(page, "#caseload-table tbody tr[data-dossier]", "caseload")
    _openen(page, f"{base}/dossiers/signalen/", "signalen")
    _kaarten(page, "#signalen tbody tr[data-signaal]", "signalen")
    page.context.close()

    page = _pagina(browser, base, "teamleider", TELEFOON)
    _openen(page, f"{base}/dossiers/?werkcoach=alle", "caseload-teamleider")
    _kaarten(page, "#caseload-table tbody tr[data-dossier]", "caseload-team")
    # "select all" stays usable on a phone: in sight and a 44 px target
    alles = page.locator("#select-all")
    assert alles.is_visible()
    doos = alles.bounding_box()
    assert doos is not None and doos["width"] >= DOEL - 0.5 and doos["height"] >= DOEL - 0.5
    page.context.close()

    page = _pagina(browser, base, "teamleider.hogeland", TELEFOON)
    _openen(page, f"{base}/pip/goedkeuren/", "wachtrij")
    _kaarten(page, ".wachtrij-table tbody tr[data-pip]", "wachtrij")
    page.context.close()
