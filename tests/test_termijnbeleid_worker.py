"""Issue 8, defect 7, end to end: a policy change commits, its recompute is queued on commit and
a real Celery worker process (on the test Redis) moves the running clock."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cases import termijnen
from cases.constants import Fase
from cases.models import Termijn, TermijnBeleid
from pip_plans.models import BredeIntake

from .factories import DossierFactory

pytestmark = pytest.mark.worker


def test_a_real_worker_moves_the_clock_after_a_policy_change(celery_worker_process, world):
    vandaag = timezone.localdate()  # the worker runs on the real date
    brp = vandaag - timedelta(days=20)
    with scopes_disabled():
        beleid = TermijnBeleid.objects.create(gemeente=world.gemeente_a, pip_na_intake_weken=4)
        dossier = DossierFactory(
            gemeente=world.gemeente_a,
            fase=Fase.PIP,
            datum_koppeling=brp - timedelta(days=60),
            datum_huisvesting=brp,
            datum_brp_inschrijving=brp,
        )
        BredeIntake.objects.create(dossier=dossier, datum_afgerond=vandaag - timedelta(days=2))
        termijnen.herberekenen(dossier, user=None)
        klok = Termijn.objects.get(dossier=dossier, code="pip_na_intake")
    verwacht = klok.uiterste_datum + timedelta(weeks=2)
    termijnen.termijnbeleid_wijzigen(
        user=world.beheerder_a, beleid=beleid, reden="6 weken (raad)", pip_na_intake_weken=6
    )  # commits (transactional test): the task is queued on commit
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with scopes_disabled():
            klok.refresh_from_db()
        if klok.uiterste_datum == verwacht:
            break
        time.sleep(0.5)
    assert klok.uiterste_datum == verwacht
    with scopes_disabled():  # history is case data: scoped like the live tables
        assert klok.history.first().history_user == world.beheerder_a
