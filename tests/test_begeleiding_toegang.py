"""Privacy of maatschappelijke begeleiding through the hub's own paths: the caseload and its
search, the dossier page and timeline, the dossier history, the dossier API and the person
search — for the coördinator, the begeleider, a colleague begeleider, another partner
organisation and another gemeente. Outside one's running begeleidingen: a 404 and no trace in a
list; another client's contacts never show; a partner role never sees medical intake domains,
trauma signals or handhaving. And a werkcoach cannot hand a partner a dossier by filling in
``begeleider`` on the dossier (form or API): only an accepted referral grants access."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django_scopes import scopes_disabled

from begeleiding.models import Aanmelding, Contactmoment
from cases.historie import dossier_historie
from cases.models import Dossier
from cases.policy import dossiers_for, gebeurtenissen_voor
from inburgering.core.access import user_scope

from .begeleiding_helpers import aanmelden, accepteren, contact, nieuw_dossier, partners
from .klok import vandaag_fixture

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)

pytestmark = pytest.mark.django_db


@dataclass
class Stand:
    """Four begeleidingen and a referral, each with a contact whose report names its client."""

    x: Dossier  # begeleider A (partner A)
    y: Dossier  # colleague begeleider A2 (partner A)
    z: Dossier  # begeleider B (partner B, also in gemeente A)
    h: Dossier  # gemeente B, its own partner
    w: Dossier  # referred to partner A, not yet accepted
    p: object


def verslag(dossier: Dossier) -> str:
    return f"Verslag-{dossier.inburgeraar.achternaam}"


@pytest.fixture
def stand(world) -> Stand:
    p = partners(world)

    def begeleiding(organisatie, coordinator, begeleider, **kwargs) -> Dossier:
        dossier = nieuw_dossier(world, **kwargs)
        a = aanmelden(world, dossier, organisatie=organisatie)
        a = accepteren(a, coordinator, begeleider)
        contact(
            a,
            begeleider,
            verslag=verslag(dossier),
            signaal_werkcoach=True,
            signaal_toelichting=f"Signaal-{dossier.inburgeraar.achternaam}",
        )
        return dossier

    x = begeleiding(world.partner_a, p.coordinator_a, world.begeleider_a, in_intake=True)
    y = begeleiding(world.partner_a, p.coordinator_a, world.begeleider_a2)
    z = begeleiding(p.partner_b, p.coordinator_b, p.begeleider_b)
    h = begeleiding(
        p.partner_hogeland,
        p.coordinator_hogeland,
        p.begeleider_hogeland,
        gemeente=world.gemeente_b,
        werkcoach=world.werkcoach_b,
    )
    w = nieuw_dossier(world)
    aanmelden(world, w)
    return Stand(x=x, y=y, z=z, h=h, w=w, p=p)


def zichtbaar(world, s: Stand) -> dict[str, set[Dossier]]:
    """Who reaches which of the dossiers (the world's own two have a begeleiding too)."""
    return {
        "coord_a": {s.x, s.y, world.dossier_a, world.dossier_a2},
        "mb_a": {s.x, world.dossier_a},
        "mb_a2": {s.y, world.dossier_a2},
        "aud_p": {s.x, s.y, world.dossier_a, world.dossier_a2},
        "coord_b": {s.z},
        "mb_b": {s.z},
        "coord_hl": {s.h},
        "mb_hl": {s.h},
        "wc_b": {s.h, world.dossier_b},
    }


ROLLEN = ["coord_a", "mb_a", "mb_a2", "aud_p", "coord_b", "mb_b", "coord_hl", "mb_hl", "wc_b"]


def gebruiker(world, s: Stand, naam: str):
    from inburgering.accounts.models import User

    return User.objects.get(username=naam)


def rijen(html: str) -> list[str]:
    """The dossiers a caseload page lists (its rows)."""
    return re.findall(r'<tr data-dossier="([^"]+)"', html)


def alle(world, s: Stand) -> list[Dossier]:
    return [s.x, s.y, s.z, s.h, s.w, world.dossier_a, world.dossier_a2, world.dossier_b]


@pytest.mark.parametrize("naam", ROLLEN)
def test_dossiers_for_is_exactly_the_running_begeleidingen(world, stand, naam):
    user = gebruiker(world, stand, naam)
    with user_scope(user):
        assert set(dossiers_for(user)) == zichtbaar(world, stand)[naam]


@pytest.mark.parametrize("naam", ROLLEN)
def test_the_caseload_lists_only_what_the_user_reaches(world, stand, login, naam):
    user = gebruiker(world, stand, naam)
    html = login(user).get("/dossiers/?werkcoach=alle&gesloten=1").content.decode()
    zien = zichtbaar(world, stand)[naam]
    assert set(rijen(html)) == {str(d.uuid) for d in zien}
    for dossier in alle(world, stand):
        naam_ = dossier.inburgeraar.achternaam
        assert (naam_ in html) is (dossier in zien), (naam, naam_)
    assert "Verslag-" not in html and "Signaal-" not in html


@pytest.mark.parametrize("naam", ["coord_a", "mb_a", "mb_a2", "coord_b", "mb_hl"])
def test_the_search_finds_nobody_outside(world, stand, login, naam):
    user = gebruiker(world, stand, naam)
    client = login(user)
    zien = zichtbaar(world, stand)[naam]
    for dossier in (stand.x, stand.y, stand.z, stand.h, stand.w):
        for term in (dossier.inburgeraar.achternaam, dossier.inburgeraar.bsn):
            client.post("/dossiers/zoeken/", {"zoekterm": term})
            html = client.get("/dossiers/?werkcoach=alle").content.decode()
            verwacht = [str(dossier.uuid)] if dossier in zien else []
            assert rijen(html) == verwacht, (naam, term)
    # the API's person search (BSN in the body) agrees
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token, _ = Token.objects.get_or_create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for dossier in (stand.x, stand.y, stand.z, stand.h, stand.w):
        body = api.post(
            "/api/v1/inburgeraars/zoeken", {"bsn": dossier.inburgeraar.bsn}, format="json"
        )
        assert body.status_code in (200, 403), body.content
        inhoud = body.content.decode()
        if dossier not in zien:
            assert dossier.inburgeraar.achternaam not in inhoud, (naam, dossier)


@pytest.mark.parametrize("naam", ROLLEN)
def test_the_dossier_pages_are_404_outside(world, stand, login, naam):
    user = gebruiker(world, stand, naam)
    client = login(user)
    zien = zichtbaar(world, stand)[naam]
    for dossier in (stand.x, stand.y, stand.z, stand.h, stand.w):
        for pad in ("", "tijdlijn/", "begeleiding/", "historie/"):
            response = client.get(f"/dossiers/{dossier.uuid}/{pad}")
            if dossier not in zien:
                assert response.status_code == 404, (naam, pad)
            else:
                assert response.status_code in (200, 404), (naam, pad)
            # another client's contact never shows on any page
            html = response.content.decode()
            for ander in (stand.x, stand.y, stand.z, stand.h):
                if ander != dossier:
                    assert verslag(ander) not in html, (naam, pad)


@pytest.mark.parametrize("naam", ROLLEN)
def test_the_dossier_api_lists_and_serves_only_what_the_user_reaches(world, stand, api, naam):
    user = gebruiker(world, stand, naam)
    client = api(user)
    lijst = client.get("/api/v1/dossiers?pageSize=100").json()
    assert {d["uuid"] for d in lijst["results"]} == {
        str(d.uuid) for d in zichtbaar(world, stand)[naam]
    }
    for dossier in (stand.x, stand.y, stand.z, stand.h, stand.w):
        response = client.get(f"/api/v1/dossiers/{dossier.uuid}")
        assert response.status_code == (200 if dossier in zichtbaar(world, stand)[naam] else 404)
        tijdlijn = client.get(f"/api/v1/dossiers/{dossier.uuid}/tijdlijn")
        if dossier not in zichtbaar(world, stand)[naam]:
            assert tijdlijn.status_code == 404
        assert "Verslag-" not in tijdlijn.content.decode()


def test_the_timeline_names_a_contact_never_its_report_nor_another_clients(world, stand, login):
    for user in (world.werkcoach_a, world.begeleider_a, stand.p.coordinator_a):
        with user_scope(user):
            rijen = list(gebeurtenissen_voor(user, stand.x))
        soorten = {g.soort for g in rijen}
        assert {"begeleiding.aangemeld", "begeleiding.geaccepteerd", "begeleiding.contact"} <= (
            soorten
        ), user
        assert {g.dossier_id for g in rijen} == {stand.x.pk}
        html = login(user).get(f"/dossiers/{stand.x.uuid}/tijdlijn/").content.decode()
        assert "Contact with the begeleider (home visit) on 15-06-2026, 60 minutes." in html, user
        assert verslag(stand.x) not in html and verslag(stand.y) not in html


def test_the_history_of_a_dossier_holds_only_its_own_contacts(world, stand, login):
    # the werkcoach sees the contact's report in the history of its own dossier only
    html = login(world.werkcoach_a).get(f"/dossiers/{stand.x.uuid}/historie/").content.decode()
    assert verslag(stand.x) in html
    assert verslag(stand.y) not in html and verslag(stand.z) not in html
    # the partner's auditor reads the history of the organisation's begeleidingen (no other's)
    with user_scope(world.partner_auditor_a):
        regels = dossier_historie(stand.x, world.partner_auditor_a)
    tekst = repr(regels)
    assert verslag(stand.x) in tekst
    for ander in (stand.y, stand.z, stand.h):
        assert verslag(ander) not in tekst
    with user_scope(world.partner_auditor_a):
        assert verslag(stand.z) not in repr(dossier_historie(stand.z, world.partner_auditor_a))
    # the begeleider and the coördinator have no history page
    for user in (world.begeleider_a, stand.p.coordinator_a):
        assert login(user).get(f"/dossiers/{stand.x.uuid}/historie/").status_code == 404


def test_history_records_follow_the_readers_reach(world, stand):
    """A history source filters its rows by the reader's policy: the werkcoach of gemeente A
    reads every contact version of dossier X; a partner outside reads none of them."""
    with scopes_disabled():
        aantal = Contactmoment.history.filter(dossier_id=stand.x.pk).count()
    assert aantal >= 2  # created, then numbered as a signal
    from begeleiding.onderdeel import _contact_records

    with user_scope(world.werkcoach_a):
        assert len(_contact_records(world.werkcoach_a, stand.x)) == aantal
    for user in (world.begeleider_a2, stand.p.coordinator_b, stand.p.begeleider_b):
        with user_scope(user):
            assert _contact_records(user, stand.x) == []
    with user_scope(stand.p.coordinator_hogeland):
        assert _contact_records(stand.p.coordinator_hogeland, stand.x) == []


# --- need-to-know: medical domains, trauma signals, handhaving ------------------------------------


GEHEIM = "Melding Veilig Thuis SIGNAAL-4412"
MEDISCH = "Diagnose PTSS, medicatie"


@pytest.fixture
def gevoelig(world, stand):
    """Dossier X with an intake holding a trauma signal and a medical domain, and a handhaving
    procedure (a verzuim) — what no partner role may see."""
    from pip_plans import services as pip_services
    from pip_plans.constants import Beoordeling, Domein

    with user_scope(world.werkcoach_a):
        intake = pip_services.intake_starten(user=world.werkcoach_a, dossier=stand.x)
        pip_services.intake_bijwerken(user=world.werkcoach_a, intake=intake, signalen=GEHEIM)
        pip_services.intake_domein_opslaan(
            user=world.werkcoach_a,
            intake=intake,
            domein=Domein.MENTALE_GEZONDHEID,
            beoordeling=Beoordeling.AANDACHT,
            toelichting=MEDISCH,
        )
    from .handhaving_stappen import verzuim

    procedure = verzuim(world, dossier=stand.x)
    return intake, procedure


@pytest.mark.parametrize("wie", ["coordinator", "begeleider"])
def test_a_partner_role_never_sees_medical_domains_trauma_signals_or_handhaving(
    world, stand, gevoelig, login, api, wie
):
    intake, procedure = gevoelig
    user = stand.p.coordinator_a if wie == "coordinator" else world.begeleider_a
    client = login(user)
    paginas = [f"/dossiers/{stand.x.uuid}/{pad}" for pad in ("", "tijdlijn/", "begeleiding/")]
    paginas += [
        f"/dossiers/{stand.x.uuid}/intake/",
        f"/dossiers/{stand.x.uuid}/handhaving/",
        f"/pip/intake/{intake.uuid}/",
    ]
    for pad in paginas:
        response = client.get(pad)
        html = response.content.decode()
        assert GEHEIM not in html and MEDISCH not in html, pad
        assert "handhaving." not in " ".join(re.findall(r'data-soort="([^"]+)"', html)), pad
    assert client.get(f"/dossiers/{stand.x.uuid}/handhaving/").status_code == 404
    overzicht = client.get(f"/dossiers/{stand.x.uuid}/").content.decode()
    tabs = re.findall(r'data-sectie="([^"]+)"', overzicht)
    assert "handhaving" not in tabs and "historie" not in tabs
    if wie == "coordinator":  # no intake at all: the coördinator reads the referral, not the PIP
        assert "intake" not in tabs and "pip" not in tabs
        assert client.get(f"/dossiers/{stand.x.uuid}/intake/").status_code == 404
        assert client.get(f"/pip/intake/{intake.uuid}/").status_code == 404
        assert api(user).get(f"/api/v1/intakes/{intake.uuid}").status_code == 404
        assert api(user).get("/api/v1/intakes").json()["count"] == 0
    else:  # the begeleider reads the intake, without the medical domains and signals
        assert "intake" in tabs
        assert client.get(f"/pip/intake/{intake.uuid}/").status_code == 200
    with user_scope(user):
        soorten = {g.soort for g in gebeurtenissen_voor(user, stand.x)}
    assert not {s for s in soorten if s.startswith("handhaving.")}
    api_client = api(user)
    for pad in (
        f"/api/v1/dossiers/{stand.x.uuid}/tijdlijn",
        f"/api/v1/intakes/{intake.uuid}",
        "/api/v1/intakes",
        "/api/v1/procedures",
        f"/api/v1/procedures/{procedure.uuid}",
    ):
        response = api_client.get(pad)
        inhoud = response.content.decode()
        assert GEHEIM not in inhoud and MEDISCH not in inhoud, pad
        assert "handhaving." not in inhoud, pad
    assert api_client.get(f"/api/v1/procedures/{procedure.uuid}").status_code in (403, 404)
    # the werkcoach does see all three (so the checks above can fail)
    wc = login(world.werkcoach_a)
    assert GEHEIM in wc.get(f"/pip/intake/{intake.uuid}/").content.decode()
    assert "handhaving.verzuim" in wc.get(f"/dossiers/{stand.x.uuid}/tijdlijn/").content.decode()


# --- the dossier no longer takes a begeleider ----------------------------------------------------


def test_the_dossier_form_has_no_begeleider_and_ignores_one_posted(world, stand, login):
    client = login(world.werkcoach_a)
    url = f"/dossiers/{stand.w.uuid}/bewerken/"
    assert 'name="begeleider"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "werkcoach": world.werkcoach_a.pk,
            "begeleider": world.begeleider_a.pk,
            "datum_koppeling": stand.w.datum_koppeling.isoformat(),
            "reden": "Poging",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Dossier.objects.get(pk=stand.w.pk).begeleider is None
    with user_scope(world.begeleider_a):
        assert not dossiers_for(world.begeleider_a).filter(pk=stand.w.pk).exists()
    assert 'name="begeleider"' not in client.get("/dossiers/nieuw/").content.decode()


def test_the_dossier_api_shows_the_begeleider_but_does_not_take_one(world, stand, api):
    client = api(world.werkcoach_a)
    data = client.get(f"/api/v1/dossiers/{stand.x.uuid}").json()
    assert data["begeleider"] == str(world.begeleider_a.uuid)
    response = client.patch(
        f"/api/v1/dossiers/{stand.w.uuid}",
        {"begeleider": str(world.begeleider_a.uuid), "coaReferentie": "TVS-1"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["begeleider"] is None
    with scopes_disabled():
        assert Dossier.objects.get(pk=stand.w.pk).begeleider is None
        # the pending referral is untouched
        assert Aanmelding.objects.get(dossier=stand.w).status == "aangemeld"
    assert api(world.begeleider_a).get(f"/api/v1/dossiers/{stand.w.uuid}").status_code == 404
