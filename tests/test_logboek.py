"""The platform's log (issue 13, ``inburgering/audit``): one processing record per person and
action for every read and write of personal data, a separate audit record of who did it, the
W3C trace through requests and Celery tasks, the append-only tables, the hash chains and their
verifier, and the supervision pages (who processed a person's data; the log's incidents)."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from datetime import UTC, datetime

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from cases.models import Dossier, Inburgeraar
from inburgering.accounts.constants import Rol
from inburgering.audit import keten, logboek, trace
from inburgering.audit.activiteiten import ALGEMEEN
from inburgering.audit.models import AuditRecord, Handeling, Ketencontrole, Verwerking
from inburgering.audit.pseudoniem import pseudoniem
from inburgering.audit.tasks import keten_controleren
from inburgering.documents.tasks import document_renderen
from pip_plans.documenten import BESCHIKKING

from .factories import DossierFactory, user_met_rol
from .test_pip_pdf import maak_pip

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _trace_van(response) -> str:
    gelezen = trace.lees(response["traceparent"])
    assert gelezen is not None, response["traceparent"]
    return gelezen[0]


def _verwerkingen(trace_id: str):
    return Verwerking.objects.filter(trace_id=trace_id)


def _dossiers(world, n: int) -> list[Dossier]:
    with scopes_disabled():
        return [
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a) for _ in range(n)
        ]


@pytest.fixture
def privacy(world):
    return user_met_rol(Rol.PRIVACY_OFFICER, world.team_a, username="fg_a")


# --- the keyed pseudonym -------------------------------------------------------------------------


def test_pseudoniem_is_hmac_van_het_bsn_met_de_sleutel(settings):
    """Rule: the data subject is HMAC-SHA256(key, BSN): stable, and another key gives another."""
    settings.AUDIT_PSEUDONIEM_SLEUTEL = "a" * 40
    verwacht = hmac.new(b"a" * 40, b"123456782", hashlib.sha256).hexdigest()
    assert pseudoniem("123456782") == verwacht
    settings.AUDIT_PSEUDONIEM_SLEUTEL = "b" * 40
    assert pseudoniem("123456782") != verwacht


# --- reads and writes, one record per person and action ------------------------------------------


def test_lijst_van_25_personen_geeft_een_leesregel_per_persoon(world, login):
    """Rule (Logboek Dataverwerkingen): a caseload page showing 25 people writes exactly one read
    record for each of them — not one per query, not one for people on other pages."""
    _dossiers(world, 30)
    client = login(world.werkcoach_a)
    response = client.get("/dossiers/", HTTP_TRACEPARENT=TRACEPARENT)
    assert response.status_code == 200
    getoond = list(response.context["page"].object_list)
    assert len(getoond) == 25
    regels = _verwerkingen("4bf92f3577b34da6a3ce929d0e0e4736")
    assert sorted(regels.values_list("betrokkene", flat=True)) == sorted(
        pseudoniem(d.inburgeraar.bsn) for d in getoond
    )
    assert set(regels.values_list("handeling", flat=True)) == {Handeling.RAADPLEGEN}
    # who did it: one audit record of the request, linked by trace and span
    record = AuditRecord.objects.get(trace_id="4bf92f3577b34da6a3ce929d0e0e4736")
    assert record.actor == world.werkcoach_a.username
    assert record.ouder_span_id == "00f067aa0ba902b7"  # continued from the incoming header
    assert set(regels.values_list("span_id", flat=True)) == {record.span_id}
    assert record.pad == "/dossiers/" and record.kanaal == "pagina"
    # the response carries the trace on, with this request's span as the parent
    assert response["traceparent"] == f"00-{record.trace_id}-{record.span_id}-01"


def test_api_lijst_een_leesregel_per_persoon(world, api):
    _dossiers(world, 27)
    response = api(world.werkcoach_a).get("/api/v1/dossiers", {"pageSize": 25})
    assert response.status_code == 200
    uuids = [d["uuid"] for d in response.json()["results"]]
    assert len(uuids) == 25
    with scopes_disabled():
        getoond = set(
            Dossier.objects.filter(uuid__in=uuids).values_list("inburgeraar__bsn", flat=True)
        )
    regels = _verwerkingen(_trace_van(response))
    assert regels.count() == 25
    assert set(regels.values_list("betrokkene", flat=True)) == {pseudoniem(b) for b in getoond}
    assert set(regels.values_list("kanaal", flat=True)) == {"api"}


def test_dossierpagina_leest_alleen_de_eigen_persoon(world, login):
    response = login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/")
    assert response.status_code == 200
    regels = _verwerkingen(_trace_van(response))
    assert list(regels.values_list("betrokkene", "handeling")) == [
        (pseudoniem(world.dossier_a.inburgeraar.bsn), Handeling.RAADPLEGEN)
    ]
    # the URL pattern is kept, never the dossier's uuid (it must not outlive a destruction)
    record = AuditRecord.objects.get(span_id=regels.get().span_id)
    assert record.pad == "/dossiers/<uuid:uuid>/"
    assert str(world.dossier_a.uuid) not in record.inhoud


def test_geweigerde_pagina_leest_niemand(world, login):
    """A dossier of another gemeente is a 404 and reads nobody: no record of a person."""
    response = login(world.werkcoach_a).get(f"/dossiers/{world.dossier_b.uuid}/")
    assert response.status_code == 404
    assert not _verwerkingen(_trace_van(response)).exists()


def test_wijzigingen_per_persoon_en_handeling(world):
    """Rule: a change written to the history is a write record for the person it is about,
    whichever model changed (the person, the dossier, a part of the dossier)."""
    persoon = world.dossier_a.inburgeraar
    with logboek.verwerking(ALGEMEEN, user=world.werkcoach_a) as span, scopes_disabled():
        persoon.telefoonnummer = "0612345678"
        persoon.save()
        dossier = Dossier.objects.get(pk=world.dossier_a.pk)
        dossier.coa_referentie = "COA-12345"
        dossier.save()
        maak_pip(dossier)  # a domain object two foreign keys away is resolved to its person
    regels = Verwerking.objects.filter(span_id=span.context.span_id)
    # one record per (person, action): the read of the person and one "changed"; the PIP
    # created is a "created" for the same person
    assert sorted(regels.values_list("handeling", flat=True)) == sorted(
        [Handeling.RAADPLEGEN, Handeling.WIJZIGEN, Handeling.AANMAKEN]
    )
    assert set(regels.values_list("betrokkene", flat=True)) == {pseudoniem(persoon.bsn)}
    assert AuditRecord.objects.get(span_id=span.context.span_id).actor_id == world.werkcoach_a.pk


def test_geen_bsn_in_de_logboeken(world, login, api):
    """Rule: after pages, a search by BSN (form and API), the API and a change, no BSN appears in
    any column of either log — only keyed pseudonyms."""
    _dossiers(world, 3)
    client = login(world.werkcoach_a)
    bsn = world.dossier_a.inburgeraar.bsn
    client.post("/dossiers/zoeken/", {"zoekterm": bsn})
    assert client.get("/dossiers/").status_code == 200
    assert client.get(f"/dossiers/{world.dossier_a.uuid}/").status_code == 200
    zoek = api(world.werkcoach_a).post("/api/v1/inburgeraars/zoeken", {"bsn": bsn}, format="json")
    assert zoek.status_code == 200 and zoek.json()
    api(world.werkcoach_a).get("/api/v1/inburgeraars")
    assert Verwerking.objects.count() >= 5
    with scopes_disabled():
        alle_bsns = list(Inburgeraar.objects.values_list("bsn", flat=True))
    with connection.cursor() as cursor:
        for tabel in ("audit_verwerking", "audit_auditrecord"):
            cursor.execute(f"SELECT t::text FROM {tabel} t")  # noqa: S608
            tekst = "\n".join(r[0] for r in cursor.fetchall())
            assert tekst
            for b in alle_bsns:
                assert b not in tekst, f"BSN found in {tabel}"
    assert Verwerking.objects.filter(betrokkene=pseudoniem(bsn)).exists()


def test_uitgeschakeld_schrijft_niets(world, login, settings):
    """``AUDIT_LOGBOEK = False`` (the benchmark's baseline only) writes nothing."""
    settings.AUDIT_LOGBOEK = False
    login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/")
    assert not Verwerking.objects.exists() and not AuditRecord.objects.exists()


# --- the trace through Celery --------------------------------------------------------------------


@pytest.mark.worker
def test_trace_loopt_door_in_een_celery_taak(celery_worker_process, world):
    """Rule: a task queued from a span carries the W3C ``traceparent``; the real worker's records
    are in the same trace, with the queuing span as their parent, and what the task read is
    on record for the person."""
    pip = maak_pip(world.dossier_a)
    with logboek.verwerking(ALGEMEEN, user=world.werkcoach_a, altijd=True) as span:
        resultaat = document_renderen.delay(BESCHIKKING, pip.pk, world.werkcoach_a.pk)
    assert resultaat.get(timeout=90) == "ok"
    # the worker writes the task's records after it stores the result (``task_postrun``)
    taken = AuditRecord.objects.filter(trace_id=span.context.trace_id, ouder_span_id__gt="")
    deadline = time.monotonic() + 30
    while not taken.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    taak = taken.get()
    assert taak.ouder_span_id == span.context.span_id
    assert taak.actor == ""  # the worker is the system; the user is in the request's record
    gelezen = Verwerking.objects.filter(span_id=taak.span_id)
    assert pseudoniem(world.dossier_a.inburgeraar.bsn) in set(
        gelezen.values_list("betrokkene", flat=True)
    )
    assert AuditRecord.objects.get(span_id=span.context.span_id).actor == world.werkcoach_a.username


# --- append-only and the chains ------------------------------------------------------------------


@pytest.fixture
def gelogd(world, login):
    client = login(world.werkcoach_a)
    _dossiers(world, 4)
    for _ in range(3):
        assert client.get("/dossiers/").status_code == 200
    assert Verwerking.objects.count() >= 12
    return client


@pytest.mark.parametrize("tabel", ["audit_verwerking", "audit_auditrecord"])
@pytest.mark.parametrize(
    "sql", ["UPDATE {t} SET activiteit = 'x'", "DELETE FROM {t} WHERE volgnummer = 1"]
)
def test_update_en_delete_geweigerd_door_postgresql(gelogd, tabel, sql):
    """Rule (BIO 8.15): the database itself refuses to change or remove a log record."""
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(t=tabel))
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        Verwerking.objects.all().delete()


