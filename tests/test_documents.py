"""The decision-document platform (issue 9 §2): the registry of document kinds, the one render
task that never leaves a decision waiting, PDF/A from any template, the download response, the
Awb objection term, and the permission check before anything is queued."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django_scopes import scopes_disabled
from pypdf import PdfReader

from inburgering.celery import app as celery_app
from inburgering.core.access import user_scope
from inburgering.documents import pdf as documents_pdf
from inburgering.documents import registry, termijnen
from inburgering.documents.registry import DocumentKind, DuplicateKind, UnknownKind
from inburgering.documents.responses import document_response, safe_filename
from inburgering.documents.tasks import document_renderen
from pip_plans import documenten, services
from pip_plans.constants import PipStatus
from pip_plans.models import BredeIntake, Pip
from pip_plans.pdf import beschikking_context

from .conftest import start_worker, stop_process
from .factories import DossierFactory, geldige_pip_velden
from .klok import vandaag_fixture

VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)

GELDIG = geldige_pip_velden(ontzorgen_start=date(2026, 1, 1))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def soort():
    """Register a test kind for the duration of one test."""
    codes: list[str] = []

    def _register(**callables) -> DocumentKind:
        kind = DocumentKind(
            code=callables.pop("code", "test.document"),
            **{
                "load": documenten._load,
                "awaits_document": documenten._awaits_document,
                "template": documenten.TEMPLATE,
                "context": beschikking_context,
                "store": documenten._store,
                "roll_back": documenten._roll_back,
                **callables,
            },
        )
        registry.register(kind)
        codes.append(kind.code)  # only what this test registered (a refused one is not ours)
        return kind

    yield _register
    for code in codes:
        registry.unregister(code)


def wachtende_pip(world) -> Pip:
    """A valid PIP that the vaststellen service has just put in 'wordt vastgesteld'."""
    with scopes_disabled():
        dossier = DossierFactory(
            in_intake=True,
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            begeleider=world.begeleider_a,
        )
        BredeIntake.objects.create(dossier=dossier, datum_afgerond=date(2026, 1, 15))
    user = world.werkcoach_a
    with user_scope(user):
        pip = services.pip_aanmaken(user=user, dossier=dossier)
        pip = services.pip_bijwerken(user=user, pip=pip, **GELDIG)
        pip = services.pip_vaststellen(user=user, pip=pip, datum=date(2026, 11, 23))
    assert pip.status == PipStatus.WORDT_VASTGESTELD
    return pip


def teruggezet(pip: Pip) -> Pip:
    """Asserts the PIP is back where it was before vaststellen, and returns it."""
    with scopes_disabled():
        pip = Pip.objects.get(pk=pip.pk)
    assert pip.status == PipStatus.CONCEPT
    assert pip.datum_vastgesteld is None
    assert pip.bezwaar_tot is None
    assert pip.termijn_start is None
    assert not pip.pdf
    assert pip.pdf_sha256 == ""
    return pip


# --- registry ---------------------------------------------------------------------------------


def test_pip_registreert_zijn_beschikking():
    assert registry.get(documenten.BESCHIKKING) is documenten.beschikking
    assert documenten.BESCHIKKING == "pip.beschikking"
    assert documenten.BESCHIKKING in registry.codes()


def test_registry_weigert_een_dubbele_soort(soort):
    with pytest.raises(DuplicateKind):
        soort(code=documenten.BESCHIKKING)
    assert registry.get(documenten.BESCHIKKING) is documenten.beschikking  # not replaced
    assert registry.get(documenten.BESCHIKKING).store is documenten._store
    soort(code="test.eenmaal")
    with pytest.raises(DuplicateKind):
        soort(code="test.eenmaal")


def test_registry_weigert_een_code_zonder_app_en_onbekende_soorten():
    with pytest.raises(ValueError):
        registry.register(
            DocumentKind(
                code="zonderpunt",
                load=int,
                awaits_document=bool,
                template="x.html",
                context=dict,
                store=print,
                roll_back=print,
            )
        )
    with pytest.raises(UnknownKind):
        registry.get("handhaving.boete")  # not built yet
    with pytest.raises(UnknownKind):
        document_renderen("handhaving.boete", 1)


def test_celery_kent_de_platformtaak_en_de_oude_naam():
    celery_app.loader.import_default_modules()  # what a worker does at start-up
    assert document_renderen.name == "inburgering.documents.tasks.document_renderen"
    assert document_renderen.name in celery_app.tasks
    assert "pip_plans.tasks.beschikking_renderen" in celery_app.tasks  # queued before the move


# --- the task never leaves a decision waiting -------------------------------------------------


def test_taak_draait_terug_als_het_opslaan_na_het_renderen_mislukt(world, settings, tmp_path):
    """A real storage failure after a successful render: the file cannot be written because
    MEDIA_ROOT is a regular file. The PIP goes back with the reason, nothing half-issued."""
    pip = wachtende_pip(world)
    geen_map = tmp_path / "geen-map"
    geen_map.write_text("a file, not a directory")
    settings.MEDIA_ROOT = geen_map / "media"
    assert document_renderen(documenten.BESCHIKKING, pip.pk, world.werkcoach_a.pk) == "failed"
    pip = teruggezet(pip)
    assert pip.render_fout.startswith(("NotADirectoryError: ", "FileExistsError: "))


def test_taak_draait_terug_als_de_database_na_het_renderen_weigert(world, soort):
    """A kind whose store breaks a database constraint (a final PIP without hash or termijn):
    the render succeeded, the store raised, the rollback ran with the reason."""
    gerenderd: list[int] = []

    def render_en_tel(pip):
        gerenderd.append(pip.pk)
        return beschikking_context(pip)

    def store(pip, *, pdf_bytes, sha256, user):
        assert pdf_bytes.startswith(b"%PDF-") and len(sha256) == 64
        with transaction.atomic():
            Pip.objects.filter(pk=pip.pk).update(status=PipStatus.VASTGESTELD)

    soort(code="test.opslag_breekt", context=render_en_tel, store=store)
    pip = wachtende_pip(world)
    assert document_renderen("test.opslag_breekt", pip.pk) == "failed"
    assert gerenderd == [pip.pk]
    pip = teruggezet(pip)
    assert pip.render_fout.startswith("IntegrityError: ")
    assert "chk_pip_beschikking_heeft_pdf_en_termijn" in pip.render_fout


def test_taak_draait_terug_als_het_laden_mislukt(world, soort):
    redenen: list[tuple[int, str]] = []

    def load(object_id):
        raise LookupError("dossier archived")

    def roll_back(object_id, reason):
        redenen.append((object_id, reason))
        documenten._roll_back(object_id, reason)

    soort(code="test.laden_breekt", load=load, roll_back=roll_back)
    pip = wachtende_pip(world)
    assert document_renderen("test.laden_breekt", pip.pk) == "failed"
    assert redenen == [(pip.pk, "LookupError: dossier archived")]
    assert teruggezet(pip).render_fout == "LookupError: dossier archived"


def test_taak_voor_een_verdwenen_pip_mislukt_zonder_te_blijven_hangen(db):
    assert document_renderen(documenten.BESCHIKKING, 987654) == "failed"


def test_de_reden_bevat_geen_bsn(world, soort):
    def store(pip, **kwargs):
        raise ValueError("Key (bsn)=(111222333) already exists")

    soort(code="test.bsn_in_fout", store=store)
    pip = wachtende_pip(world)
    assert document_renderen("test.bsn_in_fout", pip.pk) == "failed"
    fout = teruggezet(pip).render_fout
    assert "111222333" not in fout and "*********" in fout


def test_taak_is_idempotent(world):
    pip = wachtende_pip(world)
    assert document_renderen(documenten.BESCHIKKING, pip.pk, world.werkcoach_a.pk) == "ok"
    with scopes_disabled():
        pip = Pip.objects.get(pk=pip.pk)
    assert pip.status == PipStatus.VASTGESTELD
    eerste = pip.pdf.name
    # a redelivered message: nothing is rendered or stored again
    assert document_renderen(documenten.BESCHIKKING, pip.pk) == "skipped"
    with scopes_disabled():
        assert Pip.objects.get(pk=pip.pk).pdf.name == eerste
    with pip.pdf.open("rb") as fh:
        assert pip.pdf_sha256 == documents_pdf.sha256(fh.read())


# --- permission before queueing ---------------------------------------------------------------


@pytest.mark.parametrize("wie", ["auditor_a", "begeleider_a"])
def test_onbevoegd_vaststellen_zet_niets_in_de_wachtrij(
    world, wie, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        dossier = DossierFactory(
            in_intake=True,
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            begeleider=world.begeleider_a,
        )
        BredeIntake.objects.create(dossier=dossier, datum_afgerond=date(2026, 1, 15))
    with user_scope(world.werkcoach_a):
        pip = services.pip_aanmaken(user=world.werkcoach_a, dossier=dossier)
        pip = services.pip_bijwerken(user=world.werkcoach_a, pip=pip, **GELDIG)
    with scopes_disabled():
        history = Pip.history.filter(id=pip.pk).count()
    user = getattr(world, wie)
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        user_scope(user),
        pytest.raises(PermissionDenied),
    ):
        services.pip_vaststellen(user=user, pip=pip)
    assert callbacks == []  # no render task queued
    with scopes_disabled():
        after = Pip.objects.get(pk=pip.pk)
        assert after.status == PipStatus.CONCEPT
        assert after.datum_vastgesteld is None and after.bezwaar_tot is None
        assert after.kenmerk == ""
        assert Pip.history.filter(id=pip.pk).count() == history
    # the same PIP, by its werkcoach: queued once
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        user_scope(world.werkcoach_a),
    ):
        services.pip_vaststellen(user=world.werkcoach_a, pip=pip)
    assert len(callbacks) == 1


# --- PDF/A from any template ------------------------------------------------------------------


BRIEF = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Testbrief {{ kenmerk }}</title>
<link rel="stylesheet" href="{{ static_base }}/static/css/app.css">
<style>html { font-family: "DejaVu Sans", sans-serif; }</style></head>
<body><h1>Besluit</h1><p>Geachte {{ naam }},</p><p>{{ tekst }}</p></body></html>
"""


