"""Browser test of maatschappelijke begeleiding, in Dutch: the werkcoach refers a client → the
partner's coördinator accepts and assigns a begeleider → the begeleider, on a phone (390×844),
logs a home visit with a signal for the werkcoach → the werkcoach sees the visit and its signal
on the dossier (the begeleiding section and the timeline) and in "Mijn signalen". axe-core
(WCAG 2.x A/AA) finds nothing on every page, at 1366×900 and 390×844, and no page is wider than
its viewport; screenshots go to ``$UI_SCREENSHOTS`` (default ``/tmp/screens``).

Assertions are on URLs, ids and data attributes, not on wording (the Dutch catalogue is merged
separately)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from begeleiding.models import Aanmelding, Contactmoment
from cases.models import Signaal
from inburgering.accounts.constants import Rol

from .factories import PASSWORD, DossierFactory, user_met_rol
from .test_browser_axe import AXE, MATEN, WCAG

pytestmark = pytest.mark.browser

TELEFOON = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def _schermen() -> str:
    return os.environ.get("UI_SCREENSHOTS", "/tmp/screens")  # noqa: S108


def _axe(page: Page, naam: str) -> list[dict]:
    """axe's violations on this page at both sizes, and a screenshot of each."""
    terug = page.viewport_size
    gevonden = []
    for maat, (breedte, hoogte) in MATEN.items():
        page.set_viewport_size({"width": breedte, "height": hoogte})
        page.evaluate(AXE.read_text())  # by the test driver, not a page script: CSP stays strict
        schendingen = page.evaluate(
            "async (tags) => {"
            " const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
            " voorbeeld: v.nodes[0] && v.nodes[0].target.join(' ')})); }",
            WCAG,
        )
        breed = page.evaluate("() => document.documentElement.scrollWidth")
        if breed > breedte:
            schendingen.append({"id": "te-breed", "breedte": breed, "venster": breedte})
        gevonden += [{"pagina": naam, "maat": maat, **s} for s in schendingen]
        Path(_schermen()).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{_schermen()}/begeleiding-{naam}-{breedte}.png", full_page=True)
    if terug:
        page.set_viewport_size(terug)
    return gevonden


def _inloggen(browser, base: str, username: str, viewport: dict) -> tuple:
    context = browser.new_context(locale="nl-NL", viewport=viewport)
    page = context.new_page()
    csp: list[str] = []
    page.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/(?!inloggen)"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    return context, page, csp


