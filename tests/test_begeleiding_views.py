"""The begeleiding screens: the dossier section for each role, the referral (informed and
consent), the coördinator's accept/decline/reassign, the begeleider's contacts (a double submit
records once), the correction's version conflict, the signal followed up, and the start page
and referrals page at a fixed number of queries. Visibility is a 404, acting without the right
a 403; a refusal re-renders with status 400 and the service's message at its field."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from begeleiding import services
from begeleiding.constants import AanmeldingStatus
from begeleiding.models import Aanmelding, BegeleidingBeleid, Contactmoment, Vervolgactie
from cases.models import Signaal
from inburgering.accounts.constants import Rol
from pip_plans.constants import PipStatus
from pip_plans.models import Pip

from .factories import DossierFactory, partner, user_met_rol
from .klok import moment, vandaag_fixture

pytestmark = pytest.mark.django_db

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)


def _sectie(dossier) -> str:
    return f"/dossiers/{dossier.uuid}/begeleiding/"


def _coordinator(world):
    with scopes_disabled():
        return user_met_rol(Rol.COORDINATOR, world.partner_a, username="coord_a")


def _lopend(dossier) -> Aanmelding:
    with scopes_disabled():
        return Aanmelding.objects.get(dossier=dossier, status=AanmeldingStatus.LOOPT)


def _aangemeld(world, dossier=None) -> Aanmelding:
    with scopes_disabled():
        dossier = dossier or DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        return services.aanmelden(
            user=world.werkcoach_a,
            dossier=dossier,
            organisatie=world.partner_a,
            afspraken="Hulp bij wonen en geldzaken.",
            voor_partner="Spreekt Tigrinya; tolk nodig.",
            geinformeerd_op=VANDAAG - timedelta(days=1),
        )


def _contact_data(**extra) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "soort": "huisbezoek",
        "tijdstip": "2026-06-15T09:00",
        "duur_minuten": "45",
        "aanwezig": ["tolk"],
        "onderwerpen": ["wonen", "geldzaken"],
        "verslag": "Post doorgenomen, huurcontract uitgelegd.",
        **extra,
    }


def _fouten(response) -> dict[str, list[str]]:
    """The refused form's errors by field, from the context (``None`` for the whole form)."""
    for context in response.context:
        flat = context.flatten()
        for key, value in [*flat.items(), *(flat.get("sectie") or {}).items()]:
            if key.endswith("form") and getattr(value, "is_bound", False) and value.errors:
                return {k: [str(m) for m in v] for k, v in value.errors.items()}
    return {}


def _queries(client, pad: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(pad).status_code == 200
    return len(ctx.captured_queries)


# --- who sees the section ----------------------------------------------------------------------


def test_section_renders_per_role_and_is_404_outside(world, login):
    pad = _sectie(world.dossier_a)
    for user, vorm in (
        (world.werkcoach_a, "intrekken-form"),
        (world.teamleider_a, "intrekken-form"),
        (world.begeleider_a, "contact-form"),
    ):
        r = login(user).get(pad)
        assert r.status_code == 200, user
        html = r.content.decode()
        assert 'id="begeleiding-huidig"' in html and f'id="{vorm}"' in html
    # the gemeente's auditor and the partner's read it, without any form
    for user in (world.auditor_a, world.partner_auditor_a):
        html = login(user).get(pad).content.decode()
        assert 'id="begeleiding-huidig"' in html
        assert '<form method="post" action="/begeleiding/' not in html
    # a colleague begeleider, another gemeente: no such dossier
    assert login(world.begeleider_a2).get(pad).status_code == 404
    assert login(world.werkcoach_b).get(pad).status_code == 404
    # another partner organisation working in the same gemeente
    with scopes_disabled():
        ander = partner(world.gemeente_a)
        begeleider_b = user_met_rol(Rol.BEGELEIDER, ander, username="mb_b")
        coordinator_b = user_met_rol(Rol.COORDINATOR, ander, username="coord_b")
    assert login(begeleider_b).get(pad).status_code == 404
    assert login(coordinator_b).get(pad).status_code == 404
    assert world.dossier_a.inburgeraar.achternaam not in (
        login(coordinator_b).get("/begeleiding/aanmeldingen/").content.decode()
    )


def test_coordinator_reaches_the_dossier_only_after_accepting(world, login):
    coordinator = _coordinator(world)
    aanmelding = _aangemeld(world)
    dossier = aanmelding.dossier
    c = login(coordinator)
    assert c.get(_sectie(dossier)).status_code == 404
    assert c.get(f"/dossiers/{dossier.uuid}/").status_code == 404
    html = c.get("/begeleiding/aanmeldingen/").content.decode()
    assert f'data-aanmelding="{aanmelding.uuid}"' in html
    assert dossier.inburgeraar.volledige_naam in html
    assert "Spreekt Tigrinya" in html
    r = c.post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/accepteren/",
        {"begeleider": world.begeleider_a2.pk, "startdatum": "2026-06-15"},
    )
    assert r.status_code == 302 and r["Location"] == "/begeleiding/aanmeldingen/"
    assert c.get(_sectie(dossier)).status_code == 200
    assert login(world.begeleider_a2).get(_sectie(dossier)).status_code == 200
    assert login(world.begeleider_a).get(_sectie(dossier)).status_code == 404


