"""The evidence bundle of a dossier (issue 13), read back: the ZIP's entries, the manifest's
hashes against the files, the PDF/A report's text (the history with actor and old → new), the
beschikking byte for byte as issued, the need-to-know (no medical text for an auditor, present
for a teamleider), access through the policy only, the making logged per person, a fixed query
count for the list and status pages, and one run in a real Celery worker."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from cases import services as case_services
from cases.constants import Fase
from cases.hub import hub
from cases.models import Dossier
from handhaving.constants import ProcedureStatus
from handhaving.models import Brief
from inburgering.audit.models import AuditRecord, Verwerking
from inburgering.audit.pseudoniem import pseudoniem
from inburgering.core.access import user_scope
from inburgering.documents.pdf import sha256
from inburgering.documents.tasks import document_renderen
from pip_plans import services as pip_services
from pip_plans.constants import Domein
from pip_plans.documenten import BESCHIKKING
from pip_plans.models import Pip
from verantwoording.bundel import ACTIVITEIT
from verantwoording.bundel.services import bewijsbundel_aanvragen
from verantwoording.bundel.tasks import bewijsbundel_maken
from verantwoording.models import Bewijsbundel, OpdrachtStatus

from . import handhaving_stappen as hh
from .factories import DossierFactory, InburgeraarFactory, geldige_pip_velden

MEDISCH = "Rugklachten sinds de vlucht, fysiotherapie loopt"
MENTAAL = "Slaapproblemen en nachtmerries"
NIET_MEDISCH = "Werkte zes jaar als elektricien"
REDEN = "Vertrokken naar het buitenland"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # a worker process started by the test reads it from its environment
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))


@dataclass
class Wereld:
    dossier: Dossier
    pip: Pip
    brief: Brief


def dossier_met_alles(world: Any) -> Wereld:
    """A dossier of gemeente A with an intake (medical domains with distinctive text), a PIP
    issued with its beschikking rendered by the real task, a handhaving letter and a phase
    change with a reason — all through the apps' own services."""
    wc = world.werkcoach_a
    vandaag = date.today()
    with scopes_disabled():
        persoon = InburgeraarFactory(voornamen="Samira", achternaam="Bundelaar")
        dossier = DossierFactory(
            in_intake=True, gemeente=world.gemeente_a, werkcoach=wc, inburgeraar=persoon
        )
    with user_scope(wc):
        intake = pip_services.intake_starten(user=wc, dossier=dossier)
        pip_services.intake_gesprek_toevoegen(
            user=wc,
            intake=intake,
            datum=vandaag - timedelta(days=10),
            locatie="gemeentehuis",
            werkcoach=wc,
            notities="Gesprek met tolk.",
        )
        teksten = {
            Domein.FYSIEKE_GEZONDHEID: MEDISCH,
            Domein.MENTALE_GEZONDHEID: MENTAAL,
            Domein.WERKERVARING: NIET_MEDISCH,
        }
        for domein in Domein:
            pip_services.intake_domein_opslaan(
                user=wc,
                intake=intake,
                domein=domein,
                beoordeling="voldoende",
                toelichting=teksten.get(domein, "Ok"),
            )
        pip_services.intake_bijwerken(
            user=wc,
            intake=intake,
            leerbaarheid_datum=vandaag - timedelta(days=9),
            leerbaarheid_instrument="LBT",
            leerbaarheid_score="gemiddeld",
        )
        pip_services.intake_afronden(user=wc, intake=intake, datum=vandaag - timedelta(days=8))
        pip = pip_services.pip_aanmaken(user=wc, dossier=dossier)
        pip = pip_services.pip_bijwerken(
            user=wc, pip=pip, **geldige_pip_velden(ontzorgen_start=vandaag)
        )
        pip = pip_services.pip_vaststellen(user=wc, pip=pip)
    assert document_renderen(BESCHIKKING, pip.pk, wc.pk) == "ok"
    procedure = hh.procedure_tot(world, ProcedureStatus.ZIENSWIJZE, dossier=dossier)
    with user_scope(wc):
        with scopes_disabled():
            dossier = Dossier.objects.get(pk=dossier.pk)
        case_services.dossier_fase_wijzigen(
            user=wc, dossier=dossier, fase=Fase.BEEINDIGD, reden=REDEN
        )
    with scopes_disabled():
        pip.refresh_from_db()
        brief = Brief.objects.filter(procedure=procedure).exclude(pdf="").get()
        dossier.refresh_from_db()
    return Wereld(dossier=dossier, pip=pip, brief=brief)


