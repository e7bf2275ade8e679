"""Termijnen kept current by the services, their extension and met-marking with every refusal,
and the set-based sweep: signals at lead times, escalation, idempotency, traceability, and a
query count per chunk that does not grow with the chunk."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from cases import bewaking, meldingen, services, termijnen
from cases.constants import Fase, SignaalSoort, TermijnStatus
from cases.models import (
    BewakingsRun,
    DigestVerzending,
    Dossier,
    Gebeurtenis,
    Signaal,
    Termijn,
    TermijnBeleid,
    Verlenging,
)
from inburgering.accounts.constants import Rol
from inburgering.core.access import user_scope

from .conftest import zonder_begeleiding
from .factories import DossierFactory, user_met_rol
from .klok import vandaag_fixture
from .test_pip_services import _media, pip_met, vastgesteld  # noqa: F401

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)


@pytest.fixture
def world(world):
    """The hub's own clocks (the begeleiding's: tests/test_begeleiding_termijnen.py)."""
    return zonder_begeleiding(world)


def met_brp(dossier: Dossier, brp: date) -> dict[str, Termijn]:
    """Give the dossier a BRP date (and the phase that needs it) and compute its clocks."""
    with scopes_disabled():
        Dossier.objects.filter(pk=dossier.pk).update(
            fase=Fase.INTAKE,
            datum_huisvesting=brp,
            datum_koppeling=brp - timedelta(days=30),
            datum_brp_inschrijving=brp,
        )
        dossier.refresh_from_db()
        return {t.code: t for t in termijnen.herberekenen(dossier, user=None)}


def tel(**filters) -> dict[str, int]:
    with scopes_disabled():
        return {
            "signalen": Signaal.objects.filter(**filters).count(),
            "verlopen": Termijn.objects.filter(status=TermijnStatus.VERLOPEN).count(),
            "historie": Termijn.history.count(),
            "tijdlijn": Gebeurtenis.objects.filter(soort__startswith="termijn.").count(),
        }


def sweep(peildatum: date, **kwargs) -> bewaking.Resultaat:
    with scopes_disabled():
        return bewaking.sweep(peildatum=peildatum, **kwargs)


# --- recomputed by the services that change the facts -------------------------------------


def test_brp_date_set_through_the_service_creates_and_moves_the_clocks(world):
    dossier = world.dossier_a
    brp = VANDAAG - timedelta(days=3)
    with user_scope(world.werkcoach_a):
        services.dossier_update(
            user=world.werkcoach_a,
            dossier=dossier,
            datum_huisvesting=brp,
            datum_brp_inschrijving=brp,
        )
        t = {x.code: x for x in Termijn.objects.filter(dossier=dossier)}
        assert set(t) == {"intake", "pip"}
        assert t["intake"].uiterste_datum == brp + timedelta(weeks=4)
        assert t["pip"].uiterste_datum == brp + timedelta(weeks=10)
        assert t["pip"].status == TermijnStatus.OPEN
        services.dossier_update(
            user=world.werkcoach_a, dossier=dossier, datum_brp_inschrijving=brp - timedelta(days=1)
        )
        assert Termijn.objects.get(dossier=dossier, code="pip").uiterste_datum == brp + timedelta(
            weeks=10, days=-1
        )
        record = Termijn.history.filter(code="pip").order_by("-history_date").first()
        assert record.history_user == world.werkcoach_a


def test_a_clock_already_past_is_overdue_at_once(world):
    t = met_brp(world.dossier_a, VANDAAG - timedelta(weeks=5))
    assert t["intake"].status == TermijnStatus.VERLOPEN
    assert t["pip"].status == TermijnStatus.OPEN


def test_wi2013_dossier_gets_no_clocks(world):
    with scopes_disabled():
        world.dossier_a.inburgeraar.regime = "wi2013_ondertussen"
        world.dossier_a.inburgeraar.save()
    assert met_brp(world.dossier_a, VANDAAG - timedelta(days=3)) == {}


def test_closing_the_dossier_lapses_open_clocks_and_closes_their_signals(world):
    met_brp(world.dossier_a, VANDAAG - timedelta(days=20))  # intake due in 8 days
    sweep(VANDAAG)
    assert tel(afgehandeld_op__isnull=True)["signalen"] == 1
    with user_scope(world.werkcoach_a):
        services.dossier_fase_wijzigen(
            user=world.werkcoach_a, dossier=world.dossier_a, fase=Fase.BEEINDIGD, reden="Vertrokken"
        )
    with scopes_disabled():
        statussen = set(
            Termijn.objects.filter(dossier=world.dossier_a).values_list("status", flat=True)
        )
        assert statussen == {TermijnStatus.VERVALLEN}
        assert Signaal.objects.filter(afgehandeld_op__isnull=True).count() == 0


def test_intake_completed_meets_the_clock_late_or_on_time(world):
    from pip_plans import services as pip_services

    from .test_pip_services import alle_domeinen

    t = met_brp(world.dossier_a, date(2026, 1, 5))  # intake due 2 February 2026
    assert t["intake"].status == TermijnStatus.VERLOPEN
    user = world.werkcoach_a
    with user_scope(user):
        intake = pip_services.intake_starten(user=user, dossier=world.dossier_a)
        alle_domeinen(user, intake)
        pip_services.intake_gesprek_toevoegen(
            user=user, intake=intake, datum=date(2026, 2, 10), locatie="gemeentehuis"
        )
        pip_services.intake_bijwerken(
            user=user,
            intake=intake,
            leerbaarheid_datum=date(2026, 2, 10),
            leerbaarheid_score="gemiddeld",
            leerbaarheid_laag=False,
        )
        pip_services.intake_afronden(user=user, intake=intake, datum=date(2026, 2, 10))
        intake_klok = Termijn.objects.get(dossier=world.dossier_a, code="intake")
    assert intake_klok.status == TermijnStatus.TE_LAAT_GEHAALD
    assert intake_klok.gehaald_op == date(2026, 2, 10)


def test_issued_pip_starts_the_three_year_clocks(world):
    met_brp(world.dossier_a, date(2026, 1, 5))
    with scopes_disabled():
        Dossier.objects.filter(pk=world.dossier_a.pk).update(fase=Fase.PIP)
        world.dossier_a.refresh_from_db()
    pip = pip_met(world.werkcoach_a, world.dossier_a)
    vastgesteld(world.werkcoach_a, pip, datum=date(2026, 3, 10))
    with scopes_disabled():
        t = {(x.code, x.volgnummer): x for x in Termijn.objects.filter(dossier=world.dossier_a)}
    assert t[("pip", 1)].status == TermijnStatus.GEHAALD  # 10 March ≤ 16 March
    assert t[("inburgeringstermijn", 1)].uiterste_datum == date(2029, 3, 10)
    assert {("pvt", 1), ("map", 1), ("routewissel", 1), ("ontzorgen", 1)} <= set(t)
    assert t[("ontzorgen", 1)].uiterste_datum == date(2026, 7, 1)  # 1 January + 6 months
    assert len([k for k in t if k[0] == "voortgangsgesprek"]) == 12  # 4 a year, 3 years


# --- extension and met-marking -------------------------------------------------------------


@pytest.fixture
def termijn_na_pip(world):
    met_brp(world.dossier_a, date(2026, 1, 5))
    with scopes_disabled():
        Dossier.objects.filter(pk=world.dossier_a.pk).update(fase=Fase.PIP)
        world.dossier_a.refresh_from_db()
    vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, world.dossier_a), date(2026, 3, 10))
    with scopes_disabled():
        return {t.code: t for t in Termijn.objects.filter(dossier=world.dossier_a, volgnummer=1)}


def weigering(user, fn, **kwargs) -> ValidationError:
    with scopes_disabled():
        voor = (Verlenging.objects.count(), Termijn.history.count(), Gebeurtenis.objects.count())
    with user_scope(user), pytest.raises(ValidationError) as exc:
        fn(user=user, **kwargs)
    with scopes_disabled():
        na = (Verlenging.objects.count(), Termijn.history.count(), Gebeurtenis.objects.count())
    assert na == voor, "a refusal must change nothing"
    return exc.value


def test_extension_needs_a_reason(world, termijn_na_pip):
    t = termijn_na_pip["inburgeringstermijn"]
    exc = weigering(
        world.werkcoach_a, termijnen.termijn_verlengen, termijn=t, tot=date(2029, 6, 1), reden=" "
    )
    assert "Awb art. 3:46" in exc.message_dict["reden"][0]


def test_statutory_clock_without_extension_names_the_law(world, termijn_na_pip):
    exc = weigering(
        world.werkcoach_a,
        termijnen.termijn_verlengen,
        termijn=termijn_na_pip["routewissel"],
        tot=date(2028, 1, 1),
        reden="Ziekte",
    )
    assert "cannot be extended" in exc.message_dict["tot"][0]
    assert "18 months" in exc.message_dict["tot"][0]


def test_extension_beyond_policy_and_law_refused(world, termijn_na_pip):
    t = termijn_na_pip["inburgeringstermijn"]  # due 10 March 2029, policy default +6 months
    exc = weigering(
        world.werkcoach_a, termijnen.termijn_verlengen, termijn=t, tot=date(2029, 9, 11), reden="x"
    )
    assert "10-09-2029" in exc.message_dict["tot"][0]
    assert "Wi 2021 art. 7" in exc.message_dict["tot"][0]
    with scopes_disabled():
        TermijnBeleid.objects.create(
            gemeente=world.gemeente_a, max_verlenging_inburgeringstermijn_maanden=24
        )
    # the policy allows 24 months, the law caps it there too
    exc = weigering(
        world.werkcoach_a, termijnen.termijn_verlengen, termijn=t, tot=date(2031, 3, 11), reden="x"
    )
    assert "10-03-2031" in exc.message_dict["tot"][0]
    exc = weigering(
        world.werkcoach_a, termijnen.termijn_verlengen, termijn=t, tot=date(2029, 3, 1), reden="x"
    )
    assert "after the current one" in exc.message_dict["tot"][0]


def test_extension_is_recorded_kept_on_recompute_and_reopens_an_overdue_clock(
    world, termijn_na_pip
):
    t = termijn_na_pip["voortgangsgesprek"]  # policy clock, freely extendable
    with scopes_disabled():
        Termijn.objects.filter(pk=t.pk).update(status=TermijnStatus.VERLOPEN)
    nieuw = VANDAAG + timedelta(days=30)
    with user_scope(world.werkcoach_a):
        t = termijnen.termijn_verlengen(
            user=world.werkcoach_a, termijn=t, tot=nieuw, reden="Tolk niet beschikbaar"
        )
    assert (t.uiterste_datum, t.status) == (nieuw, TermijnStatus.OPEN)
    with scopes_disabled():
        v = Verlenging.objects.get(termijn=t)
        assert (v.tot_datum, v.reden, v.actor) == (
            nieuw,
            "Tolk niet beschikbaar",
            world.werkcoach_a,
        )
        h = Termijn.history.filter(id=t.pk).order_by("-history_date").first()
        assert (h.history_user, h.history_change_reason) == (
            world.werkcoach_a,
            "Tolk niet beschikbaar",
        )
        assert Gebeurtenis.objects.filter(
            dossier=world.dossier_a, soort__startswith="termijn.", gegevens__termijn=t.pk
        ).exists()
        termijnen.herberekenen(world.dossier_a, user=None)
        assert Termijn.objects.get(pk=t.pk).uiterste_datum == nieuw


def test_met_marking_refusals(world, termijn_na_pip):
    pvt = termijn_na_pip["pvt"]
    exc = weigering(
        world.werkcoach_a,
        termijnen.termijn_gehaald_markeren,
        termijn=pvt,
        datum=VANDAAG + timedelta(days=1),
    )
    assert "future" in exc.message_dict["datum"][0]
    exc = weigering(
        world.werkcoach_a, termijnen.termijn_gehaald_markeren, termijn=pvt, datum=date(2026, 3, 1)
    )
    assert "before the termijn started (11-03-2026)" in exc.message_dict["datum"][0]
    exc = weigering(
        world.werkcoach_a,
        termijnen.termijn_gehaald_markeren,
        termijn=termijn_na_pip["pip"],
        datum=date(2026, 3, 20),
    )
    assert "recording the fact itself" in exc.messages[0]


def test_met_marking_survives_recompute(world, termijn_na_pip):
    with user_scope(world.werkcoach_a):
        t = termijnen.termijn_gehaald_markeren(
            user=world.werkcoach_a,
            termijn=termijn_na_pip["pvt"],
            datum=date(2026, 6, 1),
            toelichting="PVT-verklaring getekend",
        )
    assert (t.status, t.gehaald_op, t.handmatig_gehaald) == (
        TermijnStatus.GEHAALD,
        date(2026, 6, 1),
        True,
    )
    with scopes_disabled():
        termijnen.herberekenen(world.dossier_a, user=None)
        assert Termijn.objects.get(pk=t.pk).status == TermijnStatus.GEHAALD


def test_auditor_and_other_gemeente_cannot_act(world, termijn_na_pip):
    from django.core.exceptions import PermissionDenied

    t = termijn_na_pip["pvt"]
    for user in (world.auditor_a, world.werkcoach_b, world.begeleider_a):
        with user_scope(user), pytest.raises((PermissionDenied, ValidationError)):
            termijnen.termijn_gehaald_markeren(user=user, termijn=t, datum=date(2026, 6, 1))
    with scopes_disabled():
        assert Termijn.objects.get(pk=t.pk).status == TermijnStatus.OPEN


# --- the sweep ------------------------------------------------------------------------------


def test_sweep_warns_at_lead_times_then_escalates_once(world):
    t = met_brp(world.dossier_a, VANDAAG)  # intake due in 28 days
    due = t["intake"].uiterste_datum
    assert sweep(due - timedelta(days=15)).signalen == 0
    r = sweep(due - timedelta(days=14))
    assert (r.signalen, r.escalaties, r.verlopen) == (1, 0, 0)
    assert sweep(due - timedelta(days=10)).signalen == 0  # the 14-day warning is not repeated
    assert sweep(due).signalen == 1  # on the due date
    r = sweep(due + timedelta(days=1))
    assert (r.verlopen, r.signalen, r.escalaties) == (1, 1, 1)
    with scopes_disabled():
        got = sorted(
            Signaal.objects.values_list(
                "ontvanger__username", "soort", "dagen_voor", "termijn__code"
            )
        )
    assert got == [
        ("tl_a", SignaalSoort.ESCALATIE, 0, "intake"),
        ("wc_a", SignaalSoort.VERLOPEN, 0, "intake"),
        ("wc_a", SignaalSoort.WAARSCHUWING, 0, "intake"),
        ("wc_a", SignaalSoort.WAARSCHUWING, 14, "intake"),
    ]


def test_sweep_twice_creates_every_row_once_and_traces_each_change(world):
    met_brp(world.dossier_a, VANDAAG - timedelta(days=20))
    met_brp(world.dossier_a2, VANDAAG - timedelta(days=20))
    peildatum = VANDAAG + timedelta(days=9)  # both intakes overdue by one day
    voor = tel()
    eerste = sweep(peildatum)
    na_eerste = tel()
    tweede = sweep(peildatum)
    assert tel() == na_eerste
    assert (tweede.verlopen, tweede.signalen, tweede.escalaties) == (0, 0, 0)
    assert eerste.verlopen == 2
    assert na_eerste["historie"] - voor["historie"] == 2
    assert na_eerste["tijdlijn"] - voor["tijdlijn"] == 2
    with scopes_disabled():
        h = Termijn.history.filter(status=TermijnStatus.VERLOPEN).first()
        assert h.history_change_reason == "Overdue (termijnbewaking)"
        assert h.history_user is None
        assert h.uiterste_datum == VANDAAG + timedelta(days=8)
        e = Gebeurtenis.objects.filter(dossier=world.dossier_a, soort__startswith="termijn.").get()
        assert "Brede intake completed" in e.tekst
        assert (VANDAAG + timedelta(days=8)).strftime("%d-%m-%Y") in e.tekst
        assert e.gegevens["door"] == "bewaking"


def test_escalation_goes_to_the_werkcoachs_teamleider_only(world):
    other_team_leader = user_met_rol(Rol.TEAMLEIDER, world.team_b, username="tl_b")
    met_brp(world.dossier_a, VANDAAG - timedelta(days=40))
    met_brp(world.dossier_b, VANDAAG - timedelta(days=40))
    sweep(VANDAAG)
    with scopes_disabled():
        esc = set(
            Signaal.objects.filter(soort=SignaalSoort.ESCALATIE).values_list(
                "ontvanger__username", "dossier_id"
            )
        )
    assert esc == {("tl_a", world.dossier_a.pk), (other_team_leader.username, world.dossier_b.pk)}


def test_unassigned_dossier_signals_go_to_the_teamleiders(world):
    with scopes_disabled():
        d = DossierFactory(gemeente=world.gemeente_a)
    met_brp(d, VANDAAG - timedelta(days=20))
    sweep(VANDAAG)
    with scopes_disabled():
        assert list(
            Signaal.objects.filter(dossier=d).values_list("ontvanger__username", flat=True)
        ) == ["tl_a"]


def test_gemeente_policy_sets_the_lead_times(world):
    with scopes_disabled():
        TermijnBeleid.objects.create(gemeente=world.gemeente_a, waarschuwingsdagen=[30, 7])
    t = met_brp(world.dossier_a, VANDAAG)
    due = t["intake"].uiterste_datum
    sweep(due - timedelta(days=31))
    with scopes_disabled():
        waarschuwingen = Signaal.objects.filter(soort=SignaalSoort.WAARSCHUWING)
        assert not waarschuwingen.exists()  # the default 14 days does not apply
    sweep(due - timedelta(days=30))
    with scopes_disabled():
        assert list(waarschuwingen.values_list("termijn__code", "dagen_voor")) == [("intake", 30)]
    sweep(due - timedelta(days=7))
    with scopes_disabled():
        assert sorted(waarschuwingen.values_list("termijn__code", "dagen_voor")) == [
            ("intake", 7),
            ("intake", 30),
        ]
    sweep(t["pip"].uiterste_datum - timedelta(days=30))
    with scopes_disabled():
        assert ("pip", 30) in set(waarschuwingen.values_list("termijn__code", "dagen_voor"))


def test_handled_signal_is_not_recreated_but_an_extension_warns_again(world):
    t = met_brp(world.dossier_a, VANDAAG - timedelta(days=20))
    sweep(VANDAAG)
    with scopes_disabled():
        s = Signaal.objects.get()
    with user_scope(world.werkcoach_a):
        assert termijnen.signalen_afhandelen(user=world.werkcoach_a, signaal_ids=[s.pk]) == 1
    sweep(VANDAAG)
    with scopes_disabled():
        assert Signaal.objects.count() == 1
    regel_intake = t["intake"]
    assert regel_intake.regel.verlengbaar.value == "nee"


def test_someone_elses_signal_cannot_be_handled(world):
    from django.core.exceptions import PermissionDenied

    met_brp(world.dossier_a, VANDAAG - timedelta(days=20))
    sweep(VANDAAG)
    with scopes_disabled():
        s = Signaal.objects.get()
    with user_scope(world.werkcoach_a2), pytest.raises(PermissionDenied):
        termijnen.signalen_afhandelen(user=world.werkcoach_a2, signaal_ids=[s.pk])
    with scopes_disabled():
        assert Signaal.objects.get().afgehandeld_op is None


def test_queries_per_chunk_do_not_grow_with_the_chunk(world):
    with scopes_disabled():
        extra = [
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a) for _ in range(8)
        ]
    for d in [world.dossier_a, world.dossier_a2, world.dossier_b, *extra]:
        met_brp(d, VANDAAG - timedelta(days=20))
    klein = sweep(VANDAAG + timedelta(days=9), chunk=2, tel_queries=True)
    with scopes_disabled():
        Signaal.objects.all().delete()
        BewakingsRun.objects.all().delete()
    groot = sweep(VANDAAG + timedelta(days=60), chunk=50, tel_queries=True)
    assert klein.chunks == 6 and groot.chunks == 1
    assert len(set(klein.queries_per_chunk)) == 1
    assert klein.queries_per_chunk[0] == groot.queries_per_chunk[0]
    assert groot.signalen > klein.chunks  # the big chunk did a lot in the same statements


def test_unfinished_run_of_the_day_is_resumed(world):
    met_brp(world.dossier_a, VANDAAG - timedelta(days=40))
    met_brp(world.dossier_b, VANDAAG - timedelta(days=40))
    with scopes_disabled():
        eerste = min(world.dossier_a.pk, world.dossier_b.pk)
        run = BewakingsRun.objects.create(peildatum=VANDAAG, laatste_dossier_id=eerste, chunks=1)
    r = sweep(VANDAAG, chunk=1)
    assert r.run_id == run.pk and r.hervat_vanaf == eerste
    with scopes_disabled():
        run.refresh_from_db()
        assert run.voltooid_op is not None
        # the dossier before the checkpoint is done by the next (new) run
        assert sweep(VANDAAG).run_id != run.pk


# --- the e-mail digest ----------------------------------------------------------------------


def test_digest_once_a_day_without_personal_data(world):
    with scopes_disabled():
        world.werkcoach_a.email = "wc@example.org"
        world.werkcoach_a.save()
        world.teamleider_a.email = ""
        world.teamleider_a.save()
    met_brp(world.dossier_a, VANDAAG - timedelta(days=40))
    sweep(VANDAAG)
    with scopes_disabled():
        assert meldingen.digest_versturen() == 1
        assert meldingen.digest_versturen() == 0
        assert DigestVerzending.objects.filter(ontvanger=world.werkcoach_a).count() == 1
        assert not Signaal.objects.filter(ontvanger=world.werkcoach_a, gemaild_op__isnull=True)
    [bericht] = mail.outbox
    assert bericht.to == ["wc@example.org"]
    assert str(world.dossier_a.uuid) in bericht.body
    assert world.dossier_a.inburgeraar.achternaam not in bericht.body
    assert world.dossier_a.inburgeraar.bsn not in bericht.body
    # a new signal the same day waits for tomorrow's digest
    met_brp(world.dossier_a2, VANDAAG - timedelta(days=40))
    with scopes_disabled():
        world.dossier_a2.werkcoach = world.werkcoach_a
        world.dossier_a2.save()
    sweep(VANDAAG)
    with scopes_disabled():
        assert meldingen.digest_versturen() == 0
        assert meldingen.digest_versturen(datum=VANDAAG + timedelta(days=1)) == 1
    assert len(mail.outbox) == 2