def test_access_ends_after_the_end_date(world, login):
    with scopes_disabled():
        Aanmelding.objects.filter(dossier=world.dossier_a).update(
            einddatum=VANDAAG - timedelta(days=1)
        )
    c = login(world.begeleider_a)
    assert c.get(_sectie(world.dossier_a)).status_code == 404
    assert f'data-dossier="{world.dossier_a.uuid}"' not in c.get("/begeleiding/").content.decode()
    assert login(world.werkcoach_a).get(_sectie(world.dossier_a)).status_code == 200


def test_pages_refuse_the_wrong_role(world, login):
    coordinator = _coordinator(world)
    assert login(world.werkcoach_a).get("/begeleiding/").status_code == 403
    assert login(coordinator).get("/begeleiding/").status_code == 403
    assert login(world.begeleider_a).get("/begeleiding/aanmeldingen/").status_code == 403
    assert login(world.werkcoach_a).get("/begeleiding/aanmeldingen/").status_code == 403
    assert login(coordinator).get("/begeleiding/aanmeldingen/").status_code == 200
    assert login(world.begeleider_a).get("/begeleiding/").status_code == 200
    aanmelding = _lopend(world.dossier_a)
    # the werkcoach records no contact; the begeleider withdraws nothing; the auditor nothing
    r = login(world.werkcoach_a).post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/contact/", _contact_data()
    )
    assert r.status_code == 403
    r = login(world.begeleider_a).post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/intrekken/", {"ingetrokken_reden": "x"}
    )
    assert r.status_code == 403
    r = login(world.auditor_a).post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/intrekken/", {"ingetrokken_reden": "x"}
    )
    assert r.status_code == 403
    # the colleague begeleider does not even find it
    r = login(world.begeleider_a2).post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/contact/", _contact_data()
    )
    assert r.status_code == 404
    with scopes_disabled():
        assert not Contactmoment.objects.exists()
        assert _lopend(world.dossier_a).status == AanmeldingStatus.LOOPT


# --- the referral --------------------------------------------------------------------------------


def _verwijs_data(world, **extra) -> dict:
    return {
        "organisatie": world.partner_a.pk,
        "afspraken": "Hulp bij wonen.",
        "voor_partner": "",
        "geinformeerd_op": "2026-06-14",
        "toestemming_op": "",
        "einddatum": "2027-06-15",
        **extra,
    }


def test_refer_needs_the_informed_date_and_keeps_the_input(world, login):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    c = login(world.werkcoach_a)
    html = c.get(_sectie(dossier)).content.decode()
    assert 'id="aanmelden-form"' in html
    assert 'value="2027-06-15"' in html  # the gemeente's default end date (12 months) prefilled
    r = c.post(
        f"/begeleiding/dossiers/{dossier.uuid}/aanmelden/",
        _verwijs_data(world, geinformeerd_op="", afspraken="Eigen tekst die blijft staan."),
    )
    assert r.status_code == 400
    fouten = _fouten(r)
    assert "AVG art. 13" in " ".join(fouten["geinformeerd_op"])
    html = r.content.decode()
    assert 'id="id_aanmelden-geinformeerd_op_error"' in html
    assert "Eigen tekst die blijft staan." in html
    with scopes_disabled():
        assert not Aanmelding.objects.filter(dossier=dossier).exists()
    r = c.post(f"/begeleiding/dossiers/{dossier.uuid}/aanmelden/", _verwijs_data(world))
    assert r.status_code == 302 and r["Location"].startswith(_sectie(dossier))
    with scopes_disabled():
        a = Aanmelding.objects.get(dossier=dossier)
    assert a.status == AanmeldingStatus.AANGEMELD and a.einddatum == date(2027, 6, 15)
    html = c.get(_sectie(dossier)).content.decode()
    assert 'data-status="aangemeld"' in html and 'id="aanmelden-form"' not in html


