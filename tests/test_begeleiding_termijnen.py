"""The clocks of maatschappelijke begeleiding: the rule functions pure (facts in, clocks out, with
month ends and leap days), then through the real recompute (``cases.termijnen.herberekenen``, run
by the services) and the real sweep (``cases.bewaking.sweep``): the review and the closing report
signal werkcoach and begeleider, no contact for N weeks too, a begeleider's signal lands with the
werkcoach at once and escalates when nobody follows it up. And the access that ends with the
begeleiding: on its end date, and when the person moves away."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django_scopes import scopes_disabled

from begeleiding import services
from begeleiding.constants import AanmeldingStatus
from begeleiding.models import BegeleidingBeleid
from begeleiding.policy import contactmomenten_for, lopende_begeleidingen
from begeleiding.termijnregels import (
    AFSLUITING,
    CONTACT,
    EVALUATIE,
    SIGNAAL,
    BegeleidingFeit,
    BegeleidingFeiten,
    Signaalfeit,
    evaluatie_datum,
)
from cases import bewaking
from cases import services as case_services
from cases.constants import Doelgroep, Fase, Regime, SignaalSoort, TermijnStatus
from cases.feiten import DossierFeiten, Feiten
from cases.models import Dossier, Signaal, Termijn
from cases.policy import dossiers_for
from cases.termijnregels import Klok, registry
from handhaving.termijnregels import HandhavingFeiten
from inburgering.core.access import user_scope
from pip_plans.termijnregels import PipFeiten

from .begeleiding_helpers import aanmelden, contact, lopend, nieuw_dossier, partners
from .klok import moment, vandaag_fixture

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)


# --- the rules, pure ------------------------------------------------------------------------------


def feiten(begeleiding: BegeleidingFeit | None = None, *signalen: Signaalfeit, **dossier) -> Feiten:
    return Feiten(
        [
            DossierFeiten(
                **{
                    "open": True,
                    "regime": Regime.WI2021,
                    "doelgroep": Doelgroep.ASIELMIGRANT,
                    "koppeling": None,
                    "brp": None,
                    "huisvesting": None,
                    "beleid": None,
                    **dossier,
                }
            ),
            PipFeiten(),
            HandhavingFeiten(),
            BegeleidingFeiten(begeleiding=begeleiding, signalen=tuple(signalen)),
        ]
    )


def feit(start: date, einde: date, *contacten: date, **kwargs) -> BegeleidingFeit:
    velden = {
        "status": AanmeldingStatus.LOOPT,
        "evaluatie_op": None,
        "afgesloten_op": None,
        "contact_weken": 4,
        **kwargs,
    }
    return BegeleidingFeit(startdatum=start, einddatum=einde, contacten=tuple(contacten), **velden)


def klokken(code: str, f: Feiten) -> list[Klok]:
    regel = registry.get(code)
    assert regel is not None and regel.app == "begeleiding"
    return regel.bereken(f)


@pytest.mark.parametrize(
    ("einde", "evaluatie"),
    [
        (date(2027, 6, 15), date(2027, 3, 15)),
        (date(2027, 5, 31), date(2027, 2, 28)),  # no 31 February
        (date(2028, 5, 31), date(2028, 2, 29)),  # a leap year
        (date(2027, 1, 31), date(2026, 10, 31)),
        (date(2027, 3, 1), date(2026, 12, 1)),
    ],
)
def test_the_review_is_three_months_before_the_end(einde, evaluatie):
    assert evaluatie_datum(einde) == evaluatie
    (klok,) = klokken(EVALUATIE, feiten(feit(date(2026, 1, 10), einde)))
    assert (klok.start, klok.uiterste_datum, klok.gehaald_op) == (
        date(2026, 1, 10),
        evaluatie,
        None,
    )


def test_the_review_is_met_by_the_review_or_the_closing_report_and_short_ones_have_none():
    start, einde = date(2026, 1, 10), date(2027, 1, 10)
    gehouden = feiten(feit(start, einde, evaluatie_op=date(2026, 9, 1)))
    assert klokken(EVALUATIE, gehouden)[0].gehaald_op == date(2026, 9, 1)
    gesloten = feiten(
        feit(start, einde, status=AanmeldingStatus.AFGESLOTEN, afgesloten_op=date(2026, 8, 1))
    )
    assert klokken(EVALUATIE, gesloten)[0].gehaald_op == date(2026, 8, 1)
    # three months or less: the review would fall on or before the start
    assert klokken(EVALUATIE, feiten(feit(start, date(2026, 4, 10)))) == []
    assert len(klokken(EVALUATIE, feiten(feit(start, date(2026, 4, 11))))) == 1


def test_contact_periods_run_from_contact_to_contact():
    s = date(2026, 1, 5)
    f = feiten(feit(s, date(2027, 1, 5), s + timedelta(days=10), s + timedelta(days=40)))
    got = [(k.volgnummer, k.start, k.uiterste_datum, k.gehaald_op) for k in klokken(CONTACT, f)]
    assert got == [
        (1, s, s + timedelta(weeks=4), s + timedelta(days=10)),
        (2, s + timedelta(days=10), s + timedelta(days=38), s + timedelta(days=40)),  # late
        (3, s + timedelta(days=40), s + timedelta(days=68), None),  # open: the next contact
    ]


def test_contact_periods_follow_the_gemeentes_weeks_and_ignore_repeats_and_early_days():
    s = date(2026, 2, 27)
    f = feiten(
        feit(
            s,
            date(2027, 2, 27),
            s - timedelta(days=3),  # before the start (a home visit before acceptance)
            s + timedelta(days=2),
            s + timedelta(days=2),  # twice that day: one contact day
            contact_weken=3,
        )
    )
    got = [(k.volgnummer, k.start, k.uiterste_datum, k.gehaald_op) for k in klokken(CONTACT, f)]
    assert got == [
        (1, s, date(2026, 3, 20), s + timedelta(days=2)),
        (2, s + timedelta(days=2), date(2026, 3, 22), None),
    ]


def test_no_open_contact_period_beyond_the_end_or_after_closing():
    s, einde = date(2026, 1, 5), date(2026, 2, 1)
    assert klokken(CONTACT, feiten(feit(s, einde))) == []  # 5 January + 4 weeks = 2 February
    assert len(klokken(CONTACT, feiten(feit(s, date(2026, 2, 3))))) == 1
    gesloten = feit(
        s,
        date(2027, 1, 5),
        date(2026, 1, 20),
        status=AanmeldingStatus.AFGESLOTEN,
        afgesloten_op=date(2026, 1, 30),
    )
    assert [k.gehaald_op for k in klokken(CONTACT, feiten(gesloten))] == [date(2026, 1, 20)]


def test_the_closing_report_is_due_on_the_end_date():
    s, einde = date(2026, 1, 5), date(2027, 1, 5)
    (klok,) = klokken(AFSLUITING, feiten(feit(s, einde)))
    assert (klok.start, klok.uiterste_datum, klok.gehaald_op) == (s, einde, None)
    gesloten = feit(s, einde, status=AanmeldingStatus.AFGESLOTEN, afgesloten_op=date(2027, 1, 4))
    assert klokken(AFSLUITING, feiten(gesloten))[0].gehaald_op == date(2027, 1, 4)


def test_a_signal_is_followed_up_within_a_week():
    signalen = (
        Signaalfeit(nummer=1, datum=date(2026, 12, 28), opgevolgd_op=date(2027, 1, 2)),
        Signaalfeit(nummer=2, datum=date(2027, 2, 25), opgevolgd_op=None),
    )
    got = [
        (k.volgnummer, k.uiterste_datum, k.gehaald_op)
        for k in klokken(SIGNAAL, feiten(None, *signalen))
    ]
    assert got == [(1, date(2027, 1, 4), date(2027, 1, 2)), (2, date(2027, 3, 4), None)]


@pytest.mark.parametrize("status", [AanmeldingStatus.AFGEWEZEN, AanmeldingStatus.INGETROKKEN])
def test_declined_or_withdrawn_runs_no_clocks(status):
    f = feiten(feit(date(2026, 1, 5), date(2027, 1, 5), status=status))
    for code in (EVALUATIE, CONTACT, AFSLUITING):
        assert klokken(code, f) == []
    assert klokken(CONTACT, feiten(None)) == []


def test_no_begeleiding_clocks_for_a_closed_or_wi2013_dossier():
    b = feit(date(2026, 1, 5), date(2027, 1, 5))
    assert {code for code, _ in registry.klokken(feiten(b))} == {EVALUATIE, CONTACT, AFSLUITING}
    assert registry.klokken(feiten(b, open=False)) == {}
    assert registry.klokken(feiten(b, regime=Regime.WI2013_ONDERTUSSEN)) == {}


def test_the_rules_that_signal_the_begeleider():
    meldt = {r.code for r in registry if r.meldt_begeleider}
    assert {EVALUATIE, CONTACT, AFSLUITING} <= meldt
    assert SIGNAAL not in meldt  # the begeleider's own signal is for the werkcoach


# --- through the recompute and the sweep ----------------------------------------------------------


def sweep(peildatum: date) -> bewaking.Resultaat:
    with scopes_disabled():
        return bewaking.sweep(peildatum=peildatum)


def signalen(dossier: Dossier, code: str) -> set[tuple[str, str, int]]:
    with scopes_disabled():
        return set(
            Signaal.objects.filter(dossier=dossier, termijn__code=code).values_list(
                "ontvanger__username", "soort", "dagen_voor"
            )
        )


def termijn(dossier: Dossier, code: str, volgnummer: int = 1) -> Termijn:
    with scopes_disabled():
        return Termijn.objects.get(dossier=dossier, code=code, volgnummer=volgnummer)


@pytest.fixture
def p(world):
    return partners(world)


@pytest.mark.django_db
def test_accepting_starts_the_clocks(world, p):
    a = lopend(world, p)
    with scopes_disabled():
        klokken = {
            (t.code, t.volgnummer): (t.uiterste_datum, t.status)
            for t in Termijn.objects.filter(dossier=a.dossier, code__startswith="mb_")
        }
    assert klokken == {
        (EVALUATIE, 1): (date(2027, 3, 15), TermijnStatus.OPEN),
        (CONTACT, 1): (date(2026, 7, 13), TermijnStatus.OPEN),
        (AFSLUITING, 1): (date(2027, 6, 15), TermijnStatus.OPEN),
    }


@pytest.mark.django_db
def test_a_referral_awaiting_the_partner_or_declined_runs_no_clocks(world, p):
    dossier = nieuw_dossier(world)
    a = aanmelden(world, dossier)
    with scopes_disabled():
        assert not Termijn.objects.filter(dossier=dossier, code__startswith="mb_").exists()
    with user_scope(p.coordinator_a):
        services.afwijzen(user=p.coordinator_a, aanmelding=a, reden="Vol.")
    with scopes_disabled():
        assert not Termijn.objects.filter(dossier=dossier, code__startswith="mb_").exists()


@pytest.mark.django_db
def test_withdrawing_lapses_the_clocks_and_closes_their_signals(world, p):
    a = lopend(world, p)
    sweep(date(2026, 7, 14))  # the contact period ran out
    assert (world.begeleider_a.username, SignaalSoort.VERLOPEN, 0) in signalen(a.dossier, CONTACT)
    with user_scope(world.werkcoach_a):
        services.intrekken(user=world.werkcoach_a, aanmelding=a, reden="Verhuist.")
    with scopes_disabled():
        mb = Termijn.objects.filter(dossier=a.dossier, code__startswith="mb_")
        assert set(mb.values_list("status", flat=True)) == {TermijnStatus.VERVALLEN}
        assert not Signaal.objects.filter(dossier=a.dossier, afgehandeld_op__isnull=True).exists()


@pytest.mark.django_db
def test_the_review_signals_the_werkcoach_and_the_begeleider(world, p):
    a = lopend(world, p)
    uiterste = termijn(a.dossier, EVALUATIE).uiterste_datum
    sweep(uiterste - timedelta(days=15))
    assert signalen(a.dossier, EVALUATIE) == set()
    sweep(uiterste - timedelta(days=14))
    assert signalen(a.dossier, EVALUATIE) == {
        ("wc_a", SignaalSoort.WAARSCHUWING, 14),
        ("mb_a", SignaalSoort.WAARSCHUWING, 14),
    }
    sweep(uiterste + timedelta(days=1))
    assert {s for s in signalen(a.dossier, EVALUATIE) if s[1] == SignaalSoort.VERLOPEN} == {
        ("wc_a", SignaalSoort.VERLOPEN, 0),
        ("mb_a", SignaalSoort.VERLOPEN, 0),
    }
    # a policy clock of the begeleiding: no escalation to the teamleider
    assert not {s for s in signalen(a.dossier, EVALUATIE) if s[0] == "tl_a"}
    # a colleague begeleider and the coördinator are not told
    assert not {s for s in signalen(a.dossier, EVALUATIE) if s[0] in ("mb_a2", "coord_a")}


@pytest.mark.django_db
def test_the_review_held_meets_the_clock(world, p):
    a = lopend(world, p)
    with time_machine.travel(moment(date(2027, 3, 1)), tick=False), user_scope(world.begeleider_a):
        services.evaluatie_vastleggen(
            user=world.begeleider_a, aanmelding=a, datum=date(2027, 3, 1), verslag="Op koers."
        )
    t = termijn(a.dossier, EVALUATIE)
    assert (t.status, t.gehaald_op) == (TermijnStatus.GEHAALD, date(2027, 3, 1))


@pytest.mark.django_db
def test_no_contact_for_n_weeks_signals_both_and_a_contact_starts_the_next_period(world, p):
    with scopes_disabled():
        BegeleidingBeleid.objects.create(gemeente=world.gemeente_a, contact_weken=3)
    a = lopend(world, p)
    eerste = termijn(a.dossier, CONTACT)
    assert eerste.uiterste_datum == VANDAAG + timedelta(weeks=3)
    sweep(VANDAAG + timedelta(weeks=3) + timedelta(days=1))
    assert {("wc_a", SignaalSoort.VERLOPEN, 0), ("mb_a", SignaalSoort.VERLOPEN, 0)} <= signalen(
        a.dossier, CONTACT
    )
    assert termijn(a.dossier, CONTACT).status == TermijnStatus.VERLOPEN
    bezoek = VANDAAG + timedelta(days=23)
    with time_machine.travel(moment(bezoek, 12), tick=False):
        contact(a, world.begeleider_a, tijdstip=moment(bezoek, 10))
    eerste = termijn(a.dossier, CONTACT)
    assert (eerste.status, eerste.gehaald_op) == (TermijnStatus.TE_LAAT_GEHAALD, bezoek)
    volgende = termijn(a.dossier, CONTACT, 2)
    assert (volgende.startdatum, volgende.uiterste_datum, volgende.status) == (
        bezoek,
        bezoek + timedelta(weeks=3),
        TermijnStatus.OPEN,
    )
    with scopes_disabled():  # the met period's signals are closed
        assert not Signaal.objects.filter(termijn=eerste, afgehandeld_op__isnull=True).exists()


@pytest.mark.django_db
def test_the_closing_report_is_due_on_the_end_date_for_both(world, p):
    a = lopend(world, p, einddatum=date(2026, 9, 1))
    assert termijn(a.dossier, AFSLUITING).uiterste_datum == date(2026, 9, 1)
    sweep(date(2026, 8, 18))
    assert {("wc_a", SignaalSoort.WAARSCHUWING, 14), ("mb_a", SignaalSoort.WAARSCHUWING, 14)} <= (
        signalen(a.dossier, AFSLUITING)
    )
    sweep(date(2026, 9, 1))  # on the end date itself
    assert {("wc_a", SignaalSoort.WAARSCHUWING, 0), ("mb_a", SignaalSoort.WAARSCHUWING, 0)} <= (
        signalen(a.dossier, AFSLUITING)
    )
    with time_machine.travel(moment(date(2026, 9, 1)), tick=False), user_scope(world.begeleider_a):
        services.afsluiten(user=world.begeleider_a, aanmelding=a, verslag="Warme overdracht.")
    t = termijn(a.dossier, AFSLUITING)
    assert (t.status, t.gehaald_op) == (TermijnStatus.GEHAALD, date(2026, 9, 1))
    with scopes_disabled():
        assert not Signaal.objects.filter(termijn=t, afgehandeld_op__isnull=True).exists()


@pytest.mark.django_db
def test_a_signal_for_the_werkcoach_lands_at_once_and_escalates_when_not_followed_up(world, p):
    a = lopend(world, p)
    contact(a, world.begeleider_a, signaal_werkcoach=True, signaal_toelichting="Huurachterstand.")
    # in the werkcoach's signals now, without waiting for the sweep
    assert signalen(a.dossier, SIGNAAL) == {("wc_a", SignaalSoort.WAARSCHUWING, 7)}
    with user_scope(world.werkcoach_a):
        from cases.policy import eigen_signalen

        assert eigen_signalen(world.werkcoach_a).filter(termijn__code=SIGNAAL).count() == 1
    assert termijn(a.dossier, SIGNAAL).uiterste_datum == VANDAAG + timedelta(days=7)
    sweep(VANDAAG + timedelta(days=8))
    assert signalen(a.dossier, SIGNAAL) == {
        ("wc_a", SignaalSoort.WAARSCHUWING, 7),
        ("wc_a", SignaalSoort.VERLOPEN, 0),
        ("tl_a", SignaalSoort.ESCALATIE, 0),
    }


@pytest.mark.django_db
def test_a_signal_followed_up_in_time_meets_its_clock_and_closes_its_signal(world, p):
    a = lopend(world, p)
    c = contact(a, world.begeleider_a, signaal_werkcoach=True, signaal_toelichting="School.")
    with user_scope(world.werkcoach_a):
        services.signaal_opvolgen(user=world.werkcoach_a, contact=c)
    t = termijn(a.dossier, SIGNAAL)
    assert (t.status, t.gehaald_op) == (TermijnStatus.GEHAALD, VANDAAG)
    sweep(VANDAAG + timedelta(days=8))
    assert signalen(a.dossier, SIGNAAL) == {("wc_a", SignaalSoort.WAARSCHUWING, 7)}
    with scopes_disabled():
        assert not Signaal.objects.filter(termijn=t, afgehandeld_op__isnull=True).exists()


# --- access ends with the begeleiding -------------------------------------------------------------


@pytest.mark.django_db
def test_access_ends_after_the_end_date(world, p):
    a = lopend(world, p, einddatum=date(2026, 9, 1))
    c = contact(a, world.begeleider_a)
    for dag, ziet in ((date(2026, 9, 1), True), (date(2026, 9, 2), False)):
        with time_machine.travel(moment(dag), tick=False):
            for user in (world.begeleider_a, p.coordinator_a, world.partner_auditor_a):
                with user_scope(user):
                    assert lopende_begeleidingen(user).filter(pk=a.pk).exists() is ziet, user
                    assert dossiers_for(user).filter(pk=a.dossier_id).exists() is ziet, user
                    assert contactmomenten_for(user).filter(pk=c.pk).exists() is ziet, user
            with user_scope(world.werkcoach_a):  # the gemeente keeps its dossier
                assert dossiers_for(world.werkcoach_a).filter(pk=a.dossier_id).exists()
                assert contactmomenten_for(world.werkcoach_a).filter(pk=c.pk).exists()


@pytest.mark.django_db
def test_relocation_closes_the_dossier_and_ends_access(world, p):
    a = lopend(world, p)
    c = contact(a, world.begeleider_a)
    with user_scope(world.werkcoach_a):
        nieuw = case_services.dossier_verhuizen(
            user=world.werkcoach_a,
            dossier=a.dossier,
            nieuwe_gemeente=world.gemeente_b,
            datum_verhuizing=VANDAAG,
        )
    with scopes_disabled():
        oud = Dossier.objects.get(pk=a.dossier_id)
        assert oud.fase == Fase.VERHUISD and not oud.is_open
        assert Dossier.objects.get(pk=nieuw.pk).begeleider is None  # nothing travels along
        # the closed dossier's running clocks lapse (the met contact period stays met)
        mb = {
            (t.code, t.volgnummer): t.status
            for t in Termijn.objects.filter(dossier=oud, code__startswith="mb_")
        }
        assert mb == {
            (CONTACT, 1): TermijnStatus.GEHAALD,
            (CONTACT, 2): TermijnStatus.VERVALLEN,
            (EVALUATIE, 1): TermijnStatus.VERVALLEN,
            (AFSLUITING, 1): TermijnStatus.VERVALLEN,
        }
    for user in (world.begeleider_a, p.coordinator_a, world.partner_auditor_a):
        with user_scope(user):
            assert not lopende_begeleidingen(user).filter(pk=a.pk).exists()
            assert not dossiers_for(user).filter(pk__in=[oud.pk, nieuw.pk]).exists()
            assert not contactmomenten_for(user).filter(pk=c.pk).exists()
    with pytest.raises(PermissionDenied):
        contact(a, world.begeleider_a)


@pytest.mark.django_db
def test_the_digest_sends_a_begeleider_to_the_begeleiding_not_to_the_termijnen(world, p):
    from django.core import mail

    from cases import meldingen

    a = lopend(world, p)
    with scopes_disabled():
        world.begeleider_a.email = "mb@example.org"
        world.begeleider_a.save()
    sweep(termijn(a.dossier, CONTACT).uiterste_datum + timedelta(days=1))
    with scopes_disabled():
        meldingen.digest_versturen()
    [bericht] = [m for m in mail.outbox if m.to == ["mb@example.org"]]
    assert f"/dossiers/{a.dossier.uuid}/begeleiding/" in bericht.body
    assert "/termijnen/" not in bericht.body and "/signalen/" not in bericht.body
    assert bericht.body.rstrip().endswith("/begeleiding/")  # "open your clients"
