"""The fine procedure's API (/api/v1/verzuimen, /api/v1/procedures and their actions): the whole
flow from a recorded verzuim to a sent boetebeschikking, every refusal as problem+json naming
the (camelCase) field and its rule, 403 for roles that may not act, 404 outside visibility, and
list pages in a fixed number of queries. Letters are stored with stand-in bytes (the letters'
PDFs are tested elsewhere); no Celery message is sent (on-commit callbacks are captured)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from cases.constants import Doelgroep, Regime
from handhaving.constants import BriefSoort, BriefStatus, ProcedureStatus
from handhaving.models import Brief, Procedure, Verzuim

from .handhaving_stappen import PDF, media_fixture, nieuw_dossier, procedure_tot, verzend, verzuim
from .klok import vandaag_fixture

VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)
PROBLEM = "application/problem+json"
_media = media_fixture()


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:1500]
    assert response["Content-Type"].startswith(PROBLEM)
    return response.json()


def reason(response, status: int, name: str) -> str:
    """The reason a 400 gives for the field ``name`` (which it must name)."""
    body = problem(response, status)
    params = {p["name"]: p["reason"] for p in body["invalidParams"]}
    assert name in params, params
    return params[name]


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content[:1500]
    return response.json()


def dag(dagen_terug: int) -> str:
    return (VANDAAG - timedelta(days=dagen_terug)).isoformat()


def post(client, url: str, body: dict | None, capture) -> object:
    with capture(execute=False):
        return client.post(url, body or {}, format="json")


# this module's procedure at the decision, a written zienswijze recorded
STAPPEN = {
    "gesprek": {"datum": VANDAAG - timedelta(days=20), "verslag": "Gesproken"},
    "rapport": {"feiten": "f"},
    "zienswijze": {"datum": VANDAAG},
}
procedure_in_besluit = partial(procedure_tot, tot=ProcedureStatus.BESLUIT, stappen=STAPPEN)


BOETE = {"verwijtbaarheid": "Wist het", "zienswijzeWeging": "Gewogen: niet aangetoond"}


# --- the whole flow --------------------------------------------------------------------------


def test_flow_from_verzuim_to_sent_boetebeschikking(world, api, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    wc = api(world.werkcoach_a)
    r = post(
        wc,
        "/api/v1/verzuimen",
        {
            "dossier": str(world.dossier_a.uuid),
            "soort": "pvt",
            "datum": dag(30),
            "omschrijving": "Niet verschenen bij de PVT",
            "bewijs": "Presentielijst",
        },
        cap,
    )
    p = ok(r, 201)
    url = f"/api/v1/procedures/{p['uuid']}"
    assert p["status"] == "gesprek" and p["volgnummer"] == 1
    assert p["categorie"] == "pip" and p["zwareBoete"] and p["voornemenVereist"]
    assert p["verzuim"]["soort"] == "pvt" and p["verzuim"]["datum"] == dag(30)
    assert p["verzuim"]["procedure"] == p["uuid"]
    assert p["dossier"] == str(world.dossier_a.uuid)
    # the verzuim resource links back to its procedure
    v = ok(wc.get(f"/api/v1/verzuimen/{p['verzuim']['uuid']}"))
    assert v["procedure"] == p["uuid"] and v["bewijs"] == "Presentielijst"

    p = ok(
        post(
            wc,
            f"{url}/gesprek",
            {"gesprekDatum": dag(20), "gesprekVerslag": "Gesproken", "uitkomst": "verder"},
            cap,
        )
    )
    assert p["status"] == "rapport" and p["gesprekDatum"] == dag(20)
    p = ok(
        post(
            wc,
            f"{url}/rapport",
            {"rapportDatum": dag(19), "rapportPlaats": "Huizen", "rapportFeiten": "Afwezig"},
            cap,
        )
    )
    assert p["status"] == "voornemen"
    beslis = next(t for t in p["termijnen"] if t["code"] == "boete_beslistermijn")
    assert (
        beslis["uitersteDatum"] == (VANDAAG - timedelta(days=19) + timedelta(weeks=13)).isoformat()
    )
    assert beslis["status"] == "open"

    p = ok(post(wc, f"{url}/voornemen", None, cap))
    assert p["status"] == "voornemen_wordt_verstuurd"
    assert [(b["soort"], b["status"], b["downloadUrl"]) for b in p["brieven"]] == [
        ("voornemen", "wordt_gemaakt", None)
    ]
    verzend(p["uuid"], BriefSoort.VOORNEMEN, world.werkcoach_a)
    p = ok(wc.get(url))
    assert p["status"] == "zienswijze" and p["voornemenDatum"] == VANDAAG.isoformat()
    assert p["brieven"][0]["downloadUrl"] == f"{url}/brieven/voornemen"
    assert {t["code"] for t in p["termijnen"]} == {
        "boete_zienswijze",
        "boete_beslistermijn",
        "boete_verval",
    }

    p = ok(
        post(
            wc,
            f"{url}/zienswijze",
            {
                "zienswijzeSoort": "schriftelijk",
                "zienswijzeDatum": VANDAAG.isoformat(),
                "zienswijzeInhoud": "Ik was ziek",
            },
            cap,
        )
    )
    assert p["status"] == "besluit"
    p = ok(
        post(
            wc,
            f"{url}/boete",
            {
                **BOETE,
                "bedrag": "600.00",
                "verlagingGrond": "verminderde_verwijtbaarheid",
                "verlagingMotivering": "Ziek geweest",
            },
            cap,
        )
    )
    assert p["status"] == "boete_concept"
    assert (p["basisbedrag"], p["verlaging"], p["bedrag"]) == ("800.00", "200.00", "600.00")
    p = ok(post(wc, f"{url}/ter-goedkeuring", None, cap))
    assert p["status"] == "ter_goedkeuring"

    # a werkcoach does not approve; an auditor never writes
    body = problem(post(wc, f"{url}/goedkeuren", None, cap), 403)
    assert "teamleider" in body["detail"]
    problem(post(api(world.auditor_a), f"{url}/goedkeuren", None, cap), 403)

    p = ok(post(api(world.teamleider_a), f"{url}/goedkeuren", None, cap))
    assert p["goedgekeurdDoor"] == str(world.teamleider_a.uuid)
    p = ok(post(wc, f"{url}/versturen", None, cap))
    assert p["status"] == "wordt_verstuurd"
    with scopes_disabled():
        brief = Brief.objects.get(procedure__uuid=p["uuid"], soort=BriefSoort.BOETEBESCHIKKING)
    assert brief.status == BriefStatus.WORDT_GEMAAKT
    # a double click: the same letter, still on its way
    p = ok(post(wc, f"{url}/versturen", None, cap))
    with scopes_disabled():
        assert Brief.objects.filter(procedure__uuid=p["uuid"]).count() == 2
    # not sent yet: nothing to download
    problem(wc.get(f"{url}/brieven/boetebeschikking"), 404)

    verzend(p["uuid"], BriefSoort.BOETEBESCHIKKING, world.werkcoach_a)
    p = ok(wc.get(url))
    assert p["status"] == "opgelegd" and p["betaalstatus"] == "open"
    assert p["bezwaarTot"] is not None
    brieven = {b["soort"]: b for b in p["brieven"]}
    assert brieven["boetebeschikking"]["kenmerk"] == brief.kenmerk
    assert brieven["boetebeschikking"]["downloadUrl"] == f"{url}/brieven/boetebeschikking"
    beslis = next(t for t in p["termijnen"] if t["code"] == "boete_beslistermijn")
    assert beslis["status"] == "gehaald"

    # the letter, for those who may read it (an auditor reads)
    r = api(world.auditor_a).get(brieven["boetebeschikking"]["downloadUrl"])
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content) == PDF
    assert "attachment" in r["Content-Disposition"] and brief.kenmerk in r["Content-Disposition"]
    problem(api(world.begeleider_a).get(brieven["boetebeschikking"]["downloadUrl"]), 404)

    # after: payment, objection partly founded, withdrawal
    p = ok(post(wc, f"{url}/betaalstatus", {"betaalstatus": "betalingsregeling"}, cap))
    assert p["betaalstatus"] == "betalingsregeling"
    p = ok(post(wc, f"{url}/bezwaar", {"bezwaarOntvangenOp": VANDAAG.isoformat()}, cap))
    assert p["status"] == "bezwaar"
    r = post(
        wc,
        f"{url}/bezwaar-beslissen",
        {"bezwaarUitkomst": "gedeeltelijk", "bezwaarBeslistOp": VANDAAG.isoformat()},
        cap,
    )
    assert "600.00" in reason(r, 400, "bedrag")
    p = ok(
        post(
            wc,
            f"{url}/bezwaar-beslissen",
            {
                "bezwaarUitkomst": "gedeeltelijk",
                "bezwaarBeslistOp": VANDAAG.isoformat(),
                "bedrag": "400",
            },
            cap,
        )
    )
    assert (p["status"], p["bedrag"], p["bezwaarUitkomst"]) == (
        "opgelegd",
        "400.00",
        "gedeeltelijk",
    )
    reason(post(wc, f"{url}/intrekken", {}, cap), 400, "intrekkingReden")
    p = ok(post(wc, f"{url}/intrekken", {"intrekkingReden": "Onterecht opgelegd"}, cap))
    assert p["status"] == "ingetrokken" and p["ingetrokkenOp"] == VANDAAG.isoformat()
    assert {b["soort"] for b in p["brieven"]} == {"voornemen", "boetebeschikking", "intrekking"}

    # the dossier resource links to its procedures
    dossier = ok(wc.get(f"/api/v1/dossiers/{world.dossier_a.uuid}"))
    lijst = ok(wc.get(dossier["links"]["procedures"]))
    assert [x["uuid"] for x in lijst["results"]] == [p["uuid"]]


def test_status_values_are_the_published_enum(world, api, django_capture_on_commit_callbacks):
    """The step codes are the schema's enum values (not camelized by the renderer)."""
    p = procedure_in_besluit(world)
    r = post(
        api(world.werkcoach_a),
        f"/api/v1/procedures/{p.uuid}/boete",
        BOETE,
        django_capture_on_commit_callbacks,
    )
    assert ok(r)["status"] == ProcedureStatus.BOETE_CONCEPT


