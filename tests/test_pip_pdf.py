"""The PIP beschikking PDF: content, PDF/A, the locked-down URL fetcher, HarfBuzz subsetting,
date edges, and the rendering task (success and failure)."""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import date

import pytest
from django_scopes import scopes_disabled
from PIL import Image
from pypdf import PdfReader

from inburgering.documents import pdf as documents_pdf
from inburgering.documents.pdf import BASE_URL, DocumentURLFetcher, ResourceRefused
from inburgering.documents.tasks import document_renderen
from pip_plans import pdf as pdf_module
from pip_plans import rules
from pip_plans.constants import Einddoel, Examendeel, Leerroute, PipStatus, VasteLast
from pip_plans.documenten import BESCHIKKING
from pip_plans.models import Pip
from pip_plans.pdf import render_beschikking

from .factories import DossierFactory
from .klok import vandaag_fixture

# Every date in this module is relative to this day (issue 8: no test on the wall clock).
VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def maak_pip(dossier, **overrides) -> Pip:
    """A complete, valid PIP in status 'wordt_vastgesteld', as the vaststellen service leaves it."""
    data = {
        "dossier": dossier,
        "versie": 1,
        "status": PipStatus.WORDT_VASTGESTELD,
        "leerroute": Leerroute.B1,
        "route_motivatie": "Leerbaarheid gemiddeld; B1 is haalbaar.",
        "einddoel": Einddoel.A2_DELEN,
        "a2_examendelen": [Examendeel.SCHRIJVEN],
        "aanbieder": "Taalschool Het Gooi",
        "uren_per_week": 16,
        "verwachte_duur_maanden": 24,
        "knm": True,
        "map_vrijgesteld": False,
        "pvt": True,
        "participatie": "Vrijwilligerswerk bij de voedselbank.",
        "participatie_uren_per_week": 8,
        "heeft_uitkering": True,
        "ontzorgen_vaste_lasten": [VasteLast.HUUR, VasteLast.ENERGIE],
        "ontzorgen_start": date(2026, 12, 1),
        "ontzorgen_maanden": 6,
        "financiele_training": "Eurowijzer",
        "voortgangsgesprekken_per_jaar": 2,
        "maatschappelijke_begeleiding": True,
        "workshops": "Workshop geldzaken",
        "kinderopvang": "",
        "vve": "",
        "kenmerk": "PIP-GM9999-000123-v1",
        "datum_vastgesteld": date(2026, 11, 23),
    }
    data.update(overrides)
    with scopes_disabled():
        pip = Pip.objects.create(**data)
        return Pip.objects.select_related("dossier__inburgeraar", "dossier__gemeente").get(
            pk=pip.pk
        )


