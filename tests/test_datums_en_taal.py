"""Dates and language (issue 10): one date format, dd-mm-jjjj, on every page and in the history;
no raw enum value (a stored code, ``True``, ``None``) shown to a user; the language switch keeps
the user on the page they were on.

``inburgering/core/weergave.py`` decides how a value is written; the format modules under
``inburgering/formats`` make ``{{ datum }}`` in a template write the same.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
import time_machine
from django.conf import settings
from django.utils import translation
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from cases import services as case_services
from cases.bewaking import sweep
from cases.constants import Doelgroep, Fase
from cases.historie import dossier_historie
from cases.models import Dossier, Inburgeraar
from cases.termijnen import herberekenen
from pip_plans import services as pip_services
from pip_plans.constants import Leerroute, PipStatus
from pip_plans.models import Pip

from .factories import PASSWORD, DossierFactory
from .test_nl_teksten import _intake_afgerond, _pip_vastgesteld
from .test_nl_teksten import zichtbare_tekst as zichtbaar  # the text a user reads or hears

VANDAAG = date(2026, 6, 15)
NU = datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
ISO_DATUM = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PO_PATH = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def dmj(d: date) -> str:
    """dd-mm-jjjj, written out here (not through the helper under test)."""
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


# --- what a user reads -----------------------------------------------------------------------


def _catalogus_teksten(taal: str) -> str:
    """Every text the UI can show in ``taal``: the Dutch texts of the catalogue, or the English
    msgids (the source language)."""
    po = polib.pofile(str(PO_PATH))
    teksten: list[str] = []
    for e in po:
        if taal == "nl":
            teksten += [e.msgstr, *e.msgstr_plural.values()]
        else:
            teksten += [e.msgid, e.msgid_plural]
    return "\n".join(teksten)


def ruwe_waarden(taal: str) -> set[str]:
    """The stored codes of the phase and PIP status choices that a reader of ``taal`` can only
    see as a raw value: no label and no text of the UI in that language contains the code as a
    word ("afgerond" is the Dutch label of "afgerond"; "beeindigd" is a code, "beëindigd" the
    label). Plus Python's own ``True``/``False``/``None``."""
    teksten = _catalogus_teksten(taal)
    with translation.override(taal):
        labels = "\n".join(str(label) for _c, label in [*Fase.choices, *PipStatus.choices])
    ruw = {"True", "False", "None"}
    for code in [*Fase.values, *PipStatus.values]:
        woord = re.compile(rf"(?<![\w-]){re.escape(code)}(?![\w-])")
        if not woord.search(labels) and not woord.search(teksten):
            ruw.add(code)
    return ruw


