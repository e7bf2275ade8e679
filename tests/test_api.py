"""The REST API (/api/v1/): authentication, the access policy per role across two gemeenten,
NL API Design Rules (camelCase, problem+json, API-Version), validation through the services,
refused writes, history, phases, BSN search as a POST and the committed OpenAPI schema."""

from __future__ import annotations

import difflib
import gc
import itertools
import os
import subprocess
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import timezone
from django_scopes import get_scope, scopes_disabled
from django_scopes.state import state as scope_state

from cases import rules, services, tijdlijn
from cases.constants import Doelgroep, Fase
from cases.models import Dossier, Gebeurtenis, Inburgeraar
from inburgering.accounts.constants import Rol

from .factories import DossierFactory, team, user_met_rol
from .klok import vandaag_fixture

# Every date in this module is relative to this day (issue 8: no test on the wall clock).
VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)

PROBLEM = "application/problem+json"
BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _no_scope_left_behind():
    """Some tests below reveal a scope leak after a server error; do not let it spill into
    later tests (which expect ScopeError outside a scope)."""
    yield
    gc.collect()
    scope_state.set(None)


def _bsns():
    for n in itertools.count(812345670):
        if rules.is_valid_bsn(str(n)):
            yield str(n)


_BSN = _bsns()


def new_bsn() -> str:
    return next(_BSN)


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return rules.add_years_months(today, -years) - timedelta(days=days)


def invalid_names(response) -> set[str]:
    return {p["name"] for p in response.json()["invalidParams"]}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:1000]
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    return body


def snapshot() -> dict[str, int]:
    """Row counts of everything an API write could touch."""
    with scopes_disabled():
        return {
            "inburgeraars": Inburgeraar.objects.count(),
            "dossiers": Dossier.objects.count(),
            "inburgeraar_history": Inburgeraar.history.count(),
            "dossier_history": Dossier.history.count(),
            "gebeurtenissen": Gebeurtenis.objects.count(),
        }


def uuids(response) -> set[str]:
    assert response.status_code == 200, response.content[:1000]
    body = response.json()
    assert body["count"] == len(body["results"])
    return {row["uuid"] for row in body["results"]}


# --------------------------------------------------------------------------------------------
# 1. Authentication and the API-Version header
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/dossiers", "/api/v1/inburgeraars"])
def test_anonymous_request_is_refused_as_problem_json(world, client, url):
    """Rule: the API requires credentials and answers 401/403 as problem+json, no redirect."""
    response = client.get(url)
    assert response.status_code in (401, 403), response.status_code
    body = assert_problem(response, response.status_code)
    assert body["instance"] == url
    assert "results" not in body
    assert response["API-Version"] == settings.API_VERSION


def test_bad_token_is_refused(world):
    """Rule: an unknown token authenticates nobody."""
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = c.get("/api/v1/dossiers")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith(PROBLEM)


def test_token_authenticates_and_api_version_header_is_set(world, api):
    """Rule: a valid token gives access; every API response carries API-Version."""
    response = api(world.werkcoach_a).get("/api/v1/dossiers")
    assert response.status_code == 200
    assert response["API-Version"] == settings.API_VERSION == "1.0.0"
    not_found = api(world.werkcoach_a).get("/api/v1/dossiers/00000000-0000-0000-0000-000000000000")
    assert_problem(not_found, 404)
    assert not_found["API-Version"] == settings.API_VERSION


def test_api_version_header_only_on_api(world, login):
    """Rule: API-Version belongs to the API, not to the HTML pages."""
    client = login(world.werkcoach_a)
    assert client.get("/dossiers/").status_code == 200
    assert "API-Version" not in client.get("/dossiers/")


# --------------------------------------------------------------------------------------------
# 2. Visibility per role across two gemeenten
# --------------------------------------------------------------------------------------------

ALL_DOSSIERS = ("dossier_a", "dossier_a2", "dossier_b")
VISIBILITY = {
    "werkcoach_a": {"dossier_a", "dossier_a2"},
    "werkcoach_a2": {"dossier_a", "dossier_a2"},
    "teamleider_a": {"dossier_a", "dossier_a2"},
    "auditor_a": {"dossier_a", "dossier_a2"},
    "begeleider_a": {"dossier_a"},
    "begeleider_a2": {"dossier_a2"},
    "partner_auditor_a": {"dossier_a", "dossier_a2"},
    "beheerder_a": set(),
    "werkcoach_b": {"dossier_b"},
}


@pytest.mark.parametrize(("role", "visible"), VISIBILITY.items())
def test_dossier_list_shows_exactly_the_visible_dossiers(world, api, role, visible):
    """Rule: the dossier list is the access policy's set for the role, nothing more or less."""
    response = api(getattr(world, role)).get("/api/v1/dossiers")
    assert uuids(response) == {str(getattr(world, d).uuid) for d in visible}


