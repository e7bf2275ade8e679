"""The API of maatschappelijke begeleiding (/api/v1/aanmeldingen, /contactmomenten,
/vervolgacties): referral, accept and decline; contacts created once by their client-made uuid
(three posts, one row), corrected by version with a 409 carrying the server's version; every
refusal as problem+json naming the field as sent; 404 outside visibility for a colleague
begeleider, another partner organisation and another gemeente — also through the lists, the
dossier resource and its timeline; access ending at the end date; auditors never write."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from begeleiding import services
from begeleiding.constants import AanmeldingStatus
from begeleiding.models import Aanmelding, Contactmoment, Vervolgactie
from begeleiding.tijdlijn import CONTACT
from cases.models import Signaal
from inburgering.accounts.constants import Rol

from .factories import DossierFactory, partner, user_met_rol

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:1500]
    assert response["Content-Type"].startswith(PROBLEM)
    return response.json()


def reason(response, name: str) -> str:
    """The reason a 400 gives for the field ``name`` (which it must name)."""
    body = problem(response, 400)
    params = {p["name"]: p["reason"] for p in body["invalidParams"]}
    assert name in params, params
    return params[name]


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content[:1500]
    return response.json()


def uuids(response) -> set[str]:
    return {r["uuid"] for r in ok(response)["results"]}


def vandaag():
    return timezone.localdate()


def lopende(dossier) -> Aanmelding:
    with scopes_disabled():
        return Aanmelding.objects.get(dossier=dossier, status=AanmeldingStatus.LOOPT)


def contact_body(aanmelding: Aanmelding, **overrides) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "aanmelding": str(aanmelding.uuid),
        "tijdstip": (timezone.now() - timedelta(hours=2)).isoformat(),
        "soort": "huisbezoek",
        "duurMinuten": 45,
        "aanwezig": ["tolk"],
        "onderwerpen": ["wonen", "geldzaken"],
        "verslag": "Post doorgenomen, huur besproken.",
        "signaalWerkcoach": False,
        "signaalToelichting": "",
        "vervolgacties": [
            {
                "uuid": str(uuid.uuid4()),
                "omschrijving": "Belastingdienst bellen",
                "eigenaar": "begeleider",
                "deadline": (vandaag() + timedelta(days=7)).isoformat(),
            }
        ],
    }
    body.update(overrides)
    return body


def contact(api, world, **overrides) -> dict:
    """A contact begeleider_a records on dossier_a's running begeleiding."""
    body = contact_body(lopende(world.dossier_a), **overrides)
    return ok(api(world.begeleider_a).post("/api/v1/contactmomenten", body, format="json"), 201)


def coordinator(world):
    with scopes_disabled():
        return user_met_rol(Rol.COORDINATOR, world.partner_a, username="coord_a")


def nieuw_dossier(world):
    with scopes_disabled():
        return DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)


def aanmelden_body(dossier, organisatie, **overrides) -> dict:
    body = {
        "dossier": str(dossier.uuid),
        "organisatie": str(organisatie.uuid),
        "afspraken": "Hulp bij wonen en geldzaken (PIP thema 4).",
        "voorPartner": "Spreekt Tigrinya, tolk nodig.",
        "geinformeerdOp": vandaag().isoformat(),
    }
    body.update(overrides)
    return body


# --- referral, accept, decline ----------------------------------------------------------------


