"""Issue 8, defect 10: the legal rules a PIP is checked against before vaststelling.

Each rule is a refusal naming its rule at the field it is about, the same in the service, the
API (400 problem+json, ``invalidParams`` in camelCase) and the UI:

* no PIP without a completed brede intake, and not dated before that intake was completed;
* the regime: a Wi2013 dossier gets no municipal leerroute and no ontzorgen, but its purchased
  route is accepted;
* the einddoel follows the route (a Z-route has no B1 exam; a switch to Z sets the Z einddoel;
  afschalen makes the einddoel "A2 on exam parts");
* MAP exempted outside the onderwijsroute needs a recorded ground;
* under 28 is judged on the date of the decision, not on today;
* the gemeente's minimum number of voortgangsgesprekken per year (``TermijnBeleid``);
* afschalen refusals name the fields (``lesuren``, ``voldoendeInspanning``), not the action.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from cases.constants import Doelgroep, Regime
from cases.models import TermijnBeleid
from inburgering.core.access import user_scope
from pip_plans import rules, services
from pip_plans.constants import Leerroute, PipStatus
from pip_plans.models import BredeIntake, Pip, RouteWijziging

from .test_pip_api import GELDIG as API_GELDIG
from .test_pip_services import (  # noqa: F401
    GELDIG,
    _media,
    dossier_in_intake,
    intake_afgerond,
    pip_met,
    refused,
    vastgesteld,
)

PROBLEM = "application/problem+json"


def invalid(response) -> dict[str, str]:
    assert response.status_code == 400, response.content[:1000]
    assert response["Content-Type"].startswith(PROBLEM)
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


def api_pip(api, world, dossier, **fields) -> Pip:
    """A concept PIP made and filled in through the API (no intake is added here)."""
    c = api(world.werkcoach_a)
    r = c.post("/api/v1/pips", {"dossier": str(dossier.uuid)}, format="json")
    assert r.status_code == 201, r.content
    r = c.patch(f"/api/v1/pips/{r.json()['uuid']}", {**API_GELDIG, **fields}, format="json")
    assert r.status_code == 200, r.content
    with scopes_disabled():
        return Pip.objects.get(uuid=r.json()["uuid"])


def concept_zonder_intake(user, dossier, **fields) -> Pip:
    with user_scope(user):
        pip = services.pip_aanmaken(user=user, dossier=dossier)
        return services.pip_bijwerken(user=user, pip=pip, **{**GELDIG, **fields})


def unchanged(pip: Pip) -> None:
    with scopes_disabled():
        p = Pip.objects.get(pk=pip.pk)
    assert p.status == PipStatus.CONCEPT and p.datum_vastgesteld is None


# --- the brede intake comes first -----------------------------------------------------------


def test_no_vaststelling_without_a_completed_brede_intake(world):
    dossier = dossier_in_intake(world)
    pip = concept_zonder_intake(world.werkcoach_a, dossier)
    errors = refused(world.werkcoach_a, pip)
    assert set(errors) == {"brede_intake"}
    assert "brede intake" in errors["brede_intake"][0] and "Wi 2021" in errors["brede_intake"][0]
    with scopes_disabled():
        BredeIntake.objects.create(dossier=dossier)  # started, not completed: still refused
    assert set(refused(world.werkcoach_a, pip)) == {"brede_intake"}
    intake_afgerond(dossier)
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_pip_cannot_be_dated_before_the_intake_was_completed(world):
    dossier = dossier_in_intake(world)
    intake_afgerond(dossier, date(2026, 2, 10))
    pip = pip_met(world.werkcoach_a, dossier)
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.pip_vaststellen(user=world.werkcoach_a, pip=pip, datum=date(2026, 2, 9))
    assert set(exc.value.message_dict) == {"datum"}
    assert "10-02-2026" in exc.value.message_dict["datum"][0]
    unchanged(pip)
    with user_scope(world.werkcoach_a):
        pip = services.pip_vaststellen(user=world.werkcoach_a, pip=pip, datum=date(2026, 2, 10))
    assert pip.status == PipStatus.WORDT_VASTGESTELD


@time_machine.travel(date(2026, 3, 1), tick=False)
def test_api_names_the_intake_and_the_date(world, api):
    dossier = dossier_in_intake(world)
    pip = api_pip(api, world, dossier)
    c = api(world.werkcoach_a)
    assert set(invalid(c.post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json"))) == {
        "bredeIntake"
    }
    unchanged(pip)
    intake_afgerond(dossier, date(2026, 2, 10))
    r = c.post(f"/api/v1/pips/{pip.uuid}/vaststellen", {"datum": "2026-02-01"}, format="json")
    assert "10-02-2026" in invalid(r)["datum"]
    unchanged(pip)
    r = c.post(f"/api/v1/pips/{pip.uuid}/vaststellen", {"datum": "2026-02-10"}, format="json")
    assert r.status_code == 202, r.content


def test_ui_vaststellen_without_intake_names_the_intake(world, login):
    dossier = dossier_in_intake(world)
    pip = concept_zonder_intake(world.werkcoach_a, dossier)
    client = login(world.werkcoach_a)
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    assert 'href="#field-brede_intake"' in html
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", {"bevestigd": "on"}, follow=True)
    berichten = " ".join(str(m) for m in response.context["messages"])
    assert "Brede intake:" in berichten and "complete the brede intake" in berichten
    unchanged(pip)


# --- the regime -----------------------------------------------------------------------------

WI2013 = [Regime.WI2013_ONDERTUSSEN, Regime.WI2013_ELIP]


@pytest.mark.parametrize("regime", WI2013)
def test_wi2013_gets_no_municipal_leerroute_and_no_ontzorgen(world, regime):
    dossier = dossier_in_intake(world, regime=regime)
    pip = pip_met(world.werkcoach_a, dossier)  # B1-route with ontzorgen
    errors = refused(world.werkcoach_a, pip)
    assert "Wi2013" in errors["leerroute"][0] and "purchased route" in errors["leerroute"][0]
    assert "Wi2013" in errors["ontzorgen_vaste_lasten"][0]


@pytest.mark.parametrize("regime", WI2013)
def test_wi2013_purchased_route_is_not_refused_with_the_wi2021_rule(world, regime):
    """An asielmigrant under Wi2013 buys the course (DUO loan); the Wi 2021 rule that an
    asielmigrant follows a municipal route does not apply to them."""
    dossier = dossier_in_intake(world, regime=regime, doelgroep=Doelgroep.ASIELMIGRANT)
    pip = pip_met(
        world.werkcoach_a,
        dossier,
        leerroute=Leerroute.EIGEN_KOSTEN,
        ontzorgen_vaste_lasten=[],
        ontzorgen_start=None,
        ontzorgen_maanden=None,
    )
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}
    assert (
        rules.route_advies(
            geboortedatum=date(1990, 1, 1),
            peildatum=date(2026, 3, 1),
            doelgroep=Doelgroep.ASIELMIGRANT,
            leerbaarheid_laag=False,
            regime=regime,
        )
        == Leerroute.EIGEN_KOSTEN
    )


def test_wi2013_refusals_through_the_api(world, api):
    dossier = dossier_in_intake(world, regime=Regime.WI2013_ONDERTUSSEN)
    intake_afgerond(dossier)
    pip = api_pip(api, world, dossier)
    r = api(world.werkcoach_a).post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json")
    errors = invalid(r)
    assert {"leerroute", "ontzorgenVasteLasten"} <= set(errors)
    assert "Wi2013" in errors["leerroute"]
    unchanged(pip)


# --- the einddoel follows the route ---------------------------------------------------------


def test_z_route_with_einddoel_b1_is_refused(world):
    pip = pip_met(
        world.werkcoach_a,
        dossier_in_intake(world),
        leerroute="z",
        einddoel="b1",
        route_motivatie="Laag leerbaar.",
    )
    errors = refused(world.werkcoach_a, pip)
    assert set(errors) == {"einddoel"}
    assert "Z-route" in errors["einddoel"][0] and "not B1" in errors["einddoel"][0]
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(user=world.werkcoach_a, pip=pip, einddoel="z")
        assert services.pip_controleren(pip) == {}


def test_onderwijsroute_with_a_b1_einddoel_is_refused(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), leerroute="onderwijs")
    assert "taalschakeltraject" in refused(world.werkcoach_a, pip)["einddoel"][0]


def test_einddoel_a2_on_parts_names_the_parts(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), einddoel="a2_delen")
    assert set(refused(world.werkcoach_a, pip)) == {"a2_examendelen"}
    pip2 = pip_met(
        world.werkcoach_a, dossier_in_intake(world), einddoel="b1", a2_examendelen=["spreken"]
    )
    assert set(refused(world.werkcoach_a, pip2)) == {"a2_examendelen"}


def test_z_route_einddoel_b1_through_the_api(world, api):
    dossier = dossier_in_intake(world)
    intake_afgerond(dossier)
    pip = api_pip(api, world, dossier, leerroute="z", routeMotivatie="Laag leerbaar")
    r = api(world.werkcoach_a).post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json")
    assert set(invalid(r)) == {"einddoel"}
    unchanged(pip)


def test_route_switch_to_z_sets_the_z_einddoel(world):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    assert v1.einddoel == "b1"
    with user_scope(world.werkcoach_a):
        v2 = services.route_switchen(
            user=world.werkcoach_a,
            pip=v1,
            nieuwe_route="z",
            datum=date(2026, 6, 1),
            motivatie="Laag leerbaar",
        )
        assert (v2.leerroute, v2.einddoel, v2.a2_examendelen) == ("z", "z", [])
        services.pip_bijwerken(user=world.werkcoach_a, pip=v2, route_motivatie="Laag leerbaar.")
        assert services.pip_controleren(v2) == {}


@time_machine.travel(date(2027, 10, 1), tick=False)
def test_afschalen_makes_the_einddoel_a2_on_that_part(world):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    with user_scope(world.werkcoach_a):
        v2 = services.afschalen(
            user=world.werkcoach_a,
            pip=v1,
            examendeel="spreken",
            datum=date(2027, 9, 11),
            lesuren=600,
            voldoende_inspanning=True,
            motivatie="m",
        )
        assert (v2.einddoel, v2.a2_examendelen) == ("a2_delen", ["spreken"])
        assert services.pip_controleren(v2) == {}
    v2 = vastgesteld(world.werkcoach_a, v2, date(2027, 9, 15))
    # the same part cannot be afgeschaald twice
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.afschalen(
            user=world.werkcoach_a,
            pip=v2,
            examendeel="spreken",
            datum=date(2027, 9, 16),
            lesuren=600,
            voldoende_inspanning=True,
            motivatie="m",
        )
    assert set(exc.value.message_dict) == {"examendeel"}


# --- MAP exemption --------------------------------------------------------------------------


def test_map_exemption_in_a_b1_route_needs_a_recorded_ground(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), map_vrijgesteld=True)
    errors = refused(world.werkcoach_a, pip)
    assert set(errors) == {"map_vrijstelling_grond"}
    assert "onderwijsroute" in errors["map_vrijstelling_grond"][0]
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(
            user=world.werkcoach_a,
            pip=pip,
            map_vrijstelling_grond="Werkt al 32 uur per week in loondienst.",
        )
        assert services.pip_controleren(pip) == {}


def test_only_the_onderwijsroute_exempts_automatically(world):
    pip = pip_met(
        world.werkcoach_a, dossier_in_intake(world), leerroute="onderwijs", einddoel="onderwijs"
    )
    assert pip.map_vrijgesteld is True
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}
        # leaving the onderwijsroute ends its automatic exemption
        pip = services.pip_bijwerken(user=world.werkcoach_a, pip=pip, leerroute="b1", einddoel="b1")
    assert pip.map_vrijgesteld is False


def test_map_exemption_refusal_through_the_api_and_the_ui(world, api, login):
    dossier = dossier_in_intake(world)
    intake_afgerond(dossier)
    pip = api_pip(api, world, dossier, mapVrijgesteld=True)
    r = api(world.werkcoach_a).post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json")
    assert set(invalid(r)) == {"mapVrijstellingGrond"}
    unchanged(pip)
    html = login(world.werkcoach_a).get(f"/pip/{pip.uuid}/").content.decode()
    assert 'href="#field-map_vrijstelling_grond"' in html
    assert 'name="map_vrijstelling_grond"' in html


# --- under 28 on the decision date -----------------------------------------------------------


@time_machine.travel(date(2026, 12, 1), tick=False)
def test_under_28_is_judged_on_the_decision_date_not_today(world, api):
    """Born 15 November 1998: 27 on a decision of 1 November 2026, 28 today (1 December)."""
    dossier = dossier_in_intake(world, geboortedatum=date(1998, 11, 15))
    pip = pip_met(world.werkcoach_a, dossier)
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}  # decided today: 28, nothing to consider
        with pytest.raises(ValidationError) as exc:
            services.pip_vaststellen(user=world.werkcoach_a, pip=pip, datum=date(2026, 11, 1))
    assert set(exc.value.message_dict) == {"onderwijsroute_overwogen"}
    unchanged(pip)
    r = api(world.werkcoach_a).post(
        f"/api/v1/pips/{pip.uuid}/vaststellen", {"datum": "2026-11-01"}, format="json"
    )
    assert set(invalid(r)) == {"onderwijsrouteOverwogen"}
    unchanged(pip)


# --- voortgangsgesprekken: the gemeente's minimum --------------------------------------------


def hogeland_beleid(world, minimum: int = 2) -> None:
    with scopes_disabled():
        TermijnBeleid.objects.update_or_create(
            gemeente=world.gemeente_a, defaults={"min_voortgangsgesprekken_per_jaar": minimum}
        )


def test_gemeente_minimum_of_voortgangsgesprekken(world):
    hogeland_beleid(world, 2)
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), voortgangsgesprekken_per_jaar=1)
    errors = refused(world.werkcoach_a, pip)
    assert set(errors) == {"voortgangsgesprekken_per_jaar"}
    assert "Huizen" in errors["voortgangsgesprekken_per_jaar"][0]
    assert "at least 2" in errors["voortgangsgesprekken_per_jaar"][0]
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(user=world.werkcoach_a, pip=pip, voortgangsgesprekken_per_jaar=2)
        assert services.pip_controleren(pip) == {}


def test_default_minimum_is_one_a_year(world):
    assert TermijnBeleid().min_voortgangsgesprekken_per_jaar == 1
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), voortgangsgesprekken_per_jaar=1)
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}


def test_minimum_of_voortgangsgesprekken_through_the_api_and_the_ui(world, api, login):
    hogeland_beleid(world, 2)
    dossier = dossier_in_intake(world)
    intake_afgerond(dossier)
    pip = api_pip(api, world, dossier, voortgangsgesprekkenPerJaar=1)
    r = api(world.werkcoach_a).post(f"/api/v1/pips/{pip.uuid}/vaststellen", {}, format="json")
    assert "at least 2" in invalid(r)["voortgangsgesprekkenPerJaar"]
    unchanged(pip)
    client = login(world.werkcoach_a)
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", {"bevestigd": "on"}, follow=True)
    berichten = " ".join(str(m) for m in response.context["messages"])
    assert "at least 2 progress conversations a year" in berichten
    unchanged(pip)


# --- afschalen names the fields ---------------------------------------------------------------

TE_VROEG = {
    "examendeel": "spreken",
    "datum": "2026-07-01",
    "lesuren": 100,
    "motivatie": "m",
}


def test_afschalen_refusal_names_the_fields_in_the_api(world, api):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    r = api(world.werkcoach_a).post(
        f"/api/v1/pips/{v1.uuid}/afschalen",
        {**TE_VROEG, "voldoendeInspanning": False},
        format="json",
    )
    errors = invalid(r)
    assert set(errors) == {"datum", "lesuren", "voldoendeInspanning"}
    assert "600" in errors["lesuren"] and "effort" in errors["voldoendeInspanning"]
    assert "18 months" in errors["datum"]
    with scopes_disabled():
        assert RouteWijziging.objects.count() == 0
        assert Pip.objects.filter(dossier=v1.dossier).count() == 1


def test_afschalen_refusal_is_shown_at_the_fields_in_the_form(world, login):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    client = login(world.werkcoach_a)
    response = client.post(f"/pip/{v1.uuid}/afschalen/", {**TE_VROEG, "datum": "2027-09-20"})
    assert response.status_code == 400
    form = response.context["afschalen_form"]
    assert set(form.errors) == {"lesuren", "voldoende_inspanning"}
    assert "600 lesson hours" in form.errors["lesuren"][0]
    html = response.content.decode()
    assert 'id="afschalen" open' in html  # the form is open with the errors at its fields
    with scopes_disabled():
        assert RouteWijziging.objects.count() == 0


# --- the pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("leerroute", "einddoel", "past"),
    [
        ("b1", "b1", True),
        ("b1", "a2_delen", True),
        ("b1", "z", False),
        ("z", "z", True),
        ("z", "b1", False),
        ("z", "a2_delen", False),
        ("onderwijs", "onderwijs", True),
        ("onderwijs", "b1", False),
        ("eigen_kosten", "b1", True),  # a purchased route: the person's own goal
    ],
)
def test_einddoel_follows_the_route(leerroute, einddoel, past):
    assert rules.einddoel_past_bij_route(leerroute, einddoel) is past


@pytest.mark.parametrize(
    ("doelgroep", "regime", "aanbod"),
    [
        (Doelgroep.ASIELMIGRANT, Regime.WI2021, True),
        (Doelgroep.NAREIZIGER, Regime.WI2021, True),
        (Doelgroep.ASIELMIGRANT, Regime.WI2013_ONDERTUSSEN, False),
        (Doelgroep.ASIELMIGRANT, Regime.WI2013_ELIP, False),
        (Doelgroep.GEZINSMIGRANT, Regime.WI2021, False),
    ],
)
def test_municipal_offer_by_doelgroep_and_regime(doelgroep, regime, aanbod):
    assert rules.heeft_municipaal_aanbod(doelgroep, regime) is aanbod
