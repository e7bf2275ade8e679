"""The fine procedure's letters as PDF/A (Awb title 5.4): the procedure driven through its
services, each letter rendered by the document platform with real WeasyPrint and its text read
back; the platform task sending a letter and rolling back on a real failure; the preview."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django_scopes import scopes_disabled
from pypdf import PdfReader

from handhaving import brieven, documenten, services
from handhaving.constants import (
    BriefSoort,
    BriefStatus,
    ProcedureStatus,
)
from handhaving.models import Boetetarief, Brief, HandhavingBeleid, KenmerkTeller, Procedure
from inburgering.core.access import user_scope
from inburgering.documents import registry
from inburgering.documents.tasks import document_renderen
from inburgering.documents.termijnen import bezwaar_einddatum_volgens_kalender

from .handhaving_stappen import (
    gesprek,
    goedgekeurd,
    opstellen,
    rapport,
    versturen,
    verzuim,
    zienswijze,
)
from .klok import moment, vandaag_fixture

# Friday 13 November 2026: six weeks later is Friday 25 December (Christmas), then Boxing Day
# and a Sunday — the objection term ends on Monday 28 December 2026 (Atw art. 1, 3).
VANDAAG = date(2026, 11, 13)
_vandaag = vandaag_fixture(VANDAAG)
IBAN = "NL91ABNA0417164300"

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus")
MAANDEN += ("september", "oktober", "november", "december")
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def nl(d: date, *, weekdag: bool = True) -> str:
    """A date as a Dutch letter writes it (independent of the template's filters)."""
    tekst = f"{d.day} {MAANDEN[d.month - 1]} {d.year}"
    return f"{DAGEN[d.weekday()]} {tekst}" if weekdag else tekst


def tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def paginas(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def wereld(world):
    """world, with a letterhead, a named person who needs a tolk, a named werkcoach and a
    policy with an IBAN and a 30-day payment term."""
    with scopes_disabled():
        g = world.gemeente_a
        g.adres, g.postcode_plaats = "Graaf Wichmanlaan 59", "1271 VA Huizen"
        g.telefoon, g.email = "035 528 12 11", "gemeente@huizen.nl"
        g.ondertekenaar_naam, g.ondertekenaar_functie = "M. Jansen", "teamleider Inburgering"
        g.save()
        persoon = world.dossier_a.inburgeraar
        persoon.voornamen, persoon.tussenvoegsel, persoon.achternaam = "Amal", "", "Haddad"
        persoon.woonadres_straat, persoon.woonadres_huisnummer = "Kerkstraat", 12
        persoon.tolk_nodig, persoon.tolk_taal = True, "Arabisch"
        persoon.save()
        wc = world.werkcoach_a
        wc.first_name, wc.last_name = "Sanne", "de Vries"
        wc.save()
        HandhavingBeleid.objects.create(gemeente=g, betaal_dagen=30, iban=IBAN)
    return world


def beleid(world, **velden) -> None:
    with scopes_disabled():
        HandhavingBeleid.objects.filter(gemeente=world.gemeente_a).update(**velden)


def brief_van(procedure: Procedure, soort: str) -> Brief:
    with scopes_disabled():
        return documenten._load(Brief.objects.get(procedure=procedure, soort=soort).pk)


def render(procedure: Procedure, soort: str) -> tuple[Brief, bytes]:
    """The letter rendered by its registered document kind (no database writes)."""
    brief = brief_van(procedure, soort)
    with scopes_disabled():
        pdf = registry.get(f"handhaving.{soort}").render(brief)
    assert pdf.startswith(b"%PDF-")
    return brief, pdf


def verstuur(procedure: Procedure, soort: str, user) -> Procedure:
    """The real platform task, called synchronously: the letter is sent, its step takes effect."""
    brief = brief_van(procedure, soort)
    assert document_renderen(documenten.code_van(soort), brief.pk, user.pk) == "ok"
    with scopes_disabled():
        return Procedure.objects.get(pk=procedure.pk)


def tot_rapport(world, *, soort="pvt", datum=None) -> Procedure:
    """A verzuim through its hearing conversation and the rapport."""
    p = gesprek(world, verzuim(world, soort=soort, datum=datum), verslag="Geen reden gegeven.")
    return rapport(
        world,
        p,
        datum=p.verzuim.datum + timedelta(days=7),
        plaats="Taalschool Het Gooi, Huizen",
        feiten="Mevrouw kwam op 14 oktober niet naar de PVT-bijeenkomst en meldde zich niet af.",
    )


def voornemen_onderweg(world, django_capture_on_commit_callbacks) -> Procedure:
    wc = world.werkcoach_a
    with django_capture_on_commit_callbacks(execute=False):
        p = tot_rapport(world)
        assert p.status == ProcedureStatus.VOORNEMEN
        with user_scope(wc):
            p = services.voornemen_versturen(user=wc, procedure=p)
    assert p.status == ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD
    return p


def boete_onderweg(world, django_capture_on_commit_callbacks) -> Procedure:
    """The PIP fine: voornemen sent, a written zienswijze, €800 lowered to €600, approved,
    sent today."""
    wc = world.werkcoach_a
    p = voornemen_onderweg(world, django_capture_on_commit_callbacks)
    p = verstuur(p, BriefSoort.VOORNEMEN, wc)
    with django_capture_on_commit_callbacks(execute=False):
        p = zienswijze(world, p, datum=VANDAAG, inhoud="Ik was ziek en kon niet bellen.")
        p = opstellen(
            world,
            p,
            verwijtbaarheid="Mevrouw kende de afspraak en had zich kunnen afmelden.",
            zienswijze_weging="Een verklaring van een arts maakt de ziekte aannemelijk.",
            bedrag=Decimal("600"),
            verlaging_grond="verminderde_verwijtbaarheid",
            verlaging_motivering="Door haar ziekte is het verzuim haar minder te verwijten.",
        )
        p = versturen(world, goedgekeurd(world, p))
    assert p.status == ProcedureStatus.WORDT_VERSTUURD
    return p


def intakeboete_zonder_voornemen(world, django_capture_on_commit_callbacks) -> Procedure:
    """The €250 intake fine where the gemeente sends no voornemen and needs no approval."""
    beleid(world, voornemen_bij_intakeboete=False, goedkeuring_vereist=False)
    with django_capture_on_commit_callbacks(execute=False):
        p = tot_rapport(world, soort="intake_niet_verschenen")
        assert p.status == ProcedureStatus.BESLUIT and not p.voornemen_vereist
        p = opstellen(world, p, verwijtbaarheid="Uitgenodigd per brief en per telefoon.")
        p = versturen(world, p)
    assert p.status == ProcedureStatus.WORDT_VERSTUURD and p.voornemen_datum is None
    return p


# --- voornemen --------------------------------------------------------------------------------


def test_voornemen_met_zienswijze_tolk_en_rapport_als_bijlage(
    wereld, django_capture_on_commit_callbacks
):
    p = voornemen_onderweg(wereld, django_capture_on_commit_callbacks)
    brief, pdf = render(p, BriefSoort.VOORNEMEN)
    t = tekst(pdf)
    assert brief.kenmerk.startswith("VN-") and brief.kenmerk.endswith("-2026-00001")
    assert brief.kenmerk in t
    # letterhead, addressee, date, subject
    assert "Gemeente Huizen" in t and "Graaf Wichmanlaan 59" in t and "035 528 12 11" in t
    assert "Amal Haddad" in t and "Kerkstraat 12" in t
    assert nl(VANDAAG, weekdag=False) in t
    assert "Voornemen tot het opleggen van een bestuurlijke boete" in t
    assert "Wij zijn van plan u een bestuurlijke boete op te leggen" in t
    # the failure, its date and the obligation broken
    assert "Niet deelnemen aan het participatieverklaringstraject (PVT) uit het PIP" in t
    assert nl(p.verzuim.datum, weekdag=False) in t
    assert (
        "de verplichting om de afspraken in het persoonlijk plan inburgering en participatie" in t
    )
    # the fixed amount of the table on the letter's date
    assert "bestuurlijke boete opleggen van € 800,00" in t
    assert "artikel 5:53 Awb" in t
    # the zienswijze term as Dutch text, the tolk, the file
    assert p.zienswijze_tot == date(2026, 11, 27)
    assert f"tot en met {nl(p.zienswijze_tot)} schriftelijk" in t
    assert "U kunt uw zienswijze ook mondeling geven; wij regelen dan een tolk Arabisch" in t
    assert "artikel 5:49 Awb" in t and "inzien" in t
    assert "geen bezwaar maken" in t
    assert "namens het college van burgemeester en wethouders van Huizen" in t
    assert "M. Jansen" in t
    # the rapport as an annex on its own page, with what Awb 5:48 requires
    pagina = paginas(pdf)
    assert "Bijlage: rapport (artikel 5:48 Awb)" not in pagina[0]
    bijlage = pagina[-1]
    assert bijlage.startswith("Bijlage: rapport (artikel 5:48 Awb)"), bijlage[:80]
    assert "Beste Amal Haddad" not in bijlage  # not the letter running on
    assert f"Datum van het rapport {nl(p.rapport_datum, weekdag=False)}" in bijlage
    assert "Naam Amal Haddad" in bijlage
    assert "Overtreding Niet deelnemen aan het participatieverklaringstraject" in bijlage
    assert "Wet inburgering 2021 en Besluit inburgering 2021" in bijlage  # the grondslag
    assert "Plaats Taalschool Het Gooi, Huizen" in bijlage
    assert f"Datum van het verzuim {nl(p.verzuim.datum, weekdag=False)}" in bijlage
    assert "meldde zich niet af" in bijlage
    assert "Opgemaakt door Sanne de Vries" in bijlage
    # every page carries the kenmerk and its number
    for i, pag in enumerate(pagina, start=1):
        assert f"Kenmerk {brief.kenmerk}" in pag and f"Pagina {i} van {len(pagina)}" in pag
    assert "CONCEPT" not in t


def test_voornemen_zonder_tolk_noemt_geen_tolk(wereld, django_capture_on_commit_callbacks):
    with scopes_disabled():
        persoon = wereld.dossier_a.inburgeraar
        persoon.tolk_nodig, persoon.tolk_taal = False, ""
        persoon.save()
    p = voornemen_onderweg(wereld, django_capture_on_commit_callbacks)
    assert p.taal == ""
    t = tekst(render(p, BriefSoort.VOORNEMEN)[1])
    assert "U kunt uw zienswijze ook mondeling geven." in t
    assert "tolk" not in t


def test_brief_is_pdf_a_en_tagged(wereld, django_capture_on_commit_callbacks):
    p = voornemen_onderweg(wereld, django_capture_on_commit_callbacks)
    brief, pdf = render(p, BriefSoort.VOORNEMEN)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert f"Voornemen tot het opleggen van een bestuurlijke boete {brief.kenmerk}" in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"


# --- the platform task ------------------------------------------------------------------------


def test_taak_verstuurt_voornemen_met_pdf_en_hash(wereld, django_capture_on_commit_callbacks):
    p = voornemen_onderweg(wereld, django_capture_on_commit_callbacks)
    brief = brief_van(p, BriefSoort.VOORNEMEN)
    code = documenten.code_van(BriefSoort.VOORNEMEN)
    assert code == "handhaving.voornemen"
    assert document_renderen(code, brief.pk, wereld.werkcoach_a.pk) == "ok"
    with scopes_disabled():
        brief = Brief.objects.get(pk=brief.pk)
        p = Procedure.objects.get(pk=p.pk)
    assert brief.status == BriefStatus.VERZONDEN and brief.render_fout == ""
    with brief.pdf.open("rb") as fh:
        opgeslagen = fh.read()
    assert brief.pdf_sha256 == hashlib.sha256(opgeslagen).hexdigest()
    assert brief.kenmerk in tekst(opgeslagen)
    assert p.status == ProcedureStatus.ZIENSWIJZE
    assert p.voornemen_datum == VANDAAG
    # a redelivered message sends nothing twice
    assert document_renderen(code, brief.pk, wereld.werkcoach_a.pk) == "skipped"


def test_taak_draait_terug_als_de_pdf_niet_kan_worden_opgeslagen(
    wereld, django_capture_on_commit_callbacks, settings, tmp_path
):
    """A real failure after a successful render (as test_documents provokes it): MEDIA_ROOT is
    a regular file, so the letter cannot be written. No step without its letter."""
    p = voornemen_onderweg(wereld, django_capture_on_commit_callbacks)
    brief = brief_van(p, BriefSoort.VOORNEMEN)
    geen_map = tmp_path / "geen-map"
    geen_map.write_text("a file, not a directory")
    settings.MEDIA_ROOT = geen_map / "media"
    assert document_renderen(documenten.code_van(BriefSoort.VOORNEMEN), brief.pk) == "failed"
    with scopes_disabled():
        brief = Brief.objects.get(pk=brief.pk)
        p = Procedure.objects.get(pk=p.pk)
    assert brief.status == BriefStatus.MISLUKT
    assert brief.render_fout.startswith(("NotADirectoryError: ", "FileExistsError: "))
    assert not brief.pdf and brief.pdf_sha256 == ""
    assert p.status == ProcedureStatus.VOORNEMEN
    assert p.zienswijze_tot is None and p.voornemen_datum is None


def test_taak_draait_terug_als_het_tarief_ontbreekt(wereld, django_capture_on_commit_callbacks):
    """Missing data: without a fine amount on the letter's date the voornemen cannot state what
    may be imposed, so it is not sent and the step goes back with the reason."""
    p = voornemen_onderweg(wereld, django_capture_on_commit_callbacks)
    Boetetarief.objects.filter(categorie="pip").delete()
    brief = brief_van(p, BriefSoort.VOORNEMEN)
    assert document_renderen(documenten.code_van(BriefSoort.VOORNEMEN), brief.pk) == "failed"
    with scopes_disabled():
        brief = Brief.objects.get(pk=brief.pk)
        p = Procedure.objects.get(pk=p.pk)
    assert brief.status == BriefStatus.MISLUKT
    assert brief.render_fout.startswith("BriefOnvolledig: ")
    assert "a fine amount for pip on this date" in brief.render_fout
    assert p.status == ProcedureStatus.VOORNEMEN and p.zienswijze_tot is None


def test_taak_draait_terug_zonder_postadres(wereld, django_capture_on_commit_callbacks):
    p = voornemen_onderweg(wereld, django_capture_on_commit_callbacks)
    with scopes_disabled():
        persoon = wereld.dossier_a.inburgeraar
        persoon.woonadres_straat = persoon.woonadres_postcode = persoon.woonadres_woonplaats = ""
        persoon.woonadres_huisnummer = None
        persoon.save()
    brief = brief_van(p, BriefSoort.VOORNEMEN)
    assert document_renderen(documenten.code_van(BriefSoort.VOORNEMEN), brief.pk) == "failed"
    with scopes_disabled():
        brief = Brief.objects.get(pk=brief.pk)
    assert brief.status == BriefStatus.MISLUKT and "postal address" in brief.render_fout


# --- boetebeschikking -------------------------------------------------------------------------


def test_boetebeschikking_met_zienswijze_verlaging_betaling_en_bezwaar(
    wereld, django_capture_on_commit_callbacks
):
    p = boete_onderweg(wereld, django_capture_on_commit_callbacks)
    brief, pdf = render(p, BriefSoort.BOETEBESCHIKKING)
    t = tekst(pdf)
    assert brief.kenmerk.startswith("BB-") and brief.kenmerk in t
    assert "Amal Haddad" in t and "Besluit: bestuurlijke boete" in t
    voornemen = brief_van(p, BriefSoort.VOORNEMEN)
    assert f"(kenmerk {voornemen.kenmerk})" in t
    # legal ground and facts
    assert (
        "Wet inburgering 2021 en Besluit inburgering 2021: bestuurlijke boete door het college" in t
    )
    assert "titel 5.4 van de Algemene wet bestuursrecht" in t
    assert "meldde zich niet af" in t
    # the zienswijze and how it was weighed; blame
    assert f"schriftelijk, ontvangen op {nl(VANDAAG, weekdag=False)}" in t
    assert "Ik was ziek en kon niet bellen." in t
    assert "Hoe wij uw zienswijze hebben gewogen" in t and "verklaring van een arts" in t
    assert "artikel 5:41 Awb" in t and "had zich kunnen afmelden" in t
    # the amount: fixed amount, the reduction with its ground and motivation, the fine
    assert "Vast bedrag voor dit verzuim € 800,00" in t
    assert "Verlaging − € 200,00" in t
    assert "Uw boete € 600,00" in t
    assert "verlaagd (artikel 5:46 Awb): er is sprake van verminderde verwijtbaarheid." in t
    assert "minder te verwijten" in t
    # how to pay: 30 days is Sunday 13 December, so Monday 14 December; IBAN; kenmerk
    assert (
        f"binnen 30 dagen na de datum van deze brief, dus uiterlijk op {nl(date(2026, 12, 14))}"
        in t
    )
    assert f"op rekening {IBAN} ten name van Gemeente Huizen" in t
    assert f"Vermeld bij uw betaling het kenmerk {brief.kenmerk}" in t
    # the objection clause: the last day printed is the procedure's, shifted by the Atw
    assert p.bezwaar_tot == date(2026, 12, 28) != VANDAAG + timedelta(weeks=6)
    assert "binnen zes weken na de dag waarop deze beschikking is verzonden" in t
    assert f"uiterlijk op {nl(p.bezwaar_tot)} binnen zijn" in t
    assert f"het kenmerk van deze beschikking ({brief.kenmerk})" in t
    # a voornemen was sent: the rapport went with it
    assert "Bijlage: rapport" not in t
    # sending it: the fine is imposed
    p = verstuur(p, BriefSoort.BOETEBESCHIKKING, wereld.werkcoach_a)
    assert p.status == ProcedureStatus.OPGELEGD


def test_boetebeschikking_zonder_voornemen_sluit_het_rapport_in(
    wereld, django_capture_on_commit_callbacks
):
    p = intakeboete_zonder_voornemen(wereld, django_capture_on_commit_callbacks)
    brief, pdf = render(p, BriefSoort.BOETEBESCHIKKING)
    t = tekst(pdf)
    assert brief.kenmerk in t and "Amal Haddad" in t
    assert "Niet verschijnen voor de brede intake" in paginas(pdf)[-1]
    # the fixed amount, and no reduction line at all
    assert "Vast bedrag voor dit verzuim € 250,00" in t and "Uw boete € 250,00" in t
    assert "Verlaging" not in t and "€ 0,00" not in t and "verlaagd" not in t
    assert "geen voornemen gestuurd" in t
    assert f"uiterlijk op {nl(p.bezwaar_tot)} binnen zijn" in t
    # the rapport enclosed on its own page (Awb 5:48: no later than the decision)
    bijlage = paginas(pdf)[-1]
    assert bijlage.startswith("Bijlage: rapport (artikel 5:48 Awb)")
    assert "Naam Amal Haddad" in bijlage and "Plaats Taalschool Het Gooi, Huizen" in bijlage


def test_zonder_iban_wordt_naar_het_rekeningnummer_verwezen(
    wereld, django_capture_on_commit_callbacks
):
    beleid(wereld, iban="")
    p = intakeboete_zonder_voornemen(wereld, django_capture_on_commit_callbacks)
    t = tekst(render(p, BriefSoort.BOETEBESCHIKKING)[1])
    assert IBAN not in t and "op rekening" not in t
    assert "Neem contact op met de gemeente voor het rekeningnummer." in t


# --- geen boete, intrekking -------------------------------------------------------------------


def test_geen_boete_is_definitief(wereld, django_capture_on_commit_callbacks):
    wc = wereld.werkcoach_a
    with django_capture_on_commit_callbacks(execute=False):
        p = tot_rapport(wereld)
        with user_scope(wc):
            p = services.geen_boete_besluiten(
                user=wc, procedure=p, motivering="Mevrouw lag die dag in het ziekenhuis."
            )
    brief, pdf = render(p, BriefSoort.GEEN_BOETE)
    t = tekst(pdf)
    assert brief.kenmerk.startswith("GB-") and brief.kenmerk in t
    assert "Amal Haddad" in t and "Mededeling: geen bestuurlijke boete" in t
    assert "geen boete op te leggen" in t
    assert "Mevrouw lag die dag in het ziekenhuis." in t
    assert "definitief" in t
    assert "De gemeente legt u voor dit verzuim later geen boete meer op (artikel 5:43 Awb)" in t
    assert "€" not in t  # no amount in a notice that no fine is imposed
    assert "Bijlage: rapport" not in t
    assert verstuur(p, BriefSoort.GEEN_BOETE, wc).status == ProcedureStatus.GEEN_BOETE
    with scopes_disabled():
        assert Brief.objects.get(pk=brief.pk).status == BriefStatus.VERZONDEN


def test_intrekking_met_eigen_bezwaartermijn(wereld, django_capture_on_commit_callbacks):
    wc = wereld.werkcoach_a
    p = intakeboete_zonder_voornemen(wereld, django_capture_on_commit_callbacks)
    p = verstuur(p, BriefSoort.BOETEBESCHIKKING, wc)
    assert p.status == ProcedureStatus.OPGELEGD
    boete = brief_van(p, BriefSoort.BOETEBESCHIKKING)
    # Tuesday 16 March 2027: six weeks later is Koningsdag (Tuesday 27 April), so the 28th
    dag = date(2027, 3, 16)
    with time_machine.travel(moment(dag)):
        with django_capture_on_commit_callbacks(execute=False), user_scope(wc):
            p = services.boete_intrekken(
                user=wc, procedure=p, reden="De uitnodiging is naar een oud adres gestuurd."
            )
        brief, pdf = render(p, BriefSoort.INTREKKING)
        bezwaar_tot = bezwaar_einddatum_volgens_kalender(brief.dagtekening)
    t = tekst(pdf)
    assert brief.dagtekening == dag and bezwaar_tot == date(2027, 4, 28)
    assert brief.kenmerk.startswith("IT-") and brief.kenmerk in t
    assert "Amal Haddad" in t and "Besluit: intrekking van uw bestuurlijke boete" in t
    assert f"trekt de bestuurlijke boete met kenmerk {boete.kenmerk} van € 250,00 in" in t
    assert f"(kenmerk {boete.kenmerk})" in t and nl(VANDAAG, weekdag=False) in t
    assert "De uitnodiging is naar een oud adres gestuurd." in t
    assert f"uiterlijk op {nl(bezwaar_tot)} binnen zijn" in t
    assert f"het kenmerk van deze beschikking ({brief.kenmerk})" in t
    # the fine's own objection term is not this letter's
    assert nl(p.bezwaar_tot) not in t


# --- preview ----------------------------------------------------------------------------------


def _geschreven() -> tuple[int, int, list]:
    with scopes_disabled():
        return (
            Brief.objects.count(),
            KenmerkTeller.objects.count(),
            list(Procedure.objects.values_list("status", "zienswijze_tot", "bezwaar_tot")),
        )


def test_voorbeeld_van_het_voornemen_is_concept_en_schrijft_niets(
    wereld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        p = tot_rapport(wereld)
    voor = _geschreven()
    with user_scope(wereld.werkcoach_a):
        p = Procedure.objects.select_related(
            "verzuim", "dossier__inburgeraar", "dossier__gemeente", "dossier__werkcoach"
        ).get(pk=p.pk)
        pdf = brieven.voorbeeld_pdf(p, BriefSoort.VOORNEMEN)
    assert _geschreven() == voor and p.zienswijze_tot is None
    pagina = paginas(pdf)
    assert all("CONCEPT — niet verzonden" in pag for pag in pagina)
    assert "Kenmerk CONCEPT" in pagina[0]
    t = " ".join(pagina)
    # the provisional term: as voornemen_versturen would give it today
    assert f"tot en met {nl(date(2026, 11, 27))} schriftelijk" in t
    assert "€ 800,00" in t and "Amal Haddad" in t
    assert pagina[-1].startswith("Bijlage: rapport (artikel 5:48 Awb)")


def test_voorbeeld_van_de_boetebeschikking(wereld, django_capture_on_commit_callbacks):
    beleid(wereld, voornemen_bij_intakeboete=False, goedkeuring_vereist=False)
    wc = wereld.werkcoach_a
    with django_capture_on_commit_callbacks(execute=False):
        p = tot_rapport(wereld, soort="intake_niet_verschenen")
        with user_scope(wc):
            p = services.boete_opstellen(user=wc, procedure=p, verwijtbaarheid="Uitgenodigd.")
    voor = _geschreven()
    with user_scope(wc):
        pdf = brieven.voorbeeld_pdf(p, BriefSoort.BOETEBESCHIKKING)
    assert _geschreven() == voor
    t = tekst(pdf)
    assert "CONCEPT — niet verzonden" in t and "Uw boete € 250,00" in t
    assert f"uiterlijk op {nl(date(2026, 12, 28))} binnen zijn" in t
    with pytest.raises(ValueError):
        brieven.voorbeeld_pdf(p, "onbekend")
