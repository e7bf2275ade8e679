"""Issue 8, defect 13 (low–medium): concurrent identical requests, for real.

Each request runs in its own thread with its own PostgreSQL connection (``transactional_db``:
the rows are committed, the connections see each other's commits as in production), released at
the same moment by a ``threading.Barrier``. The rule: a race changes nothing about the outcome
of the requests made one after another — exactly one row, the loser refused with a 400/409
problem+json naming the field (or, for an idempotent action, given the winner's row) — and
never a 500. Six concurrent "afhandelen" of one signal: exactly one of them claims it.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases import bewaking, termijnen
from cases.constants import Fase
from cases.models import Dossier, Inburgeraar, Signaal
from pip_plans.models import BredeIntake, DomeinBeoordeling, Pip

from .factories import DossierFactory
from .test_api import aanmelding, new_bsn

PROBLEM = "application/problem+json"
N = 5

pytestmark = pytest.mark.django_db(transaction=True)


def gelijktijdig(n: int, make_client, request) -> list[Any]:
    """``request(client)`` ``n`` times at once, each on its own thread and database connection
    (``make_client`` builds each thread's client); no exception and no request left unfinished."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        try:
            client = make_client()
            barrier.wait(timeout=30)
            results[i] = request(client)
        except Exception as exc:  # reported by the assertions below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for r in results:
        assert not isinstance(r, Exception), repr(r)
        assert r is not None, "a request did not finish"
    return results


def fire(user, method: str, url: str, body: dict[str, Any], n: int = N) -> list[Any]:
    """``n`` identical API requests at once, each on its own thread and database connection."""
    token, _ = Token.objects.get_or_create(user=user)

    def api_client() -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    results = gelijktijdig(n, api_client, lambda c: getattr(c, method)(url, body, format="json"))
    for r in results:
        assert r.status_code < 500, r.content[:1000]
    return results


def refused_as_problem(results: list[Any], statuses=(400, 409)) -> list[dict]:
    bodies = []
    for r in results:
        assert r.status_code in statuses, (r.status_code, r.content[:500])
        assert r["Content-Type"].startswith(PROBLEM), r["Content-Type"]
        body = r.json()
        assert body["status"] == r.status_code
        assert body["invalidParams"], body
        bodies.append(body)
    return bodies


@pytest.fixture
def intake_dossier(world):
    with scopes_disabled():
        return DossierFactory(
            in_intake=True,
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            begeleider=world.begeleider_a,
        )


def test_concurrent_registration_of_one_person(world):
    """Rule: a BSN identifies one person with at most one open dossier
    (``uniq_inburgeraar_bsn``, ``uniq_open_dossier_per_inburgeraar``)."""
    data = aanmelding(world, bsn=new_bsn())
    results = fire(world.werkcoach_a, "post", "/api/v1/inburgeraars", data)
    created = [r for r in results if r.status_code == 201]
    assert len(created) == 1, [(r.status_code, r.content[:200]) for r in results]
    bodies = refused_as_problem([r for r in results if r.status_code != 201])
    for body in bodies:
        assert {p["name"] for p in body["invalidParams"]} <= {"bsn", "inburgeraar"}
    with scopes_disabled():
        assert Inburgeraar.objects.filter(bsn=data["bsn"]).count() == 1
        assert Dossier.objects.filter(inburgeraar__bsn=data["bsn"]).count() == 1


def test_concurrent_registration_of_a_known_person(world):
    """The same for a person already known from a closed dossier: the existing record is
    reused, and still only one open dossier results."""
    with scopes_disabled():
        oud = DossierFactory(gemeente=world.gemeente_a, fase=Fase.BEEINDIGD)
        bsn = oud.inburgeraar.bsn
    data = aanmelding(world, bsn=bsn)
    results = fire(world.werkcoach_a, "post", "/api/v1/inburgeraars", data)
    assert [r.status_code for r in results].count(201) == 1
    refused_as_problem([r for r in results if r.status_code != 201])
    with scopes_disabled():
        assert Inburgeraar.objects.filter(bsn=bsn).count() == 1
        assert Dossier.objects.filter(inburgeraar__bsn=bsn, fase__in=[Fase.GEKOPPELD]).count() == 1


def test_concurrent_intake_start(world, intake_dossier):
    """Rule: one brede intake per dossier. Starting is idempotent (documented: "returns the
    existing one if started"), so every caller gets the same intake; one row exists."""
    results = fire(
        world.werkcoach_a, "post", "/api/v1/intakes", {"dossier": str(intake_dossier.uuid)}
    )
    assert {r.status_code for r in results} == {201}
    assert len({r.json()["uuid"] for r in results}) == 1
    with scopes_disabled():
        assert BredeIntake.objects.filter(dossier=intake_dossier).count() == 1


def test_concurrent_save_of_one_domain(world, intake_dossier):
    """Rule: one assessment per life domain (``uniq_domein_per_intake``): saving a domain is an
    upsert, so concurrent saves leave one row (the last one's values), never a 500."""
    with scopes_disabled():
        intake = BredeIntake.objects.create(dossier=intake_dossier)
    url = f"/api/v1/intakes/{intake.uuid}/domeinen/motivatie"
    results = fire(world.werkcoach_a, "put", url, {"beoordeling": "aandacht", "toelichting": "x"})
    assert {r.status_code for r in results} == {200}, [r.content[:300] for r in results]
    with scopes_disabled():
        rows = DomeinBeoordeling.objects.filter(intake=intake, domein="motivatie")
        assert rows.count() == 1
        assert rows.get().beoordeling == "aandacht"


def test_concurrent_pip_creation(world, intake_dossier):
    """Rule: one PIP per dossier, new ones only as versions (``uniq_pip_versie``,
    ``uniq_pip_in_bewerking_per_dossier``): one 201, the others refused naming the field."""
    results = fire(world.werkcoach_a, "post", "/api/v1/pips", {"dossier": str(intake_dossier.uuid)})
    assert [r.status_code for r in results].count(201) == 1, [r.content[:300] for r in results]
    refused_as_problem([r for r in results if r.status_code != 201])
    with scopes_disabled():
        assert Pip.objects.filter(dossier=intake_dossier).count() == 1


@time_machine.travel("2026-06-15 10:00 +02:00", tick=True)
def test_six_concurrent_afhandelen_claim_one_signal_once(world):
    """Rule: a signal is handled once, by whoever claims it first; the others are told they
    handled nothing, and who/when are never overwritten (``UPDATE … WHERE afgehandeld_op IS
    NULL``)."""
    vandaag = timezone.localdate()
    brp = vandaag - timedelta(days=20)
    with scopes_disabled():
        Dossier.objects.filter(pk=world.dossier_a.pk).update(
            fase=Fase.INTAKE,
            datum_huisvesting=brp,
            datum_koppeling=brp - timedelta(days=30),
            datum_brp_inschrijving=brp,
        )
        world.dossier_a.refresh_from_db()
        termijnen.herberekenen(world.dossier_a, user=None)
        bewaking.sweep(peildatum=vandaag)
        signaal = Signaal.objects.get(ontvanger=world.werkcoach_a)
    results = fire(
        world.werkcoach_a,
        "post",
        "/api/v1/signalen/afhandelen",
        {"signalen": [str(signaal.uuid)]},
        n=6,
    )
    assert {r.status_code for r in results} == {200}
    claimed = sorted(r.json()["afgehandeld"] for r in results)
    assert claimed == [0, 0, 0, 0, 0, 1]
    with scopes_disabled():
        signaal.refresh_from_db()
        eerste = (signaal.afgehandeld_op, signaal.afgehandeld_door_id)
        assert eerste[0] is not None and eerste[1] == world.werkcoach_a.pk
    # a later call changes nothing either
    again = fire(
        world.werkcoach_a,
        "post",
        "/api/v1/signalen/afhandelen",
        {"signalen": [str(signaal.uuid)]},
        n=2,
    )
    assert [r.json()["afgehandeld"] for r in again] == [0, 0]
    with scopes_disabled():
        signaal.refresh_from_db()
        assert (signaal.afgehandeld_op, signaal.afgehandeld_door_id) == eerste


def test_concurrent_registration_in_the_ui_is_a_form_error(world):
    """The same race through the registration form: one person, one redirect; the others see
    the form again with the refusal at a field — never a server error."""
    from django.test import Client

    bsn = new_bsn()
    data = {
        "bsn": bsn,
        "voornamen": "Semhar",
        "achternaam": "Tesfaye",
        "geboortedatum": (timezone.localdate() - timedelta(days=30 * 365)).isoformat(),
        "doelgroep": "asielmigrant",
        "regime": "wi2021",
        "fase": Fase.AANGEMELD,
        "gemeente": world.gemeente_a.pk,
        "werkcoach": world.werkcoach_a.pk,
    }

    def ingelogd() -> Client:
        client = Client()
        client.force_login(world.werkcoach_a)
        return client

    results = gelijktijdig(N, ingelogd, lambda c: c.post("/dossiers/nieuw/", data))
    for r in results:
        assert r.status_code in (200, 302), r.status_code
    assert [r.status_code for r in results].count(302) == 1
    for r in results:
        if r.status_code == 200:
            html = r.content.decode()
            assert 'aria-invalid="true"' in html or "errorlist" in html, html[:2000]
    with scopes_disabled():
        assert Inburgeraar.objects.filter(bsn=bsn).count() == 1
        assert Dossier.objects.filter(inburgeraar__bsn=bsn).count() == 1
