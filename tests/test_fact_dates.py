"""Defect 2 of issue 8: a recorded legal fact has happened. Its date is not in the future
(Europe/Amsterdam's today) and not before the fact that starts it — one rule,
``cases.rules.feitdatum_weigering``, applied by every service that records a fact date, so the
form and the API refuse it at the field and nothing is saved.

Every test runs at a fixed moment: 10 March 2027, noon in Amsterdam ("today"); 11 March is
"tomorrow"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from cases import rules, services, termijnen
from cases.constants import Fase, TermijnStatus
from cases.models import Dossier, Termijn, TermijnBeleid
from inburgering.core.access import user_scope
from pip_plans import services as pip_services
from pip_plans.constants import Domein, PipStatus
from pip_plans.models import BredeIntake, IntakeGesprek, Pip

from .factories import geldige_pip_velden

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
VANDAAG = date(2027, 3, 10)
MORGEN = VANDAAG + timedelta(days=1)
PROBLEM = "application/problem+json"

GELDIGE_PIP = geldige_pip_velden(ontzorgen_start=date(2027, 3, 1))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def wereld(db, time_machine, request):
    """The shared world, created at the fixed moment (so its key dates lie before it)."""
    time_machine.move_to(datetime(2027, 3, 10, 12, 0, tzinfo=AMSTERDAM), tick=False)
    world = request.getfixturevalue("world")
    with scopes_disabled():
        Dossier.objects.filter(pk=world.dossier_a.pk).update(
            fase=Fase.INTAKE,
            datum_koppeling=date(2027, 1, 4),
            datum_huisvesting=date(2027, 1, 18),
            datum_brp_inschrijving=date(2027, 1, 18),
        )
        world.dossier_a.refresh_from_db()
        termijnen.herberekenen(world.dossier_a, user=None)
    return world


def _intake(world) -> BredeIntake:
    with user_scope(world.werkcoach_a):
        return pip_services.intake_starten(user=world.werkcoach_a, dossier=world.dossier_a)


def _klaar_voor_afronden(world, *, gesprek: date, toets: date) -> BredeIntake:
    user = world.werkcoach_a
    intake = _intake(world)
    with user_scope(user):
        for domein in Domein:
            pip_services.intake_domein_opslaan(
                user=user, intake=intake, domein=domein, beoordeling="voldoende"
            )
        pip_services.intake_gesprek_toevoegen(
            user=user, intake=intake, datum=gesprek, locatie="gemeentehuis"
        )
        pip_services.intake_bijwerken(
            user=user,
            intake=intake,
            leerbaarheid_datum=toets,
            leerbaarheid_score="gemiddeld",
            leerbaarheid_laag=False,
        )
    return intake


def _geweigerd(functie, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        functie(**kwargs)
    return exc.value.message_dict


# --- the rule -----------------------------------------------------------------------------


def test_de_regel():
    assert rules.feitdatum_weigering(VANDAAG, vandaag=VANDAAG) is None
    assert rules.feitdatum_weigering(MORGEN, vandaag=VANDAAG) == "toekomst"
    assert rules.feitdatum_weigering(VANDAAG, vandaag=VANDAAG, niet_voor=MORGEN) == "voor_start"
    assert rules.feitdatum_weigering(VANDAAG, vandaag=VANDAAG, niet_voor=VANDAAG) is None


def test_vandaag_is_de_dag_in_amsterdam(wereld, time_machine):
    """At 23:30 UTC on 10 March it is already 11 March in Amsterdam: that day is today."""
    time_machine.move_to(datetime(2027, 3, 10, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False)
    intake = _intake(wereld)
    with user_scope(wereld.werkcoach_a):
        gesprek = pip_services.intake_gesprek_toevoegen(
            user=wereld.werkcoach_a, intake=intake, datum=MORGEN, locatie="azc"
        )
    assert gesprek.pk


# --- each fact through its service --------------------------------------------------------


def test_gesprek_morgen_geweigerd_vandaag_geaccepteerd(wereld):
    intake = _intake(wereld)
    user = wereld.werkcoach_a
    with user_scope(user):
        fouten = _geweigerd(
            pip_services.intake_gesprek_toevoegen,
            user=user,
            intake=intake,
            datum=MORGEN,
            locatie="gemeentehuis",
            verschenen=True,
        )
        assert "in the future" in fouten["datum"][0]
        with scopes_disabled():
            assert not IntakeGesprek.objects.filter(intake=intake).exists()
        pip_services.intake_gesprek_toevoegen(
            user=user, intake=intake, datum=VANDAAG, locatie="gemeentehuis"
        )
    with scopes_disabled():
        assert IntakeGesprek.objects.filter(intake=intake, datum=VANDAAG).count() == 1


def test_leerbaarheidstoets_morgen_geweigerd_vandaag_geaccepteerd(wereld):
    intake = _intake(wereld)
    user = wereld.werkcoach_a
    with user_scope(user):
        fouten = _geweigerd(
            pip_services.intake_bijwerken, user=user, intake=intake, leerbaarheid_datum=MORGEN
        )
        assert "leerbaarheid_datum" in fouten
        pip_services.intake_bijwerken(user=user, intake=intake, leerbaarheid_datum=VANDAAG)
    with scopes_disabled():
        assert BredeIntake.objects.get(pk=intake.pk).leerbaarheid_datum == VANDAAG


def test_intake_afronden_morgen_geweigerd_en_de_klok_blijft_open(wereld):
    intake = _klaar_voor_afronden(wereld, gesprek=VANDAAG, toets=VANDAAG)
    user = wereld.werkcoach_a
    with user_scope(user):
        fouten = _geweigerd(pip_services.intake_afronden, user=user, intake=intake, datum=MORGEN)
    assert set(fouten) == {"datum"}
    with scopes_disabled():
        assert BredeIntake.objects.get(pk=intake.pk).datum_afgerond is None
        klok = Termijn.objects.get(dossier=wereld.dossier_a, code="intake")
        assert klok.gehaald_op is None and klok.status in (
            TermijnStatus.OPEN,
            TermijnStatus.VERLOPEN,
        )
    with user_scope(user):
        pip_services.intake_afronden(user=user, intake=intake, datum=VANDAAG)
    with scopes_disabled():
        assert BredeIntake.objects.get(pk=intake.pk).datum_afgerond == VANDAAG
        assert Termijn.objects.get(dossier=wereld.dossier_a, code="intake").gehaald_op == VANDAAG


def test_intake_afronden_niet_voor_het_laatste_gesprek_of_de_toets(wereld):
    intake = _klaar_voor_afronden(wereld, gesprek=date(2027, 3, 5), toets=date(2027, 3, 8))
    user = wereld.werkcoach_a
    with user_scope(user):
        fouten = _geweigerd(
            pip_services.intake_afronden, user=user, intake=intake, datum=date(2027, 3, 6)
        )
        assert "the leerbaarheidstoets (08-03-2027)" in fouten["datum"][0]
        pip_services.intake_afronden(user=user, intake=intake, datum=date(2027, 3, 8))


def test_vaststellen_morgen_geweigerd_vandaag_geaccepteerd(wereld):
    intake = _klaar_voor_afronden(wereld, gesprek=VANDAAG, toets=VANDAAG)
    user = wereld.werkcoach_a
    with user_scope(user):
        pip_services.intake_afronden(user=user, intake=intake, datum=VANDAAG)
        pip = pip_services.pip_aanmaken(user=user, dossier=wereld.dossier_a)
        pip = pip_services.pip_bijwerken(user=user, pip=pip, **GELDIGE_PIP)
        fouten = _geweigerd(pip_services.pip_vaststellen, user=user, pip=pip, datum=MORGEN)
        assert "in the future" in " ".join(fouten["datum"])
        with scopes_disabled():
            assert Pip.objects.get(pk=pip.pk).status == PipStatus.CONCEPT
        pip = pip_services.pip_vaststellen(user=user, pip=pip, datum=VANDAAG)
    assert pip.status == PipStatus.WORDT_VASTGESTELD and pip.datum_vastgesteld == VANDAAG


def test_gehaald_op_morgen_geweigerd_vandaag_geaccepteerd(wereld):
    with scopes_disabled():
        TermijnBeleid.objects.update_or_create(
            gemeente=wereld.gemeente_a, defaults={"taalstart_weken": 10}
        )
        termijnen.herberekenen(wereld.dossier_a, user=None)
        klok = Termijn.objects.get(dossier=wereld.dossier_a, code="taalstart")
    user = wereld.werkcoach_a
    with user_scope(user):
        fouten = _geweigerd(
            termijnen.termijn_gehaald_markeren, user=user, termijn=klok, datum=MORGEN
        )
        assert "future" in fouten["datum"][0]
        fouten = _geweigerd(
            termijnen.termijn_gehaald_markeren,
            user=user,
            termijn=klok,
            datum=klok.startdatum - timedelta(days=1),
        )
        assert "before the termijn started" in fouten["datum"][0]
        klok = termijnen.termijn_gehaald_markeren(user=user, termijn=klok, datum=VANDAAG)
    assert klok.gehaald_op == VANDAAG


@pytest.mark.parametrize("veld", ["datum_koppeling", "datum_huisvesting", "datum_brp_inschrijving"])
def test_sleuteldatum_morgen_geweigerd_vandaag_geaccepteerd(wereld, veld):
    user = wereld.werkcoach_a
    dossier = wereld.dossier_a
    with user_scope(user):
        fouten = _geweigerd(services.dossier_update, user=user, dossier=dossier, **{veld: MORGEN})
        assert veld in fouten and "future" in fouten[veld][0]
        with scopes_disabled():
            dossier = Dossier.objects.get(pk=dossier.pk)
            assert getattr(dossier, veld) != MORGEN
        # (housing is not before the koppeling: moving the koppeling to today moves housing too)
        mee = {"datum_huisvesting": VANDAAG} if veld == "datum_koppeling" else {}
        services.dossier_update(user=user, dossier=dossier, **{veld: VANDAAG}, **mee)
    with scopes_disabled():
        assert getattr(Dossier.objects.get(pk=dossier.pk), veld) == VANDAAG


def test_huisvesting_niet_voor_koppeling_bij_het_veld(wereld):
    user = wereld.werkcoach_a
    with user_scope(user):
        fouten = _geweigerd(
            services.dossier_update,
            user=user,
            dossier=wereld.dossier_a,
            datum_huisvesting=date(2027, 1, 3),
        )
    assert "before the koppeling (04-01-2027)" in fouten["datum_huisvesting"][0]


def test_nieuw_dossier_met_toekomstige_koppeling_geweigerd(wereld):
    user = wereld.werkcoach_a
    with user_scope(user):
        fouten = _geweigerd(
            services.inburgeraar_aanmelden,
            user=user,
            persoon={
                "bsn": "111222333",
                "voornamen": "Amal",
                "achternaam": "Haddad",
                "geboortedatum": date(1990, 1, 1),
                "doelgroep": "asielmigrant",
            },
            dossier={"gemeente": wereld.gemeente_a, "fase": "gekoppeld", "datum_koppeling": MORGEN},
        )
    assert "datum_koppeling" in fouten


# --- the form ------------------------------------------------------------------------------


def test_formulier_gesprek(wereld, login):
    intake = _intake(wereld)
    client = login(wereld.werkcoach_a)
    url = f"/pip/intake/{intake.uuid}/gesprek/"
    data = {"locatie": "azc", "verschenen": "on", "meegewerkt": "on"}
    response = client.post(url, {**data, "datum": MORGEN.isoformat()})
    assert response.status_code == 400
    assert "datum" in response.context["gesprek_form"].errors
    assert client.post(url, {**data, "datum": VANDAAG.isoformat()}).status_code == 302
    with scopes_disabled():
        assert list(
            IntakeGesprek.objects.filter(intake=intake).values_list("datum", flat=True)
        ) == [VANDAAG]


def test_formulier_intake_afronden(wereld, login):
    intake = _klaar_voor_afronden(wereld, gesprek=VANDAAG, toets=VANDAAG)
    client = login(wereld.werkcoach_a)
    url = f"/pip/intake/{intake.uuid}/afronden/"
    response = client.post(url, {"datum": MORGEN.isoformat()})
    assert response.status_code == 400
    assert "in the future" in response.context["afronden_form"].errors["datum"][0]
    with scopes_disabled():
        assert BredeIntake.objects.get(pk=intake.pk).datum_afgerond is None
    assert client.post(url, {"datum": VANDAAG.isoformat()}).status_code == 302
    with scopes_disabled():
        assert BredeIntake.objects.get(pk=intake.pk).datum_afgerond == VANDAAG


def test_formulier_sleuteldatums(wereld, login):
    client = login(wereld.werkcoach_a)
    url = f"/dossiers/{wereld.dossier_a.uuid}/bewerken/"
    data = {
        "werkcoach": wereld.werkcoach_a.pk,
        "datum_koppeling": "2027-01-04",
        "datum_huisvesting": "2027-01-18",
        "datum_brp_inschrijving": MORGEN.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "datum_brp_inschrijving" in response.context["form"].errors
    response = client.post(url, {**data, "datum_brp_inschrijving": VANDAAG.isoformat()})
    assert response.status_code == 302
    with scopes_disabled():
        assert Dossier.objects.get(pk=wereld.dossier_a.pk).datum_brp_inschrijving == VANDAAG


# --- the API ------------------------------------------------------------------------------


def _invalid(response) -> dict[str, str]:
    assert response.status_code == 400, response.content[:1000]
    assert response["Content-Type"].startswith(PROBLEM)
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


def test_api_gesprek(wereld, api):
    intake = _intake(wereld)
    c = api(wereld.werkcoach_a)
    url = f"/api/v1/intakes/{intake.uuid}/gesprekken"
    r = c.post(url, {"datum": MORGEN.isoformat(), "locatie": "azc"}, format="json")
    assert "in the future" in _invalid(r)["datum"]
    r = c.post(url, {"datum": VANDAAG.isoformat(), "locatie": "azc"}, format="json")
    assert r.status_code in (200, 201), r.content


def test_api_intake_afronden(wereld, api):
    intake = _klaar_voor_afronden(wereld, gesprek=VANDAAG, toets=VANDAAG)
    c = api(wereld.werkcoach_a)
    url = f"/api/v1/intakes/{intake.uuid}/afronden"
    assert "datum" in _invalid(c.post(url, {"datum": MORGEN.isoformat()}, format="json"))
    r = c.post(url, {"datum": VANDAAG.isoformat()}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["datumAfgerond"] == VANDAAG.isoformat()


def test_api_sleuteldatums(wereld, api):
    c = api(wereld.werkcoach_a)
    url = f"/api/v1/dossiers/{wereld.dossier_a.uuid}"
    fouten = _invalid(c.patch(url, {"datumBrpInschrijving": MORGEN.isoformat()}, format="json"))
    assert "datumBrpInschrijving" in fouten
    fouten = _invalid(c.patch(url, {"datumHuisvesting": "2027-01-03"}, format="json"))
    assert "datumHuisvesting" in fouten
    r = c.patch(url, {"datumBrpInschrijving": VANDAAG.isoformat()}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["datumBrpInschrijving"] == VANDAAG.isoformat()