@pytest.mark.parametrize(("role", "visible"), VISIBILITY.items())
def test_dossier_detail_is_404_outside_visibility(world, api, role, visible):
    """Rule: a dossier outside the user's visibility is 404 (not 403) and leaks no data."""
    client = api(getattr(world, role))
    for name in ALL_DOSSIERS:
        dossier = getattr(world, name)
        response = client.get(f"/api/v1/dossiers/{dossier.uuid}")
        if name in visible:
            assert response.status_code == 200, (role, name)
            assert response.json()["uuid"] == str(dossier.uuid)
            assert response.json()["inburgeraarNaam"] == dossier.inburgeraar.volledige_naam
        else:
            assert_problem(response, 404)
            text = response.content.decode()
            assert dossier.inburgeraar.achternaam not in text, (role, name)
            assert dossier.inburgeraar.bsn not in text
            assert dossier.gemeente.naam not in text


def test_werkcoach_cross_gemeente_detail_is_404(world, api):
    """Rule: werkcoach_a cannot reach dossier_b and werkcoach_b cannot reach dossier_a."""
    r1 = api(world.werkcoach_a).get(f"/api/v1/dossiers/{world.dossier_b.uuid}")
    r2 = api(world.werkcoach_b).get(f"/api/v1/dossiers/{world.dossier_a.uuid}")
    for response, dossier in ((r1, world.dossier_b), (r2, world.dossier_a)):
        assert_problem(response, 404)
        assert dossier.inburgeraar.volledige_naam not in response.content.decode()
        assert dossier.inburgeraar.bsn not in response.content.decode()


@pytest.mark.parametrize(("role", "visible"), VISIBILITY.items())
def test_inburgeraar_list_and_detail_follow_dossier_visibility(world, api, role, visible):
    """Rule: a person is visible exactly when one of their dossiers is."""
    client = api(getattr(world, role))
    expected = {str(getattr(world, d).inburgeraar.uuid) for d in visible}
    assert uuids(client.get("/api/v1/inburgeraars")) == expected
    for name in ALL_DOSSIERS:
        persoon = getattr(world, name).inburgeraar
        response = client.get(f"/api/v1/inburgeraars/{persoon.uuid}")
        if name in visible:
            assert response.status_code == 200
            # partner roles read the BSN masked (issue 8, defect 4): last three digits only
            partner = role in ("begeleider_a", "begeleider_a2", "partner_auditor_a")
            verwacht = "******" + persoon.bsn[-3:] if partner else persoon.bsn
            assert response.json()["bsn"] == verwacht
        else:
            assert_problem(response, 404)
            assert persoon.bsn not in response.content.decode()
            assert persoon.achternaam not in response.content.decode()


# --------------------------------------------------------------------------------------------
# 3. camelCase
# --------------------------------------------------------------------------------------------


def test_responses_use_camel_case(world, api):
    """Rule: NL API Design Rules — field names in camelCase."""
    client = api(world.werkcoach_a)
    dossier = client.get(f"/api/v1/dossiers/{world.dossier_a.uuid}").json()
    assert {"datumKoppeling", "inburgeraarNaam", "datumBrpInschrijving", "vorigDossier"} <= set(
        dossier
    )
    assert not any("_" in key for key in dossier)
    assert dossier["datumKoppeling"] == world.dossier_a.datum_koppeling.isoformat()
    persoon = client.get(f"/api/v1/inburgeraars/{world.dossier_a.inburgeraar.uuid}").json()
    assert persoon["volledigeNaam"] == world.dossier_a.inburgeraar.volledige_naam
    assert {"tolkNodig", "tolkTaal"} <= set(persoon)
    assert not any("_" in key for key in persoon)


