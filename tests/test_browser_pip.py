"""Browser test of the werkcoach's main flow: brede intake → PIP → vaststellen (a real Celery
worker renders the beschikking) → download the PDF."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect
from pypdf import PdfReader

from pip_plans import services
from pip_plans.constants import Beoordeling, Domein, GesprekLocatie

from .factories import DossierFactory
from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_intake_pip_vaststellen_download(live_server, world, page, celery_worker_process):
    today = timezone.localdate()
    with scopes_disabled():
        dossier = DossierFactory(
            gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, in_intake=True
        )
        intake = services.intake_starten(user=None, dossier=dossier)
        services.intake_gesprek_toevoegen(
            user=None,
            intake=intake,
            datum=today - timedelta(days=3),
            locatie=GesprekLocatie.GEMEENTEHUIS,
        )
        for domein in Domein:
            services.intake_domein_opslaan(
                user=None, intake=intake, domein=domein, beoordeling=Beoordeling.VOLDOENDE
            )
        services.intake_bijwerken(
            user=None,
            intake=intake,
            leerbaarheid_datum=today - timedelta(days=2),
            leerbaarheid_instrument="Leerbaarheidstoets Inburgering",
            leerbaarheid_score="gemiddeld",
            leerbaarheid_laag=False,
        )
    base = live_server.url
    log_in(page, base, world.werkcoach_a.username)
    page.goto(f"{base}/dossiers/{dossier.uuid}/")

    # Complete the intake: the dossier moves to the PIP phase.
    page.goto(f"{base}/pip/intake/{intake.uuid}/")
    page.locator("#afronden-form button[type=submit]").click()
    page.goto(f"{base}/dossiers/{dossier.uuid}/")
    tabs = page.get_by_role("navigation", name="Onderdelen van het dossier")
    tabs.get_by_role("link", name="Brede intake").click()
    expect(page).to_have_url(f"{base}/dossiers/{dossier.uuid}/intake/")
    expect(page.locator("#intake-status")).to_contain_text(today.strftime("%d-%m-%Y"))

    # Draft the PIP by theme, from the dossier's PIP section.
    tabs.get_by_role("link", name="PIP", exact=True).click()
    expect(page).to_have_url(f"{base}/dossiers/{dossier.uuid}/pip/")
    page.locator(f"form[action='/pip/dossier/{dossier.uuid}/nieuw/'] button").click()
    page.select_option("#id_leerroute", "b1")
    page.select_option("#id_einddoel", "b1")
    page.fill("#id_aanbieder", "Taalcentrum 't Gooi")
    page.fill("#id_uren_per_week", "16")
    page.fill("#id_verwachte_duur_maanden", "24")
    page.fill("#id_participatie", "Vrijwilligerswerk bij de voedselbank, 8 uur per week")
    page.fill("#id_voortgangsgesprekken_per_jaar", "2")
    page.locator("#pip-form button[type=submit]").click()
    expect(page.locator("#pip-controle")).not_to_contain_text("leerroute")

    # Vaststellen: the worker renders the PDF; the page polls until it is there.
    # it asks for confirmation first (a legally binding decision; no JavaScript involved)
    page.locator("#vaststellen-knop").click()
    # (Chromium runs nl-NL: the Dutch text)
    expect(page.locator("#field-vaststellen-bevestigd")).to_contain_text("juridisch bindend")
    page.check("#id_vaststellen-bevestigd")
    page.locator("#vaststellen-knop").click()
    download_link = page.locator("#pip-status a[href$='beschikking.pdf']")
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        download_link.click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert dossier.inburgeraar.achternaam in text
    assert "bezwaar" in text.lower()
    assert page.csp_violations == []  # type: ignore[attr-defined]