def test_consent_required_by_the_gemeente_policy(world, login):
    with scopes_disabled():
        BegeleidingBeleid.objects.create(gemeente=world.gemeente_a, toestemming_vereist=True)
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    c = login(world.werkcoach_a)
    html = c.get(_sectie(dossier)).content.decode()
    assert "policy asks for the person&#x27;s consent" in html
    r = c.post(f"/begeleiding/dossiers/{dossier.uuid}/aanmelden/", _verwijs_data(world))
    assert r.status_code == 400
    assert "consent" in " ".join(_fouten(r)["toestemming_op"])
    r = c.post(
        f"/begeleiding/dossiers/{dossier.uuid}/aanmelden/",
        _verwijs_data(world, toestemming_op="2026-06-14"),
    )
    assert r.status_code == 302
    with scopes_disabled():
        assert Aanmelding.objects.get(dossier=dossier).toestemming_op == date(2026, 6, 14)


def test_agreements_prefilled_from_the_pip_theme_4(world, login):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        Pip.objects.create(
            dossier=dossier,
            status=PipStatus.CONCEPT,
            voortgangsgesprekken_per_jaar=4,
            maatschappelijke_begeleiding=True,
            workshops="Budgetcursus bij de bibliotheek",
            kinderopvang="BSO drie middagen",
        )
    html = login(world.werkcoach_a).get(_sectie(dossier)).content.decode()
    assert "Budgetcursus bij de bibliotheek" in html
    assert "BSO drie middagen" in html
    assert "Progress conversations per year: 4" in html


def test_withdraw_change_end_and_review(world, login):
    aanmelding = _lopend(world.dossier_a)
    c = login(world.werkcoach_a)
    basis = f"/begeleiding/aanmeldingen/{aanmelding.uuid}"
    r = c.post(f"{basis}/einddatum/", {"einddatum": "2027-03-01", "reden": ""})
    assert r.status_code == 400 and "reden" in _fouten(r)
    r = c.post(f"{basis}/einddatum/", {"einddatum": "2027-03-01", "reden": "Verlengd na evaluatie"})
    assert r.status_code == 302
    r = c.post(
        f"{basis}/evaluatie/", {"evaluatie_op": "2026-06-10", "evaluatie_verslag": "Loopt goed."}
    )
    assert r.status_code == 302
    html = c.get(_sectie(world.dossier_a)).content.decode()
    assert "01-03-2027" in html and "Loopt goed." in html
    r = c.post(f"{basis}/intrekken/", {"ingetrokken_reden": ""})
    assert r.status_code == 400 and "ingetrokken_reden" in _fouten(r)
    r = c.post(f"{basis}/intrekken/", {"ingetrokken_reden": "Verhuist naar elders."})
    assert r.status_code == 302
    with scopes_disabled():
        aanmelding.refresh_from_db()
    assert aanmelding.status == AanmeldingStatus.INGETROKKEN
    html = c.get(_sectie(world.dossier_a)).content.decode()
    assert "Verhuist naar elders." in html and 'id="aanmelden-form"' in html
    assert login(world.begeleider_a).get(_sectie(world.dossier_a)).status_code == 404


# --- the coördinator -----------------------------------------------------------------------------