def test_camel_case_accepted_on_input(world, api):
    """Rule: camelCase field names are accepted on input (datumHuisvesting)."""
    datum = timezone.localdate() - timedelta(days=10)
    response = api(world.werkcoach_a).patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}",
        {"datumHuisvesting": datum.isoformat(), "coaReferentie": "COA-42"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["datumHuisvesting"] == datum.isoformat()
    with scopes_disabled():
        world.dossier_a.refresh_from_db()
    assert world.dossier_a.datum_huisvesting == datum
    assert world.dossier_a.coa_referentie == "COA-42"


# --------------------------------------------------------------------------------------------
# 4. Filters and pagination
# --------------------------------------------------------------------------------------------


@pytest.fixture
def many(world):
    """30 extra dossiers in gemeente A: 20 coupled, 4 in intake, 3 closed, 3 gezinsmigranten."""
    with scopes_disabled():
        DossierFactory.create_batch(20, gemeente=world.gemeente_a)
        DossierFactory.create_batch(4, gemeente=world.gemeente_a, in_intake=True)
        DossierFactory.create_batch(
            3,
            gemeente=world.gemeente_a,
            fase=Fase.AFGEROND,
            datum_afgesloten=timezone.localdate(),
        )
        DossierFactory.create_batch(
            3,
            gemeente=world.gemeente_a,
            fase=Fase.AANGEMELD,
            datum_koppeling=None,
            inburgeraar__doelgroep=Doelgroep.GEZINSMIGRANT,
        )
    return world


def test_pagination_with_page_size(many, api):
    """Rule: pageSize limits the page; count and next describe the whole list; a page can be
    asked for by number."""
    client = api(many.teamleider_a)
    body = client.get("/api/v1/dossiers", {"pageSize": 10}).json()
    assert body["count"] == 32
    assert len(body["results"]) == 10
    assert "cursor=" in body["next"]
    assert "pageSize=10" in body["next"]
    assert body["previous"] is None
    seen = {row["uuid"] for row in body["results"]}
    last = client.get("/api/v1/dossiers", {"pageSize": 10, "page": 4}).json()
    assert len(last["results"]) == 2
    assert last["next"] is None
    assert last["previous"] is not None
    assert seen.isdisjoint({row["uuid"] for row in last["results"]})


def test_keyset_pagination_walks_the_whole_list(many, api, django_assert_num_queries):
    """Issue 15: next and previous carry a cursor (keyset, no OFFSET): following next visits
    every dossier once in the list's order, previous comes back to the same page, the count is
    that of the first page, and every cursor page costs the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(many.teamleider_a)
    by_number = []
    for page in (1, 2, 3, 4):
        by_number += [r["uuid"] for r in client.get(
            "/api/v1/dossiers", {"pageSize": 10, "page": page}).json()["results"]]  # fmt: skip
    body = client.get("/api/v1/dossiers", {"pageSize": 10}).json()
    walked = [r["uuid"] for r in body["results"]]
    pages = [body]
    queries = []
    while body["next"]:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(body["next"]).json()
        assert body["count"] == 32
        queries.append(len(ctx))
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "OFFSET" not in sql and "COUNT(" not in sql.upper()
        walked += [r["uuid"] for r in body["results"]]
        pages.append(body)
    assert walked == by_number and len(set(walked)) == 32
    assert len(set(queries)) == 1, queries
    # back from the last page: the third page again
    back = client.get(pages[-1]["previous"]).json()
    assert [r["uuid"] for r in back["results"]] == [r["uuid"] for r in pages[2]["results"]]
    assert back["next"] and back["previous"]
    # the cursor names no one: a uuid in a signed token, never a surname
    with scopes_disabled():
        names = dict(Dossier.objects.values_list("uuid", "inburgeraar__achternaam"))
    for p in pages[:-1]:
        last_name = names[uuid.UUID(p["results"][-1]["uuid"])]
        assert last_name and last_name not in p["next"]


def test_keyset_cursor_refusals(many, api):
    """A cursor not made by the server, or one whose row has left the list, is a 400 naming
    the cursor parameter — never a 500 or another list."""
    client = api(many.teamleider_a)
    first = client.get("/api/v1/dossiers", {"pageSize": 10}).json()
    forged = client.get("/api/v1/dossiers", {"pageSize": 10, "cursor": "abc:def"})
    assert forged.status_code == 400
    assert "cursor" in str(forged.json())
    # the row the cursor starts after is closed and filtered out of the list it came from
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    from urllib.parse import unquote

    open_only = client.get("/api/v1/dossiers", {"pageSize": 10, "open": "true"}).json()
    last_open = open_only["results"][-1]["uuid"]
    with scopes_disabled():
        Dossier.objects.filter(uuid=last_open).update(fase=Fase.AFGEROND)
    gone = client.get(open_only["next"])
    assert gone.status_code == 400
    assert "cursor" in str(gone.json())
    assert (
        client.get("/api/v1/dossiers", {"pageSize": 10, "cursor": unquote(cursor)}).status_code
        == 200
    )


def test_default_page_size(many, api):
    """Rule: without pageSize the default page of 25 applies."""
    body = api(many.teamleider_a).get("/api/v1/dossiers").json()
    assert body["count"] == 32
    assert len(body["results"]) == 25


def test_filter_fase(many, api):
    """Rule: ?fase= filters on phase."""
    body = api(many.teamleider_a).get("/api/v1/dossiers", {"fase": "intake"}).json()
    assert body["count"] == 4
    assert {row["fase"] for row in body["results"]} == {"intake"}


def test_filter_open(many, api):
    """Rule: ?open=false gives the closed dossiers, ?open=true the open ones."""
    client = api(many.teamleider_a)
    closed = client.get("/api/v1/dossiers", {"open": "false"}).json()
    assert closed["count"] == 3
    assert {row["fase"] for row in closed["results"]} == {"afgerond"}
    assert client.get("/api/v1/dossiers", {"open": "true"}).json()["count"] == 29


def test_filter_doelgroep(many, api):
    """Rule: ?doelgroep= filters on the person's target group."""
    body = api(many.teamleider_a).get("/api/v1/dossiers", {"doelgroep": "gezinsmigrant"}).json()
    assert body["count"] == 3
    with scopes_disabled():
        expected = {
            str(u)
            for u in Dossier.objects.filter(
                inburgeraar__doelgroep=Doelgroep.GEZINSMIGRANT
            ).values_list("uuid", flat=True)
        }
    assert {row["uuid"] for row in body["results"]} == expected


def test_filter_gemeente(many, api):
    """Rule: ?gemeente=<uuid> narrows a team serving two gemeenten to one of them."""
    with scopes_disabled():
        team_ab = team(many.gemeente_a, many.gemeente_b)
        leider = user_met_rol(Rol.TEAMLEIDER, team_ab, username="tl_ab")
    client = api(leider)
    assert client.get("/api/v1/dossiers").json()["count"] == 33
    only_b = client.get("/api/v1/dossiers", {"gemeente": str(many.gemeente_b.uuid)}).json()
    assert {row["uuid"] for row in only_b["results"]} == {str(many.dossier_b.uuid)}
    only_a = client.get("/api/v1/dossiers", {"gemeente": str(many.gemeente_a.uuid)}).json()
    assert only_a["count"] == 32


def test_filter_cannot_widen_visibility(many, api):
    """Rule: filtering on another gemeente never shows its dossiers."""
    body = api(many.teamleider_a).get("/api/v1/dossiers", {"gemeente": str(many.gemeente_b.uuid)})
    assert body.json()["count"] == 0


# --------------------------------------------------------------------------------------------
# 5. Creating persons and dossiers
# --------------------------------------------------------------------------------------------


def aanmelding(world, **overrides):
    data = {
        "bsn": new_bsn(),
        "voornamen": "Amal",
        "achternaam": "Haddad",
        "geboortedatum": years_ago(30).isoformat(),
        "nationaliteit": "Syrisch",
        "doelgroep": "asielmigrant",
        "gemeente": str(world.gemeente_a.uuid),
        "fase": "gekoppeld",
        "werkcoach": str(world.werkcoach_a.uuid),
        "datumKoppeling": (timezone.localdate() - timedelta(days=5)).isoformat(),
        "coaReferentie": "COA-1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_inburgeraar_with_dossier(world, api):
    """Rule: POST /inburgeraars registers the person with an open dossier; history has the actor."""
    data = aanmelding(world)
    response = api(world.werkcoach_a).post("/api/v1/inburgeraars", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["volledigeNaam"] == "Amal Haddad"
    assert body["bsn"] == data["bsn"]
    with scopes_disabled():
        persoon = Inburgeraar.objects.get(uuid=body["uuid"])
        assert persoon.bsn == data["bsn"]
        dossiers = list(persoon.dossiers.all())
        assert len(dossiers) == 1
        dossier = dossiers[0]
        assert dossier.is_open
        assert dossier.fase == Fase.GEKOPPELD
        assert dossier.gemeente == world.gemeente_a
        assert dossier.werkcoach == world.werkcoach_a
        assert dossier.datum_koppeling.isoformat() == data["datumKoppeling"]
        assert dossier.coa_referentie == "COA-1"
        assert [h.history_user for h in dossier.history.all()] == [world.werkcoach_a]
        person_history = list(persoon.history.all())
        assert person_history
        assert {h.history_user for h in person_history} == {world.werkcoach_a}
        assert Gebeurtenis.objects.filter(
            dossier=dossier, soort=tijdlijn.DOSSIER_AANGEMAAKT, actor=world.werkcoach_a
        ).exists()
    # and the new person is now visible through the API
    listed = api(world.werkcoach_a).get("/api/v1/inburgeraars")
    assert body["uuid"] in uuids(listed)


def test_create_dossier_for_person_with_closed_dossier(world, api):
    """Rule: a person whose only dossier is closed may get a new (open) dossier."""
    with scopes_disabled():
        oud = DossierFactory(
            gemeente=world.gemeente_a, fase=Fase.AFGEROND, datum_afgesloten=timezone.localdate()
        )
    response = api(world.werkcoach_a).post(
        "/api/v1/dossiers",
        {
            "inburgeraar": str(oud.inburgeraar.uuid),
            "gemeente": str(world.gemeente_a.uuid),
            "fase": "aangemeld",
            "werkcoach": str(world.werkcoach_a2.uuid),
            "reden": "Opnieuw aangemeld",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["inburgeraar"] == str(oud.inburgeraar.uuid)
    assert body["fase"] == "aangemeld"
    with scopes_disabled():
        nieuw = Dossier.objects.get(uuid=body["uuid"])
        assert nieuw.is_open
        assert nieuw.werkcoach == world.werkcoach_a2
        assert oud.inburgeraar.dossiers.count() == 2
        record = nieuw.history.get()
        assert record.history_user == world.werkcoach_a
        assert record.history_change_reason == "Opnieuw aangemeld"


def test_create_second_open_dossier_via_dossiers_is_refused(world, api):
    """Rule: at most one open dossier per person, also through POST /dossiers."""
    before = snapshot()
    response = api(world.werkcoach_a).post(
        "/api/v1/dossiers",
        {
            "inburgeraar": str(world.dossier_a.inburgeraar.uuid),
            "gemeente": str(world.gemeente_a.uuid),
        },
        format="json",
    )
    body = assert_problem(response, 400)
    assert any("open dossier" in p["reason"] for p in body["invalidParams"]), body
    assert snapshot() == before


# --------------------------------------------------------------------------------------------
# 6. Bad input: 400 problem+json, field named, nothing saved
# --------------------------------------------------------------------------------------------


def _gemeente_b(world):
    return str(world.gemeente_b.uuid)


BAD_INPUT = {
    "invalid_bsn": (lambda w: {"bsn": "123456789"}, "bsn"),
    "intake_without_brp": (
        lambda w: {"fase": "intake", "doelgroep": "gezinsmigrant", "datumKoppeling": None},
        "datumBrpInschrijving",
    ),
    "age_15": (
        lambda w: {
            "geboortedatum": years_ago(15).isoformat(),
            "fase": "aangemeld",
            "datumKoppeling": None,
        },
        "geboortedatum",
    ),
    "older_than_aow": (
        lambda w: {"geboortedatum": years_ago(68).isoformat()},
        "geboortedatum",
    ),
    "werkcoach_of_team_b": (lambda w: {"werkcoach": str(w.werkcoach_b.uuid)}, "werkcoach"),
    "gemeente_not_served": (lambda w: {"gemeente": _gemeente_b(w)}, "gemeente"),
}


@pytest.mark.parametrize(("case", "field"), [(k, v[1]) for k, v in BAD_INPUT.items()])
def test_bad_input_is_400_problem_and_nothing_saved(world, api, case, field):
    """Rule: invalid input is refused as 400 problem+json naming the camelCase field, and the
    whole registration is rolled back."""
    data = aanmelding(world, **BAD_INPUT[case][0](world))
    before = snapshot()
    response = api(world.werkcoach_a).post("/api/v1/inburgeraars", data, format="json")
    body = assert_problem(response, 400)
    assert field in invalid_names(response), body
    for param in body["invalidParams"]:
        assert {"name", "code", "reason"} <= set(param)
        assert "_" not in param["name"]
    assert snapshot() == before
    with scopes_disabled():
        assert not Inburgeraar.objects.filter(bsn=data["bsn"]).exists()


def test_duplicate_open_dossier_elsewhere_is_refused(world, api):
    """Rule: a person with an open dossier (even in an invisible gemeente) cannot be registered
    again; the error names bsn and reveals nothing about the other dossier."""
    persoon_b = world.dossier_b.inburgeraar
    before = snapshot()
    response = api(world.werkcoach_a).post(
        "/api/v1/inburgeraars", aanmelding(world, bsn=persoon_b.bsn), format="json"
    )
    body = assert_problem(response, 400)
    assert invalid_names(response) == {"bsn"}
    text = response.content.decode()
    assert world.gemeente_b.naam not in text
    assert persoon_b.achternaam not in text
    assert snapshot() == before
    with scopes_disabled():
        persoon_b.refresh_from_db()
        assert persoon_b.voornamen != "Amal"
        assert persoon_b.dossiers.count() == 1
    assert body["title"]


def test_bsn_with_spaces_is_normalised(world, api):
    """Rule: BSNs typed with spaces or dots are normalised before the elfproef."""
    bsn = new_bsn()
    spaced = f"{bsn[:4]} {bsn[4:6]}.{bsn[6:]}"
    response = api(world.werkcoach_a).post(
        "/api/v1/inburgeraars", aanmelding(world, bsn=spaced), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["bsn"] == bsn


# --------------------------------------------------------------------------------------------
# 7. Writes refused
# --------------------------------------------------------------------------------------------


def test_auditor_cannot_write(world, api):
    """Rule: an auditor reads, never writes (403, nothing changes)."""
    client = api(world.auditor_a)
    before = snapshot()
    r1 = client.post("/api/v1/inburgeraars", aanmelding(world), format="json")
    assert_problem(r1, 403)
    r2 = client.patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}",
        {"werkcoach": str(world.werkcoach_a2.uuid)},
        format="json",
    )
    assert_problem(r2, 403)
    r3 = client.post(f"/api/v1/dossiers/{world.dossier_a.uuid}/fase", {"fase": "beeindigd"})
    assert_problem(r3, 403)
    r4 = client.patch(
        f"/api/v1/inburgeraars/{world.dossier_a.inburgeraar.uuid}",
        {"achternaam": "Gewijzigd"},
        format="json",
    )
    assert_problem(r4, 403)
    assert snapshot() == before
    with scopes_disabled():
        world.dossier_a.refresh_from_db()
        world.dossier_a.inburgeraar.refresh_from_db()
    assert world.dossier_a.werkcoach == world.werkcoach_a
    assert world.dossier_a.fase == Fase.GEKOPPELD
    assert world.dossier_a.inburgeraar.achternaam != "Gewijzigd"


def test_begeleider_cannot_change_dossier(world, api):
    """Rule: a begeleider sees their dossier but may not change it (403)."""
    before = snapshot()
    response = api(world.begeleider_a).patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}",
        {"werkcoach": str(world.werkcoach_a2.uuid)},
        format="json",
    )
    assert_problem(response, 403)
    assert snapshot() == before
    with scopes_disabled():
        world.dossier_a.refresh_from_db()
    assert world.dossier_a.werkcoach == world.werkcoach_a


def test_werkcoach_cannot_change_other_gemeente(world, api):
    """Rule: a dossier outside the user's gemeenten is 404 for writes too."""
    before = snapshot()
    response = api(world.werkcoach_a).patch(
        f"/api/v1/dossiers/{world.dossier_b.uuid}",
        {"werkcoach": str(world.werkcoach_a.uuid)},
        format="json",
    )
    assert_problem(response, 404)
    assert snapshot() == before
    with scopes_disabled():
        world.dossier_b.refresh_from_db()
    assert world.dossier_b.werkcoach == world.werkcoach_b


def test_patch_ignores_read_only_phase_and_gemeente(world, api):
    """Rule: phase and gemeente are read-only on update (they have their own actions): a PATCH
    carrying them changes only the writable fields, and never fails with a server error."""
    client = api(world.werkcoach_a)
    client.raise_request_exception = False
    response = client.patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}",
        {"fase": "inburgering", "gemeente": str(world.gemeente_a.uuid), "coaReferentie": "X-1"},
        format="json",
    )
    assert response.status_code == 200, response.content[:500]
    with scopes_disabled():
        world.dossier_a.refresh_from_db()
    assert world.dossier_a.fase == Fase.GEKOPPELD
    assert world.dossier_a.gemeente == world.gemeente_a
    assert world.dossier_a.coa_referentie == "X-1"


