"""Issue 8, defect 12: relocation and the timeline through the API, with the rules of the UI
(``cases.services.dossier_verhuizen`` / ``dossier_notitie_toevoegen``): auditors 403, a dossier
the caller may not see 404, bad input 400 problem+json naming the (camelCase) field, nothing
changed after a refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django_scopes import scopes_disabled

from cases import tijdlijn
from cases.constants import Fase
from cases.models import Dossier, Gebeurtenis

from .factories import GemeenteFactory
from .test_api import assert_problem, invalid_names, snapshot

VANDAAG = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _vandaag():
    with time_machine.travel("2026-06-15 10:00 +02:00", tick=False):
        yield


def url(dossier, actie: str) -> str:
    return f"/api/v1/dossiers/{dossier.uuid}/{actie}"


@pytest.fixture
def elders(db):
    """A gemeente that neither team serves: a person may move anywhere."""
    with scopes_disabled():
        return GemeenteFactory(naam="Groningen")


def body(gemeente, datum: date = VANDAAG - timedelta(days=3), **extra):
    return {"nieuweGemeente": str(gemeente.uuid), "datumVerhuizing": datum.isoformat(), **extra}


def test_relocation_closes_the_dossier_and_opens_the_next(world, api, elders):
    """Rule (Wi 2021, verhuizing): the dossier closes as `verhuisd` on the moving date and the
    new gemeente gets an open dossier linked to it, adopting the phase."""
    dossier = world.dossier_a
    response = api(world.werkcoach_a).post(
        url(dossier, "verhuizen"), body(elders, reden="Verhuisd naar Groningen"), format="json"
    )
    assert response.status_code == 200, response.content[:1000]
    data = response.json()
    assert data["uuid"] == str(dossier.uuid)
    assert data["fase"] == Fase.VERHUISD
    assert data["datumAfgesloten"] == (VANDAAG - timedelta(days=3)).isoformat()
    with scopes_disabled():
        nieuw = Dossier.objects.get(vorig_dossier=dossier)
        assert nieuw.gemeente == elders
        assert nieuw.fase == Fase.GEKOPPELD
        assert nieuw.is_open
        assert nieuw.werkcoach is None
        event = Gebeurtenis.objects.get(dossier=dossier, soort=tijdlijn.DOSSIER_VERHUISD)
        assert event.actor == world.werkcoach_a
        assert event.gegevens["nieuw_dossier"] == str(nieuw.uuid)
        assert dossier.history.first().history_change_reason == "Verhuisd naar Groningen"


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("same_gemeente", "nieuweGemeente"),
        ("unknown_gemeente", "nieuweGemeente"),
        ("future_date", "datumVerhuizing"),
        ("no_date", "datumVerhuizing"),
        ("bad_date", "datumVerhuizing"),
    ],
)
def test_bad_input_is_400_naming_the_field(world, api, elders, case, field):
    data = {
        "same_gemeente": body(world.gemeente_a),
        "unknown_gemeente": {
            **body(elders),
            "nieuweGemeente": "3f0e8f5e-0000-4000-8000-000000000000",
        },
        "future_date": body(elders, VANDAAG + timedelta(days=1)),
        "no_date": {"nieuweGemeente": str(elders.uuid)},
        "bad_date": {**body(elders), "datumVerhuizing": "15-06-2026"},
    }[case]
    before = snapshot()
    response = api(world.werkcoach_a).post(url(world.dossier_a, "verhuizen"), data, format="json")
    assert_problem(response, 400)
    assert invalid_names(response) == {field}
    assert snapshot() == before


def test_closed_dossier_cannot_be_relocated(world, api, elders):
    """Rule: only an open dossier moves (the same refusal as in the UI)."""
    with scopes_disabled():
        Dossier.objects.filter(pk=world.dossier_a.pk).update(
            fase=Fase.BEEINDIGD, datum_afgesloten=VANDAAG
        )
    before = snapshot()
    response = api(world.werkcoach_a).post(
        url(world.dossier_a, "verhuizen"), body(elders), format="json"
    )
    problem = assert_problem(response, 400)
    assert invalid_names(response) == {"nonFieldErrors"}
    assert "open dossier" in problem["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("role", ["auditor_a", "partner_auditor_a", "begeleider_a"])
def test_roles_that_may_not_relocate_get_403(world, api, elders, role):
    before = snapshot()
    response = api(getattr(world, role)).post(
        url(world.dossier_a, "verhuizen"), body(elders), format="json"
    )
    assert_problem(response, 403)
    assert snapshot() == before


@pytest.mark.parametrize("role", ["werkcoach_b", "begeleider_a2", "beheerder_a"])
def test_invisible_dossier_is_404(world, api, elders, role):
    """Someone else's dossier is a 404, never a 403 that confirms it exists."""
    before = snapshot()
    response = api(getattr(world, role)).post(
        url(world.dossier_a, "verhuizen"), body(elders), format="json"
    )
    assert_problem(response, 404)
    assert snapshot() == before


