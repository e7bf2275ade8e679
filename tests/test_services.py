"""Services: validation, the one-open-dossier rule, relocation, reassignment, history, timeline."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scopes_disabled

from cases import services, tijdlijn
from cases.constants import Doelgroep, Fase
from cases.models import Dossier, Gebeurtenis, Inburgeraar
from inburgering.core.access import user_scope

from .factories import DossierFactory, InburgeraarFactory
from .klok import vandaag_fixture

# Every date in this module is relative to this day (issue 8: no test on the wall clock).
VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)


def TODAY() -> date:  # the tests call it like the function it replaced
    return VANDAAG


def persoon(**overrides):
    data = {
        "bsn": "123456782",
        "voornamen": "Amal",
        "achternaam": "Haddad",
        "geboortedatum": TODAY() - timedelta(days=25 * 365),
        "doelgroep": Doelgroep.ASIELMIGRANT,
    }
    data.update(overrides)
    return data


def counts():
    with scopes_disabled():
        return (
            Inburgeraar.objects.count(),
            Dossier.objects.count(),
            Gebeurtenis.objects.count(),
            Dossier.history.count(),
            Inburgeraar.history.count(),
        )


def test_register_person_with_dossier_records_history_and_timeline(world):
    with user_scope(world.werkcoach_a):
        dossier = services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(),
            dossier={"gemeente": world.gemeente_a, "werkcoach": world.werkcoach_a},
        )
    with scopes_disabled():
        record = dossier.history.get()
        assert record.history_user == world.werkcoach_a
        assert record.history_type == "+"
        assert dossier.inburgeraar.history.get().history_user == world.werkcoach_a
        soorten = set(dossier.gebeurtenissen.values_list("soort", flat=True))
    assert soorten == {tijdlijn.DOSSIER_AANGEMAAKT, tijdlijn.DOSSIER_TOEGEWEZEN}


def test_second_open_dossier_is_refused_even_in_an_invisible_gemeente(world):
    bsn = world.dossier_b.inburgeraar.bsn
    before = counts()
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.inburgeraar_aanmelden(
            user=world.werkcoach_a, persoon=persoon(bsn=bsn), dossier={"gemeente": world.gemeente_a}
        )
    assert "bsn" in exc.value.message_dict
    assert "at most one open dossier" in exc.value.message_dict["bsn"][0]
    assert counts() == before


def test_database_constraint_enforces_one_open_dossier(world):
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.create(
            inburgeraar=world.dossier_a.inburgeraar, gemeente=world.gemeente_a, fase=Fase.AANGEMELD
        )


def test_closed_dossier_allows_a_new_one_for_the_same_person(world):
    with user_scope(world.werkcoach_a):
        services.dossier_fase_wijzigen(
            user=world.werkcoach_a, dossier=world.dossier_a, fase=Fase.BEEINDIGD, reden="vertrokken"
        )
        nieuw = services.dossier_create(
            user=world.werkcoach_a,
            inburgeraar=world.dossier_a.inburgeraar,
            gemeente=world.gemeente_a,
        )
    assert nieuw.is_open and nieuw.pk != world.dossier_a.pk


@pytest.mark.parametrize(("jaren", "fragment"), [(15, "younger than 16"), (68, "AOW age")])
def test_age_outside_the_obligation_is_a_field_error(world, jaren, fragment):
    before = counts()
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(geboortedatum=TODAY() - timedelta(days=int(jaren * 365.25) + 2)),
            dossier={"gemeente": world.gemeente_a},
        )
    assert fragment in exc.value.message_dict["geboortedatum"][0]
    assert "art. 3" in exc.value.message_dict["geboortedatum"][0]
    assert counts() == before


def test_missing_required_dates_for_the_phase(world):
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(),
            dossier={"gemeente": world.gemeente_a, "fase": Fase.INTAKE},
        )
    assert set(exc.value.message_dict) >= {
        "datum_koppeling",
        "datum_huisvesting",
        "datum_brp_inschrijving",
    }


def test_werkcoach_of_a_team_not_serving_the_gemeente_is_refused(world):
    before = counts()
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(),
            dossier={"gemeente": world.gemeente_a, "werkcoach": world.werkcoach_b},
        )
    assert "does not serve" in exc.value.message_dict["werkcoach"][0]
    assert counts() == before


def test_the_begeleider_is_not_set_on_the_dossier_directly(world):
    """A partner organisation reaches a dossier only through a referral its coördinator
    accepted (``begeleiding.services``), never by a werkcoach filling in the dossier."""
    with user_scope(world.werkcoach_a), pytest.raises(ValueError, match="begeleider"):
        services.dossier_update(
            user=world.werkcoach_a, dossier=world.dossier_a, begeleider=world.begeleider_a2
        )
    with user_scope(world.werkcoach_a), pytest.raises(ValueError, match="begeleider"):
        services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(),
            dossier={"gemeente": world.gemeente_a, "begeleider": world.begeleider_a},
        )


def test_future_dates_and_housing_before_koppeling_are_refused(world):
    with user_scope(world.werkcoach_a):
        with pytest.raises(ValidationError) as exc:
            services.dossier_update(
                user=world.werkcoach_a,
                dossier=world.dossier_a,
                datum_koppeling=TODAY() + timedelta(days=1),
            )
        assert "future" in exc.value.message_dict["datum_koppeling"][0]
        with pytest.raises(ValidationError):
            services.dossier_update(
                user=world.werkcoach_a,
                dossier=world.dossier_a,
                datum_huisvesting=world.dossier_a.datum_koppeling - timedelta(days=1),
            )


def test_auditor_and_begeleider_cannot_write_through_services(world):
    for user in (world.auditor_a, world.begeleider_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.dossier_update(user=user, dossier=world.dossier_a, coa_referentie="X")
    with user_scope(world.auditor_a), pytest.raises(PermissionDenied):
        services.dossier_notitie_toevoegen(user=world.auditor_a, dossier=world.dossier_a, tekst="x")


def test_werkcoach_cannot_change_another_gemeentes_dossier(world):
    with user_scope(world.werkcoach_a), pytest.raises(PermissionDenied):
        services.dossier_update(user=world.werkcoach_a, dossier=world.dossier_b, coa_referentie="X")


def test_update_records_reason_actor_and_old_new_values(world):
    with user_scope(world.werkcoach_a):
        services.dossier_update(
            user=world.werkcoach_a,
            dossier=world.dossier_a,
            coa_referentie="TVS-42",
            reden="Referentie uit TVS",
        )
    with scopes_disabled():
        newest = world.dossier_a.history.order_by("-history_date", "-history_id").first()
        delta = newest.diff_against(newest.prev_record)
    assert newest.history_user == world.werkcoach_a
    assert newest.history_change_reason == "Referentie uit TVS"
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("coa_referentie", "", "TVS-42")]


def test_phase_cannot_go_back_and_ending_needs_a_reason(world):
    with user_scope(world.werkcoach_a):
        with pytest.raises(ValidationError) as exc:
            services.dossier_fase_wijzigen(
                user=world.werkcoach_a, dossier=world.dossier_a, fase=Fase.AANGEMELD
            )
        assert "only move forward" in exc.value.message_dict["fase"][0]
        with pytest.raises(ValidationError) as exc:
            services.dossier_fase_wijzigen(
                user=world.werkcoach_a, dossier=world.dossier_a, fase=Fase.BEEINDIGD
            )
        assert "reden" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.dossier_fase_wijzigen(
                user=world.werkcoach_a, dossier=world.dossier_a, fase=Fase.INTAKE
            )
        assert "datum_brp_inschrijving" in exc.value.message_dict
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.fase == Fase.GEKOPPELD


def test_relocation_closes_one_dossier_and_opens_the_next(world):
    with user_scope(world.werkcoach_a):
        nieuw = services.dossier_verhuizen(
            user=world.werkcoach_a,
            dossier=world.dossier_a,
            nieuwe_gemeente=world.gemeente_b,
            datum_verhuizing=TODAY(),
            reden="Verhuisd naar Groningen",
        )
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.fase == Fase.VERHUISD
    assert world.dossier_a.datum_afgesloten == TODAY()
    assert nieuw.gemeente == world.gemeente_b
    assert nieuw.fase == Fase.GEKOPPELD  # the phase (and later the leerroute) is adopted
    assert nieuw.vorig_dossier == world.dossier_a
    assert nieuw.werkcoach is None  # the new team assigns its own werkcoach
    with scopes_disabled():
        assert world.dossier_a.gebeurtenissen.filter(soort=tijdlijn.DOSSIER_VERHUISD).exists()
        assert nieuw.history.get().history_user == world.werkcoach_a
    # The new gemeente's werkcoach sees the new dossier, not the old one.
    from cases.policy import dossiers_for

    with user_scope(world.werkcoach_b):
        visible = set(dossiers_for(world.werkcoach_b))
    assert nieuw in visible and world.dossier_a not in visible


def test_bulk_reassign_is_all_or_nothing(world):
    with scopes_disabled():
        extra = DossierFactory(gemeente=world.gemeente_a)
    with user_scope(world.teamleider_a):
        n = services.dossiers_toewijzen(
            user=world.teamleider_a,
            dossiers=[world.dossier_a, extra],
            werkcoach=world.werkcoach_a2,
            reden="Vakantie",
        )
    assert n == 2
    extra.refresh_from_db()
    assert extra.werkcoach == world.werkcoach_a2
    # A werkcoach of team B cannot take gemeente A's dossiers: nothing changes at all.
    with user_scope(world.teamleider_a), pytest.raises(ValidationError):
        services.dossiers_toewijzen(
            user=world.teamleider_a, dossiers=[world.dossier_a2], werkcoach=world.werkcoach_b
        )
    world.dossier_a2.refresh_from_db()
    assert world.dossier_a2.werkcoach == world.werkcoach_a2


def test_only_teamleiders_reassign(world):
    with user_scope(world.werkcoach_a), pytest.raises(PermissionDenied):
        services.dossiers_toewijzen(
            user=world.werkcoach_a, dossiers=[world.dossier_a], werkcoach=world.werkcoach_a2
        )


def test_person_update_refuses_a_bsn_in_use(world):
    other = world.dossier_b.inburgeraar.bsn
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.inburgeraar_update(
            user=world.werkcoach_a, inburgeraar=world.dossier_a.inburgeraar, bsn=other
        )
    assert "bsn" in exc.value.message_dict


def test_begeleider_can_note_on_assigned_dossier_only(world):
    with user_scope(world.begeleider_a):
        event = services.dossier_notitie_toevoegen(
            user=world.begeleider_a, dossier=world.dossier_a, tekst="Huisbezoek gedaan"
        )
        assert event.actor == world.begeleider_a
        with pytest.raises(ValidationError):
            services.dossier_notitie_toevoegen(
                user=world.begeleider_a, dossier=world.dossier_a2, tekst="x"
            )


def test_interpreter_language_required_when_interpreter_needed(world):
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(tolk_nodig=True),
            dossier={"gemeente": world.gemeente_a},
        )
    assert "tolk_taal" in exc.value.message_dict


def test_existing_person_with_closed_dossier_is_reused(world):
    with scopes_disabled():
        person = InburgeraarFactory()
        DossierFactory(inburgeraar=person, gemeente=world.gemeente_b, fase=Fase.BEEINDIGD)
    with user_scope(world.werkcoach_a):
        dossier = services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(bsn=person.bsn, achternaam="Nieuw"),
            dossier={"gemeente": world.gemeente_a},
        )
    assert dossier.inburgeraar_id == person.pk
    person.refresh_from_db()
    assert person.achternaam == "Nieuw"