def test_unexpected_error_leaves_no_tenancy_scope_behind(world, api, monkeypatch):
    """Rule: the tenancy scope an API view activates ends with the request, also when the view
    fails with an unexpected error — otherwise the thread keeps a gemeente scope and later code
    (another request, a command) runs silently scoped instead of raising ScopeError."""

    def boom(**kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(services, "dossier_update", boom)
    client = api(world.werkcoach_a)
    client.raise_request_exception = False
    response = client.patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}", {"coaReferentie": "X"}, format="json"
    )
    assert response.status_code == 500
    del response, client  # drop the traceback (and the view) the test client keeps
    gc.collect()  # an abandoned scope generator restores its saved state when collected
    assert "gemeente" not in get_scope(), get_scope()


# --------------------------------------------------------------------------------------------
# 8. Reassignment with history and timeline
# --------------------------------------------------------------------------------------------


def test_reassign_werkcoach_records_history_and_event(world, api):
    """Rule: a change carries the actor and reason in history and appears on the timeline."""
    response = api(world.werkcoach_a).patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}",
        {"werkcoach": str(world.werkcoach_a2.uuid), "reden": "Vakantie werkcoach"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["werkcoach"] == str(world.werkcoach_a2.uuid)
    with scopes_disabled():
        dossier = Dossier.objects.get(pk=world.dossier_a.pk)
        assert dossier.werkcoach == world.werkcoach_a2
        latest = dossier.history.first()
        assert latest.history_change_reason == "Vakantie werkcoach"
        assert latest.history_user == world.werkcoach_a
        assert latest.werkcoach_id == world.werkcoach_a2.pk
        event = Gebeurtenis.objects.get(dossier=dossier, soort=tijdlijn.DOSSIER_TOEGEWEZEN)
        assert event.actor == world.werkcoach_a
        assert event.gegevens["reden"] == "Vakantie werkcoach"


def test_reassign_to_werkcoach_of_other_team_is_refused(world, api):
    """Rule: the werkcoach's team must serve the dossier's gemeente (400, field werkcoach)."""
    before = snapshot()
    response = api(world.werkcoach_a).patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}",
        {"werkcoach": str(world.werkcoach_b.uuid)},
        format="json",
    )
    assert_problem(response, 400)
    assert invalid_names(response) == {"werkcoach"}
    assert snapshot() == before
    with scopes_disabled():
        world.dossier_a.refresh_from_db()
    assert world.dossier_a.werkcoach == world.werkcoach_a