def test_referral_accepted_and_assigned(world, api):
    coord = coordinator(world)
    dossier = nieuw_dossier(world)
    wc = api(world.werkcoach_a)
    a = ok(
        wc.post("/api/v1/aanmeldingen", aanmelden_body(dossier, world.partner_a), format="json"),
        201,
    )
    url = f"/api/v1/aanmeldingen/{a['uuid']}"
    assert a["url"] == url and a["status"] == "aangemeld" and a["begeleider"] is None
    assert a["dossier"] == str(dossier.uuid)
    assert a["organisatie"] == {"uuid": str(world.partner_a.uuid), "naam": world.partner_a.naam}
    persoon = a["persoon"]
    assert set(persoon) == {"naam", "telefoonnummer", "taal", "tolkNodig", "tolkTaal", "woonadres"}
    assert persoon["naam"] == dossier.inburgeraar.volledige_naam
    assert a["afspraken"].startswith("Hulp bij wonen") and a["voorPartner"]
    assert a["laatsteContact"] is None and a["openVervolgacties"] == 0
    assert "versie" not in a

    # before accepting: the coördinator sees the referral, never the dossier; no begeleider sees it
    c = api(coord)
    assert ok(c.get(url))["status"] == "aangemeld"
    assert a["uuid"] in uuids(c.get("/api/v1/aanmeldingen"))
    problem(c.get(f"/api/v1/dossiers/{dossier.uuid}"), 404)
    problem(api(world.begeleider_a).get(url), 404)
    assert a["uuid"] not in uuids(api(world.begeleider_a).get("/api/v1/aanmeldingen"))

    # only the coördinator accepts; a begeleider of the organisation must be chosen
    problem(wc.post(f"{url}/accepteren", {"begeleider": str(world.begeleider_a.uuid)}), 403)
    assert "begeleider" in reason(c.post(f"{url}/accepteren", {}, format="json"), "begeleider")
    with scopes_disabled():
        andere = user_met_rol(Rol.BEGELEIDER, partner(world.gemeente_a), username="mb_x")
    reason(
        c.post(f"{url}/accepteren", {"begeleider": str(andere.uuid)}, format="json"), "begeleider"
    )
    reason(
        c.post(f"{url}/accepteren", {"begeleider": str(coord.uuid)}, format="json"), "begeleider"
    )
    a = ok(
        c.post(
            f"{url}/accepteren",
            {"begeleider": str(world.begeleider_a.uuid), "startdatum": vandaag().isoformat()},
            format="json",
        )
    )
    assert a["status"] == "loopt" and a["startdatum"] == vandaag().isoformat()
    assert a["begeleider"]["uuid"] == str(world.begeleider_a.uuid)
    assert a["begeleider"]["naam"]

    mb = api(world.begeleider_a)
    assert ok(mb.get(url))["status"] == "loopt"
    assert ok(mb.get(f"/api/v1/dossiers/{dossier.uuid}"))["uuid"] == str(dossier.uuid)
    problem(api(world.begeleider_a2).get(url), 404)
    problem(api(world.begeleider_a2).get(f"/api/v1/dossiers/{dossier.uuid}"), 404)
    # a decided referral is not decided again
    reason(
        c.post(f"{url}/afwijzen", {"afwijsreden": "Vol"}, format="json"),
        "status",
    )

    # the coördinator hands it to a colleague: the first begeleider no longer reaches it
    a = ok(c.post(f"{url}/toewijzen", {"begeleider": str(world.begeleider_a2.uuid)}, format="json"))
    assert a["begeleider"]["uuid"] == str(world.begeleider_a2.uuid)
    problem(mb.get(url), 404)
    assert ok(api(world.begeleider_a2).get(url))["uuid"] == a["uuid"]


def test_referral_declined_with_a_reason(world, api):
    coord = coordinator(world)
    dossier = nieuw_dossier(world)
    a = ok(
        api(world.werkcoach_a).post(
            "/api/v1/aanmeldingen", aanmelden_body(dossier, world.partner_a), format="json"
        ),
        201,
    )
    url = f"/api/v1/aanmeldingen/{a['uuid']}"
    c = api(coord)
    assert "reason" in reason(c.post(f"{url}/afwijzen", {}, format="json"), "afwijsreden")
    a = ok(c.post(f"{url}/afwijzen", {"afwijsreden": "Geen plek tot de zomer."}, format="json"))
    assert a["status"] == "afgewezen"
    problem(api(world.begeleider_a).get(url), 404)
    problem(c.get(f"/api/v1/dossiers/{dossier.uuid}"), 404)
    # the dossier can be referred again
    ok(
        api(world.werkcoach_a).post(
            "/api/v1/aanmeldingen", aanmelden_body(dossier, world.partner_a), format="json"
        ),
        201,
    )