def ruw_in(tekst: str, ruw: set[str]) -> list[str]:
    return sorted(c for c in ruw if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", tekst))


def test_the_checks_themselves_find_what_they_look_for():
    """Guard for the page checks: an ISO date and a raw code in the text are found; in an
    attribute they are not; a code that is also a Dutch word is not taken for a raw value."""
    html = '<p>Fase: beeindigd, sinds 2026-01-05</p><time datetime="2026-01-05">05-01-2026</time>'
    tekst = zichtbaar(html)
    assert ISO_DATUM.findall(tekst) == ["2026-01-05"]
    assert ruw_in(tekst, ruwe_waarden("nl")) == ["beeindigd"]
    assert not ISO_DATUM.search(zichtbaar('<time datetime="2026-01-05">05-01-2026</time>'))
    nl, en = ruwe_waarden("nl"), ruwe_waarden("en")
    assert {"beeindigd", "ter_ondertekening", "wordt_vastgesteld", "None", "True"} <= nl
    assert "afgerond" not in nl  # the Dutch label of "afgerond" is "afgerond"
    assert {"gehuisvest", "ter_ondertekening", "beeindigd"} <= en
    assert ruw_in("Status: ter_ondertekening", en) == ["ter_ondertekening"]


@pytest.mark.parametrize("taal", ["nl", "en"])
def test_a_date_in_a_template_is_dd_mm_jjjj_in_every_language(taal):
    """The format modules: ``{{ datum }}`` and ``{{ datum|date }}`` write what the helper does,
    a moment in local time with hh:mm."""
    from django.template import Context, Template

    moment = datetime(2026, 1, 5, 13, 7, tzinfo=ZoneInfo("UTC"))
    with translation.override(taal):
        tekst = Template(
            "{{ d }} | {{ d|date }} | {{ m }} | {{ m|date:'DATETIME_FORMAT' }}"
        ).render(Context({"d": date(2026, 1, 5), "m": moment}))
    assert tekst == "05-01-2026 | 05-01-2026 | 05-01-2026 14:07 | 05-01-2026 14:07"


# --- data -------------------------------------------------------------------------------------


@pytest.fixture
def vaste_dag(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NU, tick=False):
        yield


def _nl(client) -> dict[str, str]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return {"HTTP_ACCEPT_LANGUAGE": "nl"}


def _taal(client, taal: str) -> dict[str, str]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = taal
    return {"HTTP_ACCEPT_LANGUAGE": taal}


def dossier_paginas(client, dossier: Dossier, **headers) -> dict[str, str]:
    """The dossier page and every page of the dossier it links to (its sections, its forms)."""
    basis = f"/dossiers/{dossier.uuid}/"
    response = client.get(basis, **headers)
    assert response.status_code == 200
    paginas = {basis: response.content.decode()}
    links = set(re.findall(rf'href="({re.escape(basis)}[\w-]+/)"', paginas[basis]))
    for url in sorted(links):
        r = client.get(url, **headers)
        if r.status_code == 200:
            paginas[url] = r.content.decode()
    return paginas


@pytest.fixture
def rijk(vaste_dag, world):
    """dossier_a with everything on it: changed dates and choices, an intake with
    conversations and domains, a vastgestelde PIP with its termijnen; a concept PIP on
    dossier_a2; an overdue clock of werkcoach_a, so the signal inbox and the termijnen overview
    have rows."""
    wc = world.werkcoach_a
    with scopes_disabled(), translation.override("nl"):
        persoon = world.dossier_a.inburgeraar
        case_services.inburgeraar_update(
            user=wc, inburgeraar=persoon, geboortedatum=persoon.geboortedatum - timedelta(days=1)
        )
        case_services.dossier_update(
            user=wc,
            dossier=world.dossier_a,
            datum_huisvesting=VANDAAG - timedelta(days=50),
            datum_brp_inschrijving=VANDAAG - timedelta(days=45),
        )
        intake = _intake_afgerond(world.dossier_a, wc)  # conversations, every domain, the toets
        pip = _pip_vastgesteld(world.dossier_a)
        pip.bezwaar_tot = VANDAAG + timedelta(days=37)  # one more date on the PIP page
        pip.save()
        herberekenen(world.dossier_a, user=None)
        concept = Pip.objects.create(dossier=world.dossier_a2)
        te_laat = DossierFactory(
            gemeente=world.gemeente_a,
            werkcoach=wc,
            datum_brp_inschrijving=VANDAAG - timedelta(days=200),
        )
        herberekenen(te_laat, user=None)
        sweep(peildatum=VANDAAG)
    return {"intake": intake, "pip": pip, "concept": concept}


# --- (a) the history -------------------------------------------------------------------------


def _veld(model, naam: str) -> str:
    with translation.override("nl"):
        return str(model._meta.get_field(naam).verbose_name)


def _wijzigingen(regels, object_label: str) -> dict[str, list[tuple[str, str]]]:
    per_veld: dict[str, list[tuple[str, str]]] = {}
    for regel in regels:
        if regel.object == object_label:
            for w in regel.wijzigingen:
                per_veld.setdefault(w.veld, []).append((w.oud, w.nieuw))
    return per_veld


def test_history_shows_dates_labels_and_ja_nee_never_the_stored_value(vaste_dag, world, login):
    """A date, a choice and a boolean changed on the dossier, the person and the PIP: the
    history writes dd-mm-jjjj, the choice's Dutch label and ja/nee — on the page too."""
    wc = world.werkcoach_a
    dossier = world.dossier_a
    huisvesting = VANDAAG - timedelta(days=40)
    ontzorgen = VANDAAG + timedelta(days=20)
    with scopes_disabled(), translation.override("nl"):
        persoon = dossier.inburgeraar
        oude_geboortedatum = persoon.geboortedatum
        case_services.inburgeraar_update(
            user=wc,
            inburgeraar=persoon,
            geboortedatum=oude_geboortedatum - timedelta(days=1),
            tolk_nodig=True,
            tolk_taal="Tigrinya",
            doelgroep=Doelgroep.OVERIGE_MIGRANT,
        )
        case_services.dossier_update(user=wc, dossier=dossier, datum_huisvesting=huisvesting)
        pip = Pip.objects.create(dossier=dossier)
        pip_services.pip_bijwerken(
            user=wc, pip=pip, knm=False, leerroute=Leerroute.EIGEN_KOSTEN, ontzorgen_start=ontzorgen
        )
        case_services.dossier_fase_wijzigen(
            user=wc, dossier=dossier, fase=Fase.BEEINDIGD, reden="Vertrokken naar het buitenland"
        )
        regels = dossier_historie(dossier, wc)
    persoon_w = _wijzigingen(regels, "Persoon")
    dossier_w = _wijzigingen(regels, "Dossier")
    pip_w = _wijzigingen(regels, next(r.object for r in regels if r.object.startswith("PIP")))

    # the person: a date, a boolean, a choice
    geboortedatum = persoon_w[_veld(Inburgeraar, "geboortedatum")]
    assert (dmj(oude_geboortedatum), dmj(oude_geboortedatum - timedelta(days=1))) in geboortedatum
    assert ("nee", "ja") in persoon_w[_veld(Inburgeraar, "tolk_nodig")]
    doelgroep = persoon_w[_veld(Inburgeraar, "doelgroep")]
    assert doelgroep[-1][1] == "overige migrant", doelgroep
    # the dossier: a date and a choice whose label is not its code
    assert ("—", dmj(huisvesting)) in dossier_w[_veld(Dossier, "datum_huisvesting")]
    assert dossier_w[_veld(Dossier, "fase")][-1][1] == "beëindigd"
    # the PIP: a boolean, a choice, a date
    assert ("ja", "nee") in pip_w[_veld(Pip, "knm")]
    with translation.override("nl"):
        eigen_kosten = str(Leerroute.EIGEN_KOSTEN.label)
    assert eigen_kosten != Leerroute.EIGEN_KOSTEN.value
    assert ("—", eigen_kosten) in pip_w[_veld(Pip, "leerroute")]
    assert ("—", dmj(ontzorgen)) in pip_w[_veld(Pip, "ontzorgen_start")]

    # nowhere a stored value: no ISO date, no code, no True/False/None
    alles = " | ".join(f"{w.veld}: {w.oud} → {w.nieuw}" for r in regels for w in r.wijzigingen)
    assert not ISO_DATUM.search(alles), alles
    for ruw in ("True", "False", "None", "beeindigd", "overige_migrant", "eigen_kosten"):
        assert not re.search(rf"(?<![\w-]){ruw}(?![\w-])", alles), (ruw, alles)

    # and the page that shows the history says the same
    client = login(wc)
    paginas = dossier_paginas(client, dossier, **_nl(client))
    historie = next(
        zichtbaar(html.split('id="historie"', 1)[1])
        for html in paginas.values()
        if 'id="historie"' in html
    )
    for tekst in (
        f"{dmj(oude_geboortedatum)} → {dmj(oude_geboortedatum - timedelta(days=1))}",
        "nee → ja",
        "→ overige migrant",
        f"— → {dmj(huisvesting)}",
        "→ beëindigd",
        "ja → nee",
        f"— → {eigen_kosten}",
        f"— → {dmj(ontzorgen)}",
    ):
        assert tekst in historie, (tekst, historie)
    assert not ISO_DATUM.search(historie)
    assert ruw_in(historie, ruwe_waarden("nl") | {"overige_migrant", "eigen_kosten"}) == []


def test_a_refused_role_is_named_by_its_label(world):
    """The refusal of a role in the wrong kind of organisation names the role as the UI does."""
    from django.core.exceptions import ValidationError

    from inburgering.accounts.constants import Rol

    user = world.beheerder_a
    user.organisatie = world.partner_a
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        user.clean()
    tekst = " ".join(refused.value.message_dict["organisatie"])
    assert "functioneel beheerder" in tekst, tekst
    assert Rol.FUNCTIONEEL_BEHEERDER.value not in tekst


# --- (b) the main pages ----------------------------------------------------------------------


def _hoofdpaginas(world, login, rijk, taal: str) -> dict[str, str]:
    client = login(world.werkcoach_a)
    h = _taal(client, taal)
    paginas = {
        "caseload": client.get("/dossiers/", **h),
        "intake": client.get(f"/pip/intake/{rijk['intake'].uuid}/", **h),
        "pip (vastgesteld)": client.get(f"/pip/{rijk['pip'].uuid}/", **h),
        "signalen": client.get("/dossiers/signalen/", **h),
    }
    html = {naam: r.content.decode() for naam, r in paginas.items()}
    for naam, r in paginas.items():
        assert r.status_code == 200, naam
    html.update(dossier_paginas(client, world.dossier_a, **h))
    client_a2 = login(world.werkcoach_a2)
    h = _taal(client_a2, taal)
    r = client_a2.get(f"/pip/{rijk['concept'].uuid}/", **h)
    assert r.status_code == 200
    html["pip (concept)"] = r.content.decode()
    teamleider = login(world.teamleider_a)
    h = _taal(teamleider, taal)
    for naam, url in (
        ("termijnen (teamleider)", "/dossiers/termijnen/"),
        ("goedkeuren (teamleider)", "/pip/goedkeuren/"),
    ):
        r = teamleider.get(url, **h)
        assert r.status_code == 200, naam
        html[naam] = r.content.decode()
    return html


@pytest.mark.parametrize("taal", ["nl", "en"])
def test_main_pages_show_no_iso_date_and_no_raw_value(vaste_dag, world, login, rijk, taal):
    paginas = _hoofdpaginas(world, login, rijk, taal)
    # the crawl reached the dossier's parts and real data: dates are on the pages
    assert len([u for u in paginas if u.startswith("/dossiers/")]) >= 2
    alle_tekst = " ".join(zichtbaar(h) for h in paginas.values())
    assert dmj(VANDAAG - timedelta(days=45)) in alle_tekst  # the BRP registration
    assert dmj(VANDAAG - timedelta(days=4)) in alle_tekst  # the start of the termijn
    ruw = ruwe_waarden(taal)
    # A change reason is text stored as written (in Dutch, the product's language), not a code.
    with scopes_disabled():
        redenen = {r.reden for r in dossier_historie(world.dossier_a) if r.reden}
    gevonden = {}
    for naam, html in paginas.items():
        tekst = zichtbaar(html)
        for reden in sorted(redenen, key=len, reverse=True):
            tekst = tekst.replace(reden, "")
        fouten = ISO_DATUM.findall(tekst) + ruw_in(tekst, ruw)
        if fouten:
            gevonden[naam] = fouten
    assert gevonden == {}


# --- (c) the language switch -----------------------------------------------------------------


def test_switching_language_after_a_refused_form_returns_to_a_page_that_exists(world, login):
    """A refused form is shown again at the URL it was posted to, which may take POST only:
    the language switch there returns to the page the form was sent from."""
    client = login(world.werkcoach_a)
    dossier_url = f"/dossiers/{world.dossier_a.uuid}/"
    h = _nl(client)
    refused = client.post(
        f"{dossier_url}fase/",
        {"fase": Fase.AFGEROND, "reden": ""},
        HTTP_REFERER=f"http://testserver{dossier_url}",
        **h,
    )
    assert refused.status_code in (200, 400)
    terug = re.search(
        r'class="inline-form language-form"[^>]*>.*?name="next" type="hidden" value="([^"]*)"',
        refused.content.decode(),
        re.S,
    )
    assert terug is not None
    assert terug.group(1) == dossier_url
    switched = client.post(
        "/i18n/setlang/", {"language": "en", "next": terug.group(1)}, follow=True
    )
    assert switched.status_code == 200
    assert switched.redirect_chain[-1][0] == dossier_url
    assert 'lang="en"' in switched.content.decode()


def test_the_next_of_a_page_fetched_by_get_is_the_page_itself(world, login):
    client = login(world.werkcoach_a)
    url = "/dossiers/?fase=gekoppeld"
    html = client.get(url, **_nl(client)).content.decode()
    assert f'name="next" type="hidden" value="{url.replace("&", "&amp;")}"' in html


def _switch(page: Page, taal: str) -> None:
    form = page.locator("form.language-form")
    form.locator("select[name=language]").select_option(taal)
    form.get_by_role("button").click()


@pytest.mark.browser
def test_language_switch_on_the_login_page_keeps_the_page(live_server, page):
    url = f"{live_server.url}/inloggen/"
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")

    _switch(page, "en")
    expect(page).to_have_url(url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("button", name="Change language")).to_be_visible()

    _switch(page, "nl")
    expect(page).to_have_url(url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_role("button", name="Taal wijzigen")).to_be_visible()
    assert page.csp_violations == []  # type: ignore[attr-defined]


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Caseload")).to_be_visible()


@pytest.mark.browser
def test_language_switch_on_a_dossier_keeps_the_dossier(live_server, world, page):
    base = live_server.url
    _log_in(page, base, world.werkcoach_a.username)
    naam = world.dossier_a.inburgeraar.achternaam
    url = f"{base}/dossiers/{world.dossier_a.uuid}/"
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(naam)
    expect(page.get_by_role("navigation", name="Hoofdnavigatie")).to_be_visible()

    _switch(page, "en")
    expect(page).to_have_url(url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text(naam)
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()

    _switch(page, "nl")
    expect(page).to_have_url(url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_contain_text(naam)
    expect(page.get_by_role("navigation", name="Hoofdnavigatie")).to_be_visible()
    assert page.csp_violations == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_language_switch_keeps_a_filter_htmx_put_in_the_url(live_server, world, page):
    """The caseload filter swaps the table and pushes the filter into the URL (htmx); the
    language switch afterwards returns to that URL, not to the one first rendered."""
    with scopes_disabled():
        DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, in_intake=True)
    base = live_server.url
    _log_in(page, base, world.werkcoach_a.username)
    page.get_by_label("Fase").select_option(Fase.INTAKE.value)
    expect(page).to_have_url(re.compile(r"fase=intake"))
    expect(page.locator("tr[data-dossier]")).to_have_count(1)

    _switch(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/dossiers/\?.*fase=intake"))
    expect(page.locator("tr[data-dossier]")).to_have_count(1)