# --- refusals: 400 naming the field and the rule ---------------------------------------------


@pytest.mark.parametrize(
    ("wijziging", "persoon", "veld", "tekst"),
    [
        ({"datum": (VANDAAG + timedelta(days=1)).isoformat()}, {}, "datum", "future"),
        ({"omschrijving": "   "}, {}, "omschrijving", "what happened"),
        ({}, {"regime": Regime.WI2013_ONDERTUSSEN}, "soort", "Wet inburgering 2013"),
        (
            {"soort": "lessen"},
            {"doelgroep": Doelgroep.GEZINSMIGRANT},
            "soort",
            "cannot be fined for not attending",
        ),
        ({"soort": "iets"}, {}, "soort", "not a valid choice"),
        ({"datum": "1-12-2026"}, {}, "datum", "format"),
    ],
)
def test_verzuim_refused_with_its_rule(
    world, api, django_capture_on_commit_callbacks, wijziging, persoon, veld, tekst
):
    dossier = nieuw_dossier(world, met_begeleider=False, **persoon)
    body = {
        "dossier": str(dossier.uuid),
        "soort": "pvt",
        "datum": dag(3),
        "omschrijving": "Niet verschenen",
        **wijziging,
    }
    r = post(api(world.werkcoach_a), "/api/v1/verzuimen", body, django_capture_on_commit_callbacks)
    assert tekst.lower() in reason(r, 400, veld).lower()
    with scopes_disabled():
        assert not Verzuim.objects.filter(dossier=dossier).exists()
        assert not Procedure.objects.filter(dossier=dossier).exists()


