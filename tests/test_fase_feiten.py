"""Issue 8, defect 3 — the phase follows the work.

Rules (Wi 2021): the PIP phase stands on a completed brede intake (art. 14), the inburgering
phase on a vastgestelde PIP (art. 15). The service that records the fact moves the phase on; a
phase change by hand cannot skip past a phase whose fact is missing, and always needs a reason.
Every path: the services, the form on the dossier page and ``POST /api/v1/dossiers/{uuid}/fase``.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from cases import services as case_services
from cases import tijdlijn
from cases.constants import Fase
from cases.models import Dossier, Gebeurtenis
from inburgering.core.access import user_scope
from pip_plans import services
from pip_plans.constants import Domein, PipStatus
from pip_plans.models import BredeIntake

from .factories import DossierFactory, geldige_pip_velden

PDF = b"%PDF-1.7 test"
SHA = hashlib.sha256(PDF).hexdigest()

PIP_VELDEN = geldige_pip_velden(
    ontzorgen_start=date(2026, 6, 1),
    onderwijsroute_overwogen="Geen vooropleiding voor het mbo.",
)

pytestmark = pytest.mark.usefixtures("_vandaag")


@pytest.fixture
def _vandaag():
    with time_machine.travel(date(2026, 6, 15), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def gehuisvest(world, **kwargs) -> Dossier:
    """An asielmigrant's dossier left in 'gehuisvest' though registered in the BRP."""
    with scopes_disabled():
        return DossierFactory(
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            fase=Fase.GEHUISVEST,
            datum_koppeling=date(2026, 3, 1),
            datum_huisvesting=date(2026, 4, 1),
            datum_brp_inschrijving=date(2026, 4, 8),
            **kwargs,
        )


def intake_afgerond(user, dossier, datum=date(2026, 5, 1)) -> BredeIntake:
    with user_scope(user):
        intake = services.intake_starten(user=user, dossier=dossier)
        for d in Domein:
            services.intake_domein_opslaan(
                user=user, intake=intake, domein=d, beoordeling="voldoende"
            )
        services.intake_gesprek_toevoegen(
            user=user, intake=intake, datum=datum, locatie="gemeentehuis"
        )
        services.intake_bijwerken(
            user=user,
            intake=intake,
            leerbaarheid_datum=datum,
            leerbaarheid_score="gemiddeld",
            leerbaarheid_laag=False,
        )
        return services.intake_afronden(user=user, intake=intake, datum=datum)


def pip_vastgesteld(user, dossier, datum=date(2026, 6, 1)):
    with user_scope(user):
        pip = services.pip_aanmaken(user=user, dossier=dossier)
        pip = services.pip_bijwerken(user=user, pip=pip, **PIP_VELDEN)
        pip = services.pip_vaststellen(user=user, pip=pip, datum=datum)
        return services.pip_beschikking_vastleggen(pip=pip, pdf_bytes=PDF, sha256=SHA, user=user)


def fase(dossier) -> str:
    with scopes_disabled():
        return Dossier.objects.get(pk=dossier.pk).fase


# --- the service that records the fact sets the phase --------------------------------------


def test_completing_the_intake_and_issuing_the_pip_move_the_phase_from_gehuisvest(world):
    dossier = gehuisvest(world)
    intake_afgerond(world.werkcoach_a, dossier)
    assert fase(dossier) == Fase.PIP
    pip = pip_vastgesteld(world.werkcoach_a, dossier)
    assert pip.status == PipStatus.VASTGESTELD
    assert fase(dossier) == Fase.INBURGERING
    with scopes_disabled():
        stappen = list(
            Gebeurtenis.objects.filter(dossier=dossier, soort=tijdlijn.DOSSIER_FASE)
            .order_by("id")
            .values_list("gegevens__fase", "gegevens__reden")
        )
    assert stappen == [("pip", "Brede intake completed"), ("inburgering", "PIP issued")]


def test_intake_before_brp_registration_waits_for_the_dates_then_follows(world):
    """An intake completed in the AZC (before BRP registration) cannot put the dossier in the
    PIP phase, which needs the BRP date; recording the dates moves it on."""
    with scopes_disabled():
        dossier = DossierFactory(
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            fase=Fase.GEKOPPELD,
            datum_koppeling=date(2026, 3, 1),
        )
    intake_afgerond(world.werkcoach_a, dossier)
    assert fase(dossier) == Fase.GEKOPPELD
    with user_scope(world.werkcoach_a):
        case_services.dossier_update(
            user=world.werkcoach_a,
            dossier=dossier,
            datum_huisvesting=date(2026, 5, 20),
            datum_brp_inschrijving=date(2026, 5, 25),
        )
    assert fase(dossier) == Fase.PIP


# --- a manual change cannot skip past a missing fact, and needs a reason -------------------


def refusal(user, dossier, naar, reden="Gesprek gehad") -> dict[str, list[str]]:
    with user_scope(user), pytest.raises(ValidationError) as exc:
        case_services.dossier_fase_wijzigen(user=user, dossier=dossier, fase=naar, reden=reden)
    return exc.value.message_dict


def test_skipping_past_the_intake_is_refused_naming_the_rule(world):
    dossier = gehuisvest(world)
    for naar in (Fase.PIP, Fase.INBURGERING, Fase.AFGEROND):
        errors = refusal(world.werkcoach_a, dossier, naar)
        assert set(errors) == {"fase"}
        assert "brede intake is not completed (Wi 2021 art. 14)" in errors["fase"][0]
    assert fase(dossier) == Fase.GEHUISVEST
    # one step forward, with its dates recorded, stays possible
    with user_scope(world.werkcoach_a):
        case_services.dossier_fase_wijzigen(
            user=world.werkcoach_a, dossier=dossier, fase=Fase.INTAKE, reden="Intake gepland"
        )
    assert fase(dossier) == Fase.INTAKE


