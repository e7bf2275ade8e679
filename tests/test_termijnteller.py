"""The teamleider overview's counts (``TermijnTeller``, issue 15) are kept by the database on
every path — a clock added, saved, updated set-based (the sweep), by raw SQL, removed; a dossier
reassigned one at a time or in bulk, relocated — in the same transaction, and always equal the
counts computed the slow way from the clocks. The overview reads them for a municipal team and
shows the same matrix as the count over the clocks; its drill-down needs no count of its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Case, Count, F, When
from django.utils import timezone
from django_scopes import scopes_disabled

from cases import bewaking, services
from cases.constants import TermijnStatus
from cases.models import Dossier, Termijn, TermijnTeller
from cases.selectors import dashboard
from inburgering.core.access import user_scope

from .factories import DossierFactory
from .test_termijnstand import klok


def verwacht() -> set[tuple]:
    """The counts the slow way: every open or overdue clock, grouped."""
    rijen = (
        Termijn.objects.filter(status__in=[TermijnStatus.OPEN, TermijnStatus.VERLOPEN])
        .values(
            gemeente_id=F("dossier__gemeente_id"),
            werkcoach_id=F("dossier__werkcoach_id"),
            regel=F("code"),
            stand=F("status"),
            datum=Case(When(status=TermijnStatus.OPEN, then=F("uiterste_datum"))),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        (r["gemeente_id"], r["werkcoach_id"], r["regel"], r["stand"], r["datum"], r["n"])
        for r in rijen
    }


def gehouden() -> set[tuple]:
    rijen = TermijnTeller.objects.values_list(
        "gemeente_id", "werkcoach_id", "code", "status", "uiterste_datum", "aantal"
    )
    return set(rijen)


def klopt() -> set[tuple]:
    """The kept counts equal the slow ones, and no count of zero is kept."""
    assert not TermijnTeller.objects.filter(aantal__lte=0).exists()
    nu = gehouden()
    assert nu == verwacht()
    return nu


@pytest.mark.django_db
def test_elke_weg_houdt_de_tellers_bij(world):
    with scopes_disabled():
        klopt()  # the world's own clocks (if any), counted as they were made
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        Termijn.objects.filter(dossier=dossier).delete()
        klopt()

        eerst = klok(dossier, "test_eerst", 10)
        klok(dossier, "test_later", 40)
        klok(dossier, "test_eerst", 10, volgnummer=2)  # the same key: one count of two
        rij = TermijnTeller.objects.get(
            werkcoach=world.werkcoach_a, code="test_eerst", uiterste_datum=eerst.uiterste_datum
        )
        assert (rij.gemeente_id, rij.status, rij.aantal) == (world.gemeente_a.pk, "open", 2)
        klopt()

        # the ORM's save: met → no longer counted
        eerst.status = TermijnStatus.GEHAALD
        eerst.gehaald_op = timezone.localdate()
        eerst.save()
        rij.refresh_from_db()
        assert rij.aantal == 1
        klopt()

        # an extension moves the clock to another date
        later = Termijn.objects.get(dossier=dossier, code="test_later")
        later.uiterste_datum += timedelta(days=30)
        later.save()
        klopt()

        # set-based, as the sweep marks overdue: overdue counts have no date
        Termijn.objects.filter(dossier=dossier, code="test_later").update(
            status=TermijnStatus.VERLOPEN
        )
        assert (
            TermijnTeller.objects.get(
                werkcoach=world.werkcoach_a, code="test_later", status="verlopen"
            ).uiterste_datum
            is None
        )
        klopt()

        # raw SQL: the rule is in the database
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_termijn SET status = 'open' WHERE dossier_id = %s AND code = %s",
                [dossier.pk, "test_later"],
            )
        klopt()

        # a dossier reassigned by its form (save) and in bulk (one UPDATE of many dossiers)
        dossier.werkcoach = world.teamleider_a
        dossier.save()
        assert TermijnTeller.objects.filter(werkcoach=world.teamleider_a).exists()
        klopt()
        Dossier.objects.filter(gemeente=world.gemeente_a).update(werkcoach=None)
        assert not TermijnTeller.objects.filter(
            gemeente=world.gemeente_a, werkcoach__isnull=False
        ).exists()
        klopt()

        Termijn.objects.filter(dossier=dossier).delete()
        klopt()


@pytest.mark.django_db
def test_toewijzen_verhuizen_en_sweep(world, django_capture_on_commit_callbacks):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        Termijn.objects.filter(dossier=dossier).delete()
        klok(dossier, "test_verlopen", -3)
        klok(dossier, "test_blijft", 5)
        klopt()
        # the teamleider's bulk reassignment (the service, as the caseload's form calls it)
        with django_capture_on_commit_callbacks(execute=True):
            services.dossiers_toewijzen(
                user=world.teamleider_a,
                dossiers=Dossier.objects.filter(pk=dossier.pk),
                werkcoach=world.werkcoach_a2,
                reden="test",
            )
        klopt()
        # the hourly sweep marks the clock overdue set-based
        bewaking.sweep(peildatum=timezone.localdate())
        assert TermijnTeller.objects.filter(code="test_verlopen", status="verlopen").exists()
        klopt()
        # relocation: the old dossier closes (its clocks lapse), the new one gets its own
        with django_capture_on_commit_callbacks(execute=True):
            services.dossier_verhuizen(
                user=world.teamleider_a,
                dossier=Dossier.objects.get(pk=dossier.pk),
                nieuwe_gemeente=world.gemeente_b,
                datum_verhuizing=timezone.localdate(),
                reden="test",
            )
        klopt()


@pytest.mark.django_db
def test_overzicht_leest_de_tellers_en_telt_hetzelfde(world, client):
    """The teamleider's matrix from the kept counts equals the matrix over the clocks; for a
    user who does not see the whole scope it is counted over their dossiers' clocks."""
    with scopes_disabled():
        vandaag = timezone.localdate()
        for i, d in enumerate(Dossier.objects.filter(gemeente=world.gemeente_a).order_by("pk")):
            klok(d, "test_verlopen", -5 - i, status=TermijnStatus.VERLOPEN)
            klok(d, "test_binnenkort", i)
            klok(d, "test_ver_weg", 200 + i)  # beyond the horizon: not counted
        klopt()
    tl = world.teamleider_a
    with user_scope(tl):
        assert dashboard.ziet_hele_scope(tl)
        snel, _grens = dashboard._tellingen(tl, vandaag)
        langzaam = dashboard._aandacht(tl, vandaag)[0]
        traag = (
            langzaam.order_by()
            .values("code", werkcoach_id=F("dossier__werkcoach_id"))
            .annotate(n=Count("pk"))
        )
    assert {(r["werkcoach_id"], r["code"], r["verlopen"] + r["binnenkort"]) for r in snel} == {
        (r["werkcoach_id"], r["code"], r["n"]) for r in traag
    }
    assert any(r["code"] == "test_binnenkort" and r["binnenkort"] for r in snel)
    assert not any(r["code"] == "test_ver_weg" for r in snel)

    # the page: its matrix from the counts, the drill-down counted by the matrix (no count)
    client.force_login(tl)
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as ctx:
        antwoord = client.get("/dossiers/termijnen/?werkcoach=alle&regel=test_verlopen")
    assert antwoord.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    assert any("cases_termijnteller" in s for s in sql)
    assert not any("COUNT(" in s.upper() and 'cases_termijn"' in s for s in sql)
    page = antwoord.context["page"]
    with scopes_disabled():
        assert (
            page.paginator.count
            == Termijn.objects.filter(
                dossier__gemeente=world.gemeente_a, code="test_verlopen"
            ).count()
        )