def test_ongeschonden_keten(gelogd, capsys):
    call_command("logboek_controleren")
    uit = capsys.readouterr().out
    assert "verwerking:" in uit and "chain intact" in uit
    assert Ketencontrole.objects.filter(in_orde=True).count() == 2


def _breuk(tabel: str = "verwerking") -> Ketencontrole:
    return next(c for c in keten.controleren() if c.tabel == tabel)


def test_gewijzigde_kolom_ontdekt(gelogd):
    """Rule: a row changed past the trigger (a superuser's ``pgtrigger.ignore``) is found."""
    doel = Verwerking.objects.order_by("volgnummer")[5]
    with pgtrigger.ignore("audit.Verwerking:append_only"):
        Verwerking.objects.filter(pk=doel.pk).update(betrokkene="0" * 64)
    controle = _breuk()
    assert not controle.in_orde
    assert controle.breuk_volgnummer == doel.volgnummer
    assert "betrokkene" in controle.melding


def test_gewijzigde_inhoud_breekt_de_hash(gelogd):
    doel = AuditRecord.objects.order_by("volgnummer").first()
    assert doel is not None
    with pgtrigger.ignore("audit.AuditRecord:append_only"):
        AuditRecord.objects.filter(pk=doel.pk).update(inhoud=doel.inhoud.replace("wc_a", "xx"))
    controle = _breuk("auditrecord")
    assert controle.breuk_volgnummer == doel.volgnummer
    assert "hash does not match" in controle.melding