def test_accept_decline_and_reassign(world, login):
    coordinator = _coordinator(world)
    eerste = _aangemeld(world)
    tweede = _aangemeld(world)
    c = login(coordinator)
    # accept without a begeleider: refused at the field
    r = c.post(f"/begeleiding/aanmeldingen/{eerste.uuid}/accepteren/", {"begeleider": ""})
    assert r.status_code == 400 and "begeleider" in _fouten(r)
    assert f'id="id_accepteren-{eerste.pk}-begeleider_error"' in r.content.decode()
    r = c.post(
        f"/begeleiding/aanmeldingen/{eerste.uuid}/accepteren/",
        {"begeleider": world.begeleider_a.pk, "startdatum": ""},
    )
    assert r.status_code == 302
    # decline needs a reason, which the werkcoach then reads
    r = c.post(f"/begeleiding/aanmeldingen/{tweede.uuid}/afwijzen/", {"afwijsreden": " "})
    assert r.status_code == 400 and "afwijsreden" in _fouten(r)
    r = c.post(
        f"/begeleiding/aanmeldingen/{tweede.uuid}/afwijzen/",
        {"afwijsreden": "Geen plek tot september."},
    )
    assert r.status_code == 302
    with scopes_disabled():
        eerste.refresh_from_db()
        tweede.refresh_from_db()
    assert eerste.status == AanmeldingStatus.LOOPT and eerste.begeleider == world.begeleider_a
    assert eerste.startdatum == VANDAAG
    assert tweede.status == AanmeldingStatus.AFGEWEZEN
    html = login(world.werkcoach_a).get(_sectie(tweede.dossier)).content.decode()
    assert "Geen plek tot september." in html and 'data-status="afgewezen"' in html
    # reassign to the colleague: the first begeleider loses the dossier
    c = login(coordinator)
    html = c.get("/begeleiding/aanmeldingen/").content.decode()
    assert f'id="toewijzen-{eerste.pk}-form"' in html
    r = c.post(
        f"/begeleiding/aanmeldingen/{eerste.uuid}/toewijzen/",
        {"begeleider": world.begeleider_a2.pk},
    )
    assert r.status_code == 302
    assert login(world.begeleider_a).get(_sectie(eerste.dossier)).status_code == 404
    assert login(world.begeleider_a2).get(_sectie(eerste.dossier)).status_code == 200
    # the werkcoach does not decide for the partner
    derde = _aangemeld(world)
    r = login(world.werkcoach_a).post(
        f"/begeleiding/aanmeldingen/{derde.uuid}/accepteren/",
        {"begeleider": world.begeleider_a.pk},
    )
    assert r.status_code == 403


# --- contacts ------------------------------------------------------------------------------------


def test_contact_double_submit_records_once(world, login):
    aanmelding = _lopend(world.dossier_a)
    c = login(world.begeleider_a)
    html = c.get(_sectie(world.dossier_a)).content.decode()
    assert 'name="uuid"' in html and 'id="contact-form"' in html
    data = _contact_data(
        actie_1_omschrijving="Belastingdienst bellen",
        actie_1_eigenaar="begeleider",
        actie_1_deadline="2026-06-22",
    )
    pad = f"/begeleiding/aanmeldingen/{aanmelding.uuid}/contact/"
    eerste = c.post(pad, data)
    tweede = c.post(pad, data)
    assert eerste.status_code == tweede.status_code == 302
    with scopes_disabled():
        assert Contactmoment.objects.filter(aanmelding=aanmelding).count() == 1
        assert Vervolgactie.objects.filter(dossier=world.dossier_a).count() == 1
        contact = Contactmoment.objects.get()
    html = c.get(_sectie(world.dossier_a), follow=True).content.decode()
    assert f'data-contact="{contact.uuid}"' in html
    assert "Belastingdienst bellen" in html and "version 1" in html
    # two renders carry two identifiers
    assert (
        c.get(_sectie(world.dossier_a)).context["sectie"]["contact_form"].initial["uuid"]
        != (c.get(_sectie(world.dossier_a)).context["sectie"]["contact_form"].initial["uuid"])
    )


def test_contact_refused_keeps_the_input(world, login):
    aanmelding = _lopend(world.dossier_a)
    c = login(world.begeleider_a)
    data = _contact_data(signaal_werkcoach="on", signaal_toelichting="", verslag="Mijn verslag.")
    r = c.post(f"/begeleiding/aanmeldingen/{aanmelding.uuid}/contact/", data)
    assert r.status_code == 400
    assert "signaal_toelichting" in _fouten(r)
    html = r.content.decode()
    assert "Mijn verslag." in html and data["uuid"] in html  # the same identifier on retry
    with scopes_disabled():
        assert not Contactmoment.objects.exists()


