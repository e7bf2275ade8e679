"""Issue 8, defect 7 — a change of a gemeente's deadline policy recomputes its clocks.

Rules: the policy (``TermijnBeleid``) changes only through a service, with the actor and a
required reason in the history — also from ``/beheer/`` (the admin saves through it). A change
of a clock length moves the running clocks of that gemeente's open dossiers (a clock already
met keeps its judgement; other gemeenten are untouched), recomputed in the background in
keyset chunks of bounded size, queued once the change commits; task arguments are ids.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from cases import termijnen
from cases.constants import Fase, TermijnStatus
from cases.models import Dossier, Termijn, TermijnBeleid
from cases.tasks import termijnbeleid_herberekenen
from pip_plans.constants import PipStatus
from pip_plans.models import BredeIntake, Pip

from .factories import DossierFactory

BRP = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _vandaag():
    with time_machine.travel(date(2026, 6, 15), tick=False):
        yield


def _dossier(gemeente, intake: date, pip: date | None = None) -> Dossier:
    with scopes_disabled():
        d = DossierFactory(
            gemeente=gemeente,
            fase=Fase.PIP,
            datum_koppeling=date(2026, 3, 1),
            datum_huisvesting=BRP,
            datum_brp_inschrijving=BRP,
        )
        BredeIntake.objects.create(dossier=d, datum_afgerond=intake)
        if pip:
            Pip.objects.create(
                dossier=d,
                status=PipStatus.VASTGESTELD,
                datum_vastgesteld=pip,
                termijn_start=date(pip.year, pip.month, pip.day + 1),
                termijn_eind=date(pip.year + 3, pip.month, pip.day),
                pdf_sha256="a" * 64,
            )
        termijnen.herberekenen(d, user=None)
        return d


def _klok(dossier) -> Termijn:
    with scopes_disabled():
        return Termijn.objects.get(dossier=dossier, code="pip_na_intake")


@pytest.fixture
def beleid(world):
    with scopes_disabled():
        for gemeente in (world.gemeente_a, world.gemeente_b):
            TermijnBeleid.objects.create(gemeente=gemeente, pip_na_intake_weken=4)
        return TermijnBeleid.objects.get(gemeente=world.gemeente_a)


def _laatste_history_id(beleid) -> int:
    return beleid.history.order_by("-history_id").first().history_id


def test_policy_change_moves_the_running_clocks_of_that_gemeente_only(
    world, beleid, django_capture_on_commit_callbacks
):
    open_a = _dossier(world.gemeente_a, intake=date(2026, 6, 1))
    gehaald_a = _dossier(world.gemeente_a, intake=date(2026, 5, 10), pip=date(2026, 6, 10))
    open_b = _dossier(world.gemeente_b, intake=date(2026, 6, 1))
    assert _klok(open_a).uiterste_datum == date(2026, 6, 29)
    assert _klok(gehaald_a).status == TermijnStatus.TE_LAAT_GEHAALD
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        termijnen.termijnbeleid_wijzigen(
            user=world.beheerder_a,
            beleid=beleid,
            reden="Raadsbesluit: 6 weken voor het PIP",
            pip_na_intake_weken=6,
        )
    assert len(callbacks) == 1  # queued on commit, not run inside the request
    # the task (its function called eagerly; arguments are ids only)
    uitkomst = termijnbeleid_herberekenen(_laatste_history_id(beleid))
    assert uitkomst["klaar"] and uitkomst["dossiers"] == 4  # with the two of `world`
    klok = _klok(open_a)
    assert klok.uiterste_datum == klok.berekende_datum == date(2026, 7, 13)
    assert klok.status == TermijnStatus.OPEN
    with scopes_disabled():  # history is case data: scoped like the live tables
        record = klok.history.first()
    assert record.history_user == world.beheerder_a
    assert "Raadsbesluit: 6 weken voor het PIP" in record.history_change_reason
    # a clock already judged keeps its judgement; another gemeente's clock does not move
    assert _klok(gehaald_a).status == TermijnStatus.TE_LAAT_GEHAALD
    assert _klok(gehaald_a).uiterste_datum == date(2026, 6, 7)
    assert _klok(open_b).uiterste_datum == date(2026, 6, 29)
    # the policy's own history: who, what, why
    with scopes_disabled():
        beleid.refresh_from_db()
        laatste = beleid.history.first()
    assert beleid.pip_na_intake_weken == 6
    assert laatste.history_user == world.beheerder_a
    assert laatste.history_change_reason == "Raadsbesluit: 6 weken voor het PIP"


def test_switching_a_policy_clock_off_lapses_the_running_clock(world, beleid):
    d = _dossier(world.gemeente_a, intake=date(2026, 6, 1))
    termijnen.termijnbeleid_wijzigen(
        user=world.beheerder_a, beleid=beleid, reden="Beleid vervalt", pip_na_intake_weken=None
    )
    termijnbeleid_herberekenen(_laatste_history_id(beleid))
    assert _klok(d).status == TermijnStatus.VERVALLEN


def test_a_reason_is_required_and_only_the_beheerder_may_change_policy(
    world, beleid, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as exc:
        termijnen.termijnbeleid_wijzigen(
            user=world.beheerder_a, beleid=beleid, reden=" ", pip_na_intake_weken=6
        )
    assert set(exc.value.message_dict) == {"reden"}
    with pytest.raises(PermissionDenied):
        termijnen.termijnbeleid_wijzigen(
            user=world.werkcoach_a, beleid=beleid, reden="Sneller", pip_na_intake_weken=6
        )
    with scopes_disabled():
        beleid.refresh_from_db()
    assert beleid.pip_na_intake_weken == 4
    # a value no clock is computed from changes the policy without a recompute
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        termijnen.termijnbeleid_wijzigen(
            user=world.beheerder_a,
            beleid=beleid,
            reden="Eerder waarschuwen",
            waarschuwingsdagen=[21, 7, 0],
        )
    assert callbacks == []


def test_recompute_walks_the_gemeente_in_keyset_chunks(world, beleid):
    dossiers = [_dossier(world.gemeente_a, intake=date(2026, 6, 1)) for _ in range(5)]
    with scopes_disabled():
        # a closed dossier is not visited
        DossierFactory(
            gemeente=world.gemeente_a, fase=Fase.BEEINDIGD, datum_afgesloten=date(2026, 6, 1)
        )
    termijnen.termijnbeleid_wijzigen(
        user=world.beheerder_a, beleid=beleid, reden="6 weken", pip_na_intake_weken=6
    )
    history_id = _laatste_history_id(beleid)
    ids = sorted([*(d.pk for d in dossiers), world.dossier_a.pk, world.dossier_a2.pk])
    with scopes_disabled():
        stappen = []
        na_id = 0
        while True:
            aantal, na_id = termijnen.beleid_chunk_herberekenen(
                history_id=history_id, na_id=na_id, grootte=3
            )
            stappen.append((aantal, na_id))
            if aantal < 3:
                break
    assert stappen == [(3, ids[2]), (3, ids[5]), (1, ids[6])]
    assert {_klok(d).uiterste_datum for d in dossiers} == {date(2026, 7, 13)}
    # the task does the same in bounded runs
    uitkomst = termijnbeleid_herberekenen(history_id, grootte=2)
    assert uitkomst == {"dossiers": 7, "chunks": 4, "klaar": True}


def test_admin_save_goes_through_the_service_and_asks_the_reason(
    world, beleid, login, django_capture_on_commit_callbacks
):
    d = _dossier(world.gemeente_a, intake=date(2026, 6, 1))
    get_user_model().objects.filter(pk=world.beheerder_a.pk).update(is_staff=True)
    client = login(world.beheerder_a)
    url = f"/beheer/cases/termijnbeleid/{beleid.pk}/change/"
    assert "wijziging_reden" in client.get(url).content.decode()
    data = {
        "waarschuwingsdagen": "14,0",
        "pip_na_intake_weken": "6",
        "taalstart_weken": "",
        "mb_maanden": "",
        "max_verlenging_inburgeringstermijn_maanden": "6",
        "min_voortgangsgesprekken_per_jaar": "1",
    }
    response = client.post(url, {**data, "wijziging_reden": ""})
    assert response.status_code == 200  # the form again, with the error at the reason
    assert "wijziging_reden" in response.context["adminform"].form.errors
    with scopes_disabled():
        beleid.refresh_from_db()
    assert beleid.pip_na_intake_weken == 4
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {**data, "wijziging_reden": "Raadsbesluit 2026-14"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) == 1
    with scopes_disabled():
        beleid.refresh_from_db()
    laatste = beleid.history.first()
    assert beleid.pip_na_intake_weken == 6
    assert laatste.history_user_id == world.beheerder_a.pk
    assert laatste.history_change_reason == "Raadsbesluit 2026-14"
    termijnbeleid_herberekenen(laatste.history_id)
    assert _klok(d).uiterste_datum == date(2026, 7, 13)


def test_admin_add_goes_through_the_service_too(world, login, django_capture_on_commit_callbacks):
    from .factories import GemeenteFactory

    with scopes_disabled():
        gemeente = GemeenteFactory(naam="Laren")
        world.team_a.gemeenten.add(gemeente)
    get_user_model().objects.filter(pk=world.beheerder_a.pk).update(is_staff=True)
    client = login(world.beheerder_a)
    data = {
        "gemeente": str(gemeente.pk),
        "waarschuwingsdagen": "14,0",
        "pip_na_intake_weken": "4",
        "taalstart_weken": "",
        "mb_maanden": "",
        "max_verlenging_inburgeringstermijn_maanden": "6",
        "min_voortgangsgesprekken_per_jaar": "1",
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/beheer/cases/termijnbeleid/add/", {**data, "wijziging_reden": "Nieuw beleid"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(callbacks) == 1
    with scopes_disabled():
        beleid = TermijnBeleid.objects.get(gemeente=gemeente)
    eerste = beleid.history.first()
    assert eerste.history_user_id == world.beheerder_a.pk
    assert eerste.history_change_reason == "Nieuw beleid"
    assert beleid.pip_na_intake_weken == 4