# --------------------------------------------------------------------------------------------
# 9. Phase changes
# --------------------------------------------------------------------------------------------


@pytest.fixture
def intake_dossier(world):
    with scopes_disabled():
        return DossierFactory(
            gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, in_intake=True
        )


def test_phase_forward(world, api, intake_dossier):
    """Rule: a phase moves forward, with a reason, once the fact it stands on is recorded (the
    PIP phase: a completed brede intake, Wi 2021 art. 14 — issue 8, defect 3); the change is
    recorded on the timeline."""
    from pip_plans.models import BredeIntake

    with scopes_disabled():
        BredeIntake.objects.create(dossier=intake_dossier, datum_afgerond=timezone.localdate())
    response = api(world.werkcoach_a).post(
        f"/api/v1/dossiers/{intake_dossier.uuid}/fase",
        {"fase": "pip", "reden": "Intake afgerond"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["fase"] == "pip"
    with scopes_disabled():
        intake_dossier.refresh_from_db()
        assert intake_dossier.fase == Fase.PIP
        assert Gebeurtenis.objects.filter(
            dossier=intake_dossier, soort=tijdlijn.DOSSIER_FASE, actor=world.werkcoach_a
        ).exists()
        assert intake_dossier.history.first().history_user == world.werkcoach_a


def test_phase_backwards_is_refused(world, api, intake_dossier):
    """Rule: a phase never goes back (400, field fase)."""
    before = snapshot()
    response = api(world.werkcoach_a).post(
        f"/api/v1/dossiers/{intake_dossier.uuid}/fase",
        {"fase": "gekoppeld", "reden": "Terug"},
        format="json",
    )
    assert_problem(response, 400)
    assert invalid_names(response) == {"fase"}
    assert snapshot() == before
    with scopes_disabled():
        intake_dossier.refresh_from_db()
    assert intake_dossier.fase == Fase.INTAKE


def test_phase_verhuisd_is_refused(world, api, intake_dossier):
    """Rule: 'verhuisd' is only reached through relocation (400, field fase)."""
    before = snapshot()
    response = api(world.werkcoach_a).post(
        f"/api/v1/dossiers/{intake_dossier.uuid}/fase",
        {"fase": "verhuisd", "reden": "Verhuisd"},
        format="json",
    )
    assert_problem(response, 400)
    assert "fase" in invalid_names(response)
    assert snapshot() == before


def test_phase_forward_without_required_date_is_refused(world, api):
    """Rule: an asielmigrant cannot be 'gehuisvest' without a housing date."""
    before = snapshot()
    response = api(world.werkcoach_a).post(
        f"/api/v1/dossiers/{world.dossier_a.uuid}/fase",
        {"fase": "gehuisvest", "reden": "Woning"},
        format="json",
    )
    assert_problem(response, 400)
    assert "datumHuisvesting" in invalid_names(response)
    assert snapshot() == before
    with scopes_disabled():
        world.dossier_a.refresh_from_db()
    assert world.dossier_a.fase == Fase.GEKOPPELD


def test_phase_of_invisible_dossier_is_404(world, api):
    """Rule: phase changes on another gemeente's dossier are 404."""
    response = api(world.werkcoach_a).post(
        f"/api/v1/dossiers/{world.dossier_b.uuid}/fase", {"fase": "gehuisvest"}, format="json"
    )
    assert_problem(response, 404)


# --------------------------------------------------------------------------------------------
# 10. BSN search is a POST; no BSN in any URI
# --------------------------------------------------------------------------------------------


def test_bsn_search_finds_visible_person(world, api):
    """Rule: search by BSN is a POST and returns the visible person."""
    persoon = world.dossier_a.inburgeraar
    response = api(world.werkcoach_a).post(
        "/api/v1/inburgeraars/zoeken", {"bsn": persoon.bsn}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [row["uuid"] for row in body] == [str(persoon.uuid)]
    assert body[0]["volledigeNaam"] == persoon.volledige_naam


def test_bsn_search_does_not_cross_gemeenten(world, api):
    """Rule: a BSN search never finds a person outside the user's visibility."""
    response = api(world.werkcoach_b).post(
        "/api/v1/inburgeraars/zoeken", {"bsn": world.dossier_a.inburgeraar.bsn}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == []


def test_bsn_search_rejects_invalid_bsn(world, api):
    """Rule: the search validates the BSN (400 naming bsn)."""
    response = api(world.werkcoach_a).post(
        "/api/v1/inburgeraars/zoeken", {"bsn": "123456789"}, format="json"
    )
    assert_problem(response, 400)
    assert invalid_names(response) == {"bsn"}


def test_bsn_search_by_get_is_not_allowed(world, api):
    """Rule: no GET variant of the BSN search (the BSN would land in a URI)."""
    bsn = world.dossier_a.inburgeraar.bsn
    response = api(world.werkcoach_a).get("/api/v1/inburgeraars/zoeken", {"bsn": bsn})
    assert_problem(response, 405)
    assert bsn not in response.content.decode()


def test_list_endpoints_ignore_bsn_query(world, api):
    """Rule: the lists offer no bsn filter — a ?bsn= query narrows nothing."""
    client = api(world.werkcoach_a)
    bsn = world.dossier_a.inburgeraar.bsn
    assert uuids(client.get("/api/v1/inburgeraars", {"bsn": bsn})) == uuids(
        client.get("/api/v1/inburgeraars")
    )
    assert len(uuids(client.get("/api/v1/dossiers", {"bsn": bsn}))) == 2


def _schema(api, world) -> dict:
    response = api(world.werkcoach_a).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200, response.content[:500]
    return yaml.safe_load(response.content)


def test_schema_has_no_bsn_in_uris_or_query(world, api):
    """Rule: no URI template carries a BSN and no operation takes a bsn path/query parameter."""
    schema = _schema(api, world)
    paths = schema["paths"]
    assert "/inburgeraars/zoeken" in paths
    assert set(paths["/inburgeraars/zoeken"]) == {"post"}
    for url, operations in paths.items():
        assert "{bsn}" not in url
        assert "bsn" not in url.lower() or url.endswith("zoeken")
        for method, operation in operations.items():
            if method == "parameters":
                continue
            names = {(p["in"], p["name"].lower()) for p in operation.get("parameters", [])}
            assert not any("bsn" in name for _, name in names), (url, method, names)
    dossier_params = {p["name"] for p in paths["/dossiers"]["get"]["parameters"]}
    assert {"fase", "gemeente", "doelgroep", "open", "page", "pageSize"} <= dossier_params


# --------------------------------------------------------------------------------------------
# 11. Schema and Swagger UI
# --------------------------------------------------------------------------------------------


def test_schema_endpoint(world, api):
    """Rule: the OpenAPI schema is served to authenticated users with the API version."""
    schema = _schema(api, world)
    assert schema["info"]["version"] == settings.API_VERSION
    assert schema["openapi"].startswith("3.")
    assert "/dossiers/{uuid}/fase" in schema["paths"]
    # the major version is in the server URL; paths are relative to it (ADR /core/uri-version)
    assert schema["servers"] == [
        {"url": "/api/v1", "description": "This installation, major version 1"}
    ]


def _make_schema(target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Exactly `make schema`, in a fresh process (no state left behind by earlier tests)."""
    return subprocess.run(
        [
            str(BASE_DIR / ".venv" / "bin" / "python"),
            "manage.py",
            "spectacular",
            "--file",
            str(target),
            "--validate",
            *extra,
        ],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "inburgering.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_committed_openapi_yaml_is_up_to_date(tmp_path):
    """Rule: openapi.yaml in the repository equals the generated schema."""
    committed = BASE_DIR / "openapi.yaml"
    fresh = tmp_path / "openapi.yaml"
    result = _make_schema(fresh)
    assert result.returncode == 0, result.stderr
    assert committed.exists(), "openapi.yaml is missing: run `make schema`"
    diff = "".join(
        itertools.islice(
            difflib.unified_diff(
                committed.read_text().splitlines(keepends=True),
                fresh.read_text().splitlines(keepends=True),
                "openapi.yaml (committed)",
                "openapi.yaml (generated)",
            ),
            60,
        )
    )
    assert not diff, f"openapi.yaml is out of date: run `make schema`\n{diff}"


def test_schema_generates_without_warnings(tmp_path):
    """Rule: the schema generator understands every view and field (no guessed types, no enum
    name collisions), so clients get typed uuid parameters, the filters and stable names."""
    result = _make_schema(tmp_path / "schema.yaml", "--fail-on-warn")
    assert result.returncode == 0, result.stderr[-3000:]


def test_committed_schema_documents_filters_and_uuid_paths():
    """Rule: the published openapi.yaml documents the list filters (and no bsn filter) and types
    the {uuid} path parameters, as the live API offers them."""
    schema = yaml.safe_load((BASE_DIR / "openapi.yaml").read_text())
    paths = schema["paths"]
    dossier_params = {p["name"] for p in paths["/dossiers"]["get"]["parameters"]}
    assert {"fase", "gemeente", "doelgroep", "open", "pageSize"} <= dossier_params
    persoon_params = {p["name"] for p in paths["/inburgeraars"]["get"]["parameters"]}
    assert {"doelgroep", "achternaam", "pageSize"} <= persoon_params
    assert not any("bsn" in name.lower() for name in dossier_params | persoon_params)
    uuid_param = next(
        p for p in paths["/dossiers/{uuid}"]["get"]["parameters"] if p["name"] == "uuid"
    )
    assert uuid_param["schema"].get("format") == "uuid"


def test_swagger_ui_served_from_own_origin(world, login):
    """Rule: the API docs load no assets from other hosts (CSP, privacy)."""
    client = login(world.werkcoach_a)
    response = client.get("/api/v1/schema/ui/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower()
    assert "https://" not in html
    assert "http://" not in html


def test_deep_page_by_number_is_refused_with_the_way_there(many, api, monkeypatch):
    """Issue 15: a page by number beyond the first 10,000 rows would make the database read
    and drop every row before it; it is a 400 naming `page` and pointing to the cursor, while
    the pages before it and the cursor path keep working."""
    from inburgering.core.api import Pagination

    monkeypatch.setattr(Pagination, "max_offset", 20)
    client = api(many.teamleider_a)
    assert client.get("/api/v1/dossiers", {"pageSize": 10, "page": 2}).status_code == 200
    diep = client.get("/api/v1/dossiers", {"pageSize": 10, "page": 3})
    assert diep.status_code == 400
    assert "page" in str(diep.json()) and "cursor" in str(diep.json())
    tweede = client.get("/api/v1/dossiers", {"pageSize": 10, "page": 2}).json()
    derde = client.get(tweede["next"])
    assert derde.status_code == 200 and len(derde.json()["results"]) == 10