def test_signal_reaches_the_werkcoach_and_is_followed_up(world, login):
    aanmelding = _lopend(world.dossier_a)
    c = login(world.begeleider_a)
    r = c.post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/contact/",
        _contact_data(signaal_werkcoach="on", signaal_toelichting="Huurachterstand dreigt."),
    )
    assert r.status_code == 302
    with scopes_disabled():
        contact = Contactmoment.objects.get()
        assert Signaal.objects.filter(ontvanger=world.werkcoach_a, dossier=world.dossier_a).exists()
    # the begeleider sees the flag (as text) but no follow-up button
    html = c.get(_sectie(world.dossier_a)).content.decode()
    assert "Signal for the werkcoach" in html and 'data-knop="signaal-opgevolgd"' not in html
    assert (
        login(world.begeleider_a)
        .post(f"/begeleiding/contactmomenten/{contact.uuid}/signaal-opgevolgd/")
        .status_code
        == 403
    )
    wc = login(world.werkcoach_a)
    html = wc.get(_sectie(world.dossier_a)).content.decode()
    assert "Huurachterstand dreigt." in html and "Not yet followed up." in html
    assert 'data-knop="signaal-opgevolgd"' in html
    signalen = wc.get("/dossiers/signalen/").content.decode()
    assert f'href="/dossiers/{world.dossier_a.uuid}/' in signalen
    r = wc.post(f"/begeleiding/contactmomenten/{contact.uuid}/signaal-opgevolgd/")
    assert r.status_code == 302
    with scopes_disabled():
        contact.refresh_from_db()
    assert contact.signaal_opgevolgd_op == VANDAAG
    html = wc.get(_sectie(world.dossier_a)).content.decode()
    assert "Followed up on 15-06-2026." in html


def test_correction_conflict_shows_the_server_version_and_keeps_input(world, login):
    aanmelding = _lopend(world.dossier_a)
    with scopes_disabled():
        contact, _ = services.contact_vastleggen(
            user=world.begeleider_a,
            aanmelding=aanmelding,
            tijdstip=moment(VANDAAG, 9),
            soort="huisbezoek",
            duur_minuten=30,
            verslag="Eerste verslag.",
        )
    c = login(world.begeleider_a)
    pad = f"/begeleiding/contactmomenten/{contact.uuid}/corrigeren/"
    r = c.get(pad)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Eerste verslag." in html and 'name="versie" value="1"' in html
    # meanwhile the phone sends its own correction: version 2
    with scopes_disabled():
        services.contact_corrigeren(
            user=world.begeleider_a, contact=contact, versie=1, verslag="Correctie vanaf telefoon."
        )
    mijn = {
        "versie": "1",
        "soort": "huisbezoek",
        "tijdstip": "2026-06-15T09:00",
        "duur_minuten": "40",
        "verslag": "Mijn correctie aan het bureau.",
    }
    r = c.post(pad, mijn)
    assert r.status_code == 409
    html = r.content.decode()
    assert 'id="versie-conflict"' in html and 'role="alert"' in html
    assert "Correctie vanaf telefoon." in html  # the server's version
    assert "Mijn correctie aan het bureau." in html  # the user's input, kept
    assert 'name="versie" value="2"' in html  # resolving it corrects the newest version
    with scopes_disabled():
        contact.refresh_from_db()
    assert contact.versie == 2 and contact.verslag == "Correctie vanaf telefoon."
    r = c.post(pad, {**mijn, "versie": "2"})
    assert r.status_code == 302
    with scopes_disabled():
        contact.refresh_from_db()
    assert contact.versie == 3 and contact.verslag == "Mijn correctie aan het bureau."
    html = login(world.werkcoach_a).get(_sectie(world.dossier_a)).content.decode()
    assert "version 3 (corrected)" in html
    # only the assigned begeleider corrects
    assert login(world.werkcoach_a).get(pad).status_code == 403
    assert login(world.begeleider_a2).get(pad).status_code == 404