def test_referral_refused_with_its_rule(world, api):
    dossier = nieuw_dossier(world)
    wc = api(world.werkcoach_a)
    body = aanmelden_body(dossier, world.partner_a)
    del body["geinformeerdOp"]
    assert "AVG art. 13" in reason(
        wc.post("/api/v1/aanmeldingen", body, format="json"), "geinformeerdOp"
    )
    body = aanmelden_body(dossier, world.partner_a, afspraken="")
    reason(wc.post("/api/v1/aanmeldingen", body, format="json"), "afspraken")
    body = aanmelden_body(dossier, world.partner_a, einddatum=vandaag().isoformat())
    reason(wc.post("/api/v1/aanmeldingen", body, format="json"), "einddatum")
    # a partner organisation not working in the gemeente
    with scopes_disabled():
        elders = partner(world.gemeente_b)
    reason(
        wc.post("/api/v1/aanmeldingen", aanmelden_body(dossier, elders), format="json"),
        "organisatie",
    )
    # one at a time: dossier_a has a running begeleiding
    body = aanmelden_body(world.dossier_a, world.partner_a)
    reason(wc.post("/api/v1/aanmeldingen", body, format="json"), "dossier")
    # another gemeente's dossier does not exist for this werkcoach
    body = aanmelden_body(dossier, world.partner_a)
    reason(api(world.werkcoach_b).post("/api/v1/aanmeldingen", body, format="json"), "dossier")
    # a begeleider does not refer: not even their own client (403); another dossier does not
    # exist for them
    mb = api(world.begeleider_a)
    eigen = aanmelden_body(world.dossier_a, world.partner_a)
    problem(mb.post("/api/v1/aanmeldingen", eigen, format="json"), 403)
    reason(mb.post("/api/v1/aanmeldingen", body, format="json"), "dossier")


def test_werkcoach_manages_the_begeleiding(world, api):
    a = lopende(world.dossier_a)
    url = f"/api/v1/aanmeldingen/{a.uuid}"
    wc = api(world.werkcoach_a)
    nieuw = (vandaag() + timedelta(days=400)).isoformat()
    reason(wc.post(f"{url}/einddatum", {"einddatum": nieuw}, format="json"), "reden")
    r = ok(wc.post(f"{url}/einddatum", {"einddatum": nieuw, "reden": "Verlengd"}, format="json"))
    assert r["einddatum"] == nieuw
    problem(
        api(world.begeleider_a).post(f"{url}/einddatum", {"einddatum": nieuw, "reden": "x"}), 403
    )

    mb = api(world.begeleider_a)
    reason(
        mb.post(f"{url}/evaluatie", {"evaluatieOp": vandaag().isoformat()}, format="json"),
        "evaluatieVerslag",
    )
    r = ok(
        mb.post(
            f"{url}/evaluatie",
            {"evaluatieOp": vandaag().isoformat(), "evaluatieVerslag": "Goed op weg."},
            format="json",
        )
    )
    assert r["evaluatieOp"] == vandaag().isoformat()

    assert "reason" in reason(wc.post(f"{url}/intrekken", {}, format="json"), "reden")
    r = ok(wc.post(f"{url}/intrekken", {"reden": "Verhuisd binnen de gemeente"}, format="json"))
    assert r["status"] == "ingetrokken"
    problem(mb.get(url), 404)
    problem(mb.get(f"/api/v1/dossiers/{world.dossier_a.uuid}"), 404)