def test_verwijderde_rij_ontdekt(gelogd):
    doel = Verwerking.objects.order_by("volgnummer")[3]
    with pgtrigger.ignore("audit.Verwerking:append_only"):
        Verwerking.objects.filter(pk=doel.pk).delete()
    controle = _breuk()
    assert controle.breuk_volgnummer == doel.volgnummer
    assert "missing" in controle.melding


def test_afgeknipte_staart_ontdekt(gelogd):
    """Cutting off the newest rows leaves an intact chain; the end of the last verification is
    the anchor that shows it."""
    assert all(c.in_orde for c in keten.controleren())
    laatste = Verwerking.objects.order_by("-volgnummer").first()
    assert laatste is not None
    with pgtrigger.ignore("audit.Verwerking:append_only"):
        Verwerking.objects.filter(volgnummer__gte=laatste.volgnummer - 1).delete()
    controle = _breuk()
    assert not controle.in_orde
    assert "gone or changed" in controle.melding


def test_commando_en_taak_melden_een_breuk(gelogd, caplog):
    doel = Verwerking.objects.order_by("volgnummer")[1]
    with pgtrigger.ignore("audit.Verwerking:append_only"):
        Verwerking.objects.filter(pk=doel.pk).update(resultaat="fout")
    with pytest.raises(CommandError, match="log chain broken: verwerking"):
        call_command("logboek_controleren")
    assert keten_controleren() == {"verwerking": False, "auditrecord": True}
    assert "audit log chain verwerking broken" in caplog.text
    # the break itself is an event in the audit log
    assert AuditRecord.objects.filter(gebeurtenis="keten_breuk").exists()