def test_follow_up_action_done_and_closing_report(world, login):
    aanmelding = _lopend(world.dossier_a)
    with scopes_disabled():
        contact, _ = services.contact_vastleggen(
            user=world.begeleider_a,
            aanmelding=aanmelding,
            tijdstip=moment(VANDAAG, 9),
            soort="telefonisch",
            duur_minuten=15,
            verslag="Gebeld.",
            vervolgacties=[services.NieuweActie("Huurtoeslag aanvragen", "werkcoach", VANDAAG)],
        )
        actie = contact.vervolgacties.get()
    html = login(world.begeleider_a).get("/begeleiding/").content.decode()
    assert f'data-actie="{actie.uuid}"' in html
    wc = login(world.werkcoach_a)
    r = wc.post(f"/begeleiding/vervolgacties/{actie.uuid}/afgerond/")
    assert r.status_code == 302
    with scopes_disabled():
        actie.refresh_from_db()
    assert actie.afgerond_op == VANDAAG
    c = login(world.begeleider_a)
    r = c.post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/afsluiten/", {"afsluitend_verslag": ""}
    )
    assert r.status_code == 400 and "afsluitend_verslag" in _fouten(r)
    r = c.post(
        f"/begeleiding/aanmeldingen/{aanmelding.uuid}/afsluiten/",
        {"afsluitend_verslag": "Zelfstandig op weg.", "open_punten": "Schuldhulp loopt nog."},
    )
    assert r.status_code == 302 and r["Location"] == "/begeleiding/"
    assert c.get(_sectie(world.dossier_a)).status_code == 404
    html = login(world.werkcoach_a).get(_sectie(world.dossier_a)).content.decode()
    assert "Zelfstandig op weg." in html and "Schuldhulp loopt nog." in html
    assert 'data-status="afgesloten"' in html


# --- fixed query counts ---------------------------------------------------------------------------


def _meer_clienten(world, aantal: int) -> None:
    with scopes_disabled():
        for _ in range(aantal):
            dossier = DossierFactory(
                gemeente=world.gemeente_a,
                werkcoach=world.werkcoach_a,
                begeleider=world.begeleider_a,
            )
            services.contact_vastleggen(
                user=world.begeleider_a,
                aanmelding=_lopend(dossier),
                tijdstip=moment(VANDAAG, 8),
                soort="huisbezoek",
                duur_minuten=30,
                verslag="Bezoek.",
                vervolgacties=[
                    services.NieuweActie("Actie", "begeleider", VANDAAG + timedelta(days=3))
                ],
            )


def test_start_page_runs_a_fixed_number_of_queries(world, login):
    c = login(world.begeleider_a)
    een = _queries(c, "/begeleiding/")
    html = c.get("/begeleiding/").content.decode()
    assert html.count("data-dossier=") == 1
    assert world.dossier_a.inburgeraar.volledige_naam in html
    assert world.dossier_a2.inburgeraar.volledige_naam not in html  # the colleague's client
    _meer_clienten(world, 4)
    c = login(world.begeleider_a)
    html = c.get("/begeleiding/").content.decode()
    assert html.count("data-dossier=") == 5 and html.count("data-actie=") == 4
    assert _queries(c, "/begeleiding/") == een


def test_referrals_page_runs_a_fixed_number_of_queries(world, login):
    coordinator = _coordinator(world)
    _aangemeld(world)
    c = login(coordinator)
    een = _queries(c, "/begeleiding/aanmeldingen/")
    for _ in range(4):
        _aangemeld(world)
    _meer_clienten(world, 4)
    c = login(coordinator)
    html = c.get("/begeleiding/aanmeldingen/").content.decode()
    assert html.count('class="aanmelding"') == 5
    assert html.count("toewijzen-") >= 5 * 2 + 2  # the running ones (dossier_a, a2 and 4 more)
    assert _queries(c, "/begeleiding/aanmeldingen/") == een


def test_section_runs_a_fixed_number_of_queries(world, login):
    aanmelding = _lopend(world.dossier_a)

    def contact(i: int) -> None:
        with scopes_disabled():
            services.contact_vastleggen(
                user=world.begeleider_a,
                aanmelding=aanmelding,
                tijdstip=moment(VANDAAG - timedelta(days=i), 9),
                soort="spreekuur",
                duur_minuten=20,
                verslag=f"Spreekuur {i}.",
                signaal_werkcoach=i == 1,
                signaal_toelichting="Let op" if i == 1 else "",
                vervolgacties=[services.NieuweActie(f"Actie {i}", "inburgeraar", VANDAAG)],
            )

    contact(1)
    pad = _sectie(world.dossier_a)
    for user in (world.werkcoach_a, world.begeleider_a):
        c = login(user)
        een = _queries(c, pad)
        for i in range(2, 6):
            contact(i + 10 * (user == world.begeleider_a))
        html = c.get(pad).content.decode()
        assert html.count('class="contact"') >= 5 and html.count('class="vervolgactie"') >= 5
        assert _queries(c, pad) == een, user