def test_closing_report_ends_the_partners_access(world, api):
    a = lopende(world.dossier_a)
    url = f"/api/v1/aanmeldingen/{a.uuid}"
    mb = api(world.begeleider_a)
    reason(mb.post(f"{url}/afsluiten", {"openPunten": "x"}, format="json"), "afsluitendVerslag")
    problem(api(world.begeleider_a2).post(f"{url}/afsluiten", {"afsluitendVerslag": "x"}), 404)
    r = ok(
        mb.post(
            f"{url}/afsluiten",
            {"afsluitendVerslag": "Zelfstandig op weg.", "openPunten": "Zorgtoeslag aanvragen"},
            format="json",
        )
    )
    # the closing begeleider gets the result once, then no longer reaches it
    assert r["status"] == "afgesloten" and r["afgeslotenOp"] == vandaag().isoformat()
    problem(mb.get(url), 404)
    assert ok(api(world.werkcoach_a).get(url))["status"] == "afgesloten"


# --- contacts: idempotent create, versioned correction ----------------------------------------


def test_replayed_contact_is_created_once(world, api):
    a = lopende(world.dossier_a)
    mb = api(world.begeleider_a)
    body = contact_body(a)
    eerste = mb.post("/api/v1/contactmomenten", body, format="json")
    c = ok(eerste, 201)
    assert eerste["Location"] == f"/api/v1/contactmomenten/{body['uuid']}" == c["url"]
    for _ in range(2):
        assert ok(mb.post("/api/v1/contactmomenten", body, format="json"), 200) == c
    with scopes_disabled():
        assert Contactmoment.objects.filter(uuid=body["uuid"]).count() == 1
        assert Vervolgactie.objects.filter(contactmoment__uuid=body["uuid"]).count() == 1
    assert c["uuid"] == body["uuid"] and c["versie"] == 1
    assert c["aanmelding"] == str(a.uuid) and c["dossier"] == str(world.dossier_a.uuid)
    assert c["auteur"]["uuid"] == str(world.begeleider_a.uuid)
    assert c["duurMinuten"] == 45 and c["aanwezig"] == ["tolk"]
    assert c["onderwerpen"] == ["geldzaken", "wonen"]
    assert c["vervolgacties"] == [
        {
            "uuid": body["vervolgacties"][0]["uuid"],
            "omschrijving": "Belastingdienst bellen",
            "eigenaar": "begeleider",
            "deadline": body["vervolgacties"][0]["deadline"],
            "afgerondOp": None,
        }
    ]

    # the same uuid with other content: a 409 with the server's version, nothing overwritten
    anders = {**body, "verslag": "Iets anders."}
    conflict = problem(mb.post("/api/v1/contactmomenten", anders, format="json"), 409)
    assert conflict["huidige"]["verslag"] == body["verslag"]
    assert conflict["huidige"]["uuid"] == body["uuid"]
    assert conflict["detail"] and conflict["status"] == 409

    # a colleague reusing the uuid on their own client learns nothing of this contact
    body2 = contact_body(lopende(world.dossier_a2), uuid=body["uuid"])
    r = api(world.begeleider_a2).post("/api/v1/contactmomenten", body2, format="json")
    reason(r, "uuid")
    assert "huidige" not in r.json() and body["verslag"] not in r.content.decode()
    # the list shows the contact once, with the referral's contact data
    mb_list = ok(mb.get(f"/api/v1/contactmomenten?aanmelding={a.uuid}"))
    assert [x["uuid"] for x in mb_list["results"]] == [body["uuid"]]
    ref = ok(mb.get(f"/api/v1/aanmeldingen/{a.uuid}"))
    assert ref["laatsteContact"] is not None and ref["openVervolgacties"] == 1
    assert ref["contactUiterlijk"] is not None