def test_teamleider_may_relocate(world, api, elders):
    response = api(world.teamleider_a).post(
        url(world.dossier_a2, "verhuizen"), body(elders), format="json"
    )
    assert response.status_code == 200, response.content[:500]


# --- the timeline and its notes ---------------------------------------------------------------


def test_note_is_added_to_the_timeline(world, api):
    client = api(world.werkcoach_a)
    response = client.post(
        url(world.dossier_a, "notities"), {"tekst": "  Gebeld met de tolk.  "}, format="json"
    )
    assert response.status_code == 201, response.content[:500]
    note = response.json()
    assert note["soort"] == tijdlijn.DOSSIER_NOTITIE
    assert note["omschrijving"] == "Gebeld met de tolk."
    assert note["actor"] == str(world.werkcoach_a.uuid)
    assert note["actorNaam"]
    timeline = client.get(url(world.dossier_a, "tijdlijn"))
    assert timeline.status_code == 200, timeline.content[:500]
    first = timeline.json()["results"][0]
    assert first["omschrijving"] == "Gebeld met de tolk."
    assert timeline.json()["count"] == len(timeline.json()["results"])


def test_begeleider_may_add_a_note_to_an_assigned_dossier(world, api):
    """As in the UI, a begeleider writes notes on the dossiers assigned to them."""
    response = api(world.begeleider_a).post(
        url(world.dossier_a, "notities"), {"tekst": "Intake gepland."}, format="json"
    )
    assert response.status_code == 201, response.content[:500]


@pytest.mark.parametrize("tekst", ["", "   "])
def test_empty_note_is_400_naming_tekst(world, api, tekst):
    before = snapshot()
    response = api(world.werkcoach_a).post(
        url(world.dossier_a, "notities"), {"tekst": tekst}, format="json"
    )
    assert_problem(response, 400)
    assert invalid_names(response) == {"tekst"}
    assert snapshot() == before


def test_note_without_tekst_is_400(world, api):
    response = api(world.werkcoach_a).post(url(world.dossier_a, "notities"), {}, format="json")
    assert_problem(response, 400)
    assert invalid_names(response) == {"tekst"}


def test_auditor_cannot_add_a_note_but_reads_the_timeline(world, api):
    before = snapshot()
    response = api(world.auditor_a).post(
        url(world.dossier_a, "notities"), {"tekst": "x"}, format="json"
    )
    assert_problem(response, 403)
    assert snapshot() == before
    assert api(world.auditor_a).get(url(world.dossier_a, "tijdlijn")).status_code == 200


@pytest.mark.parametrize("role", ["werkcoach_b", "begeleider_a2"])
def test_timeline_and_notes_of_an_invisible_dossier_are_404(world, api, role):
    client = api(getattr(world, role))
    assert_problem(client.get(url(world.dossier_a, "tijdlijn")), 404)
    before = snapshot()
    assert_problem(
        client.post(url(world.dossier_a, "notities"), {"tekst": "x"}, format="json"), 404
    )
    assert snapshot() == before


def test_schema_documents_relocation_and_timeline():
    """The dossier resource says to relocate through its own action; the schema has it."""
    import yaml
    from django.conf import settings

    schema = yaml.safe_load((settings.BASE_DIR / "openapi.yaml").read_text())
    paths = schema["paths"]
    assert set(paths["/dossiers/{uuid}/verhuizen"]) == {"post"}
    assert set(paths["/dossiers/{uuid}/notities"]) == {"post"}
    assert set(paths["/dossiers/{uuid}/tijdlijn"]) == {"get"}
