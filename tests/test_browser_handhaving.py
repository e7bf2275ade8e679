"""Browser test of the fine procedure, in Dutch: a no-show at the intake conversation →
"Handhaving starten" → hearing conversation → rapport → intent letter (a real Celery worker
renders it; the page polls and reloads) → zienswijze → fine → approval by the teamleider →
boetebeschikking sent with its kenmerk and a download. axe-core (WCAG 2.x A/AA) finds nothing
on the section, the procedure page, the queue and the overview, at 1366×900 and 390×844;
screenshots go to ``$UI_SCREENSHOTS`` when set.

Assertions are on URLs, ids, data attributes and kenmerken, not on wording (the Dutch
catalogue is merged separately)."""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from handhaving.constants import ProcedureStatus
from handhaving.models import Brief, Procedure
from pip_plans import services as pip_services
from pip_plans.constants import GesprekLocatie

from .factories import DossierFactory
from .test_browser import log_in
from .test_browser_axe import AXE, MATEN, WCAG

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def _axe(page: Page, naam: str) -> list[dict]:
    """axe's violations on this page at both sizes (and a screenshot of each when asked)."""
    schermen = os.environ.get("UI_SCREENSHOTS")
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
        if schermen:
            Path(schermen).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{schermen}/handhaving-{naam}-{breedte}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    return gevonden


def _staat(page: Page, stap: str):
    return page.locator(f"#stap-{stap}")