def test_verzuim_for_a_dossier_of_another_gemeente_does_not_exist(
    world, api, django_capture_on_commit_callbacks
):
    body = {
        "dossier": str(world.dossier_b.uuid),
        "soort": "pvt",
        "datum": dag(3),
        "omschrijving": "x",
    }
    r = post(api(world.werkcoach_a), "/api/v1/verzuimen", body, django_capture_on_commit_callbacks)
    reason(r, 400, "dossier")
    with scopes_disabled():
        assert not Verzuim.objects.exists()


@pytest.mark.parametrize(
    ("body", "veld", "tekst"),
    [
        ({**BOETE, "bedrag": "900"}, "bedrag", "800.00"),
        (
            {**BOETE, "bedrag": "500", "verlagingMotivering": "Ziek"},
            "verlagingGrond",
            "Awb 5:46",
        ),
        (
            {**BOETE, "bedrag": "500", "verlagingGrond": "bijzondere_omstandigheden"},
            "verlagingMotivering",
            "Awb 5:46",
        ),
        ({**BOETE, "verwijtbaarheid": ""}, "verwijtbaarheid", "Awb 5:41"),
        ({"verwijtbaarheid": "Wist het"}, "zienswijzeWeging", "weighed"),
        ({**BOETE, "bedrag": "veel"}, "bedrag", "valid number"),
        ({**BOETE, "verlagingGrond": "sympathie"}, "verlagingGrond", "not a valid choice"),
    ],
)
def test_boete_refused_with_its_rule(
    world, api, django_capture_on_commit_callbacks, body, veld, tekst
):
    p = procedure_in_besluit(world)
    r = post(
        api(world.werkcoach_a),
        f"/api/v1/procedures/{p.uuid}/boete",
        body,
        django_capture_on_commit_callbacks,
    )
    assert tekst in reason(r, 400, veld)
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == ProcedureStatus.BESLUIT and p.bedrag is None


