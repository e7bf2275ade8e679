"""The intake and PIP API (/api/v1/intakes, /api/v1/pips): the access policy across two
gemeenten, medical domains need-to-know, refusals as problem+json naming the (camelCase)
field, nothing changed after a refusal, vaststellen as 202 and the PDF download."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scopes_disabled

from cases.constants import Fase
from inburgering.core.access import user_scope
from pip_plans import services
from pip_plans.constants import Domein, PipStatus
from pip_plans.models import BredeIntake, DomeinBeoordeling, Pip, RouteWijziging

from .factories import DossierFactory
from .test_pip_services import intake_afgerond

PROBLEM = "application/problem+json"
PDF = b"%PDF-1.7 test"
MEDISCH = {"fysiekeGezondheid", "mentaleGezondheid"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(world):
    with scopes_disabled():
        return DossierFactory(
            in_intake=True,
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            begeleider=world.begeleider_a,
        )


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:1000]
    assert response["Content-Type"].startswith(PROBLEM)
    return response.json()


def names(response) -> set[str]:
    return {p["name"] for p in response.json()["invalidParams"]}


def pip_state(pip) -> tuple:
    with scopes_disabled():
        p = Pip.objects.get(pk=pip.pk)
        return (p.status, p.aanbieder, p.leerroute, Pip.objects.count(), Pip.history.count())


GELDIG = {
    "leerroute": "b1",
    "einddoel": "b1",
    "aanbieder": "Taalschool Huizen",
    "urenPerWeek": 12,
    "verwachteDuurMaanden": 24,
    "participatie": "Vrijwilligerswerk",
    "heeftUitkering": True,
    "ontzorgenVasteLasten": ["huur"],
    "ontzorgenStart": "2026-01-01",
    "ontzorgenMaanden": 6,
    "voortgangsgesprekkenPerJaar": 4,
}


def make_pip(api, world, dossier, **fields):
    intake_afgerond(dossier)  # a PIP rests on a completed brede intake
    c = api(world.werkcoach_a)
    r = c.post("/api/v1/pips", {"dossier": str(dossier.uuid)}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "concept"
    r = c.patch(f"/api/v1/pips/{r.json()['uuid']}", {**GELDIG, **fields}, format="json")
    assert r.status_code == 200, r.content
    with scopes_disabled():
        return Pip.objects.get(uuid=r.json()["uuid"])


def issue(world, pip, datum=date(2026, 3, 10)):
    with user_scope(world.werkcoach_a):
        pip = services.pip_vaststellen(user=world.werkcoach_a, pip=pip, datum=datum)
        return services.pip_beschikking_vastleggen(
            pip=pip, pdf_bytes=PDF, sha256=hashlib.sha256(PDF).hexdigest(), user=world.werkcoach_a
        )


# --- intakes ------------------------------------------------------------------------------


def start_intake(api, world, dossier) -> str:
    r = api(world.werkcoach_a).post(
        "/api/v1/intakes", {"dossier": str(dossier.uuid)}, format="json"
    )
    assert r.status_code == 201, r.content
    return r.json()["uuid"]


def test_intake_flow(world, api, dossier):
    c = api(world.werkcoach_a)
    uuid = start_intake(api, world, dossier)
    r = c.post(f"/api/v1/intakes/{uuid}/afronden", {}, format="json")
    assert {"domeinen", "leerbaarheidScore", "gesprekken"} <= names(r)
    problem(r, 400)
    r = c.post(
        f"/api/v1/intakes/{uuid}/gesprekken",
        {
            "datum": "2026-01-05",
            "locatie": "azc",
            "tolkTaal": "Arabisch",
            "werkcoach": str(world.werkcoach_a.uuid),
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["tolkTaal"] == "Arabisch"
    for d in Domein.values[:7]:
        r = c.post(
            f"/api/v1/intakes/{uuid}/domeinen",
            {"domein": d, "beoordeling": "voldoende", "toelichting": "ok"},
            format="json",
        )
        assert r.status_code == 200, r.content
    for d in Domein.values[7:]:
        r = c.put(
            f"/api/v1/intakes/{uuid}/domeinen/{d}", {"beoordeling": "aandacht"}, format="json"
        )
        assert r.status_code == 200, r.content
    r = c.patch(
        f"/api/v1/intakes/{uuid}",
        {
            "leerbaarheidDatum": "2026-01-05",
            "leerbaarheidScore": "gemiddeld",
            "leerbaarheidLaag": False,
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert len(body["domeinen"]) == 14 and len(body["gesprekken"]) == 1
    assert body["routeAdvies"] == "b1"
    r = c.post(f"/api/v1/intakes/{uuid}/afronden", {"datum": "2026-01-06"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["datumAfgerond"] == "2026-01-06"
    with scopes_disabled():
        dossier.refresh_from_db()
    assert dossier.fase == Fase.PIP
    r = c.patch(f"/api/v1/intakes/{uuid}", {"signalen": "x"}, format="json")
    problem(r, 400)
    assert c.get(f"/api/v1/intakes?dossier={dossier.uuid}").json()["count"] == 1
    assert c.get(f"/api/v1/intakes?dossier={world.dossier_a2.uuid}").json()["count"] == 0


def test_unknown_domain_and_bad_choice(world, api, dossier):
    c = api(world.werkcoach_a)
    uuid = start_intake(api, world, dossier)
    problem(
        c.put(f"/api/v1/intakes/{uuid}/domeinen/geluk", {"beoordeling": "sterk"}, format="json"),
        404,
    )
    r = c.post(
        f"/api/v1/intakes/{uuid}/domeinen",
        {"domein": "taalniveau", "beoordeling": "x"},
        format="json",
    )
    assert names(r) == {"beoordeling"}


@pytest.mark.parametrize(
    ("role", "sees_medical"),
    [
        ("werkcoach_a", True),
        ("teamleider_a", True),
        ("begeleider_a", False),
        ("auditor_a", False),
        ("partner_auditor_a", False),
    ],
)
def test_medical_domains_filtered_in_detail(world, api, dossier, role, sees_medical):
    uuid = start_intake(api, world, dossier)
    for d in Domein.values:
        api(world.werkcoach_a).put(
            f"/api/v1/intakes/{uuid}/domeinen/{d}",
            {"beoordeling": "aandacht", "toelichting": f"geheim-{d}"},
            format="json",
        )
    r = api(getattr(world, role)).get(f"/api/v1/intakes/{uuid}")
    assert r.status_code == 200, r.content
    domeinen = {d["domein"] for d in r.json()["domeinen"]}
    assert MEDISCH & {"fysiekeGezondheid", "mentaleGezondheid"}
    medisch = {"fysieke_gezondheid", "mentale_gezondheid"}
    assert bool(medisch & domeinen) is sees_medical
    assert len(domeinen) == (14 if sees_medical else 12)
    if not sees_medical:
        assert "geheim-mentale_gezondheid" not in r.content.decode()


def test_begeleider_writing_medical_domain_is_403_naming_the_rule(world, api, dossier):
    uuid = start_intake(api, world, dossier)
    c = api(world.begeleider_a)
    for r in (
        c.put(
            f"/api/v1/intakes/{uuid}/domeinen/mentale_gezondheid",
            {"beoordeling": "aandacht"},
            format="json",
        ),
        c.post(
            f"/api/v1/intakes/{uuid}/domeinen",
            {"domein": "fysieke_gezondheid", "beoordeling": "sterk"},
            format="json",
        ),
    ):
        body = problem(r, 403)
        assert "AVG" in body["detail"] or "role" in body["detail"].lower()
    with scopes_disabled():
        assert DomeinBeoordeling.objects.count() == 0


def test_auditor_writes_are_403(world, api, dossier):
    uuid = start_intake(api, world, dossier)
    pip = make_pip(api, world, dossier)
    before = pip_state(pip)
    for role in ("auditor_a", "partner_auditor_a"):
        c = api(getattr(world, role))
        problem(c.post("/api/v1/intakes", {"dossier": str(dossier.uuid)}, format="json"), 403)
        problem(
            c.put(
                f"/api/v1/intakes/{uuid}/domeinen/taalniveau",
                {"beoordeling": "sterk"},
                format="json",
            ),
            403,
        )
        problem(c.patch(f"/api/v1/pips/{pip.uuid}", {"aanbieder": "X"}, format="json"), 403)
        problem(c.post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json"), 403)
        assert c.get(f"/api/v1/pips/{pip.uuid}").status_code == 200
    assert pip_state(pip) == before


def test_visibility_across_gemeenten_is_404(world, api, dossier):
    uuid = start_intake(api, world, dossier)
    pip = make_pip(api, world, dossier)
    c = api(world.werkcoach_b)
    problem(c.get(f"/api/v1/intakes/{uuid}"), 404)
    problem(c.get(f"/api/v1/pips/{pip.uuid}"), 404)
    problem(c.get(f"/api/v1/pips/{pip.uuid}/beschikking"), 404)
    problem(c.patch(f"/api/v1/pips/{pip.uuid}", {"aanbieder": "X"}, format="json"), 404)
    assert c.get("/api/v1/intakes").json()["count"] == 0
    assert c.get("/api/v1/pips").json()["count"] == 0
    r = c.post("/api/v1/pips", {"dossier": str(world.dossier_a2.uuid)}, format="json")
    assert names(r) == {"dossier"}
    # begeleider_a2 does not see dossier_a's intake either
    problem(api(world.begeleider_a2).get(f"/api/v1/intakes/{uuid}"), 404)
    assert api(world.begeleider_a).get(f"/api/v1/intakes/{uuid}").status_code == 200


# --- PIPs ---------------------------------------------------------------------------------


def test_vaststellen_refused_names_missing_themes(world, api, dossier):
    pip = make_pip(api, world, dossier, participatie="", voortgangsgesprekkenPerJaar=None)
    before = pip_state(pip)
    r = api(world.werkcoach_a).post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json")
    problem(r, 400)
    assert {"participatie", "voortgangsgesprekkenPerJaar"} <= names(r)
    assert pip_state(pip) == before


def test_vaststellen_is_202_and_queues_rendering(
    world, api, dossier, django_capture_on_commit_callbacks
):
    pip = make_pip(api, world, dossier)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = api(world.werkcoach_a).post(
            f"/api/v1/pips/{pip.uuid}/vaststellen", {"datum": "2026-03-10"}, format="json"
        )
    assert r.status_code == 202, r.content
    assert r.json()["status"] == "wordt_vastgesteld"
    assert r.json()["datumVastgesteld"] == "2026-03-10"
    assert len(callbacks) == 1


def test_approval_flow_via_api(world, api, dossier):
    with scopes_disabled():
        world.gemeente_a.pip_goedkeuring_vereist = True
        world.gemeente_a.save()
    pip = make_pip(api, world, dossier)
    wc, tl = api(world.werkcoach_a), api(world.teamleider_a)
    r = wc.post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json")
    assert names(r) == {"status"}
    assert (
        wc.post(f"/api/v1/pips/{pip.uuid}/ter-ondertekening").json()["status"]
        == "ter_ondertekening"
    )
    problem(wc.post(f"/api/v1/pips/{pip.uuid}/goedkeuren"), 403)
    r = tl.post(f"/api/v1/pips/{pip.uuid}/goedkeuren")
    assert r.json()["status"] == "goedgekeurd"
    assert r.json()["goedgekeurdDoor"] == str(world.teamleider_a.uuid)
    r = wc.post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json")
    assert r.status_code == 202


# A decision is not dated ahead (issue 8, defect 2): issued on the day itself.
@time_machine.travel(datetime(2028, 2, 29, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)
def test_issued_pip_edit_refused_download_and_dossier_termijn(world, api, dossier):
    pip = issue(world, make_pip(api, world, dossier), date(2028, 2, 29))
    c = api(world.werkcoach_a)
    before = pip_state(pip)
    r = c.patch(f"/api/v1/pips/{pip.uuid}", {"aanbieder": "Ander"}, format="json")
    body = problem(r, 400)
    assert "new version" in body["detail"]
    assert pip_state(pip) == before
    r = c.get(f"/api/v1/pips/{pip.uuid}")
    assert r.json()["status"] == "vastgesteld" and r.json()["heeftBeschikking"] is True
    assert r.json()["termijnStart"] == "2028-03-01" and r.json()["termijnEind"] == "2031-02-28"
    # the begeleider reaches the dossier while the begeleiding runs: still on 29 February 2028
    from begeleiding.models import Aanmelding

    with scopes_disabled():
        Aanmelding.objects.filter(dossier=dossier).update(einddatum=date(2028, 12, 31))
    for user in (world.werkcoach_a, world.begeleider_a, world.auditor_a):
        r = api(user).get(f"/api/v1/pips/{pip.uuid}/beschikking", HTTP_ACCEPT="application/pdf")
        assert r.status_code == 200
        assert r["Content-Type"] == "application/pdf"
        assert b"".join(r.streaming_content) == PDF
    problem(api(world.begeleider_a2).get(f"/api/v1/pips/{pip.uuid}/beschikking"), 404)
    d = c.get(f"/api/v1/dossiers/{dossier.uuid}").json()
    assert d["inburgeringstermijnStart"] == "2028-03-01"
    assert d["inburgeringstermijnEind"] == "2031-02-28"
    rows = {row["uuid"]: row for row in c.get("/api/v1/dossiers").json()["results"]}
    assert rows[str(dossier.uuid)]["inburgeringstermijnEind"] == "2031-02-28"
    assert rows[str(world.dossier_a2.uuid)]["inburgeringstermijnStart"] is None


def test_dossier_list_query_count_is_fixed(world, api, dossier, django_assert_max_num_queries):
    issue(world, make_pip(api, world, dossier))
    c = api(world.werkcoach_a)
    c.get("/api/v1/dossiers")
    with django_assert_max_num_queries(12):
        c.get("/api/v1/dossiers")


def test_beschikking_404_without_pdf(world, api, dossier):
    pip = make_pip(api, world, dossier)
    problem(api(world.werkcoach_a).get(f"/api/v1/pips/{pip.uuid}/beschikking"), 404)


def test_nieuwe_versie_and_route_switch_and_afschalen(world, api, dossier):
    v1 = issue(world, make_pip(api, world, dossier))
    c = api(world.werkcoach_a)
    r = c.post(
        f"/api/v1/pips/{v1.uuid}/route-switch",
        {"nieuweRoute": "z", "datum": "2026-06-01", "motivatie": "Laag leerbaar"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["versie"] == 2 and r.json()["vorigeVersie"] == str(v1.uuid)
    assert r.json()["leerroute"] == "z"
    v2_uuid = r.json()["uuid"]
    c.patch(f"/api/v1/pips/{v2_uuid}", {"routeMotivatie": "Laag leerbaar"}, format="json")
    with scopes_disabled():
        v2 = Pip.objects.get(uuid=v2_uuid)
    v2 = issue(world, v2, date(2026, 6, 2))
    with scopes_disabled():
        v1.refresh_from_db()
    assert v1.status == PipStatus.GEWIJZIGD
    before = pip_state(v2)
    r = c.post(
        f"/api/v1/pips/{v2.uuid}/route-switch",
        {"nieuweRoute": "b1", "datum": "2026-07-01", "motivatie": "m"},
        format="json",
    )
    problem(r, 400)
    assert names(r) == {"nieuweRoute"}
    assert pip_state(v2) == before
    r = c.post(
        f"/api/v1/pips/{v2.uuid}/afschalen",
        {
            "examendeel": "spreken",
            "datum": "2026-07-01",
            "lesuren": 100,
            "voldoendeInspanning": False,
            "motivatie": "m",
        },
        format="json",
    )
    body = problem(r, 400)
    assert len(body["invalidParams"]) == 3
    assert "18 months" in body["detail"] and "600" in body["detail"] and "effort" in body["detail"]
    with scopes_disabled():
        assert RouteWijziging.objects.count() == 1
    assert pip_state(v2) == before
    r = c.post(
        f"/api/v1/pips/{v2.uuid}/afschalen",
        {
            "examendeel": "spreken",
            "datum": "2028-01-10",
            "lesuren": 650,
            "voldoendeInspanning": True,
            "motivatie": "m",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["a2Examendelen"] == ["spreken"]
    problem(c.post(f"/api/v1/pips/{r.json()['uuid']}/nieuwe-versie", {}, format="json"), 400)


def test_nieuwe_versie_copies_fields(world, api, dossier):
    v1 = issue(world, make_pip(api, world, dossier))
    r = api(world.werkcoach_a).post(
        f"/api/v1/pips/{v1.uuid}/nieuwe-versie", {"reden": "x"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["aanbieder"] == GELDIG["aanbieder"] and r.json()["status"] == "concept"
    # a new version keeps the termijn the first one started (one answer: inburgeringstermijn_voor)
    assert r.json()["termijnStart"] == "2026-03-11"


def test_begeleider_cannot_create_or_edit(world, api, dossier):
    c = api(world.begeleider_a)
    problem(c.post("/api/v1/intakes", {"dossier": str(dossier.uuid)}, format="json"), 403)
    problem(c.post("/api/v1/pips", {"dossier": str(dossier.uuid)}, format="json"), 403)
    with scopes_disabled():
        assert BredeIntake.objects.count() == 0 and Pip.objects.count() == 0