def test_no_show_to_a_sent_boetebeschikking(live_server, world, browser, celery_worker_process):
    today = timezone.localdate()
    with scopes_disabled():
        dossier = DossierFactory(
            gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, in_intake=True
        )
        intake = pip_services.intake_starten(user=None, dossier=dossier)
        gesprek = pip_services.intake_gesprek_toevoegen(
            user=None,
            intake=intake,
            datum=today - timedelta(days=5),
            locatie=GesprekLocatie.GEMEENTEHUIS,
            verschenen=False,
            meegewerkt=False,
        )
    base = live_server.url
    schendingen: list[dict] = []
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    csp: list[str] = []
    page.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    log_in(page, base, world.werkcoach_a.username)

    # the intake conversation's line: the no-show starts the procedure
    page.goto(f"{base}/pip/intake/{intake.uuid}/")
    page.locator(
        f"form[action='/handhaving/intakegesprekken/{gesprek.pk}/starten/'] button"
    ).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/handhaving/procedures/[0-9a-f-]+/$"))
    with scopes_disabled():
        procedure = Procedure.objects.get(dossier=dossier)
    pad = f"{base}/handhaving/procedures/{procedure.uuid}/"
    expect(_staat(page, "gesprek")).to_have_attribute("data-staat", "huidig")
    schendingen += _axe(page, "procedure-gesprek")

    # 1. hearing conversation: the procedure continues
    page.fill("#id_gesprek-verslag", "Betrokkene was de afspraak vergeten; wist van de plicht.")
    page.check("input[name=uitkomst][value=verder]")
    page.locator("#gesprek-form button[type=submit]").click()
    expect(_staat(page, "rapport")).to_have_attribute("data-staat", "huidig")

    # 2. rapport
    page.fill("#id_rapport-plaats", "Gemeentehuis Huizen")
    page.fill("#id_rapport-feiten", "Niet verschenen op het intakegesprek; geen bericht.")
    page.locator("#rapport-form button[type=submit]").click()
    expect(_staat(page, "voornemen")).to_have_attribute("data-staat", "huidig")
    voorbeeld = page.locator("#stap-voornemen a[href$='/voorbeeld/voornemen.pdf']")
    expect(voorbeeld).to_be_visible()
    response = page.request.get(f"{pad}voorbeeld/voornemen.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")

    # 3. the intent letter: the worker renders it, the page polls and reloads
    page.locator("#voornemen-form button").click()
    expect(_staat(page, "zienswijze")).to_have_attribute("data-staat", "huidig", timeout=90_000)
    voornemen = page.locator("#procedure-brieven li[data-brief=voornemen]")
    expect(voornemen).to_have_attribute("data-status", "verzonden")
    schendingen += _axe(page, "procedure-zienswijze")

    # 4. zienswijze (written, today)
    page.check("input[name=soort][value=schriftelijk]")
    page.fill("#id_zienswijze-inhoud", "Ik was ziek en kon niet bellen.")
    page.locator("#zienswijze-form button[type=submit]").click()
    expect(_staat(page, "besluit")).to_have_attribute("data-staat", "huidig")
    expect(page.locator("#boete-tarief")).to_have_attribute("data-maximum", "250.00")

    # 5. the fine, for the teamleider's approval
    page.fill("#id_boete-verwijtbaarheid", "Betrokkene kende de afspraak en meldde zich niet af.")
    page.fill("#id_boete-zienswijze_weging", "Ziekte is niet aangetoond.")
    page.locator("#boete-form button[type=submit]").click()
    expect(page.locator("#procedure-status")).to_have_attribute("data-status", "boete_concept")
    page.locator("#ter-goedkeuring-form button").click()
    expect(page.locator("#procedure-status")).to_have_attribute("data-status", "ter_goedkeuring")
    expect(page.locator("#versturen-form")).to_have_count(0)  # not before approval

    page.goto(f"{base}/dossiers/{dossier.uuid}/handhaving/")
    rij = page.locator(f"tr[data-procedure='{procedure.uuid}']")
    expect(rij).to_have_attribute("data-status", "ter_goedkeuring")
    schendingen += _axe(page, "sectie")

    # 6. the teamleider approves from the queue
    tl_context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    tl = tl_context.new_page()
    log_in(tl, base, world.teamleider_a.username)
    tl.locator("#nav-boetes").first.click()
    expect(tl).to_have_url(f"{base}/handhaving/goedkeuren/")
    schendingen += _axe(tl, "wachtrij")
    tl.goto(f"{base}/handhaving/overzicht/")
    expect(tl.locator(f"tr[data-procedure='{procedure.uuid}']")).to_be_visible()
    schendingen += _axe(tl, "overzicht")
    tl.goto(f"{base}/handhaving/goedkeuren/")
    tl.locator(f"tr[data-procedure='{procedure.uuid}'] form button").click()
    expect(tl).to_have_url(f"{base}/handhaving/goedkeuren/")
    expect(tl.locator(f"tr[data-procedure='{procedure.uuid}']")).to_have_count(0)
    tl_context.close()

    # 7. the werkcoach sends it: the boetebeschikking, with its kenmerk and a download
    page.goto(pad)
    expect(_staat(page, "boetebeschikking")).to_have_attribute("data-staat", "huidig")
    expect(
        page.locator("#stap-boetebeschikking a[href$='/voorbeeld/boetebeschikking.pdf']")
    ).to_be_visible()
    knop = page.locator("#versturen-form button")
    knop.dblclick()  # a double click sends one letter
    boete = page.locator("#procedure-brieven li[data-brief=boetebeschikking]")
    expect(boete).to_have_attribute("data-status", "verzonden", timeout=90_000)
    expect(_staat(page, "na")).to_have_attribute("data-staat", "huidig")
    with scopes_disabled():
        brieven = list(Brief.objects.filter(procedure=procedure).order_by("pk"))
        procedure.refresh_from_db()
    assert [b.soort for b in brieven] == ["voornemen", "boetebeschikking"]
    assert procedure.status == ProcedureStatus.OPGELEGD
    kenmerk = brieven[1].kenmerk
    assert kenmerk.startswith(f"BB-{world.gemeente_a.cbs_code}-")
    expect(boete).to_have_attribute("data-kenmerk", kenmerk)
    expect(boete).to_contain_text(kenmerk)
    link = boete.locator(f"a[href='/handhaving/brieven/{brieven[1].uuid}.pdf']")
    with page.expect_download() as info:
        link.click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    tekst = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert kenmerk in tekst and dossier.inburgeraar.achternaam in tekst
    schendingen += _axe(page, "procedure-opgelegd")
    context.close()

    assert schendingen == [], schendingen
    assert csp == []