def test_referral_to_a_visit_with_a_signal_seen_by_the_werkcoach(live_server, world, browser):
    with scopes_disabled():
        coordinator = user_met_rol(Rol.COORDINATOR, world.partner_a, username="coord_a")
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    base = live_server.url
    sectie = f"{base}/dossiers/{dossier.uuid}/begeleiding/"
    schendingen: list[dict] = []
    csp_alle: list[str] = []

    # 1. the werkcoach refers the client
    wc_context, wc, csp = _inloggen(browser, base, world.werkcoach_a.username, LAPTOP)
    csp_alle += csp
    wc.goto(sectie)
    expect(wc.locator("#aanmelden-form")).to_be_visible()
    schendingen += _axe(wc, "sectie-verwijzen")
    wc.select_option("#id_aanmelden-organisatie", str(world.partner_a.pk))
    wc.fill("#id_aanmelden-afspraken", "Hulp bij wonen, geldzaken en de weg naar instanties.")
    wc.fill("#id_aanmelden-voor_partner", "Spreekt Tigrinya; een tolk is nodig.")
    wc.locator("#aanmelden-form button[type=submit]").click()
    # without the informed date: refused at its field, the input kept
    expect(wc.locator("#id_aanmelden-geinformeerd_op_error")).to_be_visible()
    expect(wc.locator("#id_aanmelden-voor_partner")).to_have_value(
        "Spreekt Tigrinya; een tolk is nodig."
    )
    schendingen += _axe(wc, "sectie-verwijzen-fout")
    vandaag = timezone.localdate().isoformat()
    wc.fill("#id_aanmelden-geinformeerd_op", vandaag)
    wc.locator("#aanmelden-form button[type=submit]").click()
    expect(wc.locator("#begeleiding-huidig")).to_have_attribute("data-status", "aangemeld")
    with scopes_disabled():
        aanmelding = Aanmelding.objects.get(dossier=dossier)

    # 2. the coördinator accepts and assigns a begeleider
    co_context, co, csp = _inloggen(browser, base, coordinator.username, LAPTOP)
    csp_alle += csp
    co.goto(f"{base}/dossiers/")
    co.locator("#nav-aanmeldingen").first.click()
    expect(co).to_have_url(f"{base}/begeleiding/aanmeldingen/")
    rij = co.locator(f"li[data-aanmelding='{aanmelding.uuid}']")
    expect(rij).to_be_visible()
    schendingen += _axe(co, "aanmeldingen")
    co.select_option(f"#id_accepteren-{aanmelding.pk}-begeleider", str(world.begeleider_a.pk))
    rij.locator("button[data-knop=accepteren]").click()
    expect(co.locator(f"li[data-aanmelding='{aanmelding.uuid}']")).to_have_count(0)
    expect(co.locator(f"tr[data-aanmelding='{aanmelding.uuid}']")).to_have_attribute(
        "data-begeleider", world.begeleider_a.username
    )
    schendingen += _axe(co, "aanmeldingen-lopend")
    co_context.close()

    # 3. the begeleider, on a phone, logs a home visit with a signal
    mb_context, mb, csp = _inloggen(browser, base, world.begeleider_a.username, TELEFOON)
    csp_alle += csp
    mb.goto(f"{base}/begeleiding/")
    rij = mb.locator(f"tr[data-dossier='{dossier.uuid}']")
    expect(rij).to_be_visible()
    schendingen += _axe(mb, "mijn-clienten")
    rij.get_by_role("link").first.click()
    expect(mb).to_have_url(sectie)
    mb.locator("#contact-vastleggen summary").click()
    formulier = mb.locator("#contact-form")
    expect(formulier).to_be_visible()
    mb.check("#id_contact-soort_0")  # huisbezoek
    mb.fill("#id_contact-duur_minuten", "60")
    mb.check("input[name=aanwezig][value=tolk]")
    mb.check("input[name=onderwerpen][value=wonen]")
    mb.check("input[name=onderwerpen][value=geldzaken]")
    mb.fill("#id_contact-verslag", "Post doorgenomen; huurachterstand van twee maanden.")
    mb.check("#id_contact-signaal_werkcoach")
    mb.fill("#id_contact-signaal_toelichting", "Huurachterstand: graag schuldhulp inschakelen.")
    mb.fill("#id_contact-actie_1_omschrijving", "Verhuurder bellen over een regeling")
    mb.select_option("#id_contact-actie_1_eigenaar", "begeleider")
    mb.fill("#id_contact-actie_1_deadline", vandaag)
    mb.screenshot(path=f"{_schermen()}/begeleiding-contactformulier-390.png", full_page=True)
    formulier.locator("button[type=submit]").dblclick()  # a double tap records once
    contact = mb.locator("li.contact[data-signaal='1']")
    expect(contact).to_have_count(1)
    schendingen += _axe(mb, "sectie-begeleider")
    with scopes_disabled():
        contacten = list(Contactmoment.objects.filter(aanmelding=aanmelding))
    assert len(contacten) == 1 and contacten[0].signaal_werkcoach
    mb.locator(f"a[data-corrigeren='{contacten[0].uuid}']").click()
    expect(mb.locator("#corrigeren-form")).to_be_visible()
    schendingen += _axe(mb, "corrigeren")
    mb_context.close()

    # 4. the werkcoach sees the visit, its signal, and the signal in "Mijn signalen"
    wc.goto(sectie)
    rij = wc.locator(f"li[data-contact='{contacten[0].uuid}']")
    expect(rij).to_have_attribute("data-signaal", "1")
    expect(rij).to_contain_text("Huurachterstand: graag schuldhulp inschakelen.")
    expect(rij.locator("button[data-knop=signaal-opgevolgd]")).to_be_visible()
    schendingen += _axe(wc, "sectie-werkcoach")
    wc.goto(f"{base}/dossiers/{dossier.uuid}/tijdlijn/")
    expect(wc.locator("#dossier-sectie")).to_contain_text("Huurachterstand: graag schuldhulp")
    wc.goto(f"{base}/dossiers/signalen/")
    with scopes_disabled():
        signaal = Signaal.objects.get(ontvanger=world.werkcoach_a, dossier=dossier)
    expect(wc.locator(f"tr[data-signaal='{signaal.uuid}']")).to_be_visible()
    wc.goto(sectie)
    opgevolgd = f"li[data-contact='{contacten[0].uuid}'] button[data-knop=signaal-opgevolgd]"
    wc.locator(opgevolgd).click()
    expect(wc.locator(f"li[data-contact='{contacten[0].uuid}']")).to_be_visible()
    expect(wc.locator(opgevolgd)).to_have_count(0)
    with scopes_disabled():
        contacten[0].refresh_from_db()
    assert contacten[0].signaal_opgevolgd_op is not None
    wc_context.close()

    assert schendingen == [], schendingen
    assert csp_alle == []