@pytest.mark.django_db(transaction=True)
def test_gelijktijdige_schrijvers_vormen_een_keten(world):
    """Rule: concurrent requests append to one chain, never a fork: sequence numbers without
    gaps or doubles and every hash valid, with 8 threads writing at once."""
    with scopes_disabled():
        bsns = list(Inburgeraar.objects.values_list("bsn", flat=True))
    fouten: list[BaseException] = []
    start = threading.Barrier(8)

    def schrijver(i: int) -> None:
        try:
            start.wait()
            for j in range(15):
                with logboek.verwerking(ALGEMEEN, user=world.werkcoach_a) as span:
                    span.markeer(bsns[(i + j) % len(bsns)], Handeling.RAADPLEGEN)
                    span.markeer(bsns[(i + j + 1) % len(bsns)], Handeling.WIJZIGEN)
        except BaseException as exc:
            fouten.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=schrijver, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not fouten
    assert list(Verwerking.objects.order_by("volgnummer").values_list("volgnummer", flat=True)) == (
        list(range(1, 8 * 15 * 2 + 1))
    )
    assert AuditRecord.objects.count() == 8 * 15
    assert all(c.in_orde for c in keten.controleren())


# --- who processed this person's data ------------------------------------------------------------


def _wie_keek(world) -> str:
    return f"/verantwoording/personen/{world.dossier_a.inburgeraar.uuid}/verwerkingen/"