def test_step_fields_are_named_as_sent(world, api, django_capture_on_commit_callbacks):
    """A service's refusal of a parameter names the input field that fed it."""
    cap = django_capture_on_commit_callbacks
    wc = api(world.werkcoach_a)
    p = verzuim(world, datum=VANDAAG - timedelta(days=10), omschrijving="x")
    url = f"/api/v1/procedures/{p.uuid}"
    r = post(wc, f"{url}/gesprek", {"gesprekDatum": dag(11), "uitkomst": "afgedaan"}, cap)
    body = problem(r, 400)
    names = {x["name"] for x in body["invalidParams"]}
    assert names == {"gesprekDatum", "gesprekVerslag", "afgedaanReden"}
    reason(post(wc, f"{url}/gesprek", {"gesprekDatum": dag(1)}, cap), 400, "uitkomst")
    reason(post(wc, f"{url}/rapport", {}, cap), 400, "status")  # not at that step
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == ProcedureStatus.GESPREK and p.gesprek_datum is None


def test_pw_maatregel_only_for_a_benefit_client(world, api, django_capture_on_commit_callbacks):
    p = procedure_in_besluit(world)
    r = post(
        api(world.werkcoach_a),
        f"/api/v1/procedures/{p.uuid}/pw-maatregel",
        {"pwParticipatieconsulent": "J. de Vries", "pwMaatregel": "Korting"},
        django_capture_on_commit_callbacks,
    )
    assert "Participatiewet benefit" in reason(r, 400, "pwMaatregel")


