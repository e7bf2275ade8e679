"""The Dutch UI speaks Dutch (issue 8, defect 8).

Two rules, checked from the translation catalogue rather than from today's output:

1. ``locale/nl/LC_MESSAGES/django.po`` has a Dutch text for every msgid: nothing untranslated,
   nothing fuzzy (a fuzzy entry is not compiled, so its English msgid shows).
2. The main pages, rendered for a werkcoach and a teamleider with ``Accept-Language: nl``, show
   no English msgid (no fragment of two words or more whose Dutch text differs from it).

And the concrete defects of the issue: the afschalen refusals in Dutch, the history saying
"Dossier — gewijzigd" with dates written dd-mm-jjjj, choice labels instead of stored values
("WhatsApp", not "whatsapp") and real plurals instead of "dossier(s)".
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django_scopes import scopes_disabled

from cases import services as case_services
from cases.bewaking import sweep
from cases.constants import ContactKanaal
from cases.models import Termijn
from cases.termijnen import herberekenen
from pip_plans import services as pip_services
from pip_plans.constants import Beoordeling, Domein, GesprekLocatie, PipStatus
from pip_plans.models import BredeIntake, Pip

from .factories import DossierFactory

PO_PATH = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
VANDAAG = date(2026, 6, 15)
NU = datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _vaste_dag(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NU, tick=False):
        yield


# --- the catalogue ---------------------------------------------------------------------------


def _catalogus() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def test_every_msgid_has_a_dutch_translation_and_none_is_fuzzy():
    po = _catalogus()
    live = [e for e in po if not e.obsolete]
    onvertaald = [e.msgid for e in live if not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e.msgid for e in live if "fuzzy" in e.flags]
    assert onvertaald == [], f"{len(onvertaald)} untranslated: {onvertaald[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_every_msgid_in_the_code_is_in_the_catalogue_translated(tmp_path):
    """What ``makemessages -l nl`` would extract today (run on a copy of the tree, so the real
    catalogue is untouched) is all translated: a string added without its Dutch fails here."""
    kopie = tmp_path / "tree"
    shutil.copytree(
        settings.BASE_DIR,
        kopie,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", ".git", "media", "staticfiles", "__pycache__", "*.mo"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "--ignore=.venv",
            "--ignore=node_modules",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=kopie,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "inburgering.settings.test"},
        check=True,
        timeout=300,
    )
    po = polib.pofile(str(kopie / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    onvertaald = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert onvertaald == [], f"{len(onvertaald)} without Dutch: {onvertaald[:30]}"


# A placeholder, an HTML tag or a line break splits a msgid into the literal fragments a page shows.
_SCHEIDING = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\{[^}]*\}\}|\{\w*\}|<[^>]+>|\n")


def _fragmenten(tekst: str) -> list[str]:
    delen = (" ".join(d.split()) for d in _SCHEIDING.split(tekst))
    return [d for d in delen if len(d.split()) >= 2 and len(d) >= 8]


def _engelse_fragmenten() -> list[tuple[str, str]]:
    """(fragment, msgid) for every fragment of a msgid that its Dutch text does not contain,
    and that occurs in no Dutch text at all (so finding it on a page means: untranslated)."""
    po = _catalogus()
    nederlands = []
    for e in po:
        nederlands.append(e.msgstr)
        nederlands.extend(e.msgstr_plural.values())
    alle_nl = "\n".join(" ".join(t.split()) for t in nederlands)
    result = []
    for e in po:
        if e.obsolete:
            continue
        for bron in filter(None, (e.msgid, e.msgid_plural)):
            for fragment in _fragmenten(bron):
                if fragment not in alle_nl:
                    result.append((fragment, bron))
    return result


class _ZichtbareTekst(HTMLParser):
    """The text a user reads or hears: text nodes (not script/style) and the attributes a
    screen reader or tooltip speaks."""

    ATTRIBUTEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.delen: list[str] = []
        self._verborgen = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._verborgen += 1
        a = dict(attrs)
        for naam in self.ATTRIBUTEN:
            if a.get(naam):
                self.delen.append(a[naam])
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.delen.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._verborgen:
            self._verborgen -= 1

    def handle_data(self, data):
        if not self._verborgen and data.strip():
            self.delen.append(data)


def zichtbare_tekst(html: str) -> str:
    parser = _ZichtbareTekst()
    parser.feed(html)
    return " ".join(" ".join(d.split()) for d in parser.delen)


def _komt_voor(fragment: str, tekst: str) -> bool:
    """As whole words: "MAP exempt" is not found in "MAP exemption"."""
    return fragment in tekst and bool(re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", tekst))


def engels_op_pagina(html: str, fragmenten: list[tuple[str, str]]) -> list[str]:
    tekst = zichtbare_tekst(html)
    return sorted(
        {
            f"{fragment!r} (msgid {msgid!r})"
            for fragment, msgid in fragmenten
            if _komt_voor(fragment, tekst)
        }
    )


# --- a dossier with everything on it ----------------------------------------------------------


def _intake_afgerond(dossier, werkcoach) -> BredeIntake:
    intake = pip_services.intake_starten(user=werkcoach, dossier=dossier)
    pip_services.intake_gesprek_toevoegen(
        user=werkcoach,
        intake=intake,
        werkcoach=werkcoach,
        datum=VANDAAG - timedelta(days=20),
        locatie=GesprekLocatie.GEMEENTEHUIS,
        verschenen=False,
        meegewerkt=False,
    )
    pip_services.intake_gesprek_toevoegen(
        user=werkcoach,
        intake=intake,
        werkcoach=werkcoach,
        datum=VANDAAG - timedelta(days=14),
        locatie=GesprekLocatie.GEMEENTEHUIS,
        verschenen=True,
        meegewerkt=True,
        notities="Gesprek met tolk",
    )
    for domein in Domein:
        pip_services.intake_domein_opslaan(
            user=werkcoach, intake=intake, domein=domein, beoordeling=Beoordeling.VOLDOENDE
        )
    pip_services.intake_bijwerken(
        user=werkcoach,
        intake=intake,
        leerbaarheid_datum=VANDAAG - timedelta(days=14),
        leerbaarheid_instrument="Leerbaarheidstoets Inburgering",
        leerbaarheid_score="gemiddeld",
        leerbaarheid_laag=False,
    )
    pip_services.intake_afronden(user=werkcoach, intake=intake, datum=VANDAAG - timedelta(days=10))
    return intake


def _pip_vastgesteld(dossier) -> Pip:
    pip = Pip(
        dossier=dossier,
        status=PipStatus.VASTGESTELD,
        kenmerk="PIP-NL-000001-v1",
        leerroute="b1",
        einddoel="b1",
        participatie="Vrijwilligerswerk bij de voedselbank",
        datum_vastgesteld=VANDAAG - timedelta(days=5),
        termijn_start=VANDAAG - timedelta(days=4),
        termijn_eind=VANDAAG - timedelta(days=5) + timedelta(days=3 * 365),
        pdf_sha256="a" * 64,
    )
    pip.pdf.save("PIP-NL-000001-v1.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    pip.save()
    return pip


@pytest.fixture
def dossiers(world):
    """dossier_a: intake completed, PIP vastgesteld, termijnen, history with dates and
    contact channels; dossier_a2: intake in progress and a concept PIP; a third dossier of
    werkcoach_a with an overdue intake clock, so the signal inbox has rows."""
    wc = world.werkcoach_a
    # Timeline texts and change reasons are stored in the language of the moment they are
    # written; the Dutch product (LANGUAGE_CODE "nl", Dutch users) writes them in Dutch.
    with scopes_disabled(), translation.override("nl"):
        persoon = world.dossier_a.inburgeraar
        case_services.inburgeraar_update(
            user=wc,
            inburgeraar=persoon,
            contactkanalen=[ContactKanaal.WHATSAPP, ContactKanaal.TELEFOON],
            geboortedatum=persoon.geboortedatum - timedelta(days=1),
        )
        case_services.dossier_update(
            user=wc,
            dossier=world.dossier_a,
            datum_huisvesting=VANDAAG - timedelta(days=50),
            datum_brp_inschrijving=VANDAAG - timedelta(days=45),
        )
        intake = _intake_afgerond(world.dossier_a, wc)
        pip = _pip_vastgesteld(world.dossier_a)
        herberekenen(world.dossier_a, user=None)

        intake_open = pip_services.intake_starten(user=world.werkcoach_a2, dossier=world.dossier_a2)
        concept = Pip.objects.create(dossier=world.dossier_a2)

        te_laat = DossierFactory(
            gemeente=world.gemeente_a,
            werkcoach=wc,
            datum_brp_inschrijving=VANDAAG - timedelta(days=200),
        )
        herberekenen(te_laat, user=None)
        sweep(peildatum=VANDAAG)
    return {"intake": intake, "pip": pip, "intake_open": intake_open, "concept": concept}


def _nl(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return {"HTTP_ACCEPT_LANGUAGE": "nl"}


def _pagina(client, url, *, post=None, status=(200,)):
    nl = _nl(client)
    # a POST follows its redirect to the page that shows the outcome
    response = client.get(url, **nl) if post is None else client.post(url, post, follow=True, **nl)
    assert response.status_code in status, (url, response.status_code)
    assert response.headers.get("Content-Language", "nl") == "nl"
    return response.content.decode()


# --- pages -----------------------------------------------------------------------------------


def test_werkcoach_pages_show_no_english_msgid(world, login, dossiers):
    fragmenten = _engelse_fragmenten()
    client = login(world.werkcoach_a)
    pip, intake = dossiers["pip"], dossiers["intake"]
    paginas = {
        "caseload": _pagina(client, "/dossiers/"),
        "dossier": _pagina(client, f"/dossiers/{world.dossier_a.uuid}/"),
        "intake (afgerond)": _pagina(client, f"/pip/intake/{intake.uuid}/"),
        "pip (vastgesteld)": _pagina(client, f"/pip/{pip.uuid}/"),
        "signalen": _pagina(client, "/dossiers/signalen/"),
        "dossier bewerken": _pagina(client, f"/dossiers/{world.dossier_a.uuid}/bewerken/"),
        "persoon bewerken": _pagina(client, f"/dossiers/{world.dossier_a.uuid}/persoon/"),
        "verhuizen": _pagina(client, f"/dossiers/{world.dossier_a.uuid}/verhuizen/"),
        "fase zonder reden": _pagina(
            client,
            f"/dossiers/{world.dossier_a.uuid}/fase/",
            post={"fase": "afgerond", "reden": ""},
            status=(200, 400),
        ),
        "nieuw dossier": _pagina(client, "/dossiers/nieuw/"),
        "nieuw dossier met fouten": _pagina(
            client, "/dossiers/nieuw/", post={"bsn": "123"}, status=(200, 400)
        ),
        "afschalen geweigerd": _pagina(
            client,
            f"/pip/{pip.uuid}/afschalen/",
            post={
                "examendeel": "spreken",
                "datum": VANDAAG.isoformat(),
                "lesuren": "10",
                "motivatie": "Veel geoefend",
            },
            status=(200, 400),
        ),
    }
    gevonden = {naam: engels_op_pagina(html, fragmenten) for naam, html in paginas.items()}
    assert {k: v for k, v in gevonden.items() if v} == {}


def test_werkcoach_forms_with_errors_show_no_english_msgid(world, login, dossiers):
    fragmenten = _engelse_fragmenten()
    client = login(world.werkcoach_a2)
    intake, concept = dossiers["intake_open"], dossiers["concept"]
    paginas = {
        "intake (open)": _pagina(client, f"/pip/intake/{intake.uuid}/"),
        "gesprek met fouten": _pagina(
            client, f"/pip/intake/{intake.uuid}/gesprek/", post={"datum": ""}, status=(400,)
        ),
        "afronden geweigerd": _pagina(client, f"/pip/intake/{intake.uuid}/afronden/", post={}),
        "pip (concept)": _pagina(client, f"/pip/{concept.uuid}/"),
        "pip met fouten": _pagina(
            client, f"/pip/{concept.uuid}/", post={"uren_per_week": "veel"}, status=(400,)
        ),
    }
    gevonden = {naam: engels_op_pagina(html, fragmenten) for naam, html in paginas.items()}
    assert {k: v for k, v in gevonden.items() if v} == {}


def test_teamleider_pages_show_no_english_msgid(world, login, dossiers):
    fragmenten = _engelse_fragmenten()
    client = login(world.teamleider_a)
    paginas = {
        "caseload": _pagina(client, "/dossiers/"),
        "dossier": _pagina(client, f"/dossiers/{world.dossier_a.uuid}/"),
        "termijnen": _pagina(client, "/dossiers/termijnen/"),
        "signalen": _pagina(client, "/dossiers/signalen/"),
        "goedkeuren": _pagina(client, "/pip/goedkeuren/"),
        "pip": _pagina(client, f"/pip/{dossiers['pip'].uuid}/"),
    }
    gevonden = {naam: engels_op_pagina(html, fragmenten) for naam, html in paginas.items()}
    assert {k: v for k, v in gevonden.items() if v} == {}


def test_the_scan_itself_finds_an_english_msgid():
    """Guard for the page tests: an English msgid on a page is caught, its Dutch is not."""
    po = _catalogus()
    fragmenten = _engelse_fragmenten()
    entry = next(
        e
        for e in po
        if e.msgstr
        and not e.msgid_plural
        and _fragmenten(e.msgid) == [e.msgid.strip()]
        and (e.msgid.strip(), e.msgid) in fragmenten
    )
    assert engels_op_pagina(f"<main><p>{entry.msgid}</p></main>", fragmenten)
    assert not engels_op_pagina(f"<main><p>{entry.msgstr}</p></main>", fragmenten)


# --- the concrete defects --------------------------------------------------------------------


def test_afschalen_refusals_are_dutch_in_the_dutch_ui(world, login, dossiers):
    """Four days into the termijn, 10 lesson hours, no judgement of effort: every condition
    of afschalen (18 months, 600 hours, sufficient effort) is unmet — each said in Dutch,
    wherever the page puts it (at the field or as a message)."""
    client = login(world.werkcoach_a)
    pip = dossiers["pip"]
    response = client.post(
        f"/pip/{pip.uuid}/afschalen/",
        {"examendeel": "spreken", "datum": VANDAAG.isoformat(), "lesuren": "10", "motivatie": "x"},
        follow=True,
        **_nl(client),
    )
    berichten = " ".join(str(m) for m in response.context["messages"])
    berichten += " " + zichtbare_tekst(response.content.decode())
    # 18 months, 600 lesson hours, sufficient effort: each unmet condition, in Dutch
    assert "18 maanden" in berichten and "600 lesuren" in berichten, berichten
    assert "inspanning" in berichten, berichten
    for engels in ("possible only after", "lesson hours", "sufficient effort"):
        assert engels not in berichten


def test_history_speaks_dutch_with_dutch_dates_and_labels(world, login, dossiers):
    client = login(world.werkcoach_a)
    html = _pagina(client, f"/dossiers/{world.dossier_a.uuid}/historie/")
    historie = zichtbare_tekst(html.split('id="historie"', 1)[1].split("</section>", 1)[0])
    assert "Dossier — gewijzigd" in historie and "Persoon — gewijzigd" in historie
    assert "Changed" not in historie and "Created" not in historie
    # dates as everywhere in the UI: dd-mm-jjjj, never ISO
    huisvesting = (VANDAAG - timedelta(days=50)).strftime("%d-%m-%Y")
    assert huisvesting in historie
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", historie), historie
    # stored choice values shown by their labels
    assert "WhatsApp" in historie and "whatsapp" not in historie
    assert "telefoon" in historie


def test_termijn_history_speaks_dutch(world, login, dossiers):
    client = login(world.werkcoach_a)
    html = _pagina(client, f"/dossiers/{world.dossier_a.uuid}/termijnen/")
    with scopes_disabled():
        assert Termijn.objects.filter(dossier=world.dossier_a).exists()
    termijnen = zichtbare_tekst(html.split('id="termijnen"', 1)[1])
    assert "(aangemaakt)" in termijnen or "(gewijzigd)" in termijnen
    assert "(Created)" not in termijnen and "(Changed)" not in termijnen
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", termijnen)


def test_contact_channels_show_their_labels(world, login, dossiers):
    client = login(world.werkcoach_a)
    html = _pagina(client, f"/dossiers/{world.dossier_a.uuid}/")
    gegevens = zichtbare_tekst(html.split('id="historie"', 1)[0])
    assert "WhatsApp, telefoon" in gegevens
    assert "whatsapp" not in gegevens


@pytest.mark.parametrize(("aantal", "tekst"), [(1, "1 dossier toegewezen"), (2, "2 dossiers")])
def test_assigning_says_dossier_or_dossiers(world, login, aantal, tekst):
    with scopes_disabled():
        extra = [
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
            for _ in range(aantal)
        ]
    client = login(world.teamleider_a)
    response = client.post(
        "/dossiers/toewijzen/",
        {
            "dossiers": [str(d.uuid) for d in extra],
            "werkcoach": world.werkcoach_a2.pk,
            "reden": "Verdeling na vakantie",
        },
        follow=True,
        **_nl(client),
    )
    berichten = " ".join(str(m) for m in response.context["messages"])
    assert tekst in berichten, berichten
    assert "(s)" not in berichten