def test_generiek_document_is_pdf_a_en_teruggelezen(settings, tmp_path):
    templates = tmp_path / "templates"
    (templates / "brieven").mkdir(parents=True)
    (templates / "brieven" / "test.html").write_text(BRIEF)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pdf = documents_pdf.render_pdf(
        "brieven/test.html",
        {"kenmerk": "HH-1", "naam": "mevrouw Haddad", "tekst": '<img src="file:///etc/passwd">'},
    )
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert "Testbrief HH-1" in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl"
    tekst = " ".join(reader.pages[0].extract_text().split())
    assert "Geachte mevrouw Haddad," in tekst
    assert '<img src="file:///etc/passwd">' in tekst  # autoescaped: text, not an image
    assert documents_pdf.sha256(pdf) == hashlib.sha256(pdf).hexdigest()


# --- download ---------------------------------------------------------------------------------


def test_document_response_en_veilige_bestandsnaam(media_root):
    from django.core.files.storage import default_storage

    naam = default_storage.save("beschikkingen/x.pdf", ContentFile(b"%PDF-1.7 x"))
    response = document_response(default_storage.open(naam), "PIP-GM9999-000123-v1.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="PIP-GM9999-000123-v1.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 x"
    assert safe_filename("boete 111222333.pdf") == "boete.pdf"  # a BSN never names a file
    assert safe_filename('a"b\r\nc/../d.pdf') == "a-b-c-.-d.pdf"
    assert safe_filename("") == "document.pdf"


# --- the Awb objection term -------------------------------------------------------------------


def test_bezwaartermijn_van_het_platform():
    assert termijnen.BEZWAAR_WEKEN == 6
    # 23 Nov 2026 + 6 weeks = Monday 4 January 2027; 13 Nov → Fri 25 Dec → Mon 28 Dec
    assert termijnen.bezwaar_einddatum(date(2026, 11, 23)) == date(2027, 1, 4)
    assert termijnen.bezwaar_einddatum(date(2026, 11, 13)) == date(2026, 12, 28)
    assert termijnen.bezwaar_einddatum(date(2026, 11, 23), {date(2027, 1, 4)}) == date(2027, 1, 5)


def test_bezwaartermijn_volgens_kalender_leest_besluitdagen(db):
    from inburgering.kalender.models import AtwExtraDag

    assert termijnen.bezwaar_einddatum_volgens_kalender(date(2026, 11, 23)) == date(2027, 1, 4)
    AtwExtraDag.objects.create(datum=date(2027, 1, 4), omschrijving="test", besluit="Stb. test")
    assert termijnen.bezwaar_einddatum_volgens_kalender(date(2026, 11, 23)) == date(2027, 1, 5)


# --- a real worker ----------------------------------------------------------------------------


@pytest.fixture
def worker_met_media(transactional_db, tmp_path, settings, monkeypatch):
    media = tmp_path / "worker-media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    proc = start_worker()
    try:
        yield proc
    finally:
        stop_process(proc)


@pytest.mark.worker
def test_echte_worker_rendert_via_het_platform(world, worker_met_media):
    """pip_vaststellen queues the platform task on commit; a real worker process renders it."""
    pip = wachtende_pip(world)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with scopes_disabled():
            pip = Pip.objects.get(pk=pip.pk)
        if pip.status != PipStatus.WORDT_VASTGESTELD:
            break
        time.sleep(0.25)
    assert pip.status == PipStatus.VASTGESTELD, pip.render_fout
    with pip.pdf.open("rb") as fh:
        stored = fh.read()
    assert pip.pdf_sha256 == documents_pdf.sha256(stored)
    root = PdfReader(io.BytesIO(stored)).trailer["/Root"]
    assert 'pdfaid:part="3"' in root["/Metadata"].get_object().get_data().decode()
    # a redelivered message changes nothing
    result = document_renderen.delay(documenten.BESCHIKKING, pip.pk, world.werkcoach_a.pk)
    assert result.get(timeout=60) == "skipped"