def test_correction_names_its_version_and_a_stale_one_is_a_409(world, api):
    c = contact(api, world)
    url = c["url"]
    mb = api(world.begeleider_a)
    reason(mb.patch(url, {"verslag": "Zonder versie"}, format="json"), "versie")
    nieuw = mb.patch(
        url,
        {
            "versie": 1,
            "verslag": "Post en huur doorgenomen.",
            "vervolgacties": [
                {
                    "omschrijving": "Huurtoeslag checken",
                    "eigenaar": "werkcoach",
                    "deadline": (vandaag() + timedelta(days=3)).isoformat(),
                }
            ],
        },
        format="json",
    )
    n = ok(nieuw)
    assert n["versie"] == 2 and n["verslag"] == "Post en huur doorgenomen."
    assert n["soort"] == "huisbezoek" and len(n["vervolgacties"]) == 2

    # the offline phone corrects version 1 again: refused with the server's version
    stale = mb.patch(url, {"versie": 1, "verslag": "Oude versie"}, format="json")
    body = problem(stale, 409)
    assert body["huidige"]["versie"] == 2
    assert body["huidige"]["verslag"] == "Post en huur doorgenomen."
    assert "version 2" in body["detail"]
    assert ok(mb.get(url))["verslag"] == "Post en huur doorgenomen."
    reason(mb.patch(url, {"versie": 2, "verslag": ""}, format="json"), "verslag")
    # a colleague, the coördinator and the werkcoach do not correct it
    problem(api(world.begeleider_a2).patch(url, {"versie": 2, "verslag": "x"}, format="json"), 404)
    problem(api(coordinator(world)).patch(url, {"versie": 2, "verslag": "x"}, format="json"), 403)
    problem(api(world.werkcoach_a).patch(url, {"versie": 2, "verslag": "x"}, format="json"), 403)
    # PUT is not offered
    assert mb.put(url, {"versie": 2}, format="json").status_code == 405


def test_contact_refused_with_its_rule(world, api):
    a = lopende(world.dossier_a)
    mb = api(world.begeleider_a)
    post = lambda **o: mb.post("/api/v1/contactmomenten", contact_body(a, **o), format="json")  # noqa: E731
    assert "report" in reason(post(verslag=""), "verslag")
    reason(post(tijdstip=(timezone.now() + timedelta(days=1)).isoformat()), "tijdstip")
    reason(post(duurMinuten=0), "duurMinuten")
    reason(post(signaalWerkcoach=True, signaalToelichting=""), "signaalToelichting")
    reason(post(onderwerpen=["medisch"]), "onderwerpen.0")
    acties = [{"omschrijving": "Iets", "eigenaar": "begeleider"}]
    assert "due" in reason(post(vervolgacties=acties), "vervolgacties")
    body = contact_body(a)
    del body["uuid"]
    reason(mb.post("/api/v1/contactmomenten", body, format="json"), "uuid")
    # the coördinator and the werkcoach reach the begeleiding but do not record contacts
    problem(
        api(coordinator(world)).post("/api/v1/contactmomenten", contact_body(a), format="json"), 403
    )
    problem(
        api(world.werkcoach_a).post("/api/v1/contactmomenten", contact_body(a), format="json"), 403
    )
    with scopes_disabled():
        assert not Contactmoment.objects.exists()


def test_signal_reaches_the_werkcoach_who_follows_it_up(world, api):
    c = contact(api, world, signaalWerkcoach=True, signaalToelichting="Huurachterstand dreigt.")
    with scopes_disabled():
        assert Signaal.objects.filter(ontvanger=world.werkcoach_a, dossier=world.dossier_a).exists()
    url = f"{c['url']}/signaal-opgevolgd"
    problem(api(world.begeleider_a).post(url), 403)
    r = ok(api(world.werkcoach_a).post(url))
    assert r["signaalOpgevolgdOp"] == vandaag().isoformat()
    zonder = contact(api, world)
    reason(api(world.werkcoach_a).post(f"{zonder['url']}/signaal-opgevolgd"), "signaalWerkcoach")