def tekst(pdf_bytes: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def dossier(db):
    with scopes_disabled():
        d = DossierFactory(
            gemeente__naam="Huizen",
            gemeente__adres="Graaf Wichmanlaan 59",
            gemeente__postcode_plaats="1271 VA Huizen",
            gemeente__telefoon="035 528 12 11",
            gemeente__email="gemeente@huizen.nl",
            gemeente__ondertekenaar_naam="M. Jansen",
            gemeente__ondertekenaar_functie="teamleider Inburgering",
            inburgeraar__voornamen="Amal",
            inburgeraar__tussenvoegsel="",
            inburgeraar__achternaam="Haddad",
        )
    return d


# --- content ----------------------------------------------------------------------------------


def test_beschikking_bevat_brief_en_besluit(dossier):
    pip = maak_pip(dossier)
    pdf = render_beschikking(pip)
    assert pdf.startswith(b"%PDF-")
    t = tekst(pdf)
    # letterhead, addressee, date, kenmerk, subject
    assert "Gemeente Huizen" in t
    assert "Graaf Wichmanlaan 59" in t and "1271 VA Huizen" in t
    assert "035 528 12 11" in t and "gemeente@huizen.nl" in t
    assert "Amal Haddad" in t
    assert "23 november 2026" in t
    assert "PIP-GM9999-000123-v1" in t
    assert "Beschikking Persoonlijk Plan Inburgering en Participatie (PIP), versie 1" in t
    # decision per theme, in Dutch
    assert "B1-route" in t
    assert "A2 voor schrijven" in t
    assert "Taalschool Het Gooi" in t
    assert "16 uur" in t and "24 maanden" in t
    assert "Vrijwilligerswerk bij de voedselbank." in t
    assert "huur en energie (gas en elektriciteit)" in t
    assert "1 december 2026" in t and "6 maanden" in t
    assert "2 per jaar" in t
    # legal ground and termijn: starts the day after, three years
    assert "Wet inburgering 2021, artikel 16" in t and "artikel 7" in t
    assert "Algemene wet bestuursrecht" in t
    assert "begint op 24 november 2026" in t
    assert "eindigt op 23 november 2029" in t
    # signature block
    assert "namens het college van burgemeester en wethouders van Huizen" in t
    assert "M. Jansen" in t and "teamleider Inburgering" in t
    # objection clause with the last day: 23 Nov 2026 + 6 weeks = Monday 4 January 2027
    assert rules.bezwaar_einddatum(date(2026, 11, 23)) == date(2027, 1, 4)
    assert "binnen zes weken na de dag waarop deze beschikking is verzonden" in t
    assert "uiterlijk op maandag 4 januari 2027" in t
    # page numbers on every page
    reader = PdfReader(io.BytesIO(pdf))
    n = len(reader.pages)
    assert n >= 2
    for i, page in enumerate(reader.pages, start=1):
        assert f"Pagina {i} van {n}" in " ".join(page.extract_text().split())


def test_ontzorgen_niet_van_toepassing_en_map_vrijgesteld(dossier):
    pip = maak_pip(
        dossier,
        leerroute=Leerroute.ONDERWIJS,
        einddoel=Einddoel.ONDERWIJS,
        a2_examendelen=[],
        map_vrijgesteld=True,
        ontzorgen_vaste_lasten=[],
        ontzorgen_start=None,
        ontzorgen_maanden=None,
    )
    t = tekst(render_beschikking(pip))
    assert "onderwijsroute" in t
    assert "3. Ontzorgen Niet van toepassing." in t
    assert "Module Arbeidsmarkt en Participatie (MAP) vrijgesteld" in t


def test_nieuwe_versie_noemt_de_vervangen_versie(dossier):
    with scopes_disabled():
        v1 = maak_pip(
            dossier,
            status=PipStatus.GEWIJZIGD,
            pdf_sha256="a" * 64,
            termijn_start=date(2026, 11, 24),
            termijn_eind=date(2029, 11, 23),
        )
    v2 = maak_pip(
        dossier,
        versie=2,
        vorige_versie=v1,
        kenmerk="PIP-GM9999-000124-v2",
        datum_vastgesteld=date(2027, 3, 1),
    )
    t = tekst(render_beschikking(v2))
    assert "versie 2" in t
    assert "vervangt versie 1 van uw PIP (kenmerk PIP-GM9999-000123-v1)" in t


def test_logo_uit_media_wordt_ingesloten(dossier, media_root):
    logo_dir = media_root / "gemeenten" / "logos"
    logo_dir.mkdir(parents=True)
    Image.new("RGB", (40, 20), (200, 0, 0)).save(logo_dir / "huizen.png")
    with scopes_disabled():
        dossier.gemeente.logo = "gemeenten/logos/huizen.png"
        dossier.gemeente.save()
    pdf = render_beschikking(maak_pip(dossier))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages[0].images) == 1


# --- PDF/A ------------------------------------------------------------------------------------


def test_pdf_a_en_tagged(dossier):
    pdf = render_beschikking(maak_pip(dossier))
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="U"' in xmp
    assert "Beschikking PIP PIP-GM9999-000123-v1" in xmp  # dc:title
    assert pdf.startswith(b"%PDF-1.7")
    intents = root["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0].get_object()
    # tagged PDF, language set for screen readers
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    # all fonts embedded (PDF/A), and they are DejaVu Sans from the system package
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all("DejaVu-Sans" in f for f in fonts)
    assert not any("Oblique" in f for f in fonts)


# --- no fetching of anything a user typed -----------------------------------------------------


def test_html_in_gebruikerstekst_is_tekst_en_haalt_niets_op(dossier, monkeypatch):
    opgehaald: list[str] = []
    echte = documents_pdf.resolve_resource

    def spy(url):
        opgehaald.append(url)
        return echte(url)

    monkeypatch.setattr(documents_pdf, "resolve_resource", spy)
    pip = maak_pip(
        dossier,
        route_motivatie='Zie <img src="file:///etc/passwd"> hier',
        participatie='Stage, <a href="http://10.0.0.1/">intern</a>',
        workshops='<link rel="stylesheet" href="http://10.0.0.1/x.css">',
        aanbieder='<style>@import "http://10.0.0.1/";</style>School',
    )
    pdf = render_beschikking(pip)
    t = tekst(pdf)
    assert 'Zie <img src="file:///etc/passwd"> hier' in t
    assert '<a href="http://10.0.0.1/">intern</a>' in t
    assert '<link rel="stylesheet" href="http://10.0.0.1/x.css">' in t
    assert "root:x:0:0" not in t
    assert opgehaald == []  # no logo: the beschikking loads nothing at all
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert "/Annots" not in page  # the escaped <a> is not a link


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://10.0.0.1/",
        "https://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://example.org/x",
        "data:text/plain,hallo",
        "https://beschikking.invalid.evil.example/static/css/app.css",
        "https://beschikking.invalid/etc/passwd",
        "https://beschikking.invalid/static/../../../../etc/passwd",
        "https://beschikking.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://beschikking.invalid/media/beschikkingen/PIP-1.pdf",  # other people's documents
        "https://beschikking.invalid/media/gemeenten/logos/../../beschikkingen/PIP-1.pdf",
    ],
)
def test_fetcher_weigert(url):
    fetcher = DocumentURLFetcher()
    with pytest.raises(ValueError):
        fetcher(url)