def test_skipping_past_the_pip_is_refused_naming_the_rule(world):
    dossier = gehuisvest(world)
    intake_afgerond(world.werkcoach_a, dossier)
    errors = refusal(world.werkcoach_a, dossier, Fase.INBURGERING)
    assert "No PIP has been vastgesteld (Wi 2021 art. 15)" in errors["fase"][0]
    assert fase(dossier) == Fase.PIP


def test_a_manual_change_with_its_fact_recorded_is_allowed(world):
    """Data from before this fix: the intake was completed but the phase stayed behind."""
    dossier = gehuisvest(world)
    with scopes_disabled():
        BredeIntake.objects.create(dossier=dossier, datum_afgerond=date(2026, 5, 1))
    with user_scope(world.werkcoach_a):
        case_services.dossier_fase_wijzigen(
            user=world.werkcoach_a, dossier=dossier, fase=Fase.PIP, reden="Intake was al klaar"
        )
    assert fase(dossier) == Fase.PIP


@pytest.mark.parametrize("naar", [Fase.INTAKE, Fase.BEEINDIGD])
def test_every_manual_change_needs_a_reason(world, naar):
    dossier = gehuisvest(world)
    errors = refusal(world.werkcoach_a, dossier, naar, reden="  ")
    assert set(errors) == {"reden"}
    assert fase(dossier) == Fase.GEHUISVEST


def test_wi2013_dossier_is_not_held_to_the_wi2021_facts(world):
    dossier = gehuisvest(world, inburgeraar__regime="wi2013_ondertussen")
    with user_scope(world.werkcoach_a):
        case_services.dossier_fase_wijzigen(
            user=world.werkcoach_a, dossier=dossier, fase=Fase.INBURGERING, reden="Wi2013-traject"
        )
    assert fase(dossier) == Fase.INBURGERING


def test_a_new_dossier_cannot_start_past_the_intake(world):
    with scopes_disabled():
        inburgeraar = DossierFactory(
            gemeente=world.gemeente_b, fase=Fase.BEEINDIGD, datum_afgesloten=date(2026, 1, 1)
        ).inburgeraar
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        case_services.dossier_create(
            user=world.werkcoach_a,
            inburgeraar=inburgeraar,
            gemeente=world.gemeente_a,
            fase=Fase.INBURGERING,
            datum_koppeling=date(2026, 3, 1),
            datum_huisvesting=date(2026, 4, 1),
            datum_brp_inschrijving=date(2026, 4, 8),
        )
    assert "Wi 2021 art. 14" in exc.value.message_dict["fase"][0]


# --- the API ---------------------------------------------------------------------------------


def test_api_refuses_the_skip_and_a_missing_reason_at_their_fields(world, api):
    dossier = gehuisvest(world)
    client = api(world.werkcoach_a)
    url = f"/api/v1/dossiers/{dossier.uuid}/fase"
    r = client.post(url, {"fase": "inburgering", "reden": "Snel door"}, format="json")
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    params = {p["name"]: p["reason"] for p in r.json()["invalidParams"]}
    assert set(params) == {"fase"}
    assert "Wi 2021 art. 14" in params["fase"]
    r = client.post(url, {"fase": "intake", "reden": ""}, format="json")
    assert r.status_code == 400
    assert {p["name"] for p in r.json()["invalidParams"]} == {"reden"}
    r = client.post(url, {"fase": "intake"}, format="json")
    assert r.status_code == 400
    assert {p["name"] for p in r.json()["invalidParams"]} == {"reden"}
    assert fase(dossier) == Fase.GEHUISVEST
    r = client.post(url, {"fase": "intake", "reden": "Intake gepland"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["fase"] == "intake"


# --- the form on the dossier page and the key dates ------------------------------------------


def test_form_shows_the_refusals_at_their_fields_and_changes_nothing(world, login):
    dossier = gehuisvest(world)
    client = login(world.werkcoach_a)
    response = client.post(
        f"/dossiers/{dossier.uuid}/fase/", {"fase": Fase.INBURGERING, "reden": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_reden_error"' in html
    assert 'id="id_fase_error"' in html
    assert "Wi 2021 art. 14" in html
    assert fase(dossier) == Fase.GEHUISVEST
    response = client.post(
        f"/dossiers/{dossier.uuid}/fase/", {"fase": Fase.INTAKE, "reden": "Intake gepland"}
    )
    assert response.status_code == 302
    assert fase(dossier) == Fase.INTAKE


def test_key_dates_show_intake_and_pip_as_done(world, login):
    dossier = gehuisvest(world)
    client = login(world.werkcoach_a)

    def sleuteldatum(code: str) -> str:
        html = client.get(f"/dossiers/{dossier.uuid}/").content.decode()
        start = html.index(f'id="sleuteldatum-{code}"')
        return html[html.rindex("<li", 0, start) : html.index("</li>", start)]

    assert "keydates__item--done" not in sleuteldatum("intake")
    intake_afgerond(world.werkcoach_a, dossier)
    intake = sleuteldatum("intake")
    assert "keydates__item--done" in intake and "01-05-2026" in intake
    assert "keydates__item--done" not in sleuteldatum("pip")
    pip_vastgesteld(world.werkcoach_a, dossier)
    pip = sleuteldatum("pip")
    assert "keydates__item--done" in pip and "01-06-2026" in pip
