"""Accessibility and fit of the main pages, in a real browser (issue 10).

On demo data, as each role, in Dutch, at 1366×900 and 390×844, axe-core (npm, self-hosted) runs
over every main page with the WCAG 2.x A/AA rules: zero violations, and no page wider than its
viewport. Per page the violations, height and width go to ``$UI_METINGEN`` (JSON, for the
report) and screenshots to ``$UI_SCREENSHOTS`` when those are set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import Page

from cases.models import Dossier
from demo.dossiers import DEMO_PASSWORD
from pip_plans.constants import PipStatus
from pip_plans.models import Pip

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
HBEL = ("Huizen", "Blaricum", "Eemnes", "Laren")
MATEN = {"laptop": (1366, 900), "telefoon": (390, 844)}
# the dossier's sections besides its overview, each at its own URL
SECTIES = ("intake", "pip", "termijnen", "begeleiding", "handhaving", "tijdlijn", "historie")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _paginas() -> dict[str, list[tuple[str, str]]]:
    """Per demo user, the pages they use daily: (name, path)."""
    with scopes_disabled():
        pip = (
            Pip.objects.filter(
                status=PipStatus.VASTGESTELD,
                dossier__gemeente__naam__in=HBEL,
                dossier__werkcoach__username="werkcoach",
            )
            .select_related("dossier")
            .order_by("pk")
            .first()
        )
        assert pip is not None, "the demo has a vastgestelde PIP of the werkcoach"
        dossier: Dossier = pip.dossier
        intake = dossier.intake
        begeleid = Dossier.objects.filter(begeleider__username="begeleider").order_by("pk").first()
        assert begeleid is not None
    dossier_pad = f"/dossiers/{dossier.uuid}/"
    return {
        "werkcoach": [
            ("caseload", "/dossiers/"),
            ("dossier", dossier_pad),
            *((f"dossier-{sectie}", f"{dossier_pad}{sectie}/") for sectie in SECTIES),
            ("intake", f"/pip/intake/{intake.uuid}/"),
            ("pip", f"/pip/{pip.uuid}/"),
            ("signalen", "/dossiers/signalen/"),
        ],
        "teamleider": [
            ("termijnen", "/dossiers/termijnen/"),
            ("wachtrij", "/pip/goedkeuren/"),
            ("boetes-wachtrij", "/handhaving/goedkeuren/"),
            ("handhaving-overzicht", "/handhaving/overzicht/"),
            ("caseload-team", "/dossiers/?werkcoach=alle"),
        ],
        "begeleider": [
            ("caseload-begeleider", "/dossiers/"),
            ("dossier-begeleider", f"/dossiers/{begeleid.uuid}/"),
            ("dossier-begeleider-tijdlijn", f"/dossiers/{begeleid.uuid}/tijdlijn/"),
            ("dossier-begeleider-begeleiding", f"/dossiers/{begeleid.uuid}/begeleiding/"),
            ("mijn-clienten", "/begeleiding/"),
        ],
        "coordinator": [("aanmeldingen", "/begeleiding/aanmeldingen/")],
        "auditor": [
            ("dossier-auditor", dossier_pad),
            ("dossier-auditor-historie", f"{dossier_pad}historie/"),
            ("dossier-auditor-verantwoording", f"{dossier_pad}verantwoording/"),
            ("export-auditor", "/verantwoording/export/"),
            ("bewaring-auditor", "/bewaring/"),
        ],
        # after the werkcoach's visits above, so the log has their reads of this person
        "privacy": [
            ("wie-keek", f"/verantwoording/personen/{dossier.inburgeraar.uuid}/verwerkingen/"),
            ("export-privacy", "/verantwoording/export/"),
            ("inzageverzoeken", "/verantwoording/inzageverzoeken/"),
        ],
        "beheerder": [
            ("logboekcontrole", "/logboek/controles/"),
            ("bewaring", "/bewaring/"),
            ("sessies", "/account/sessies/"),
            ("tweede-factor", "/account/tweede-factor/"),
            ("tweede-factor-instellen", "/account/tweede-factor/instellen/"),
            ("wachtwoord", "/account/wachtwoord/"),
        ],
    }


def _inloggen(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dossiers/**")


def _meten(page: Page) -> dict:
    page.evaluate(AXE.read_text())  # evaluated by the test driver, not a page script: the CSP stays
    resultaat = page.evaluate(
        "async (tags) => {"
        " const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " voorbeeld: v.nodes[0] && v.nodes[0].target.join(' ')})); }",
        WCAG,
    )
    maten = page.evaluate(
        "() => { const s = document.getElementById('dossier-sectie');"
        " return {hoogte: document.documentElement.scrollHeight,"
        " breedte: document.documentElement.scrollWidth, venster: window.innerWidth,"
        " venster_hoogte: window.innerHeight,"
        " sectie_onderkant: s ? Math.ceil(s.getBoundingClientRect().bottom + scrollY) : null}; }"
    )
    return {"schendingen": resultaat, **maten}


@pytest.fixture
def demo(db):
    call_command("demo_data", aantal=60, verbosity=0)


def test_main_pages_fit_their_viewport_and_pass_axe(live_server, browser, demo):
    base = live_server.url
    metingen: dict[str, dict] = {}
    schermen = os.environ.get("UI_SCREENSHOTS")
    for rol, paginas in _paginas().items():
        for maat, (breedte, hoogte) in MATEN.items():
            context = browser.new_context(
                locale="nl-NL", viewport={"width": breedte, "height": hoogte}
            )
            page = context.new_page()
            _inloggen(page, base, rol)
            for naam, pad in paginas:
                response = page.goto(f"{base}{pad}")
                assert response is not None and response.status == 200, (rol, pad)
                meting = _meten(page)
                metingen[f"{rol}/{naam}/{maat}"] = meting
                if schermen:
                    Path(schermen).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{schermen}/{naam}-{breedte}.png", full_page=True)
            context.close()
    uitvoer = os.environ.get("UI_METINGEN")
    if uitvoer:
        Path(uitvoer).write_text(json.dumps(metingen, indent=2, ensure_ascii=False))

    te_breed = {
        k: (m["breedte"], m["venster"]) for k, m in metingen.items() if m["breedte"] > m["venster"]
    }
    schendingen = {k: m["schendingen"] for k, m in metingen.items() if m["schendingen"]}
    assert not te_breed, f"wider than the viewport: {te_breed}"
    # the dossier header plus its overview fit one laptop screen, for each role that opens it
    overzicht = {
        k: m["sectie_onderkant"]
        for k, m in metingen.items()
        if k.split("/")[1] in ("dossier", "dossier-begeleider", "dossier-auditor")
        and k.endswith("/laptop")
    }
    assert len(overzicht) == 3
    assert all(o is not None and o <= MATEN["laptop"][1] for o in overzicht.values()), overzicht
    assert not schendingen, schendingen
    # every page of every role at both sizes was measured
    assert len(metingen) == 2 * sum(len(p) for p in _paginas().values()) == 2 * 37