def test_follow_up_actions(world, api):
    c = contact(api, world)
    actie = c["vervolgacties"][0]
    url = f"/api/v1/vervolgacties/{actie['uuid']}"
    mb = api(world.begeleider_a)
    v = ok(mb.get(url))
    assert v["contactmoment"] == c["uuid"] and v["aanmelding"] == c["aanmelding"]
    assert v["dossier"] == str(world.dossier_a.uuid) and v["url"] == url
    assert actie["uuid"] in uuids(mb.get("/api/v1/vervolgacties?open=true"))
    assert actie["uuid"] not in uuids(mb.get("/api/v1/vervolgacties?open=false"))
    morgen = (vandaag() + timedelta(days=1)).isoformat()
    reason(mb.post(f"{url}/afronden", {"afgerondOp": morgen}, format="json"), "afgerondOp")
    problem(api(world.begeleider_a2).post(f"{url}/afronden", {}, format="json"), 404)
    problem(api(world.partner_auditor_a).post(f"{url}/afronden", {}, format="json"), 403)
    v = ok(mb.post(f"{url}/afronden", {}, format="json"))
    assert v["afgerondOp"] == vandaag().isoformat()
    assert actie["uuid"] in uuids(mb.get("/api/v1/vervolgacties?open=false"))
    assert ok(mb.get(f"/api/v1/aanmeldingen/{c['aanmelding']}"))["openVervolgacties"] == 0
    # the werkcoach may close an action too; done is done
    assert ok(api(world.werkcoach_a).post(f"{url}/afronden", {}, format="json"))["afgerondOp"]


# --- who sees what ---------------------------------------------------------------------------


BUITEN = ["begeleider_a2", "andere_partner_coordinator", "andere_partner_begeleider", "werkcoach_b"]


def _buitenstaander(world, wie: str):
    if wie in ("begeleider_a2", "werkcoach_b"):
        return getattr(world, wie)
    with scopes_disabled():
        andere = partner(world.gemeente_a)
        rol = Rol.COORDINATOR if wie == "andere_partner_coordinator" else Rol.BEGELEIDER
        return user_met_rol(rol, andere, username=wie)


@pytest.mark.parametrize("wie", BUITEN)
def test_outside_visibility_is_a_404_and_lists_show_nothing(world, api, wie):
    c = contact(api, world)
    a = c["aanmelding"]
    actie = c["vervolgacties"][0]["uuid"]
    d = world.dossier_a.uuid
    x = api(_buitenstaander(world, wie))
    for url in (
        f"/api/v1/aanmeldingen/{a}",
        c["url"],
        f"/api/v1/vervolgacties/{actie}",
        f"/api/v1/dossiers/{d}",
        f"/api/v1/dossiers/{d}/tijdlijn",
    ):
        problem(x.get(url), 404)
    for url, body in (
        (f"/api/v1/aanmeldingen/{a}/accepteren", {"begeleider": str(world.begeleider_a.uuid)}),
        (f"/api/v1/aanmeldingen/{a}/afsluiten", {"afsluitendVerslag": "x"}),
        (f"/api/v1/aanmeldingen/{a}/intrekken", {"reden": "x"}),
        (f"{c['url']}/signaal-opgevolgd", {}),
        (f"/api/v1/vervolgacties/{actie}/afronden", {}),
    ):
        problem(x.post(url, body, format="json"), 404)
    problem(x.patch(c["url"], {"versie": 1, "verslag": "x"}, format="json"), 404)
    for url in (
        "/api/v1/aanmeldingen",
        f"/api/v1/aanmeldingen?dossier={d}",
        "/api/v1/contactmomenten",
        f"/api/v1/contactmomenten?aanmelding={a}",
        "/api/v1/vervolgacties",
        f"/api/v1/vervolgacties?dossier={d}",
    ):
        r = x.get(url)
        assert a not in uuids(r) and c["uuid"] not in r.content.decode()
        assert actie not in r.content.decode() and c["verslag"] not in r.content.decode()
    assert str(d) not in {r["uuid"] for r in ok(x.get("/api/v1/dossiers"))["results"]}
    # posting a contact to a begeleiding one does not reach: it does not exist
    r = x.post("/api/v1/contactmomenten", contact_body(lopende(world.dossier_a)), format="json")
    reason(r, "aanmelding")


