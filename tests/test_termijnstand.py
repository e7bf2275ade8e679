"""The dossier's next-due columns (issue 15) are kept by the database from its clocks on every
path — an insert, a change by the ORM or by a set-based UPDATE (the sweep's way), a delete —
in the same transaction; a dossier instance read before a clock changed does not undo it on
save; and the caseload's deadline sort and column read them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.constants import TermijnSoort, TermijnStatus
from cases.models import Dossier, Termijn

from .factories import DossierFactory


def verwacht(dossier: Dossier) -> tuple:
    """What the columns must say, computed the slow way from the clocks."""
    open_ = (
        Termijn.objects.filter(dossier=dossier, status=TermijnStatus.OPEN)
        .order_by("uiterste_datum", "code", "volgnummer")
        .first()
    )
    verlopen = Termijn.objects.filter(dossier=dossier, status=TermijnStatus.VERLOPEN).count()
    if open_ is None:
        return (None, None, None, verlopen)
    return (open_.uiterste_datum, open_.code, open_.volgnummer, verlopen)


def stand(dossier: Dossier) -> tuple:
    d = Dossier.objects.values_list(
        "termijn_eerstvolgend_op",
        "termijn_eerstvolgend_code",
        "termijn_eerstvolgend_volgnummer",
        "termijnen_verlopen_aantal",
    ).get(pk=dossier.pk)
    return tuple(d)


def klok(dossier: Dossier, code: str, dagen: int, **kwargs) -> Termijn:
    vandaag = timezone.localdate()
    return Termijn.objects.create(
        dossier=dossier,
        code=code,
        soort=TermijnSoort.WETTELIJK,
        startdatum=vandaag - timedelta(days=30),
        berekende_datum=vandaag + timedelta(days=dagen),
        uiterste_datum=vandaag + timedelta(days=dagen),
        **kwargs,
    )


@pytest.mark.django_db
def test_elke_weg_houdt_de_kolommen_bij(world):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        Termijn.objects.filter(dossier=dossier).delete()
        assert stand(dossier) == (None, None, None, 0)

        later = klok(dossier, "test_later", 40)
        eerst = klok(dossier, "test_eerst", 10)
        assert stand(dossier) == verwacht(dossier) == (eerst.uiterste_datum, "test_eerst", 1, 0)

        # the ORM's save of one clock
        eerst.status = TermijnStatus.GEHAALD
        eerst.gehaald_op = timezone.localdate()
        eerst.save()
        assert stand(dossier) == verwacht(dossier) == (later.uiterste_datum, "test_later", 1, 0)

        # a set-based UPDATE, as the sweep marks clocks overdue
        Termijn.objects.filter(pk=later.pk).update(status=TermijnStatus.VERLOPEN)
        assert stand(dossier) == verwacht(dossier) == (None, None, None, 1)

        # raw SQL too: the rule is in the database, not in the ORM
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_termijn SET status = 'open' WHERE id = %s", [later.pk])
        assert stand(dossier) == verwacht(dossier) == (later.uiterste_datum, "test_later", 1, 0)

        Termijn.objects.filter(dossier=dossier).delete()
        assert stand(dossier) == (None, None, None, 0)


@pytest.mark.django_db
def test_een_oude_instantie_maakt_het_niet_ongedaan(world):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        Termijn.objects.filter(dossier=dossier).delete()
        oud = Dossier.objects.get(pk=dossier.pk)  # read before the clock exists
        nieuw = klok(dossier, "test_eerst", 5)
        oud.coa_referentie = "COA-1"
        oud.save()
        assert stand(dossier) == (nieuw.uiterste_datum, "test_eerst", 1, 0)
        assert Dossier.objects.get(pk=dossier.pk).coa_referentie == "COA-1"


@pytest.mark.django_db
def test_de_sweep_houdt_ze_bij(world):
    """The hourly sweep marks clocks overdue set-based: the columns follow in its statement."""
    from cases import bewaking

    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        Termijn.objects.filter(dossier=dossier).delete()
        verlopen = klok(dossier, "test_verlopen", -3)
        blijft = klok(dossier, "test_blijft", 20)
        assert stand(dossier) == (verlopen.uiterste_datum, "test_verlopen", 1, 0)
        bewaking.sweep(peildatum=timezone.localdate())
        verlopen.refresh_from_db()
        assert verlopen.status == TermijnStatus.VERLOPEN
        assert stand(dossier) == verwacht(dossier) == (blijft.uiterste_datum, "test_blijft", 1, 1)
        for d in Dossier.objects.all():
            assert stand(d) == verwacht(d), d.pk


@pytest.mark.django_db
def test_caseload_sorteert_op_de_kolom(world, client):
    from cases.selectors import caseload

    with scopes_disabled():
        for i, d in enumerate(Dossier.objects.filter(gemeente=world.gemeente_a).order_by("pk")):
            Termijn.objects.filter(dossier=d).delete()
            klok(d, "test_eerst", 50 - i)
    with scopes_disabled():
        rijen = list(caseload(user=world.werkcoach_a, sortering="termijn"))
        sql = str(caseload(user=world.werkcoach_a, sortering="termijn").query)
    datums = [r.termijn_eerstvolgend for r in rijen if r.termijn_eerstvolgend]
    assert datums == sorted(datums) and len(datums) >= 2
    assert "termijn_eerstvolgend_op" in sql and "cases_termijn" not in sql
