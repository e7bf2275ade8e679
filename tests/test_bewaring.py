"""Retention and destruction: a run destroys everything of the person (every table scanned,
history included, files gone), the verklaring holds no personal data, legal holds stop it (at
the proposal and after approval), four eyes, the retention period per kind and gemeente, and a
person with another kept dossier keeps their person row."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django_scopes import scopes_disabled

from bewaring import rules, services, tasks
from bewaring.constants import RecordSoort, RegelStatus, RondeStatus
from bewaring.models import (
    Bewaartermijn,
    JuridischeBlokkade,
    VerklaringVanVernietiging,
    Vernietigingsregel,
    Vernietigingsronde,
)
from cases import services as case_services
from cases.constants import Fase
from cases.models import Dossier, Inburgeraar
from inburgering.accounts.constants import Rol
from inburgering.audit.models import Verwerking
from inburgering.audit.pseudoniem import pseudoniem
from inburgering.core.access import user_scope

from . import handhaving_stappen as hh
from .factories import DossierFactory, InburgeraarFactory, user_met_rol
from .test_bewaring_wereld import (  # noqa: F401  (autouse fixtures)
    GEBOUWD,
    _media,
    _rollen,
    _vandaag,
    sporen,
    tabellen_met,
    volledig_dossier,
)

AMS = ZoneInfo("Europe/Amsterdam")
# five years (the default) after GEBOUWD is 2 March 2031: kept that day, destroyable the next
LAATSTE_BEWAARDAG = date(2031, 3, 2)
VERNIETIGBAAR = date(2031, 3, 3)


def op(dag: date):
    return time_machine.travel(datetime(dag.year, dag.month, dag.day, 10, tzinfo=AMS), tick=True)


def gesloten_dossier(world, **kwargs) -> Dossier:
    """A dossier of gemeente A closed on GEBOUWD (through the phase service)."""
    with scopes_disabled():
        d = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, **kwargs)
    sluiten(world, d)
    return d


def sluiten(world, d: Dossier) -> None:
    with user_scope(world.werkcoach_a), scopes_disabled():
        d = Dossier.objects.get(pk=d.pk)
        case_services.dossier_fase_wijzigen(
            user=world.werkcoach_a, dossier=d, fase=Fase.BEEINDIGD, reden="Vertrokken"
        )


def voorstellen(world, **kwargs) -> Vernietigingsronde:
    user = kwargs.pop("user", world.beheerder_a)
    with user_scope(user):
        return services.ronde_voorstellen(user=user, gemeente=world.gemeente_a, **kwargs)


def goedkeuren(world, ronde, django_capture_on_commit_callbacks, user=None):
    user = user or world.teamleider_a
    with django_capture_on_commit_callbacks(execute=False) as callbacks, user_scope(user):
        ronde = services.ronde_goedkeuren(user=user, ronde=ronde)
    assert len(callbacks) == 1  # the task is queued when the approval commits
    return ronde


def blokkeren(world, d: Dossier, reden: str = "bezwaar") -> JuridischeBlokkade:
    with user_scope(world.teamleider_a):
        return services.blokkade_instellen(
            user=world.teamleider_a, dossier=d, reden=reden, toelichting="Bezwaar tegen de boete"
        )


def regels(ronde) -> dict[int, Vernietigingsregel]:
    with scopes_disabled():
        return {r.dossier_id: r for r in Vernietigingsregel.objects.filter(ronde=ronde)}


def bestaat(d: Dossier) -> bool:
    return Dossier._base_manager.filter(pk=d.pk).exists()


# --- the whole destruction ----------------------------------------------------------------------


def test_na_de_vernietiging_staat_niets_van_de_persoon_in_enige_tabel(
    world, django_capture_on_commit_callbacks
):
    persoon = volledig_dossier(world)
    vooraf = sporen(persoon)
    assert all(vooraf.values()), vooraf
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world)
        assert list(regels(ronde)) == [persoon.dossier.pk]  # the open dossiers are kept
        regel = regels(ronde)[persoon.dossier.pk]
        assert regel.status == RegelStatus.VOORGESTELD
        assert set(regel.soorten) == set(RecordSoort.values)
        assert (regel.jaren, regel.sluitdatum, regel.bewaren_tot) == (5, GEBOUWD, date(2031, 3, 2))
        ronde = goedkeuren(world, ronde, django_capture_on_commit_callbacks)
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.OK

    assert sporen(persoon) == {wat: [] for wat in persoon.kenmerken}
    for pad in persoon.bestanden:
        assert not pad.exists(), pad
    with scopes_disabled():
        assert not bestaat(persoon.dossier)
        assert not Inburgeraar._base_manager.filter(pk=persoon.inburgeraar.pk).exists()
        ronde.refresh_from_db()
        assert ronde.status == RondeStatus.UITGEVOERD
        v = VerklaringVanVernietiging.objects.get(ronde=ronde)
    assert (v.aantal_dossiers, v.aantal_personen, v.aantal_overgeslagen) == (1, 1, 0)
    assert v.aantal_bestanden == len(persoon.bestanden) == 2
    assert v.aantal_historie > 30
    assert v.goedgekeurd_door == world.teamleider_a and v.voorgesteld_door == world.beheerder_a
    assert v.kenmerk == ronde.kenmerk
    for label in (
        "cases.Dossier",
        "cases.Inburgeraar",
        "cases.Gebeurtenis",
        "cases.Termijn",
        "cases.Signaal",
        "pip_plans.BredeIntake",
        "pip_plans.DomeinBeoordeling",
        "pip_plans.Pip",
        "handhaving.Procedure",
        "handhaving.Brief",
        "begeleiding.Contactmoment",
        "begeleiding.Vervolgactie",
        "bewaring.Vernietigingsregel",
    ):
        assert v.aantallen.get(label, 0) >= 1, label
    assert v.regels == [
        {"soort": "dossier", "jaren": 5, "grondslag": "BEWARING_STANDAARD_JAREN", "aantal": 1}
    ]
    # the audit log: the destruction is recorded against the person's keyed pseudonym, by the
    # approver's span; the log itself is kept (append-only, no BSN in it)
    assert Verwerking.objects.filter(
        activiteit="bewaring.vernietiging",
        handeling="vernietigen",
        betrokkene=pseudoniem(persoon.inburgeraar.bsn),
    ).exists()
    # the rest of the world is untouched
    with scopes_disabled():
        assert bestaat(world.dossier_a) and bestaat(world.dossier_a2) and bestaat(world.dossier_b)


def test_de_taak_vernietigt_precies_een_keer(world, django_capture_on_commit_callbacks):
    d = gesloten_dossier(world)
    with op(VERNIETIGBAAR):
        ronde = goedkeuren(world, voorstellen(world), django_capture_on_commit_callbacks)
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.OK
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.SKIPPED
    assert not bestaat(d)
    with scopes_disabled():
        assert VerklaringVanVernietiging.objects.filter(ronde=ronde).count() == 1


# --- retention periods ----------------------------------------------------------------------


def test_binnen_de_bewaartermijn_wordt_niets_voorgesteld(world):
    gesloten_dossier(world)
    with op(LAATSTE_BEWAARDAG), pytest.raises(ValidationError) as exc:
        voorstellen(world)
    assert "Archiefwet" in exc.value.messages[0]
    with scopes_disabled():
        assert not Vernietigingsronde.objects.exists()


def test_standaard_uit_de_instelling(world, settings):
    settings.BEWARING_STANDAARD_JAREN = 10
    gesloten_dossier(world)
    with op(VERNIETIGBAAR), pytest.raises(ValidationError):
        voorstellen(world)
    with op(date(2036, 3, 3)):
        ronde = voorstellen(world)
    assert [r.jaren for r in regels(ronde).values()] == [10]


def test_handhaving_langer_bewaard_per_gemeente(world):
    """A dossier is destroyed as a whole, after the longest period of the kinds it holds."""
    with scopes_disabled():
        Bewaartermijn.objects.create(
            gemeente=world.gemeente_a, soort=RecordSoort.HANDHAVING, jaren=10, grondslag="5:45"
        )
        met_boete = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    hh.verzuim(world, dossier=met_boete)
    sluiten(world, met_boete)
    zonder = gesloten_dossier(world)
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world)
        with user_scope(world.teamleider_a):
            oordeel = services.dossier_beoordelen(met_boete)
    assert list(regels(ronde)) == [zonder.pk]
    assert oordeel.termijn == rules.Termijn(RecordSoort.HANDHAVING, 10, "5:45")
    assert oordeel.weigeringen() == [
        "Archiefwet: retention period not yet elapsed (kept until 02-03-2036)."
    ]


def test_sluitdatum_uit_de_historie_zonder_datum_afgesloten(world):
    d = gesloten_dossier(world)
    with scopes_disabled():
        Dossier._base_manager.filter(pk=d.pk).update(datum_afgesloten=None)
        d.refresh_from_db()
        assert services.sluitdatum(d) == GEBOUWD


def test_jaren_later_op_schrikkeldag():
    assert rules.jaren_later(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert rules.bewaren_tot(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert rules.is_verstreken(date(2026, 3, 2), 5, date(2031, 3, 3))
    assert not rules.is_verstreken(date(2026, 3, 2), 5, date(2031, 3, 2))


# --- legal holds --------------------------------------------------------------------------------


def test_blokkade_sluit_bij_het_voorstel_uit(world, django_capture_on_commit_callbacks):
    vastgehouden = gesloten_dossier(world)
    vrij = gesloten_dossier(world)
    blokkeren(world, vastgehouden)
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world)
        r = regels(ronde)
        assert r[vastgehouden.pk].status == RegelStatus.UITGESLOTEN
        assert r[vastgehouden.pk].reden == "Legal hold: objection (bezwaar)."
        assert r[vrij.pk].status == RegelStatus.VOORGESTELD
        ronde = goedkeuren(world, ronde, django_capture_on_commit_callbacks)
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.OK
    assert bestaat(vastgehouden) and not bestaat(vrij)


def test_blokkade_na_goedkeuring_stopt_dat_dossier(world, django_capture_on_commit_callbacks):
    d = gesloten_dossier(world)
    with op(VERNIETIGBAAR):
        ronde = goedkeuren(world, voorstellen(world), django_capture_on_commit_callbacks)
        blokkeren(world, d, reden="beroep")
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.OK
    assert bestaat(d)
    assert regels(ronde)[d.pk].status == RegelStatus.OVERGESLAGEN
    assert regels(ronde)[d.pk].reden == "Legal hold: appeal (beroep)."
    with scopes_disabled():
        v = VerklaringVanVernietiging.objects.get(ronde=ronde)
    assert (v.aantal_dossiers, v.aantal_overgeslagen) == (0, 1)
    assert v.overgeslagen == {"Legal hold: appeal (beroep).": 1}


def test_opgeheven_blokkade_houdt_niet_meer_tegen(world):
    d = gesloten_dossier(world)
    blokkade = blokkeren(world, d)
    with user_scope(world.teamleider_a):
        services.blokkade_opheffen(
            user=world.teamleider_a, blokkade=blokkade, toelichting="Bezwaar ongegrond"
        )
    with op(VERNIETIGBAAR):
        assert regels(voorstellen(world))[d.pk].status == RegelStatus.VOORGESTELD


def test_alleen_een_teamleider_blokkeert(world):
    d = gesloten_dossier(world)
    for user in (world.werkcoach_a, world.beheerder_a, world.auditor_a):
        with user_scope(user), pytest.raises(PermissionDenied) as exc:
            services.blokkade_instellen(user=user, dossier=d, reden="audit", toelichting="x")
        assert str(exc.value) == "Only a teamleider places or lifts a legal hold."


# --- four eyes ---------------------------------------------------------------------------------


def test_vier_ogen(world, django_capture_on_commit_callbacks):
    gesloten_dossier(world)
    with scopes_disabled():
        beide = user_met_rol(Rol.TEAMLEIDER, world.team_a, username="tl_fb")
        beide.groups.add(world.beheerder_a.groups.get())
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world, user=beide)
        with user_scope(beide), pytest.raises(PermissionDenied) as exc:
            services.ronde_goedkeuren(user=beide, ronde=ronde)
        assert str(exc.value).startswith("Four-eyes principle")
        for user in (world.beheerder_a, world.werkcoach_a, world.auditor_a):
            with user_scope(user), pytest.raises(PermissionDenied):
                services.ronde_goedkeuren(user=user, ronde=ronde)
        # the database holds the rule too
        with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
            Vernietigingsronde.objects.filter(pk=ronde.pk).update(
                status=RondeStatus.GOEDGEKEURD,
                beoordeeld_door=F("voorgesteld_door"),
                beoordeeld_op=F("voorgesteld_op"),
            )
        ronde = goedkeuren(world, ronde, django_capture_on_commit_callbacks)
    assert ronde.status == RondeStatus.GOEDGEKEURD and ronde.beoordeeld_door == world.teamleider_a


def test_afwijzen_vraagt_een_reden_en_vernietigt_niets(world):
    d = gesloten_dossier(world)
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world)
        with user_scope(world.teamleider_a):
            with pytest.raises(ValidationError):
                services.ronde_afwijzen(user=world.teamleider_a, ronde=ronde, reden=" ")
            ronde = services.ronde_afwijzen(
                user=world.teamleider_a, ronde=ronde, reden="Eerst de bezwaren nalopen"
            )
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.SKIPPED
        # rejected: the dossier may be proposed again
        assert list(regels(voorstellen(world))) == [d.pk]
    assert bestaat(d)


# --- the person ---------------------------------------------------------------------------------


def test_persoon_met_een_ander_bewaard_dossier_blijft(world, django_capture_on_commit_callbacks):
    with scopes_disabled():
        persoon = InburgeraarFactory(achternaam="Blijftbestaan")
    oud = gesloten_dossier(world, inburgeraar=persoon)
    with scopes_disabled():
        nieuw = DossierFactory(
            gemeente=world.gemeente_b, werkcoach=world.werkcoach_b, inburgeraar=persoon
        )
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world)
        assert regels(ronde)[oud.pk].persoon_blijft
        ronde = goedkeuren(world, ronde, django_capture_on_commit_callbacks)
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.OK
    with scopes_disabled():
        assert not bestaat(oud) and bestaat(nieuw)
        assert Inburgeraar._base_manager.filter(pk=persoon.pk).exists()
        assert Inburgeraar.history.filter(id=persoon.pk).exists()
        v = VerklaringVanVernietiging.objects.get(ronde=ronde)
    assert (v.aantal_dossiers, v.aantal_personen, v.aantal_personen_bewaard) == (1, 0, 1)
    assert tabellen_met(str(oud.uuid)) == []


def test_verhuisd_dossier_wacht_op_zijn_opvolger(world):
    with scopes_disabled():
        oud = gesloten_dossier(world)
        DossierFactory(
            gemeente=world.gemeente_b,
            werkcoach=world.werkcoach_b,
            inburgeraar=oud.inburgeraar,
            vorig_dossier=oud,
        )
    with op(VERNIETIGBAAR), pytest.raises(ValidationError):
        voorstellen(world)
    with user_scope(world.teamleider_a), op(VERNIETIGBAAR):
        assert any("Relocation" in w for w in services.dossier_beoordelen(oud).weigeringen())


# --- a real worker ------------------------------------------------------------------------------


def test_goedkeuren_laat_een_echte_worker_vernietigen(world, celery_worker_process):
    """The approval queues the task on commit; a real Celery worker (another process, on the
    real clock: the dossier closed long ago) destroys the dossier inside the audit span."""
    import time

    d = gesloten_dossier(world)
    with scopes_disabled():
        Dossier._base_manager.filter(pk=d.pk).update(datum_afgesloten=date(2015, 1, 5))
        bsn = d.inburgeraar.bsn
    ronde = voorstellen(world)
    with user_scope(world.teamleider_a):
        services.ronde_goedkeuren(user=world.teamleider_a, ronde=ronde)  # commits: queued
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with scopes_disabled():
            ronde.refresh_from_db()
        if ronde.status != RondeStatus.GOEDGEKEURD:
            break
        time.sleep(0.2)
    assert ronde.status == RondeStatus.UITGEVOERD, ronde.fout
    assert not bestaat(d)
    assert Verwerking.objects.filter(
        activiteit="bewaring.vernietiging", handeling="vernietigen", betrokkene=pseudoniem(bsn)
    ).exists()