def test_privacy_officer_ziet_wie_keek(world, login, privacy):
    login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/")
    login(world.teamleider_a).get(f"/dossiers/{world.dossier_a.uuid}/")
    response = login(privacy).get(_wie_keek(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.werkcoach_a.username in html and world.teamleider_a.username in html
    assert world.team_a.naam in html
    assert world.dossier_a.inburgeraar.bsn not in html  # masked: the question is who, not the BSN
    # the officer's own look is on record, under supervision
    eigen = Verwerking.objects.filter(trace_id=_trace_van(response)).get()
    assert eigen.activiteit == "audit.toezicht"
    assert eigen.betrokkene == pseudoniem(world.dossier_a.inburgeraar.bsn)


def test_teamleider_mag_werkcoach_en_auditor_niet(world, login):
    assert login(world.teamleider_a).get(_wie_keek(world)).status_code == 200
    assert login(world.werkcoach_a).get(_wie_keek(world)).status_code == 403
    assert login(world.auditor_a).get(_wie_keek(world)).status_code == 403


def test_andere_gemeente_is_404(world, login, privacy):
    url = f"/verantwoording/personen/{world.dossier_b.inburgeraar.uuid}/verwerkingen/"
    assert login(privacy).get(url).status_code == 404


def test_filter_op_handeling(world, login, privacy):
    persoon = world.dossier_a.inburgeraar
    with logboek.verwerking(ALGEMEEN, user=world.werkcoach_a) as span:
        span.markeer(persoon.bsn, Handeling.EXPORTEREN)
    login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/")
    response = login(privacy).get(_wie_keek(world), {"handeling": "exporteren"})
    regels = response.context["page"].object_list
    assert [r.verwerking.handeling for r in regels] == [Handeling.EXPORTEREN]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_wie_keek_vast_aantal_queries(world, login, privacy):
    """Rule: the page runs a fixed number of queries, whatever the number of records."""
    client = login(privacy)
    login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/")
    client = login(privacy)
    weinig = _queries(client, _wie_keek(world))
    for gebruiker in (world.werkcoach_a, world.teamleider_a, world.werkcoach_a2):
        c = login(gebruiker)
        for _ in range(10):
            c.get(f"/dossiers/{world.dossier_a.uuid}/")
    client = login(privacy)
    assert _queries(client, _wie_keek(world)) == weinig


# --- the functioneel beheerder's incidents -------------------------------------------------------


def test_breuk_is_een_incident_voor_de_beheerder(gelogd, world, login):
    doel = Verwerking.objects.order_by("volgnummer")[2]
    with pgtrigger.ignore("audit.Verwerking:append_only"):
        Verwerking.objects.filter(pk=doel.pk).update(tijdstip=datetime(2020, 1, 1, tzinfo=UTC))
    controle = _breuk()
    client = login(world.beheerder_a)
    response = client.get("/logboek/controles/")
    assert response.status_code == 200
    assert [c.pk for c in response.context["open_incidenten"]] == [controle.pk]
    assert "tijdstip" in response.content.decode()
    # handling needs an explanation (a field error, nothing saved)
    leeg = client.post(f"/logboek/controles/{controle.pk}/afhandelen/", {"toelichting": ""})
    assert leeg.status_code == 400
    assert leeg.context["form"].errors["toelichting"]
    controle.refresh_from_db()
    assert controle.is_open_incident
    klaar = client.post(
        f"/logboek/controles/{controle.pk}/afhandelen/",
        {"toelichting": "Hersteld uit de back-up; CISO geïnformeerd."},
    )
    assert klaar.status_code == 302
    controle.refresh_from_db()
    assert controle.afgehandeld_door == world.beheerder_a and not controle.is_open_incident
    assert AuditRecord.objects.filter(
        gebeurtenis="keten_incident_afgehandeld", actor=world.beheerder_a.username
    ).exists()


def test_incidenten_alleen_voor_de_beheerder(world, login):
    assert login(world.werkcoach_a).get("/logboek/controles/").status_code == 403
    assert login(world.auditor_a).get("/logboek/controles/").status_code == 403
    assert login(world.beheerder_a).get("/logboek/controles/").status_code == 200


def test_controle_starten_zet_de_taak_in_de_wachtrij(
    world, login, django_capture_on_commit_callbacks
):
    from inburgering.celery import app

    client = login(world.beheerder_a)
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete("celery")
        response = client.post("/logboek/controles/starten/")
        assert response.status_code == 302
        assert conn.default_channel.client.llen("celery") == 1
        conn.default_channel.client.delete("celery")


def test_dossier_verwijst_naar_wie_keek(world, login, privacy):
    """The dossier's accountability tab links the privacy officer and the teamleider to the
    page; a werkcoach has neither the link nor the tab."""
    url = f"/dossiers/{world.dossier_a.uuid}/verantwoording/"
    for wie in (privacy, world.teamleider_a):
        html = login(wie).get(url).content.decode()
        assert _wie_keek(world) in html
    assert login(world.werkcoach_a).get(url).status_code == 404


def test_navigatie_naar_de_verantwoordingspaginas(world, login, privacy):
    """The privacy officer reaches the access requests and the export from the menu, the
    functioneel beheerder the log verification; a werkcoach none of them."""
    html = login(privacy).get("/dossiers/").content.decode()
    assert 'href="/verantwoording/inzageverzoeken/"' in html
    assert 'href="/verantwoording/export/"' in html
    assert 'href="/logboek/controles/"' not in html
    html = login(world.beheerder_a).get("/logboek/controles/").content.decode()
    assert 'href="/logboek/controles/"' in html
    html = login(world.werkcoach_a).get("/dossiers/").content.decode()
    for pad in ("/verantwoording/inzageverzoeken/", "/verantwoording/export/", "/logboek/"):
        assert f'href="{pad}' not in html
