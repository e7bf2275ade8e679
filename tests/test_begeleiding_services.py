"""Every refusal of the begeleiding services, on the real PostgreSQL: the field named (or a 403
for the wrong actor) and nothing changed; what each allowed step writes (status, the dossier's
begeleider, the timeline, the history with its actor); the replay and version semantics of a
contact; and the database constraints behind them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from begeleiding import services, tijdlijn
from begeleiding.constants import AanmeldingStatus
from begeleiding.models import Aanmelding, BegeleidingBeleid, Contactmoment, Vervolgactie
from cases.constants import Fase
from cases.models import Dossier, Gebeurtenis, Signaal
from cases.policy import dossiers_for
from inburgering.core.access import user_scope

from .begeleiding_helpers import (
    aanmelden,
    accepteren,
    contact,
    contact_velden,
    lopend,
    nieuw_dossier,
    partners,
)
from .klok import moment, vandaag_fixture

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(world):
    return partners(world)


def fouten(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc.value.message_dict.items()}


def tel() -> tuple[int, int, int, int]:
    with scopes_disabled():
        return (
            Aanmelding.objects.count(),
            Contactmoment.objects.count(),
            Vervolgactie.objects.count(),
            Gebeurtenis.objects.filter(soort__startswith="begeleiding.").count(),
        )


def vers(obj: Any) -> Any:
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


# --- aanmelden ------------------------------------------------------------------------------------


def test_a_referral_is_written_with_its_event_and_history(world, p):
    dossier = nieuw_dossier(world)
    a = aanmelden(world, dossier)
    with scopes_disabled():
        assert a.status == AanmeldingStatus.AANGEMELD
        assert a.aangemeld_door == world.werkcoach_a and a.begeleider is None
        assert a.einddatum == date(2027, 6, 15)  # the gemeente's default 12 months
        assert a.history.get().history_user == world.werkcoach_a
        e = Gebeurtenis.objects.get(dossier=dossier, soort=tijdlijn.AANGEMELD)
        assert e.gegevens == {"organisatie": world.partner_a.naam}
        assert Dossier.objects.get(pk=dossier.pk).begeleider is None
    # the partner sees the referral, never the dossier before accepting
    with user_scope(p.coordinator_a):
        assert not dossiers_for(p.coordinator_a).filter(pk=dossier.pk).exists()


@pytest.mark.parametrize(
    ("veld", "kwargs", "tekst"),
    [
        ("afspraken", {"afspraken": "  "}, "theme 4"),
        ("geinformeerd_op", {"geinformeerd_op": None}, "AVG art. 13"),
        ("geinformeerd_op", {"geinformeerd_op": VANDAAG + timedelta(days=1)}, "future"),
        ("toestemming_op", {"toestemming_op": VANDAAG + timedelta(days=1)}, "future"),
        ("einddatum", {"einddatum": VANDAAG}, "after today"),
        ("organisatie", {"organisatie": None}, "Choose the partner organisation"),
    ],
)
def test_a_referral_is_refused_naming_the_field(world, p, veld, kwargs, tekst):
    dossier = nieuw_dossier(world)
    voor = tel()
    with pytest.raises(ValidationError) as exc:
        aanmelden(world, dossier, **kwargs)
    assert tekst in fouten(exc)[veld]
    assert tel() == voor


def test_nothing_is_shared_before_the_person_was_informed(world, p):
    """AVG art. 13: the refusal says so, and the database agrees (no row without the date)."""
    dossier = nieuw_dossier(world)
    with pytest.raises(ValidationError) as exc:
        aanmelden(world, dossier, geinformeerd_op=None)
    assert "nothing is shared before that (AVG art. 13)" in fouten(exc)["geinformeerd_op"]


def test_the_organisation_must_be_a_partner_in_the_dossiers_gemeente(world, p):
    dossier = nieuw_dossier(world)
    voor = tel()
    for organisatie in (world.team_a, p.partner_hogeland):
        with pytest.raises(ValidationError) as exc:
            aanmelden(world, dossier, organisatie=organisatie)
        assert "is no partner organisation in Huizen" in fouten(exc)["organisatie"]
    assert tel() == voor
    # another partner that works in Huizen is fine
    assert aanmelden(world, dossier, organisatie=p.partner_b).organisatie == p.partner_b


def test_consent_is_required_where_the_gemeente_asks_for_it(world, p):
    with scopes_disabled():
        BegeleidingBeleid.objects.create(gemeente=world.gemeente_a, toestemming_vereist=True)
    dossier = nieuw_dossier(world)
    voor = tel()
    with pytest.raises(ValidationError) as exc:
        aanmelden(world, dossier)
    assert "only with the person's consent" in fouten(exc)["toestemming_op"]
    assert tel() == voor
    a = aanmelden(world, dossier, toestemming_op=VANDAAG - timedelta(days=1))
    assert a.toestemming_op == VANDAAG - timedelta(days=1)


def test_a_closed_dossier_and_a_second_referral_are_refused(world, p):
    dossier = nieuw_dossier(world)
    aanmelden(world, dossier)
    voor = tel()
    with pytest.raises(ValidationError) as exc:
        aanmelden(world, dossier, organisatie=p.partner_b)
    assert "one at a time" in fouten(exc)["dossier"]
    gesloten = nieuw_dossier(world, fase=Fase.BEEINDIGD)
    with pytest.raises(ValidationError) as exc:
        aanmelden(world, gesloten)
    assert "closed dossier" in fouten(exc)["dossier"]
    assert tel() == voor


def test_only_the_gemeente_refers(world, p):
    dossier = nieuw_dossier(world)
    voor = tel()
    for user in (p.coordinator_a, world.begeleider_a, world.auditor_a, world.werkcoach_b):
        with pytest.raises(PermissionDenied):
            aanmelden(world, dossier, user=user)
    assert tel() == voor


# --- accepteren, afwijzen, toewijzen --------------------------------------------------------------


def test_accepting_opens_the_dossier_to_the_begeleider_and_the_coordinator(world, p):
    dossier = nieuw_dossier(world)
    a = accepteren(aanmelden(world, dossier), p.coordinator_a, world.begeleider_a)
    with scopes_disabled():
        assert (a.status, a.begeleider, a.startdatum) == (
            AanmeldingStatus.LOOPT,
            world.begeleider_a,
            VANDAAG,
        )
        assert a.beoordeeld_door == p.coordinator_a
        assert Dossier.objects.get(pk=dossier.pk).begeleider == world.begeleider_a
        assert a.history.latest().history_user == p.coordinator_a
        e = Gebeurtenis.objects.get(dossier=dossier, soort=tijdlijn.GEACCEPTEERD)
        assert e.gegevens["start"] == "2026-06-15" and e.gegevens["einde"] == "2027-06-15"
    for user, ziet in (
        (world.begeleider_a, True),
        (p.coordinator_a, True),
        (world.partner_auditor_a, True),
        (world.begeleider_a2, False),
        (p.coordinator_b, False),
        (p.begeleider_b, False),
    ):
        with user_scope(user):
            assert dossiers_for(user).filter(pk=dossier.pk).exists() is ziet, user


def test_accepting_is_refused_naming_the_field(world, p):
    a = aanmelden(world, nieuw_dossier(world), einddatum=VANDAAG + timedelta(days=30))
    gevallen = [
        ({"begeleider": None}, "begeleider", "Choose the begeleider"),
        ({"begeleider": p.begeleider_b}, "begeleider", "Choose a maatschappelijk begeleider of"),
        ({"begeleider": p.coordinator_a}, "begeleider", "Choose a maatschappelijk begeleider of"),
        ({"begeleider": world.werkcoach_a}, "begeleider", "Choose a maatschappelijk begeleider"),
        (
            {"begeleider": world.begeleider_a, "startdatum": VANDAAG + timedelta(days=30)},
            "startdatum",
            "start before that",
        ),
        (
            {"begeleider": world.begeleider_a, "startdatum": VANDAAG - timedelta(days=1)},
            "startdatum",
            "before the referral",
        ),
    ]
    for kwargs, veld, tekst in gevallen:
        with user_scope(p.coordinator_a), pytest.raises(ValidationError) as exc:
            services.accepteren(user=p.coordinator_a, aanmelding=a, **kwargs)
        assert tekst in fouten(exc)[veld], kwargs
    assert vers(a).status == AanmeldingStatus.AANGEMELD


def test_only_the_organisations_coordinator_accepts(world, p):
    a = aanmelden(world, nieuw_dossier(world))
    for user in (p.coordinator_b, world.begeleider_a, world.werkcoach_a, world.partner_auditor_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.accepteren(user=user, aanmelding=a, begeleider=world.begeleider_a)
    assert vers(a).status == AanmeldingStatus.AANGEMELD


def test_a_decided_referral_is_not_decided_again(world, p):
    a = lopend(world, p)
    with pytest.raises(ValidationError) as exc:
        accepteren(a, p.coordinator_a, world.begeleider_a2)
    assert "“running”" in fouten(exc)["status"]
    with user_scope(p.coordinator_a), pytest.raises(ValidationError):
        services.afwijzen(user=p.coordinator_a, aanmelding=a, reden="Vol")


def test_declining_needs_a_reason_and_grants_nothing(world, p):
    dossier = nieuw_dossier(world)
    a = aanmelden(world, dossier)
    with user_scope(p.coordinator_a), pytest.raises(ValidationError) as exc:
        services.afwijzen(user=p.coordinator_a, aanmelding=a, reden=" ")
    assert "reason for declining" in fouten(exc)["afwijsreden"]
    with user_scope(world.begeleider_a), pytest.raises(PermissionDenied):
        services.afwijzen(user=world.begeleider_a, aanmelding=a, reden="Vol")
    with user_scope(p.coordinator_a):
        services.afwijzen(user=p.coordinator_a, aanmelding=a, reden="Geen plek tot september.")
    with scopes_disabled():
        a = vers(a)
        assert (a.status, a.afwijsreden) == (AanmeldingStatus.AFGEWEZEN, "Geen plek tot september.")
        assert Gebeurtenis.objects.filter(dossier=dossier, soort=tijdlijn.AFGEWEZEN).exists()
        assert Dossier.objects.get(pk=dossier.pk).begeleider is None
    with user_scope(p.coordinator_a):
        assert not dossiers_for(p.coordinator_a).filter(pk=dossier.pk).exists()
    # declined: the werkcoach may refer again (to another partner)
    assert aanmelden(world, dossier, organisatie=p.partner_b).status == AanmeldingStatus.AANGEMELD
    # a declined referral is not accepted afterwards
    with pytest.raises(ValidationError):
        accepteren(a, p.coordinator_a, world.begeleider_a)


def test_reassigning_moves_access_to_the_new_begeleider(world, p):
    a = lopend(world, p)
    dossier = a.dossier
    for begeleider, tekst in ((None, "Choose the begeleider"), (p.begeleider_b, "of Organisatie")):
        with user_scope(p.coordinator_a), pytest.raises(ValidationError) as exc:
            services.toewijzen(user=p.coordinator_a, aanmelding=a, begeleider=begeleider)
        assert tekst in fouten(exc)["begeleider"]
    for user in (world.begeleider_a, world.werkcoach_a, p.coordinator_b):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.toewijzen(user=user, aanmelding=a, begeleider=world.begeleider_a2)
    with user_scope(p.coordinator_a):
        services.toewijzen(user=p.coordinator_a, aanmelding=a, begeleider=world.begeleider_a2)
        services.toewijzen(user=p.coordinator_a, aanmelding=a, begeleider=world.begeleider_a2)
    with scopes_disabled():
        assert Dossier.objects.get(pk=dossier.pk).begeleider == world.begeleider_a2
        assert Gebeurtenis.objects.filter(dossier=dossier, soort=tijdlijn.TOEGEWEZEN).count() == 1
    for user, ziet in ((world.begeleider_a, False), (world.begeleider_a2, True)):
        with user_scope(user):
            assert dossiers_for(user).filter(pk=dossier.pk).exists() is ziet
    # the previous begeleider no longer records contacts
    with pytest.raises(PermissionDenied):
        contact(vers(a), world.begeleider_a)
    # a referral not yet accepted is not reassigned
    wacht = aanmelden(world, nieuw_dossier(world))
    with user_scope(p.coordinator_a), pytest.raises(ValidationError):
        services.toewijzen(user=p.coordinator_a, aanmelding=wacht, begeleider=world.begeleider_a)


# --- intrekken, einddatum, evaluatie, afsluiten ---------------------------------------------------


def test_withdrawing_ends_the_partners_access_at_once(world, p):
    a = lopend(world, p)
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.intrekken(user=world.werkcoach_a, aanmelding=a, reden="")
    assert "reason for withdrawing" in fouten(exc)["ingetrokken_reden"]
    for user in (p.coordinator_a, world.begeleider_a, world.auditor_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.intrekken(user=user, aanmelding=a, reden="Verhuisd")
    with user_scope(world.werkcoach_a):
        services.intrekken(user=world.werkcoach_a, aanmelding=a, reden="Andere hulp gevonden.")
    with scopes_disabled():
        assert vers(a).status == AanmeldingStatus.INGETROKKEN
        assert Dossier.objects.get(pk=a.dossier_id).begeleider is None
    for user in (world.begeleider_a, p.coordinator_a):
        with user_scope(user):
            assert not dossiers_for(user).filter(pk=a.dossier_id).exists()
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError):
        services.intrekken(user=world.werkcoach_a, aanmelding=a, reden="Nogmaals")


def test_changing_the_end_date(world, p):
    a = lopend(world, p)
    gevallen = [
        ({"einddatum": None, "reden": "x"}, "einddatum", "Give the new end date"),
        ({"einddatum": VANDAAG - timedelta(days=1), "reden": "x"}, "einddatum", "in the past"),
        ({"einddatum": VANDAAG, "reden": "x"}, "einddatum", "after the start"),
        ({"einddatum": date(2027, 8, 15), "reden": " "}, "reden", "reason for the new end date"),
    ]
    for kwargs, veld, tekst in gevallen:
        with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
            services.einddatum_wijzigen(user=world.werkcoach_a, aanmelding=a, **kwargs)
        assert tekst in fouten(exc)[veld], kwargs
    for user in (world.begeleider_a, p.coordinator_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.einddatum_wijzigen(
                user=user, aanmelding=a, einddatum=date(2027, 8, 15), reden="Landsmeer: 14"
            )
    assert vers(a).einddatum == date(2027, 6, 15)
    with user_scope(world.werkcoach_a):
        services.einddatum_wijzigen(
            user=world.werkcoach_a, aanmelding=a, einddatum=date(2027, 8, 15), reden="14 maanden"
        )
    with scopes_disabled():
        assert vers(a).einddatum == date(2027, 8, 15)
        e = Gebeurtenis.objects.get(dossier=a.dossier, soort=tijdlijn.EINDDATUM)
        assert e.gegevens == {"datum": "2027-08-15", "reden": "14 maanden"}


def test_recording_the_review(world, p):
    a = lopend(world, p)
    gevallen = [
        ({"datum": None, "verslag": "x"}, "evaluatie_op", "date of the review"),
        ({"datum": VANDAAG + timedelta(days=1), "verslag": "x"}, "evaluatie_op", "future"),
        ({"datum": VANDAAG - timedelta(days=1), "verslag": "x"}, "evaluatie_op", "start"),
        ({"datum": VANDAAG, "verslag": ""}, "evaluatie_verslag", "what the review concluded"),
    ]
    for kwargs, veld, tekst in gevallen:
        with user_scope(world.begeleider_a), pytest.raises(ValidationError) as exc:
            services.evaluatie_vastleggen(user=world.begeleider_a, aanmelding=a, **kwargs)
        assert tekst in fouten(exc)[veld], kwargs
    for user in (world.begeleider_a2, p.coordinator_a, world.auditor_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.evaluatie_vastleggen(user=user, aanmelding=a, datum=VANDAAG, verslag="x")
    for user in (world.begeleider_a, world.werkcoach_a):  # the begeleider or the werkcoach
        with user_scope(user):
            services.evaluatie_vastleggen(
                user=user, aanmelding=a, datum=VANDAAG, verslag=f"Besproken door {user}"
            )
    with scopes_disabled():
        assert vers(a).evaluatie_op == VANDAAG
        assert {h.history_user for h in a.history.filter(evaluatie_op=VANDAAG)} == {
            world.begeleider_a,
            world.werkcoach_a,
        }


def test_closing_with_the_report_ends_access(world, p):
    a = lopend(world, p)
    with user_scope(world.begeleider_a), pytest.raises(ValidationError) as exc:
        services.afsluiten(user=world.begeleider_a, aanmelding=a, verslag="")
    assert "closing report" in fouten(exc)["afsluitend_verslag"]
    for user in (world.begeleider_a2, p.coordinator_a, world.werkcoach_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.afsluiten(user=user, aanmelding=a, verslag="Klaar")
    with user_scope(world.begeleider_a):
        services.afsluiten(
            user=world.begeleider_a,
            aanmelding=a,
            verslag="Zelfstandig met post en geldzaken.",
            open_punten="Zoekt nog vrijwilligerswerk.",
        )
    with scopes_disabled():
        a = vers(a)
        assert (a.status, a.afgesloten_op, a.afgesloten_door) == (
            AanmeldingStatus.AFGESLOTEN,
            VANDAAG,
            world.begeleider_a,
        )
        assert a.open_punten == "Zoekt nog vrijwilligerswerk."
        assert Dossier.objects.get(pk=a.dossier_id).begeleider is None
        assert Gebeurtenis.objects.filter(dossier=a.dossier, soort=tijdlijn.AFGESLOTEN).exists()
    with user_scope(world.begeleider_a):
        assert not dossiers_for(world.begeleider_a).filter(pk=a.dossier_id).exists()
        with pytest.raises(PermissionDenied):  # nothing more is recorded
            services.contact_vastleggen(user=world.begeleider_a, aanmelding=a, **contact_velden())
    # the werkcoach sees the closing report (the warm handover)
    with user_scope(world.werkcoach_a):
        from begeleiding.policy import aanmeldingen_for

        gezien = aanmeldingen_for(world.werkcoach_a).get(pk=a.pk)
        assert gezien.afsluitend_verslag == "Zelfstandig met post en geldzaken."


# --- contacts -------------------------------------------------------------------------------------


def test_only_the_assigned_begeleider_records_a_contact(world, p):
    a = lopend(world, p)
    for user in (world.begeleider_a2, p.coordinator_a, world.werkcoach_a, p.begeleider_b):
        with pytest.raises(PermissionDenied):
            contact(a, user)
    assert tel()[1] == 0


def test_a_contact_after_the_end_date_is_refused(world, p):
    a = lopend(world, p)
    with scopes_disabled():
        Aanmelding.objects.filter(pk=a.pk).update(
            startdatum=VANDAAG - timedelta(days=100), einddatum=VANDAAG - timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):  # the begeleiding ended: so did the access
        contact(vers(a), world.begeleider_a, tijdstip=moment(VANDAAG - timedelta(days=2)))
    assert tel()[1] == 0


@pytest.mark.parametrize(
    ("kwargs", "veld", "tekst"),
    [
        ({"tijdstip": None}, "tijdstip", "date and time"),
        ({"tijdstip": moment(VANDAAG, 11)}, "tijdstip", "after it took place"),
        ({"tijdstip": moment(VANDAAG - timedelta(days=1))}, "tijdstip", "started on 15-06-2026"),
        ({"soort": "brief"}, "soort", "kind of contact"),
        ({"duur_minuten": 0}, "duur_minuten", "1 to 600"),
        ({"duur_minuten": 601}, "duur_minuten", "1 to 600"),
        ({"aanwezig": ["buurman"]}, "aanwezig", "buurman"),
        ({"onderwerpen": ["diagnose"]}, "onderwerpen", "diagnose"),
        ({"verslag": "  "}, "verslag", "short report"),
        ({"signaal_werkcoach": True, "signaal_toelichting": " "}, "signaal_toelichting", "know"),
    ],
)
def test_a_contact_is_refused_naming_the_field(world, p, kwargs, veld, tekst):
    a = lopend(world, p)
    voor = tel()
    with pytest.raises(ValidationError) as exc:
        contact(a, world.begeleider_a, **kwargs)
    assert tekst in fouten(exc)[veld]
    assert tel() == voor


def test_a_bad_follow_up_action_refuses_the_contact(world, p):
    a = lopend(world, p)
    acties = [
        services.NieuweActie(" ", "begeleider", VANDAAG),
        services.NieuweActie("Bellen", "buurman", VANDAAG),
        services.NieuweActie("Bellen", "werkcoach", None),
        services.NieuweActie("Bellen", "werkcoach", VANDAAG - timedelta(days=1)),
    ]
    with pytest.raises(ValidationError) as exc:
        contact(a, world.begeleider_a, vervolgacties=acties)
    tekst = fouten(exc)["vervolgacties"]
    for deel in (
        "Action 1: describe it.",
        "Action 2: choose who does it.",
        "Action 3: give the date it is due.",
        "Action 4: the due date is before the contact.",
    ):
        assert deel in tekst
    assert tel()[1:3] == (0, 0)


def test_a_replay_of_the_same_contact_creates_it_once(world, p):
    a = lopend(world, p)
    sleutel, actie = uuid.uuid4(), uuid.uuid4()
    acties = [services.NieuweActie("Belastingdienst bellen", "begeleider", VANDAAG, uuid=actie)]
    velden = contact_velden(signaal_werkcoach=True, signaal_toelichting="Huurachterstand.")
    uitkomsten = []
    for _ in range(3):
        with user_scope(world.begeleider_a):
            c, nieuw = services.contact_vastleggen(
                user=world.begeleider_a, aanmelding=a, uuid=sleutel, vervolgacties=acties, **velden
            )
        uitkomsten.append(nieuw)
    assert uitkomsten == [True, False, False]
    with scopes_disabled():
        assert Contactmoment.objects.filter(uuid=sleutel).count() == 1
        assert Vervolgactie.objects.filter(uuid=actie).count() == 1
        assert Gebeurtenis.objects.filter(dossier=a.dossier, soort=tijdlijn.CONTACT).count() == 1
        assert Gebeurtenis.objects.filter(dossier=a.dossier, soort=tijdlijn.SIGNAAL).count() == 1
        assert Signaal.objects.filter(termijn__code="mb_signaal").count() == 1
        assert c.signaalnummer == 1


def test_the_same_identifier_with_other_content_is_a_conflict(world, p):
    a = lopend(world, p)
    sleutel = uuid.uuid4()
    eerste = contact(a, world.begeleider_a, uuid=sleutel)
    with pytest.raises(services.VersieConflict) as exc:
        contact(a, world.begeleider_a, uuid=sleutel, verslag="Iets anders.")
    assert exc.value.huidige.pk == eerste.pk
    assert exc.value.huidige.verslag == "Post doorgenomen; de zorgtoeslag is aangevraagd."
    # another begeleiding's begeleider replaying that identifier gets the conflict, not the row
    with scopes_disabled():
        ander = lopend(world, p, dossier=nieuw_dossier(world))
    with pytest.raises(services.VersieConflict):
        contact(ander, world.begeleider_a, uuid=sleutel)
    assert tel()[1] == 1


def test_a_correction_is_a_new_version_and_a_stale_one_is_a_conflict(world, p):
    a = lopend(world, p)
    c = contact(a, world.begeleider_a)
    with user_scope(world.begeleider_a):
        with pytest.raises(ValidationError) as exc:
            services.contact_corrigeren(user=world.begeleider_a, contact=c, versie=None)
        assert "version you corrected" in fouten(exc)["versie"]
        services.contact_corrigeren(
            user=world.begeleider_a, contact=c, versie=1, verslag="Post en huur doorgenomen."
        )
        with pytest.raises(services.VersieConflict) as conflict:
            services.contact_corrigeren(
                user=world.begeleider_a, contact=c, versie=1, verslag="Oude tekst."
            )
        assert conflict.value.huidige.versie == 2
        assert conflict.value.huidige.verslag == "Post en huur doorgenomen."
        services.contact_corrigeren(
            user=world.begeleider_a, contact=c, versie=2, duur_minuten=75, onderwerpen=["taal"]
        )
    for user in (world.begeleider_a2, world.werkcoach_a, p.coordinator_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.contact_corrigeren(user=user, contact=c, versie=3, verslag="Niet van mij.")
    with scopes_disabled():
        c = vers(c)
        assert (c.versie, c.duur_minuten, c.verslag) == (3, 75, "Post en huur doorgenomen.")
        versies = list(c.history.order_by("history_date").values_list("versie", "verslag"))
        assert versies == [
            (1, "Post doorgenomen; de zorgtoeslag is aangevraagd."),
            (2, "Post en huur doorgenomen."),
            (3, "Post en huur doorgenomen."),
        ]
        assert {h.history_user for h in c.history.all()} == {world.begeleider_a}
        assert (
            Gebeurtenis.objects.filter(dossier=a.dossier, soort=tijdlijn.GECORRIGEERD).count() == 2
        )


def test_a_signal_cannot_be_withdrawn_by_a_correction_but_can_be_added(world, p):
    a = lopend(world, p)
    met = contact(a, world.begeleider_a, signaal_werkcoach=True, signaal_toelichting="Huur.")
    zonder = contact(a, world.begeleider_a)
    with user_scope(world.begeleider_a):
        with pytest.raises(ValidationError) as exc:
            services.contact_corrigeren(
                user=world.begeleider_a, contact=met, versie=1, signaal_werkcoach=False
            )
        assert "cannot be taken back" in fouten(exc)["signaal_werkcoach"]
        services.contact_corrigeren(
            user=world.begeleider_a,
            contact=zonder,
            versie=1,
            signaal_werkcoach=True,
            signaal_toelichting="Toch: zorgen over school.",
        )
    with scopes_disabled():
        assert vers(met).signaal_werkcoach and vers(met).versie == 1
        assert sorted(
            Contactmoment.objects.exclude(signaalnummer=None).values_list(
                "signaalnummer", flat=True
            )
        ) == [1, 2]
        assert (
            Signaal.objects.filter(ontvanger=world.werkcoach_a, termijn__code="mb_signaal").count()
            == 2
        )


def test_following_a_signal_up(world, p):
    a = lopend(world, p)
    met = contact(a, world.begeleider_a, signaal_werkcoach=True, signaal_toelichting="Huur.")
    zonder = contact(a, world.begeleider_a)
    for user in (world.begeleider_a, p.coordinator_a, world.auditor_a):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.signaal_opvolgen(user=user, contact=met)
    with user_scope(world.werkcoach_a):
        with pytest.raises(ValidationError) as exc:
            services.signaal_opvolgen(user=world.werkcoach_a, contact=zonder)
        assert "carries no signal" in fouten(exc)["signaal_werkcoach"]
        services.signaal_opvolgen(user=world.werkcoach_a, contact=met)
        services.signaal_opvolgen(user=world.werkcoach_a, contact=met)  # once is enough
    with scopes_disabled():
        assert vers(met).signaal_opgevolgd_op == VANDAAG
        assert (
            Gebeurtenis.objects.filter(dossier=a.dossier, soort=tijdlijn.SIGNAAL_OPGEVOLGD).count()
            == 1
        )


def test_finishing_a_follow_up_action(world, p):
    a = lopend(world, p)
    c = contact(
        a,
        world.begeleider_a,
        vervolgacties=[
            services.NieuweActie("Toeslag", "begeleider", VANDAAG + timedelta(days=7)),
            services.NieuweActie("Bijstand", "werkcoach", VANDAAG + timedelta(days=7)),
        ],
    )
    with scopes_disabled():
        eerste, tweede = list(c.vervolgacties.order_by("id"))
    for user in (world.begeleider_a2, p.coordinator_a, world.auditor_a, world.werkcoach_b):
        with user_scope(user), pytest.raises(PermissionDenied):
            services.vervolgactie_afronden(user=user, actie=eerste)
    with user_scope(world.begeleider_a):
        with pytest.raises(ValidationError) as exc:
            services.vervolgactie_afronden(
                user=world.begeleider_a, actie=eerste, datum=VANDAAG + timedelta(days=1)
            )
        assert "future" in fouten(exc)["afgerond_op"]
        services.vervolgactie_afronden(user=world.begeleider_a, actie=eerste)
    with user_scope(world.werkcoach_a):
        services.vervolgactie_afronden(user=world.werkcoach_a, actie=tweede, datum=VANDAAG)
    with scopes_disabled():
        assert (vers(eerste).afgerond_door, vers(tweede).afgerond_door) == (
            world.begeleider_a,
            world.werkcoach_a,
        )


# --- the database constraints ---------------------------------------------------------------------


def _rij(world, dossier, **kwargs) -> Aanmelding:
    velden: dict[str, Any] = {
        "dossier": dossier,
        "organisatie": world.partner_a,
        "afspraken": "Wonen",
        "geinformeerd_op": VANDAAG,
        "aangemeld_door": world.werkcoach_a,
        "einddatum": VANDAAG + timedelta(days=300),
        **kwargs,
    }
    with transaction.atomic():
        return Aanmelding.objects.create(**velden)


@pytest.mark.parametrize(
    ("kwargs", "naam"),
    [
        ({"status": AanmeldingStatus.LOOPT}, "mb_lopend_met_begeleider"),
        ({"status": AanmeldingStatus.LOOPT, "startdatum": VANDAAG}, "mb_lopend_met_begeleider"),
        ({"startdatum": VANDAAG, "einddatum": VANDAAG}, "mb_einde_na_start"),
        ({"geinformeerd_op": None}, "geinformeerd_op"),
    ],
)
def test_the_database_refuses_an_inconsistent_referral(world, kwargs, naam):
    dossier = nieuw_dossier(world)
    with scopes_disabled(), pytest.raises(IntegrityError, match=naam):
        _rij(world, dossier, **kwargs)


def test_the_database_keeps_one_referral_or_begeleiding_per_dossier(world, p):
    dossier = nieuw_dossier(world)
    with scopes_disabled():
        _rij(world, dossier)
        for status in (AanmeldingStatus.AANGEMELD, AanmeldingStatus.LOOPT):
            with pytest.raises(IntegrityError, match="uniq_mb_aanmelding_lopend"):
                _rij(
                    world,
                    dossier,
                    status=status,
                    begeleider=world.begeleider_a,
                    startdatum=VANDAAG,
                )
        # closed ones do not count
        _rij(world, dossier, status=AanmeldingStatus.AFGEWEZEN)
        _rij(world, dossier, status=AanmeldingStatus.INGETROKKEN)


def test_the_database_refuses_a_signal_without_explanation_and_a_number_twice(world, p):
    a = lopend(world, p)
    c = contact(a, world.begeleider_a, signaal_werkcoach=True, signaal_toelichting="Huur.")
    with scopes_disabled():
        with (
            transaction.atomic(),
            pytest.raises(IntegrityError, match="mb_signaal_met_toelichting"),
        ):
            Contactmoment.objects.filter(pk=c.pk).update(signaal_toelichting="")
        ander = contact(a, world.begeleider_a)
        with transaction.atomic(), pytest.raises(IntegrityError, match="uniq_mb_signaalnummer"):
            Contactmoment.objects.filter(pk=ander.pk).update(signaalnummer=c.signaalnummer)
        assert timezone.localdate() == VANDAAG