def test_versturen_before_approval_is_refused(world, api, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    p = procedure_in_besluit(world)
    wc = api(world.werkcoach_a)
    url = f"/api/v1/procedures/{p.uuid}"
    ok(post(wc, f"{url}/boete", BOETE, cap))
    assert "approval" in reason(post(wc, f"{url}/versturen", None, cap), 400, "status")
    ok(post(wc, f"{url}/ter-goedkeuring", None, cap))
    assert "approval" in reason(post(wc, f"{url}/versturen", None, cap), 400, "status")
    # the teamleider returns it with a comment (required)
    tl = api(world.teamleider_a)
    reason(post(tl, f"{url}/terugsturen", {}, cap), 400, "terugstuurOpmerking")
    p2 = ok(post(tl, f"{url}/terugsturen", {"terugstuurOpmerking": "Bedrag motiveren"}, cap))
    assert p2["status"] == "boete_concept" and p2["terugstuurOpmerking"] == "Bedrag motiveren"
    with scopes_disabled():
        assert not Brief.objects.filter(procedure=p, soort=BriefSoort.BOETEBESCHIKKING).exists()


def test_no_fine_is_final(world, api, django_capture_on_commit_callbacks):
    """Awb 5:43: after the "no fine" notice the same verzuim is never fined."""
    cap = django_capture_on_commit_callbacks
    p = procedure_in_besluit(world)
    wc = api(world.werkcoach_a)
    url = f"/api/v1/procedures/{p.uuid}"
    reason(post(wc, f"{url}/geen-boete", {}, cap), 400, "motivering")
    body = ok(post(wc, f"{url}/geen-boete", {"motivering": "Ziekte aangetoond"}, cap))
    assert body["status"] == "geen_boete" and body["geenBoeteOp"] == VANDAAG.isoformat()
    assert [b["soort"] for b in body["brieven"]][-1] == "geen_boete"
    assert "no fine" in reason(post(wc, f"{url}/boete", BOETE, cap), 400, "status").lower()
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == ProcedureStatus.GEEN_BOETE and p.bedrag is None and p.basisbedrag is None


def test_invalid_uuid_and_unknown_letter(world, api):
    wc = api(world.werkcoach_a)
    reason(wc.get("/api/v1/procedures/niet-een-uuid"), 400, "uuid")
    p = procedure_in_besluit(world)
    problem(wc.get(f"/api/v1/procedures/{p.uuid}/brieven/boetebeschikking"), 404)
    problem(wc.get(f"/api/v1/procedures/{p.uuid}/brieven/onbekend"), 404)
    r = wc.get(f"/api/v1/procedures/{p.uuid}/brieven/voornemen")  # sent: the PDF
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


# --- access ----------------------------------------------------------------------------------


def test_auditor_reads_but_never_writes(world, api, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    p = procedure_in_besluit(world)
    aud = api(world.auditor_a)
    assert ok(aud.get(f"/api/v1/procedures/{p.uuid}"))["uuid"] == str(p.uuid)
    assert [x["uuid"] for x in ok(aud.get("/api/v1/procedures"))["results"]] == [str(p.uuid)]
    assert ok(aud.get("/api/v1/verzuimen"))["count"] == 1
    problem(post(aud, f"/api/v1/procedures/{p.uuid}/boete", BOETE, cap), 403)
    problem(post(aud, f"/api/v1/procedures/{p.uuid}/geen-boete", {"motivering": "x"}, cap), 403)
    body = {
        "dossier": str(world.dossier_a.uuid),
        "soort": "pvt",
        "datum": dag(3),
        "omschrijving": "x",
    }
    problem(post(aud, "/api/v1/verzuimen", body, cap), 403)
    with scopes_disabled():
        p.refresh_from_db()
        assert p.status == ProcedureStatus.BESLUIT and Verzuim.objects.count() == 1


@pytest.mark.parametrize("wie", ["begeleider_a", "werkcoach_b"])
def test_outside_visibility_is_a_404(world, api, django_capture_on_commit_callbacks, wie):
    """Begeleiders see nothing of handhaving; another gemeente's procedure does not exist."""
    cap = django_capture_on_commit_callbacks
    p = procedure_in_besluit(world)
    c = api(getattr(world, wie))
    problem(c.get(f"/api/v1/procedures/{p.uuid}"), 404)
    problem(c.get(f"/api/v1/verzuimen/{p.verzuim.uuid}"), 404)
    problem(c.get(f"/api/v1/procedures/{p.uuid}/brieven/voornemen"), 404)
    problem(post(c, f"/api/v1/procedures/{p.uuid}/geen-boete", {"motivering": "x"}, cap), 404)
    assert ok(c.get("/api/v1/procedures"))["results"] == []
    assert ok(c.get(f"/api/v1/procedures?dossier={world.dossier_a.uuid}"))["results"] == []
    assert ok(c.get("/api/v1/verzuimen"))["results"] == []
    with scopes_disabled():
        p.refresh_from_db()
    assert p.status == ProcedureStatus.BESLUIT


def test_begeleider_cannot_record_a_verzuim(world, api, django_capture_on_commit_callbacks):
    body = {
        "dossier": str(world.dossier_a.uuid),
        "soort": "pvt",
        "datum": dag(3),
        "omschrijving": "x",
    }
    r = post(api(world.begeleider_a), "/api/v1/verzuimen", body, django_capture_on_commit_callbacks)
    reason(r, 400, "dossier")  # not one of the dossiers handhaving shows them
    with scopes_disabled():
        assert not Verzuim.objects.exists()


# --- filters and the number of queries ------------------------------------------------------


def _procedures(world, aantal: int) -> list[Procedure]:
    """``aantal`` procedures awaiting the zienswijze, alternately of dossier A and A2."""
    gemaakt = []
    for i in range(aantal):
        dossier = world.dossier_a if i % 2 == 0 else world.dossier_a2
        wie = world.werkcoach_a if dossier == world.dossier_a else world.werkcoach_a2
        stappen = {
            "verzuim": {"datum": VANDAAG - timedelta(days=40 + i), "omschrijving": f"Verzuim {i}"},
            "gesprek": {"datum": VANDAAG - timedelta(days=20), "verslag": "x"},
            "rapport": {"plaats": "H", "feiten": "f"},
        }
        gemaakt.append(
            procedure_tot(
                world,
                ProcedureStatus.ZIENSWIJZE,
                dossier=dossier,
                soort="voortgangsgesprek",
                user=wie,
                stappen=stappen,
            )
        )
    return gemaakt


def _queries(client, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        body = ok(client.get(url))
    return len(ctx.captured_queries), body


def test_list_in_a_fixed_number_of_queries(
    world, api, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    wc = api(world.werkcoach_a)
    with django_capture_on_commit_callbacks(execute=False):
        _procedures(world, 1)
    een, body = _queries(wc, "/api/v1/procedures")
    assert body["count"] == 1 and len(body["results"][0]["termijnen"]) == 3
    assert body["results"][0]["brieven"][0]["status"] == "verzonden"
    with django_capture_on_commit_callbacks(execute=False):
        _procedures(world, 9)
    with django_assert_max_num_queries(een):
        body = ok(wc.get("/api/v1/procedures"))
    assert body["count"] == 10
    assert all(len(x["termijnen"]) == 3 and len(x["brieven"]) == 1 for x in body["results"])
    # the verzuimen list too
    een_v, _ = _queries(wc, f"/api/v1/verzuimen?dossier={world.dossier_a2.uuid}&pageSize=1")
    with django_assert_max_num_queries(een_v):
        body = ok(wc.get("/api/v1/verzuimen"))
    assert body["count"] == 10 and all(x["procedure"] for x in body["results"])


def test_filters(world, api, django_capture_on_commit_callbacks):
    wc = api(world.werkcoach_a)
    with django_capture_on_commit_callbacks(execute=False):
        gemaakt = _procedures(world, 3)
        p = procedure_in_besluit(world)
    lijst = ok(wc.get(f"/api/v1/procedures?dossier={world.dossier_a2.uuid}"))
    assert {x["uuid"] for x in lijst["results"]} == {str(gemaakt[1].uuid)}
    lijst = ok(wc.get("/api/v1/procedures?status=besluit"))
    assert [x["uuid"] for x in lijst["results"]] == [str(p.uuid)]
    assert ok(wc.get("/api/v1/procedures?status=zienswijze"))["count"] == 3
    reason(wc.get("/api/v1/procedures?status=klaar"), 400, "status")
    reason(wc.get("/api/v1/procedures?dossier=geen-uuid"), 400, "dossier")
    verzuimen = ok(wc.get(f"/api/v1/verzuimen?dossier={world.dossier_a.uuid}"))
    assert verzuimen["count"] == 3