@pytest.mark.parametrize(
    "wie", ["begeleider_a", "coordinator", "partner_auditor_a", "werkcoach_a", "auditor_a"]
)
def test_inside_visibility(world, api, wie):
    c = contact(api, world)
    user = coordinator(world) if wie == "coordinator" else getattr(world, wie)
    x = api(user)
    assert ok(x.get(c["url"]))["verslag"] == c["verslag"]
    assert c["uuid"] in uuids(x.get("/api/v1/contactmomenten"))
    assert c["aanmelding"] in uuids(x.get("/api/v1/aanmeldingen"))
    assert c["vervolgacties"][0]["uuid"] in uuids(x.get("/api/v1/vervolgacties"))
    # a colleague's client is not among them (the coördinator sees the organisation's)
    a2 = lopende(world.dossier_a2)
    zichtbaar = str(a2.uuid) in uuids(x.get("/api/v1/aanmeldingen"))
    assert zichtbaar is (wie != "begeleider_a")


def test_no_bsn_and_nothing_medical_in_the_partners_view(world, api):
    c = contact(api, world)
    bsn = world.dossier_a.inburgeraar.bsn
    mb = api(world.begeleider_a)
    for url in ("/api/v1/aanmeldingen", f"/api/v1/aanmeldingen/{c['aanmelding']}", c["url"]):
        r = mb.get(url)
        assert r.status_code == 200 and bsn not in r.content.decode()
        assert "bsn" not in r.content.decode().lower()


def test_access_ends_at_the_end_date(world, api):
    c = contact(api, world)
    a = lopende(world.dossier_a)
    coord = api(coordinator(world))
    mb = api(world.begeleider_a)
    assert ok(mb.get(f"/api/v1/aanmeldingen/{a.uuid}"))
    with scopes_disabled():
        Aanmelding.objects.filter(pk=a.pk).update(einddatum=vandaag() - timedelta(days=1))
    for url in (
        f"/api/v1/aanmeldingen/{a.uuid}",
        c["url"],
        f"/api/v1/vervolgacties/{c['vervolgacties'][0]['uuid']}",
        f"/api/v1/dossiers/{world.dossier_a.uuid}",
    ):
        problem(mb.get(url), 404)
    assert str(a.uuid) not in uuids(mb.get("/api/v1/aanmeldingen"))
    assert c["uuid"] not in uuids(mb.get("/api/v1/contactmomenten"))
    problem(mb.post("/api/v1/contactmomenten", contact_body(a), format="json"), 400)
    problem(mb.patch(c["url"], {"versie": 1, "verslag": "x"}, format="json"), 404)
    # the coördinator keeps the referral's record, not the contacts or the dossier
    problem(coord.get(c["url"]), 404)
    problem(coord.get(f"/api/v1/dossiers/{world.dossier_a.uuid}"), 404)
    # the gemeente still reads everything
    assert ok(api(world.werkcoach_a).get(c["url"]))["uuid"] == c["uuid"]


def test_auditors_read_but_never_write(world, api):
    c = contact(api, world)
    a = lopende(world.dossier_a)
    for auditor in (world.auditor_a, world.partner_auditor_a):
        x = api(auditor)
        assert ok(x.get(c["url"]))["uuid"] == c["uuid"]
        problem(x.post("/api/v1/contactmomenten", contact_body(a), format="json"), 403)
        problem(x.patch(c["url"], {"versie": 1, "verslag": "x"}, format="json"), 403)
        problem(x.post(f"/api/v1/aanmeldingen/{a.uuid}/afsluiten", {"afsluitendVerslag": "x"}), 403)
        problem(x.post(f"/api/v1/vervolgacties/{c['vervolgacties'][0]['uuid']}/afronden", {}), 403)
    body = aanmelden_body(nieuw_dossier(world), world.partner_a)
    problem(api(world.auditor_a).post("/api/v1/aanmeldingen", body, format="json"), 403)
    with scopes_disabled():
        assert Contactmoment.objects.count() == 1
        assert Contactmoment.objects.get().versie == 1


