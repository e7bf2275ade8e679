"""The dossier as a compact header plus sections with their own URLs (issue 10): every section
is a page of its own (bookmarkable, no JavaScript needed), htmx gets only the tabs and the
section, the header names the nearest deadline and the open signals, a long history is paged,
and a refused form without JavaScript comes back in its own section with the input kept."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from cases import services
from cases.bewaking import sweep
from cases.constants import TermijnStatus
from cases.models import Signaal
from cases.termijnen import herberekenen
from inburgering.core.access import user_scope

from .klok import vandaag_fixture

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)

SECTIES = ("intake", "pip", "termijnen", "begeleiding", "handhaving", "tijdlijn", "historie")


def _tabs(html: str) -> list[str]:
    return re.findall(r'class="dossier-tabs__link" href="[^"]+" data-sectie="([^"]+)"', html)


def _met_klokken(world):
    with scopes_disabled():
        dossier = world.dossier_a
        dossier.datum_brp_inschrijving = VANDAAG - timedelta(days=40)
        dossier.save()
        klokken = {t.code: t for t in herberekenen(dossier, user=None)}
        sweep(peildatum=VANDAAG)  # the intake clock is overdue: a signal for the werkcoach
    return klokken


def test_every_section_has_its_own_url_under_the_same_header(world, login):
    client = login(world.werkcoach_a)
    basis = f"/dossiers/{world.dossier_a.uuid}/"
    overzicht = client.get(basis).content.decode()
    assert _tabs(overzicht) == ["overzicht", *SECTIES]
    assert 'aria-current="page">Overview<' in overzicht
    for sectie in SECTIES:
        response = client.get(f"{basis}{sectie}/")
        html = response.content.decode()
        assert response.status_code == 200, sectie
        assert 'id="dossier-kop"' in html  # the header on every section
        assert f'data-sectie="{sectie}" aria-current="page"' in html
        assert f'<div class="dossier-sectie" id="dossier-sectie" data-sectie="{sectie}">' in html
        # only this section is rendered, not the overview's person card
        assert 'id="persoonsgegevens"' not in html
    assert client.get(f"{basis}overzicht/").status_code == 200


def test_htmx_gets_the_tabs_and_the_section_only(world, login):
    client = login(world.werkcoach_a)
    response = client.get(
        f"/dossiers/{world.dossier_a.uuid}/tijdlijn/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="dossier-inhoud",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="dossier-kop"' not in html
    assert html.count('id="dossier-inhoud"') == 1 and 'id="tijdlijn"' in html
    # the title of the new section, for htmx to put in the document's <title>
    assert re.search(r"<title>Timeline — .+ · Inburgering</title>", html)


def test_the_header_names_the_nearest_deadline_and_the_open_signals(world, login):
    klokken = _met_klokken(world)
    client = login(world.werkcoach_a)
    html = client.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    kop = html.split('id="dossier-kop"', 1)[1].split("</header>", 1)[0]
    eerst = min(
        (t for t in klokken.values() if t.status in (TermijnStatus.OPEN, TermijnStatus.VERLOPEN)),
        key=lambda t: t.uiterste_datum,
    )
    assert f'/termijnen/#termijn-{eerst.uuid}"' in kop
    assert eerst.uiterste_datum.strftime("%d-%m-%Y") in kop
    assert "overdue" in kop  # the intake clock is overdue: said in words, not by colour
    # the intake clock, and the begeleiding's contact clock: its begeleider (since 30 days)
    # has had no contact in four weeks
    assert re.search(r"\b2 open signals\b", kop)
    with scopes_disabled():
        ontvangen = Signaal.objects.filter(ontvanger=world.werkcoach_a, dossier=world.dossier_a)
        assert sorted(ontvangen.values_list("termijn__code", flat=True)) == ["intake", "mb_contact"]
    # the begeleider sees no termijnen and has no signal page: neither in the header (even
    # though the contact clock signals them too)
    kop_mb = login(world.begeleider_a).get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert 'id="kop-termijn"' not in kop_mb and 'id="kop-signalen"' not in kop_mb


def test_sections_the_user_may_not_see_have_no_tab_and_no_page(world, login):
    client = login(world.begeleider_a)
    basis = f"/dossiers/{world.dossier_a.uuid}/"
    tabs = _tabs(client.get(basis).content.decode())
    assert "historie" not in tabs and "termijnen" not in tabs
    assert client.get(f"{basis}historie/").status_code == 404
    assert client.get(f"{basis}termijnen/").status_code == 404
    # another gemeente's dossier: 404 on every section, as on the overview
    other = login(world.werkcoach_b)
    for sectie in ("overzicht", *SECTIES):
        assert other.get(f"{basis}{sectie}/").status_code == 404


def test_a_long_history_is_paged_25_at_a_time(world, login):
    with user_scope(world.werkcoach_a):
        for i in range(30):
            services.dossier_update(
                user=world.werkcoach_a,
                dossier=world.dossier_a,
                coa_referentie=f"TVS-{i:03d}",
                reden=f"Correctie {i:03d}",
            )
    client = login(world.werkcoach_a)
    url = f"/dossiers/{world.dossier_a.uuid}/historie/"
    eerste = client.get(url).content.decode()
    tweede = client.get(url + "?pagina=2").content.decode()
    rijen = lambda html: re.findall(r"<tr>\s*<th scope=\"row\"", html)  # noqa: E731
    assert len(rijen(eerste)) == 25
    assert "Correctie 029" in eerste and "Correctie 000" not in eerste  # newest first
    assert "Correctie 000" in tweede and "Correctie 029" not in tweede
    assert 1 <= len(rijen(tweede)) <= 25
    assert f'href="{url}?pagina=2"' in eerste and 'hx-target="#dossier-inhoud"' in eerste


@pytest.mark.parametrize("sectie", ["", *(f"{s}/" for s in SECTIES)])
def test_each_section_runs_a_fixed_number_of_queries(world, login, sectie):
    """Twice the data, the same number of queries (no query per termijn, event or record)."""
    client = login(world.werkcoach_a)
    url = f"/dossiers/{world.dossier_a.uuid}/{sectie}"

    def tellen() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _met_klokken(world)
    voor = tellen()
    with user_scope(world.werkcoach_a):
        for i in range(3):
            services.dossier_notitie_toevoegen(
                user=world.werkcoach_a, dossier=world.dossier_a, tekst=f"Notitie {i}"
            )
            services.dossier_update(
                user=world.werkcoach_a,
                dossier=world.dossier_a,
                coa_referentie=f"TVS-{i}",
                reden=f"Reden {i}",
            )
    with scopes_disabled():
        herberekenen(world.dossier_a, user=None)
    assert tellen() == voor


def test_a_refused_note_without_javascript_comes_back_with_its_text(world, login):
    client = login(world.werkcoach_a)
    response = client.post(f"/dossiers/{world.dossier_a.uuid}/notitie/", {"tekst": "x" * 4001})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-sectie="tijdlijn" aria-current="page"' in html
    assert 'id="error-summary"' in html and "x" * 4001 in html


def test_the_intake_section_summarises_the_intake(world, login):
    from pip_plans.constants import GesprekLocatie
    from pip_plans.models import BredeIntake, IntakeGesprek

    client = login(world.werkcoach_a)
    url = f"/dossiers/{world.dossier_a.uuid}/intake/"
    assert 'id="intake-gesprekken"' not in client.get(url).content.decode()  # no intake yet
    with scopes_disabled():
        intake = BredeIntake.objects.create(dossier=world.dossier_a)
        for dag in (date(2026, 5, 20), date(2026, 6, 3)):
            IntakeGesprek.objects.create(
                intake=intake, datum=dag, locatie=GesprekLocatie.GEMEENTEHUIS
            )
    html = client.get(url).content.decode()
    gesprekken = html.split('id="intake-gesprekken">', 1)[1].split("</dd>", 1)[0]
    assert gesprekken == "2 conversations, the last on 03-06-2026"
    assert "not yet taken" in html  # no learnability test recorded


def test_the_phase_change_is_folded_until_a_change_is_refused(world, login):
    client = login(world.werkcoach_a)
    html = client.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert '<details class="uitklap">' in html and 'id="fase-wijzigen-titel"' in html
    response = client.post(f"/dossiers/{world.dossier_a.uuid}/fase/", {"fase": "", "reden": ""})
    html = response.content.decode()
    assert '<details class="uitklap" open>' in html and 'id="error-summary"' in html
    assert 'data-sectie="overzicht" aria-current="page"' in html


def test_system_reasons_are_shown_in_the_readers_language(world, login, settings):
    """A reason the system wrote in English (a Celery task has no user language) reads Dutch
    in the Dutch history; a reason a person typed stays as typed."""
    with user_scope(world.werkcoach_a):
        services.dossier_update(
            user=world.werkcoach_a, dossier=world.dossier_a, coa_referentie="A1", reden="PIP issued"
        )
        services.dossier_update(
            user=world.werkcoach_a,
            dossier=world.dossier_a,
            coa_referentie="A2",
            reden="Nummer gecorrigeerd",
        )
    client = login(world.werkcoach_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = client.get(
        f"/dossiers/{world.dossier_a.uuid}/historie/", HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "PIP vastgesteld" in html and "PIP issued" not in html
    assert "Nummer gecorrigeerd" in html