def test_fetcher_levert_eigen_static_bestanden():
    response = DocumentURLFetcher()(f"{BASE_URL}static/css/app.css")
    assert response.read()
    assert response.content_type == "text/css"


def test_weasyprint_gebruikt_de_fetcher_ook_voor_ruwe_html(monkeypatch):
    """Even markup that is *not* escaped cannot make WeasyPrint read a file or the network."""
    from weasyprint import HTML

    opgehaald: list[str] = []
    echte = documents_pdf.resolve_resource

    def spy(url):
        opgehaald.append(url)
        return echte(url)

    monkeypatch.setattr(documents_pdf, "resolve_resource", spy)
    html = '<img src="file:///etc/passwd"><img src="http://10.0.0.1/x.png"><p>x</p>'
    HTML(string=html, base_url=BASE_URL, url_fetcher=documents_pdf.fetcher()).write_pdf()
    # both were handed to our fetcher, which refused them (WeasyPrint then skips the image)
    assert set(opgehaald) == {"file:///etc/passwd", "http://10.0.0.1/x.png"}
    with pytest.raises(ResourceRefused):
        echte("file:///etc/passwd")


# --- HarfBuzz subsetting ----------------------------------------------------------------------


def test_harfbuzz_subset_zonder_fonttools_fallback(dossier, caplog):
    from weasyprint.text import ffi

    assert ffi.harfbuzz_subset is not None, (
        "install libharfbuzz-subset0 (scripts/system_packages.sh)"
    )
    caplog.set_level(logging.WARNING, logger="weasyprint")
    render_beschikking(maak_pip(dossier))
    fallback = [r for r in caplog.records if "instead of HarfBuzz-Subset" in r.getMessage()]
    assert not fallback, fallback[0].getMessage()
    # and the template itself is clean: no CSS/HTML warnings from WeasyPrint at all
    assert not [r for r in caplog.records if r.name.startswith("weasyprint")]


# --- date edges -------------------------------------------------------------------------------


def test_vastgesteld_op_29_februari(dossier):
    t = tekst(render_beschikking(maak_pip(dossier, datum_vastgesteld=date(2028, 2, 29))))
    assert "29 februari 2028" in t
    assert "begint op 1 maart 2028" in t
    assert "eindigt op 28 februari 2031" in t
    assert "uiterlijk op dinsdag 11 april 2028" in t


def test_bezwaartermijn_eindigt_op_koningsdag(dossier):
    # 16 March 2026 + 6 weeks = Monday 27 April 2026 (Koningsdag) → Tuesday 28 April
    assert rules.bezwaar_einddatum(date(2026, 3, 16)) == date(2026, 4, 28)
    t = tekst(render_beschikking(maak_pip(dossier, datum_vastgesteld=date(2026, 3, 16))))
    assert "uiterlijk op dinsdag 28 april 2026" in t
    assert "27 april 2026" not in t


def test_bezwaartermijn_eindigt_op_kerstmis(dossier):
    # 13 November 2026 + 6 weeks = Friday 25 December 2026; 26th is Boxing Day and a Saturday,
    # then Sunday → Monday 28 December
    assert rules.bezwaar_einddatum(date(2026, 11, 13)) == date(2026, 12, 28)
    t = tekst(render_beschikking(maak_pip(dossier, datum_vastgesteld=date(2026, 11, 13))))
    assert "uiterlijk op maandag 28 december 2026" in t


# --- the Celery task --------------------------------------------------------------------------


def test_task_stelt_vast_met_pdf_en_hash(dossier):
    pip = maak_pip(dossier)
    assert document_renderen(BESCHIKKING, pip.pk) == "ok"
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.VASTGESTELD
    assert pip.termijn_start == date(2026, 11, 24)
    assert pip.termijn_eind == date(2029, 11, 23)
    assert pip.bezwaar_tot == date(2027, 1, 4)
    assert pip.render_fout == ""
    with pip.pdf.open("rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"%PDF-")
    assert pip.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert "Amal Haddad" in tekst(stored)


def test_task_rendering_mislukt_geen_besluit(dossier, monkeypatch):
    def kapot(pip):
        raise RuntimeError("lettertype ontbreekt")

    monkeypatch.setattr(pdf_module, "beschikking_context", kapot)
    pip = maak_pip(dossier)
    assert document_renderen(BESCHIKKING, pip.pk) == "failed"
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.CONCEPT
    assert "RuntimeError: lettertype ontbreekt" in pip.render_fout
    assert not pip.pdf
    assert pip.pdf_sha256 == ""
    assert pip.termijn_start is None
    assert pip.datum_vastgesteld is None