# --- the dossier hub ------------------------------------------------------------------------


def test_dossier_resource_links_and_timeline(world, api):
    c = contact(api, world)
    d = world.dossier_a.uuid
    wc = api(world.werkcoach_a)
    links = ok(wc.get(f"/api/v1/dossiers/{d}"))["links"]
    assert links["aanmeldingen"] == f"/api/v1/aanmeldingen?dossier={d}"
    assert links["contactmomenten"] == f"/api/v1/contactmomenten?dossier={d}"
    assert uuids(wc.get(links["aanmeldingen"])) == {c["aanmelding"]}
    assert uuids(wc.get(links["contactmomenten"])) == {c["uuid"]}
    # the werkcoach sees the visit in the dossier's timeline; the begeleider on their own client too
    soorten = [g["soort"] for g in ok(wc.get(f"/api/v1/dossiers/{d}/tijdlijn"))["results"]]
    assert CONTACT in soorten
    # a colleague begeleider reaches neither the timeline nor the contacts by the links
    x = api(world.begeleider_a2)
    problem(x.get(f"/api/v1/dossiers/{d}/tijdlijn"), 404)
    assert not uuids(x.get(links["contactmomenten"]))
    assert not uuids(x.get(links["aanmeldingen"]))
    eigen = ok(x.get(f"/api/v1/dossiers/{world.dossier_a2.uuid}/tijdlijn"))
    assert CONTACT not in [g["soort"] for g in eigen["results"]]


def test_filters(world, api):
    c = contact(api, world)
    coord = api(coordinator(world))
    a1, a2 = lopende(world.dossier_a), lopende(world.dossier_a2)
    assert uuids(coord.get("/api/v1/aanmeldingen?status=loopt")) == {str(a1.uuid), str(a2.uuid)}
    assert not uuids(coord.get("/api/v1/aanmeldingen?status=aangemeld"))
    assert uuids(coord.get(f"/api/v1/aanmeldingen?begeleider={world.begeleider_a2.uuid}")) == {
        str(a2.uuid)
    }
    assert uuids(coord.get(f"/api/v1/aanmeldingen?dossier={world.dossier_a.uuid}")) == {
        str(a1.uuid)
    }
    assert uuids(coord.get(f"/api/v1/contactmomenten?aanmelding={a2.uuid}")) == set()
    assert uuids(coord.get(f"/api/v1/contactmomenten?dossier={world.dossier_a.uuid}")) == {
        c["uuid"]
    }
    reason(coord.get("/api/v1/aanmeldingen?status=onbekend"), "status")


def test_lists_in_a_fixed_number_of_queries(world, api):
    mb = api(world.begeleider_a)

    def queries(url: str, n: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = mb.get(url)
        assert r.status_code == 200 and r.json()["count"] == n, r.content[:500]
        return len(ctx.captured_queries)

    def erbij() -> None:
        with scopes_disabled():
            dossier = DossierFactory(
                gemeente=world.gemeente_a,
                werkcoach=world.werkcoach_a,
                begeleider=world.begeleider_a,
            )
            a = lopende(dossier)
            services.contact_vastleggen(
                user=world.begeleider_a,
                aanmelding=a,
                uuid=uuid.uuid4(),
                vervolgacties=[
                    services.NieuweActie("Bellen", "begeleider", vandaag() + timedelta(days=3))
                ],
                tijdstip=timezone.now() - timedelta(hours=1),
                soort="telefonisch",
                duur_minuten=15,
                verslag="Gebeld.",
            )

    contact(api, world)
    een = [
        queries(url, 1)
        for url in ("/api/v1/aanmeldingen", "/api/v1/contactmomenten", "/api/v1/vervolgacties")
    ]
    for _ in range(4):
        erbij()
    vijf = [
        queries(url, 5)
        for url in ("/api/v1/aanmeldingen", "/api/v1/contactmomenten", "/api/v1/vervolgacties")
    ]
    assert een == vijf