def maak(client: Any, login: Any, user: Any, dossier: Dossier, capture: Any) -> Bewijsbundel:
    """Request a bundle through the page (the task queued on commit), then run the task."""
    c = login(user)
    with capture(execute=False) as callbacks:
        response = c.post(reverse("verantwoording:dossier-bundels", args=[dossier.uuid]))
    assert response.status_code == 302, response.content[:300]
    assert len(callbacks) == 1
    with scopes_disabled():
        bundel = Bewijsbundel.objects.get(dossier=dossier, gemaakt_door=user)
    assert response["Location"] == reverse("verantwoording:bundel", args=[bundel.uuid])
    assert bewijsbundel_maken(bundel.pk) == "ok"
    with scopes_disabled():
        bundel.refresh_from_db()
    return bundel


def download(client: Any, bundel: Bewijsbundel) -> zipfile.ZipFile:
    response = client.get(reverse("verantwoording:bundel-download", args=[bundel.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    assert sha256(data) == bundel.sha256
    return zipfile.ZipFile(io.BytesIO(data))


def pdf_tekst(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def alle_tekst(z: zipfile.ZipFile) -> str:
    delen = [pdf_tekst(z.read("rapport.pdf"))]
    delen += [z.read(n).decode("utf-8-sig") for n in ("historie.json", "historie.csv")]
    return "\n".join(delen)


# --- the bundle read back ----------------------------------------------------------------------


def test_bundel_teruggelezen_voor_een_teamleider(
    world, client, login, django_capture_on_commit_callbacks
):
    w = dossier_met_alles(world)
    bundel = maak(client, login, world.teamleider_a, w.dossier, django_capture_on_commit_callbacks)
    assert bundel.status == OpdrachtStatus.KLAAR and bundel.voortgang == 100
    assert bundel.medisch_inbegrepen
    z = download(client, bundel)
    namen = set(z.namelist())
    assert {"rapport.pdf", "historie.json", "historie.csv", "manifest.json"} <= namen
    beschikkingen = sorted(n for n in namen if n.startswith("beschikkingen/"))
    assert beschikkingen == sorted(
        [f"beschikkingen/{w.pip.kenmerk}.pdf", f"beschikkingen/{w.brief.kenmerk}.pdf"]
    )

    # the manifest: every other file with its SHA-256, the maker and the need-to-know
    manifest = json.loads(z.read("manifest.json"))
    assert {b["naam"] for b in manifest["bestanden"]} == namen - {"manifest.json"}
    for b in manifest["bestanden"]:
        assert sha256(z.read(b["naam"])) == b["sha256"], b["naam"]
    assert manifest["gemaakt_door"]["gebruikersnaam"] == "tl_a"
    assert manifest["gemaakt_door"]["rollen"] == ["teamleider"]
    assert manifest["gemaakt_door"]["organisatie"] == str(world.team_a)
    assert manifest["need_to_know"]["medisch_en_trauma_inbegrepen"] is True
    assert manifest["dossier"] == str(w.dossier.uuid)

    # the beschikking and the letter, byte for byte as issued
    with w.pip.pdf.open("rb") as fh:
        assert z.read(f"beschikkingen/{w.pip.kenmerk}.pdf") == fh.read()
    with w.brief.pdf.open("rb") as fh:
        assert z.read(f"beschikkingen/{w.brief.kenmerk}.pdf") == fh.read()
    uitgifte = {b["naam"]: b for b in manifest["bestanden"] if "sha256_bij_uitgifte" in b}
    assert uitgifte[f"beschikkingen/{w.pip.kenmerk}.pdf"]["sha256_bij_uitgifte"] == w.pip.pdf_sha256
    assert all(b["gelijk_aan_uitgifte"] for b in uitgifte.values())

    # the report: PDF/A-3u, tagged, with the history (actor, old → new, reason)
    rapport = z.read("rapport.pdf")
    reader = PdfReader(io.BytesIO(rapport))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert "/StructTreeRoot" in root
    tekst = pdf_tekst(rapport)
    plat = " ".join(tekst.split())
    werkcoach = str(world.werkcoach_a)
    assert werkcoach in plat  # the actor of the changes
    assert REDEN in plat  # the reason of the phase change
    assert "→" in tekst
    compact = "".join(tekst.split())  # a narrow table cell breaks a reference over lines
    assert w.pip.kenmerk in compact and w.brief.kenmerk in compact  # the list of decisions
    assert MEDISCH in plat  # a teamleider may see the medical domains
    # date and maker on every page
    for page in reader.pages:
        assert "tl_a" in page.extract_text()
    assert len(reader.pages) > 1

    # history.json and history.csv hold the same changes, old → new
    historie = json.loads(z.read("historie.json"))
    fase = [
        r for r in historie if r["reden"] == REDEN and any(w_["nieuw"] for w_ in r["wijzigingen"])
    ]
    assert fase and fase[0]["wie"] == werkcoach
    rijen = list(csv.DictReader(io.StringIO(z.read("historie.csv").decode("utf-8-sig"))))
    assert any(r["reden"] == REDEN and r["wie"] == werkcoach and r["nieuw"] for r in rijen)
    assert any(MEDISCH in r["nieuw"] for r in rijen)


def test_geen_medische_tekst_voor_een_auditor(
    world, client, login, django_capture_on_commit_callbacks
):
    w = dossier_met_alles(world)
    bundel = maak(client, login, world.auditor_a, w.dossier, django_capture_on_commit_callbacks)
    assert not bundel.medisch_inbegrepen
    z = download(client, bundel)
    tekst = alle_tekst(z)
    plat = " ".join(tekst.split())
    assert MEDISCH not in plat and MENTAAL not in plat
    assert NIET_MEDISCH in plat  # the other domains are there
    assert str(world.werkcoach_a) in plat
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["need_to_know"]["medisch_en_trauma_inbegrepen"] is False
    assert manifest["gemaakt_door"]["rollen"] == ["auditor"]
    # the report says the medical domains exist (two of them) and who supplies them
    with user_scope(world.auditor_a):
        (pip_blokken,) = [
            b for o, b in hub.rapport(world.auditor_a, w.dossier) if o.app == "pip_plans"
        ]
    intake = pip_blokken[0]
    assert "(2)" in intake.weggelaten
    domeinen = {rij[0] for rij in intake.rijen}
    assert str(Domein.FYSIEKE_GEZONDHEID.label) not in domeinen
    assert str(Domein.WERKERVARING.label) in domeinen


# --- access ------------------------------------------------------------------------------------


def test_toegang_alleen_via_het_beleid(world, client, login, django_capture_on_commit_callbacks):
    w = dossier_met_alles(world)
    bundel = maak(client, login, world.teamleider_a, w.dossier, django_capture_on_commit_callbacks)
    pagina = reverse("verantwoording:bundel", args=[bundel.uuid])
    status = reverse("verantwoording:bundel-status", args=[bundel.uuid])
    zip_url = reverse("verantwoording:bundel-download", args=[bundel.uuid])
    lijst = reverse("verantwoording:dossier-bundels", args=[w.dossier.uuid])

    # another gemeente: nothing exists
    c = login(world.werkcoach_b)
    for url in (pagina, status, zip_url, lijst):
        assert c.get(url).status_code == 404, url
    assert c.post(lijst).status_code == 404

    # same gemeente, a role without the bundle permission: the bundle is not found, the
    # dossier's bundle page and making one are refused
    c = login(world.werkcoach_a)
    for url in (pagina, status, zip_url):
        assert c.get(url).status_code == 404, url
    assert c.get(lijst).status_code == 403
    assert c.post(lijst).status_code == 403

    # an auditor sees that the teamleider made one, but downloads only their own
    c = login(world.auditor_a)
    assert c.get(pagina).status_code == 200
    assert c.get(zip_url).status_code == 403
    with scopes_disabled():
        assert Bewijsbundel.objects.count() == 1


def test_dossierpagina_heeft_de_tab_verantwoording(world, client, login):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    tab = reverse("cases:dossier-sectie", kwargs={"uuid": dossier.uuid, "sectie": "verantwoording"})
    c = login(world.auditor_a)
    pagina = c.get(reverse("cases:dossier", args=[dossier.uuid]))
    assert tab in pagina.content.decode()
    inhoud = c.get(tab).content.decode()
    assert 'id="bundel-maken"' in inhoud
    c = login(world.werkcoach_a)
    assert tab not in c.get(reverse("cases:dossier", args=[dossier.uuid])).content.decode()
    assert c.get(tab).status_code == 404


# --- logging -----------------------------------------------------------------------------------


def test_het_maken_wordt_gelogd(world, client, login, django_capture_on_commit_callbacks):
    w = dossier_met_alles(world)
    bundel = maak(client, login, world.auditor_a, w.dossier, django_capture_on_commit_callbacks)
    export = Verwerking.objects.filter(
        betrokkene=pseudoniem(w.dossier.inburgeraar.bsn),
        handeling="exporteren",
        activiteit=ACTIVITEIT,
    )
    assert export.count() == 1
    record = AuditRecord.objects.get(span_id=export.get().span_id, trace_id=export.get().trace_id)
    assert record.actor == "aud_a" and record.actor_id == world.auditor_a.pk
    assert record.organisatie_id == world.team_a.pk
    assert record.kanaal == "export"
    assert bundel.status == OpdrachtStatus.KLAAR
    # the download is logged under the bundle's activity too, as an export
    download(client, bundel)
    assert AuditRecord.objects.filter(
        activiteit=ACTIVITEIT, actor="aud_a", kanaal="export", pad__contains="download"
    ).exists()
    # and no BSN in either log
    bsn = w.dossier.inburgeraar.bsn
    assert not Verwerking.objects.filter(inhoud__contains=bsn).exists()
    assert not AuditRecord.objects.filter(inhoud__contains=bsn).exists()


# --- query counts ------------------------------------------------------------------------------


def _aantal_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lijst_en_status_met_een_vast_aantal_queries(world, client, login):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        makers = [world.auditor_a, world.teamleider_a]
        Bewijsbundel.objects.create(
            gemeente=world.gemeente_a, dossier=dossier, gemaakt_door=makers[0]
        )
    c = login(world.auditor_a)
    lijst = reverse("verantwoording:dossier-bundels", args=[dossier.uuid])
    with scopes_disabled():
        eerste = Bewijsbundel.objects.get()
    status = reverse("verantwoording:bundel-status", args=[eerste.uuid])
    weinig = _aantal_queries(c, lijst)
    weinig_status = _aantal_queries(c, status)
    # while it is made: a progress element and the status in text, polled every 2 s
    blok = c.get(status).content.decode()
    assert "<progress" in blok and 'role="status"' in blok and 'hx-trigger="every 2s"' in blok
    assert "queued" in blok
    with scopes_disabled():
        for i in range(6):
            Bewijsbundel.objects.create(
                gemeente=world.gemeente_a, dossier=dossier, gemaakt_door=makers[i % 2]
            )
    veel = _aantal_queries(c, lijst)
    assert c.get(lijst).content.decode().count("data-bundel=") == 7
    assert veel == weinig
    assert _aantal_queries(c, status) == weinig_status


# --- a real worker ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_de_taak_draait_in_een_echte_worker(world, celery_worker_process):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    with user_scope(world.teamleider_a):
        # committed at once (no test transaction): the task is queued to the worker
        bundel = bewijsbundel_aanvragen(user=world.teamleider_a, dossier=dossier)
    gezien = set()
    deadline = time.monotonic() + 120
    with scopes_disabled():
        while time.monotonic() < deadline:
            bundel.refresh_from_db()
            gezien.add(bundel.status)
            if bundel.status in (OpdrachtStatus.KLAAR, OpdrachtStatus.MISLUKT):
                break
            time.sleep(0.2)
    assert bundel.status == OpdrachtStatus.KLAAR, bundel.fout
    assert bundel.voortgang == 100
    z = zipfile.ZipFile(bundel.bestand.open("rb"))
    manifest = json.loads(z.read("manifest.json"))
    for b in manifest["bestanden"]:
        assert sha256(z.read(b["naam"])) == b["sha256"]
    # the worker's span logged the export with the maker as actor (its records are written as
    # the span ends, a moment after the bundle was marked ready: wait for them)
    exports = Verwerking.objects.filter(
        betrokkene=pseudoniem(dossier.inburgeraar.bsn), handeling="exporteren"
    )
    while not exports.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    export = exports.get()
    assert AuditRecord.objects.get(span_id=export.span_id).actor == "tl_a"


# --- destruction -------------------------------------------------------------------------------


def test_vernietiging_neemt_bundels_en_hun_bestanden_mee(world):
    """bewaring's destruction finds the bundles and inzageverzoeken through their foreign key
    and removes them and their ZIP files with the dossier and the person."""
    from pathlib import Path

    from django.db import transaction

    from bewaring.vernietiging import bestanden_verwijderen, verwijderen, verzamelen
    from verantwoording.models import Inzageverzoek

    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    with user_scope(world.teamleider_a):
        bundel = Bewijsbundel.objects.create(
            gemeente=world.gemeente_a, dossier=dossier, gemaakt_door=world.teamleider_a
        )
    assert bewijsbundel_maken(bundel.pk) == "ok"
    with scopes_disabled():
        bundel.refresh_from_db()
        verzoek = Inzageverzoek.objects.create(
            gemeente=world.gemeente_a, inburgeraar=dossier.inburgeraar, gemaakt_door=None
        )
        zip_pad = Path(bundel.bestand.path)
        assert zip_pad.exists()
        with transaction.atomic():
            resultaat = verwijderen(verzamelen([dossier.pk], [dossier.inburgeraar_id]))
        assert bundel.bestand.name in resultaat.bestanden
        bestanden_verwijderen(resultaat.bestanden)
        assert not Bewijsbundel.objects.filter(pk=bundel.pk).exists()
        assert not Inzageverzoek.objects.filter(pk=verzoek.pk).exists()
    assert not zip_pad.exists()
