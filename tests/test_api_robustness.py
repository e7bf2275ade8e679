"""Issue 8, defect 13 (low): hostile request bodies. Every API error is
``application/problem+json`` (NL API Design Rules, RFC 9457) — deeply nested JSON, the non-JSON
literals ``NaN``/``Infinity``, malformed JSON, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413),
an unknown API path (404) — and never a 500 or an HTML page."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from cases.models import Inburgeraar

from .test_api import aanmelding, assert_problem

URL = "/api/v1/inburgeraars"


def _post_raw(client, body: str | bytes):
    return client.post(URL, data=body, content_type="application/json")


def _count() -> int:
    with scopes_disabled():
        return Inburgeraar.objects.count()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_literals_are_refused_not_coerced(world, api, literal):
    """Rule: JSON (RFC 8259) has no NaN/Infinity; Python's json module accepts them and a name
    became the string "nan". Refused at parse time with a 400 problem naming the literal."""
    before = _count()
    data = aanmelding(world)
    body = json.dumps(data).replace('"Amal"', literal)
    assert literal in body
    response = _post_raw(api(world.werkcoach_a), body)
    problem = assert_problem(response, 400)
    assert literal in problem["detail"]
    assert _count() == before


def test_the_string_nan_is_still_a_legitimate_name(world, api):
    """The JSON *string* "NaN" is text like any other; only the bare literal is refused."""
    data = aanmelding(world, voornamen="NaN")
    response = api(world.werkcoach_a).post(URL, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["voornamen"] == "NaN"


@pytest.mark.parametrize("depth", [200, 5000, 100_000])
def test_deeply_nested_json_is_a_400_problem(world, api, depth):
    """Rule: nesting beyond what any resource needs is refused (400), never a RecursionError 500."""
    body = '{"voornamen": ' + "[" * depth + "]" * depth + "}"
    response = _post_raw(api(world.werkcoach_a), body)
    problem = assert_problem(response, 400)
    assert "nest" in problem["detail"].lower()


def test_malformed_json_is_a_400_problem(world, api):
    response = _post_raw(api(world.werkcoach_a), '{"voornamen": "Amal",')
    assert_problem(response, 400)


def test_body_over_the_upload_limit_is_413_problem(world, api):
    """Rule: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413 Content Too Large (RFC 9110
    §15.5.14) as problem+json — not Django's HTML 400 page."""
    big = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024
    body = json.dumps({"voornamen": "x" * big})
    before = _count()
    response = _post_raw(api(world.werkcoach_a), body)
    problem = assert_problem(response, 413)
    assert problem["instance"] == URL
    assert response["API-Version"] == settings.API_VERSION
    assert _count() == before


def test_5_mb_form_body_is_413_problem(world, api):
    """The same limit for a form-encoded body (Django raises it while parsing request.POST)."""
    body = "voornamen=" + "x" * (5 * 1024 * 1024)
    response = api(world.werkcoach_a).generic(
        "POST", URL, body, content_type="application/x-www-form-urlencoded"
    )
    assert_problem(response, 413)


def test_unknown_api_path_is_a_404_problem(world, api):
    """Rule: every API error is problem+json, also for a path no view matches."""
    response = api(world.werkcoach_a).get("/api/v1/bestaat-niet")
    problem = assert_problem(response, 404)
    assert problem["instance"] == "/api/v1/bestaat-niet"


def test_malformed_uuid_in_path_is_a_400_problem_naming_it(world, api):
    """Rule (ADR /core/error-handling/invalid-input): a path parameter that cannot be an
    identifier is invalid input — 400 naming ``uuid``; it reveals nothing about any dossier."""
    response = api(world.werkcoach_a).get("/api/v1/dossiers/geen-uuid")
    problem = assert_problem(response, 400)
    assert [p["name"] for p in problem["invalidParams"]] == ["uuid"]


def test_html_pages_keep_their_own_error_pages(world, login):
    """The problem+json handlers are for /api/ only; the UI keeps its HTML 404."""
    client = login(world.werkcoach_a)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_constraint_violation_maps_to_409_naming_the_field(world):
    """Rule: a named database constraint that refuses a write is a conflict about a field
    (409 problem+json with ``invalidParams``), whichever view let it through — never a 500."""
    from django.db import IntegrityError, transaction
    from rest_framework.test import APIRequestFactory

    from inburgering.core.problems import problem_exception_handler
    from pip_plans.models import BredeIntake, DomeinBeoordeling

    with scopes_disabled():
        intake = BredeIntake.objects.create(dossier=world.dossier_a)
        DomeinBeoordeling.objects.create(intake=intake, domein="motivatie", beoordeling="voldoende")
        with pytest.raises(IntegrityError) as caught, transaction.atomic():
            DomeinBeoordeling.objects.create(
                intake=intake, domein="motivatie", beoordeling="aandacht"
            )
        with pytest.raises(IntegrityError) as tweede, transaction.atomic():
            BredeIntake.objects.create(dossier=world.dossier_a)
    request = APIRequestFactory().post("/api/v1/intakes")
    for exc, field in ((caught.value, "domein"), (tweede.value, "dossier")):
        response = problem_exception_handler(exc, {"request": request})
        assert response is not None
        assert response.status_code == 409
        assert response.content_type == "application/problem+json"
        assert [p["name"] for p in response.data["invalid_params"]] == [field]


def test_body_without_content_length_is_read_no_further_than_the_limit(settings):
    """A chunked body has no Content-Length for the middleware to check; the parser stops
    reading at the limit and answers 413 itself."""
    import io

    from inburgering.core.exceptions import ContentTooLarge
    from inburgering.core.parsers import StrictCamelCaseJSONParser

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    stream = io.BytesIO(json.dumps({"voornamen": "x" * 5000}).encode())
    with pytest.raises(ContentTooLarge):
        StrictCamelCaseJSONParser().parse(stream, "application/json", {})
    small = io.BytesIO(b'{"voorNamen": "Amal"}')
    assert StrictCamelCaseJSONParser().parse(small, "application/json", {}) == {
        "voor_namen": "Amal"
    }


def test_unexpected_error_is_a_500_problem_without_details(world, api, monkeypatch):
    """Rule: even a server error on the API is problem+json (``handler500``), and it tells the
    client nothing about the failure."""
    import gc

    from cases import services

    def boom(**kwargs):
        raise RuntimeError("geheime details 123456782")

    monkeypatch.setattr(services, "dossier_update", boom)
    client = api(world.werkcoach_a)
    client.raise_request_exception = False
    response = client.patch(
        f"/api/v1/dossiers/{world.dossier_a.uuid}", {"coaReferentie": "X"}, format="json"
    )
    problem = assert_problem(response, 500)
    assert "geheime" not in response.content.decode()
    assert problem["instance"] == f"/api/v1/dossiers/{world.dossier_a.uuid}"
    assert response["API-Version"] == settings.API_VERSION
    del response, client
    gc.collect()
