"""The termijnen and signalen API (/api/v1/dossiers/{uuid}/termijnen, /api/v1/termijnen,
/api/v1/signalen): the access policy across two gemeenten and roles, refusals as problem+json
naming the (camelCase) field and the legal rule, nothing changed after a refusal, and signals
that belong to one user only."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import yaml
from django.conf import settings
from django_scopes import scopes_disabled

from cases import bewaking, termijnen
from cases.constants import Fase, SignaalSoort, TermijnStatus
from cases.models import Dossier, Signaal, Termijn, Verlenging

from .conftest import zonder_begeleiding
from .factories import lopende_begeleiding
from .klok import vandaag_fixture
from .test_pip_services import _media, pip_met, vastgesteld  # noqa: F401


@pytest.fixture
def world(world):
    """The hub's own clocks (the begeleiding's: tests/test_begeleiding_termijnen.py)."""
    return zonder_begeleiding(world)


PROBLEM = "application/problem+json"
VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)


def met_brp(dossier: Dossier, brp: date) -> dict[str, Termijn]:
    """Give the dossier a BRP date (and the phase that needs it) and compute its clocks."""
    with scopes_disabled():
        Dossier.objects.filter(pk=dossier.pk).update(
            fase=Fase.INTAKE,
            datum_huisvesting=brp,
            datum_koppeling=brp - timedelta(days=30),
            datum_brp_inschrijving=brp,
        )
        dossier.refresh_from_db()
        return {t.code: t for t in termijnen.herberekenen(dossier, user=None)}


@pytest.fixture
def na_pip(world) -> dict[str, Termijn]:
    """Dossier A with an issued PIP: BRP 5 January 2026, PIP issued 10 March 2026, so the
    inburgeringstermijn runs until 10 March 2029 (policy default: at most +6 months)."""
    met_brp(world.dossier_a, date(2026, 1, 5))
    with scopes_disabled():
        Dossier.objects.filter(pk=world.dossier_a.pk).update(fase=Fase.PIP)
        world.dossier_a.refresh_from_db()
    vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, world.dossier_a), date(2026, 3, 10))
    with scopes_disabled():
        return {t.code: t for t in Termijn.objects.filter(dossier=world.dossier_a, volgnummer=1)}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:1000]
    assert response["Content-Type"].startswith(PROBLEM)
    return response.json()


def invalid(response) -> dict[str, str]:
    """400 problem+json: the refused (camelCase) fields with their reasons."""
    body = problem(response, 400)
    return {p["name"]: p["reason"] for p in body["invalidParams"]}


def staat(termijn: Termijn) -> tuple:
    with scopes_disabled():
        t = Termijn.objects.get(pk=termijn.pk)
        return (
            t.uiterste_datum,
            t.status,
            t.gehaald_op,
            Verlenging.objects.filter(termijn=t).count(),
            Termijn.history.filter(id=t.pk).count(),
        )


def verlengen(client, termijn: Termijn, **body):
    return client.post(f"/api/v1/termijnen/{termijn.uuid}/verlengen", body, format="json")


def gehaald(client, termijn: Termijn, **body):
    return client.post(f"/api/v1/termijnen/{termijn.uuid}/gehaald", body, format="json")


# --- GET /dossiers/{uuid}/termijnen ---------------------------------------------------------


def test_list_termijnen_of_own_dossier(world, api):
    brp = VANDAAG - timedelta(days=3)
    met_brp(world.dossier_a, brp)
    response = api(world.werkcoach_a).get(f"/api/v1/dossiers/{world.dossier_a.uuid}/termijnen")
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    assert [t["code"] for t in data] == ["intake", "pip"]  # by due date
    intake = data[0]
    assert intake["omschrijving"] == "Brede intake completed"
    assert intake["soort"] == "wettelijk"
    assert "Wi 2021 art. 14" in intake["grondslag"]
    assert intake["startdatum"] == brp.isoformat()
    assert intake["berekendeDatum"] == intake["uitersteDatum"]
    assert intake["uitersteDatum"] == (brp + timedelta(weeks=4)).isoformat()
    assert intake["status"] == TermijnStatus.OPEN
    assert intake["gehaaldOp"] is None
    assert intake["verlengbaar"] == "nee"
    assert intake["maxVerlengdTot"] is None
    assert intake["handmatigGehaald"] is False
    assert intake["handmatigMarkeerbaar"] is False
    assert intake["verlengingen"] == []
    assert intake["dossier"] == str(world.dossier_a.uuid)


def test_list_shows_the_extension_limits_after_the_pip(world, api, na_pip):
    response = api(world.teamleider_a).get(f"/api/v1/dossiers/{world.dossier_a.uuid}/termijnen")
    assert response.status_code == 200
    by_code = {(t["code"], t["omschrijving"]): t for t in response.json()}
    termijn = by_code[("inburgeringstermijn", "Inburgeringstermijn")]
    assert (termijn["verlengbaar"], termijn["maxVerlengdTot"]) == ("beperkt", "2029-09-10")
    assert termijn["handmatigMarkeerbaar"] is True
    assert by_code[("pip", "PIP issued")]["status"] == TermijnStatus.GEHAALD
    assert by_code[("pip", "PIP issued")]["gehaaldOp"] == "2026-03-10"
    assert by_code[("voortgangsgesprek", "Voortgangsgesprek 1")]["verlengbaar"] == "vrij"


def test_list_reads_the_facts_once_not_per_termijn(
    world, api, na_pip, django_assert_max_num_queries
):
    client = api(world.werkcoach_a)
    url = f"/api/v1/dossiers/{world.dossier_a.uuid}/termijnen"
    assert len(client.get(url).json()) > 15  # 12 voortgangsgesprekken and more
    # 17: with the processing log's append and the actor's roles for its audit record
    with django_assert_max_num_queries(17):
        client.get(url)


def test_termijnen_of_another_gemeentes_dossier_are_404(world, api):
    met_brp(world.dossier_b, VANDAAG - timedelta(days=3))
    response = api(world.werkcoach_a).get(f"/api/v1/dossiers/{world.dossier_b.uuid}/termijnen")
    problem(response, 404)
    response = api(world.werkcoach_a).get(f"/api/v1/dossiers/{uuid.uuid4()}/termijnen")
    problem(response, 404)
    with scopes_disabled():
        t = Termijn.objects.filter(dossier=world.dossier_b).first()
    problem(api(world.werkcoach_a).get(f"/api/v1/termijnen/{t.uuid}"), 404)


@pytest.mark.parametrize(("role", "status"), [("begeleider_a", 403), ("beheerder_a", 404)])
def test_roles_without_termijn_permission_are_refused(world, api, role, status):
    """Rule: reading termijnen needs cases.view_termijn (not begeleiders, not beheerders).
    Issue 9 §3, the same refusal everywhere: visibility first, as in the UI — the begeleider
    sees dossier A (403: not allowed), the beheerder sees no dossier at all (404: not found;
    it was a 403 before any lookup, which confirmed nothing either)."""
    t = met_brp(world.dossier_a, VANDAAG - timedelta(days=3))["intake"]
    with scopes_disabled():  # the begeleider reaches dossier A (its clocks are computed)
        lopende_begeleiding(world.dossier_a, world.begeleider_a)
    client = api(getattr(world, role))
    problem(client.get(f"/api/v1/dossiers/{world.dossier_a.uuid}/termijnen"), status)
    problem(client.get(f"/api/v1/termijnen/{t.uuid}"), status)
    problem(verlengen(client, t, tot=str(VANDAAG + timedelta(days=60)), reden="x"), status)


def test_auditor_reads_but_cannot_write(world, api, na_pip):
    client = api(world.auditor_a)
    response = client.get(f"/api/v1/dossiers/{world.dossier_a.uuid}/termijnen")
    assert response.status_code == 200
    assert len(response.json()) > 0
    t = na_pip["inburgeringstermijn"]
    assert client.get(f"/api/v1/termijnen/{t.uuid}").json()["uuid"] == str(t.uuid)
    voor = staat(t)
    body = problem(verlengen(client, t, tot="2029-06-01", reden="Ziekte"), 403)
    assert body["detail"] == "Your role does not allow this action."
    problem(gehaald(client, na_pip["pvt"], datum="2026-06-01"), 403)
    assert staat(t) == voor
    assert staat(na_pip["pvt"])[1] == TermijnStatus.OPEN


# --- POST /termijnen/{uuid}/verlengen -------------------------------------------------------


def test_extend_records_the_extension_and_moves_the_due_date(world, api, na_pip):
    t = na_pip["inburgeringstermijn"]
    response = verlengen(
        api(world.werkcoach_a), t, tot="2029-06-01", reden="Langdurig ziek, medische verklaring"
    )
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    assert data["uitersteDatum"] == "2029-06-01"
    assert data["berekendeDatum"] == "2029-03-10"
    assert data["maxVerlengdTot"] == "2029-09-10"
    [v] = data["verlengingen"]
    assert (v["van"], v["tot"], v["reden"]) == (
        "2029-03-10",
        "2029-06-01",
        "Langdurig ziek, medische verklaring",
    )
    assert v["actor"] == str(world.werkcoach_a.uuid)
    assert v["actorNaam"]
    with scopes_disabled():
        verlenging = Verlenging.objects.get(termijn=t)
        assert (verlenging.tot_datum, verlenging.actor) == (date(2029, 6, 1), world.werkcoach_a)
        assert Termijn.objects.get(pk=t.pk).uiterste_datum == date(2029, 6, 1)


def test_policy_clock_extends_freely(world, api, na_pip):
    """A policy clock (voortgangsgesprek) is freely extendable with a reason."""
    t = na_pip["voortgangsgesprek"]
    nieuw = t.uiterste_datum + timedelta(days=30)
    response = verlengen(api(world.werkcoach_a), t, tot=nieuw.isoformat(), reden="Tolk ziek")
    assert response.status_code == 200, response.content[:500]
    assert response.json()["uitersteDatum"] == nieuw.isoformat()
    assert response.json()["maxVerlengdTot"] is None


@pytest.mark.parametrize("body", [{"tot": "2029-06-01"}, {"tot": "2029-06-01", "reden": "  "}])
def test_extension_without_reason_names_reden(world, api, na_pip, body):
    t = na_pip["inburgeringstermijn"]
    voor = staat(t)
    fouten = invalid(verlengen(api(world.werkcoach_a), t, **body))
    assert set(fouten) == {"reden"}
    assert "Awb art. 3:46" in fouten["reden"]
    assert staat(t) == voor


def test_extension_without_date_and_reason_names_both(world, api, na_pip):
    fouten = invalid(verlengen(api(world.werkcoach_a), na_pip["inburgeringstermijn"]))
    assert set(fouten) == {"tot", "reden"}


def test_extension_beyond_the_maximum_names_tot(world, api, na_pip):
    t = na_pip["inburgeringstermijn"]  # due 10 March 2029, policy default +6 months
    voor = staat(t)
    response = verlengen(api(world.werkcoach_a), t, tot="2029-09-11", reden="Ziekte")
    fouten = invalid(response)
    assert set(fouten) == {"tot"}
    assert "10-09-2029" in fouten["tot"]
    assert "Wi 2021 art. 7" in fouten["tot"]
    assert "Wi 2021 art. 7" in response.json()["detail"]
    assert staat(t) == voor


def test_extension_of_a_clock_the_law_does_not_extend_names_the_law(world, api):
    t = met_brp(world.dossier_a, VANDAAG - timedelta(days=3))["pip"]
    voor = staat(t)
    response = verlengen(
        api(world.werkcoach_a), t, tot=str(t.uiterste_datum + timedelta(days=14)), reden="Ziekte"
    )
    fouten = invalid(response)
    assert "cannot be extended" in fouten["tot"]
    assert "Wi 2021 art. 15" in fouten["tot"]  # the legal basis
    assert "Wi 2021 art. 15" in response.json()["detail"]
    assert staat(t) == voor


def test_extension_of_a_met_clock_is_refused_without_a_field(world, api, na_pip):
    t = na_pip["pip"]  # met on 10 March 2026
    response = verlengen(api(world.werkcoach_a), t, tot="2026-06-01", reden="Ziekte")
    fouten = invalid(response)
    assert set(fouten) == {"nonFieldErrors"}
    assert "only an open or overdue termijn can be extended" in fouten["nonFieldErrors"]
    assert "only an open or overdue termijn" in response.json()["detail"]


def test_extension_outside_visibility_is_404(world, api, na_pip):
    t = na_pip["inburgeringstermijn"]
    voor = staat(t)
    problem(verlengen(api(world.werkcoach_b), t, tot="2029-06-01", reden="Ziekte"), 404)
    problem(verlengen(api(world.werkcoach_a), Termijn(uuid=uuid.uuid4()), tot="2029-06-01"), 404)
    assert staat(t) == voor


# --- POST /termijnen/{uuid}/gehaald ---------------------------------------------------------


def test_mark_met(world, api, na_pip):
    t = na_pip["pvt"]
    response = gehaald(
        api(world.werkcoach_a), t, datum="2026-06-01", toelichting="PVT-verklaring getekend"
    )
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    assert (data["status"], data["gehaaldOp"], data["handmatigGehaald"], data["toelichting"]) == (
        TermijnStatus.GEHAALD,
        "2026-06-01",
        True,
        "PVT-verklaring getekend",
    )
    assert staat(t)[1:3] == (TermijnStatus.GEHAALD, date(2026, 6, 1))


def test_mark_met_in_the_future_names_datum(world, api, na_pip):
    t = na_pip["pvt"]
    voor = staat(t)
    fouten = invalid(gehaald(api(world.werkcoach_a), t, datum=str(VANDAAG + timedelta(days=1))))
    assert set(fouten) == {"datum"}
    assert "cannot be in the future" in fouten["datum"]
    fouten = invalid(gehaald(api(world.werkcoach_a), t))
    assert set(fouten) == {"datum"}
    fouten = invalid(gehaald(api(world.werkcoach_a), t, datum="not a date"))
    assert set(fouten) == {"datum"}
    assert staat(t) == voor


def test_mark_met_of_a_clock_met_by_a_fact_names_the_rule(world, api):
    t = met_brp(world.dossier_a, VANDAAG - timedelta(days=3))["intake"]
    voor = staat(t)
    response = gehaald(api(world.werkcoach_a), t, datum=str(VANDAAG))
    fouten = invalid(response)
    assert set(fouten) == {"nonFieldErrors"}
    assert "recording the fact itself" in fouten["nonFieldErrors"]
    assert "Wi 2021 art. 14" in response.json()["detail"]
    assert staat(t) == voor


# --- GET /signalen, POST /signalen/afhandelen -----------------------------------------------


@pytest.fixture
def signalen(world) -> dict[str, Signaal]:
    """An intake due in 8 days on dossiers A (werkcoach_a) and A2 (werkcoach_a2): one warning
    each after the sweep."""
    met_brp(world.dossier_a, VANDAAG - timedelta(days=20))
    met_brp(world.dossier_a2, VANDAAG - timedelta(days=20))
    with scopes_disabled():
        bewaking.sweep(peildatum=VANDAAG)
        return {s.ontvanger.username: s for s in Signaal.objects.select_related("ontvanger")}


def test_signals_lists_only_own_signals(world, api, signalen):
    assert set(signalen) == {"wc_a", "wc_a2"}
    response = api(world.werkcoach_a).get("/api/v1/signalen")
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    assert data["count"] == 1
    [s] = data["results"]
    eigen = signalen["wc_a"]
    assert s["uuid"] == str(eigen.uuid)
    assert s["soort"] == SignaalSoort.WAARSCHUWING
    assert s["uitersteDatum"] == (VANDAAG + timedelta(days=8)).isoformat()
    assert s["aangemaaktOp"]
    assert s["afgehandeldOp"] is None
    assert s["dossier"] == str(world.dossier_a.uuid)
    assert s["termijn"]["code"] == "intake"
    assert s["termijn"]["omschrijving"] == "Brede intake completed"
    with scopes_disabled():
        assert s["termijn"]["uuid"] == str(eigen.termijn.uuid)
    for user in (world.teamleider_a, world.auditor_a, world.werkcoach_b):
        assert api(user).get("/api/v1/signalen").json()["count"] == 0


def test_signal_filters(world, api, signalen):
    client = api(world.werkcoach_a)
    assert client.get("/api/v1/signalen", {"afgehandeld": "false"}).json()["count"] == 1
    assert client.get("/api/v1/signalen", {"afgehandeld": "true"}).json()["count"] == 0
    assert client.get("/api/v1/signalen", {"soort": "waarschuwing"}).json()["count"] == 1
    assert client.get("/api/v1/signalen", {"soort": "escalatie"}).json()["count"] == 0
    assert (
        client.get("/api/v1/signalen", {"dossier": str(world.dossier_a2.uuid)}).json()["count"] == 0
    )
    fouten = invalid(client.get("/api/v1/signalen", {"soort": "onzin"}))
    assert set(fouten) == {"soort"}


def test_handle_own_signals(world, api, signalen):
    client = api(world.werkcoach_a)
    eigen = signalen["wc_a"]
    response = client.post(
        "/api/v1/signalen/afhandelen", {"signalen": [str(eigen.uuid)]}, format="json"
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {"afgehandeld": 1}
    with scopes_disabled():
        eigen.refresh_from_db()
        assert eigen.afgehandeld_op is not None
        assert eigen.afgehandeld_door == world.werkcoach_a
        assert Signaal.objects.get(pk=signalen["wc_a2"].pk).afgehandeld_op is None
    [s] = client.get("/api/v1/signalen", {"afgehandeld": "true"}).json()["results"]
    assert s["afgehandeldOp"]
    again = client.post(
        "/api/v1/signalen/afhandelen", {"signalen": [str(eigen.uuid)]}, format="json"
    )
    assert again.json() == {"afgehandeld": 0}


def test_someone_elses_or_unknown_signal_refuses_the_whole_request(world, api, signalen):
    """Issue 9 §3, the same refusal everywhere (was a 400 here, a 403 in the UI): someone
    else's signal on a dossier the caller sees is a 403, one the caller does not reach
    (unknown, another gemeente) a 404 — as in the UI (tests/test_refusals.py)."""
    client = api(world.werkcoach_a)
    eigen, ander = signalen["wc_a"], signalen["wc_a2"]
    for lijst, status in (
        ([ander.uuid], 403),
        ([eigen.uuid, ander.uuid], 403),
        ([eigen.uuid, uuid.uuid4()], 404),
    ):
        response = client.post(
            "/api/v1/signalen/afhandelen", {"signalen": [str(u) for u in lijst]}, format="json"
        )
        problem(response, status)
    response = api(world.werkcoach_b).post(
        "/api/v1/signalen/afhandelen", {"signalen": [str(eigen.uuid)]}, format="json"
    )
    problem(response, 404)
    leeg = client.post("/api/v1/signalen/afhandelen", {"signalen": []}, format="json")
    assert set(invalid(leeg)) == {"signalen"}
    with scopes_disabled():
        assert not Signaal.objects.filter(afgehandeld_op__isnull=False).exists()


def test_auditor_cannot_handle_signals(world, api, signalen):
    response = api(world.auditor_a).post(
        "/api/v1/signalen/afhandelen", {"signalen": [str(signalen["wc_a"].uuid)]}, format="json"
    )
    problem(response, 403)


# --- schema ---------------------------------------------------------------------------------


def test_committed_schema_documents_the_termijn_endpoints():
    """Rule: openapi.yaml types the new endpoints, their filters and problem responses."""
    schema = yaml.safe_load((settings.BASE_DIR / "openapi.yaml").read_text())
    paths = schema["paths"]
    lijst = paths["/dossiers/{uuid}/termijnen"]["get"]["responses"]["200"]
    assert lijst["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Termijn"
    }
    for actie in ("verlengen", "gehaald"):
        responses = paths[f"/termijnen/{{uuid}}/{actie}"]["post"]["responses"]
        assert {"200", "400", "403", "404"} <= set(responses)
        assert responses["400"]["content"][PROBLEM]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }
    signaal_params = {p["name"] for p in paths["/signalen"]["get"]["parameters"]}
    assert {"afgehandeld", "soort", "page", "pageSize"} <= signaal_params
    assert "400" in paths["/signalen/afhandelen"]["post"]["responses"]
    termijn = schema["components"]["schemas"]["Termijn"]["properties"]
    assert {"uitersteDatum", "berekendeDatum", "maxVerlengdTot", "verlengingen"} <= set(termijn)
    assert "invalidParams" in schema["components"]["schemas"]["Problem"]["properties"]
