"""The demo data command: every role, a few hundred dossiers over all phases, idempotent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scopes_disabled

from begeleiding.constants import AanmeldingStatus
from begeleiding.models import Aanmelding, Contactmoment, Vervolgactie
from begeleiding.policy import lopende_begeleidingen
from cases import rules
from cases.constants import OPEN_FASEN, Fase, TermijnStatus
from cases.models import Dossier, Inburgeraar, Signaal, Termijn, TermijnBeleid
from cases.policy import dossiers_for
from demo.dossiers import USERS
from handhaving.models import Brief, Procedure
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import User
from pip_plans.constants import Domein, PipStatus
from pip_plans.models import BredeIntake, IntakeGesprek, Pip


@pytest.mark.django_db
def test_demo_data_is_complete_valid_and_idempotent(capsys):
    call_command("demo_data", aantal=60)
    out = capsys.readouterr().out
    with scopes_disabled():
        first = (Inburgeraar.objects.count(), Dossier.objects.count(), User.objects.count())
        bsns = list(Inburgeraar.objects.values_list("bsn", flat=True))
        fasen = set(Dossier.objects.values_list("fase", flat=True))
    assert first[0] == 60 and first[1] == 60
    assert all(rules.is_valid_bsn(b) and b.startswith("99999") for b in bsns)
    assert fasen == set(OPEN_FASEN)
    rollen = {u.rol for u in USERS}
    assert rollen == set(Rol.values)
    for user in USERS:
        assert user.username in out
        assert User.objects.get(username=user.username).heeft_rol(user.rol)
    # every Wi2021 dossier with a BRP date has its clocks; the sweep gave the inbox work
    with scopes_disabled():
        wi2021 = Dossier.objects.filter(
            inburgeraar__regime="wi2021", datum_brp_inschrijving__isnull=False
        )
        assert wi2021.exists()
        assert not wi2021.exclude(termijnen__code="pip").exists()
        assert not Termijn.objects.filter(dossier__inburgeraar__regime__startswith="wi2013")
        signalen = Signaal.objects.count()
        assert signalen > 0
        assert TermijnBeleid.objects.filter(pip_na_intake_weken=4).count() == 4
    assert "Termijnen checked:" in out
    call_command("demo_data", aantal=60)
    with scopes_disabled():
        assert (Inburgeraar.objects.count(), Dossier.objects.count(), User.objects.count()) == first
        assert Signaal.objects.count() == signalen


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)
def test_demo_records_follow_each_phase_and_few_clocks_are_overdue(capsys, settings, tmp_path):
    """Issue 8, defect 15: each demo dossier carries the records its phase stands on (built
    through the services), and the deadlines look like a real caseload — most on time, some
    due soon, a few overdue — on a fixed date as on any other. Twice adds nothing."""
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_data", aantal=60)
    with scopes_disabled():
        dossiers = list(Dossier.objects.select_related("inburgeraar"))
        assert {d.fase for d in dossiers} == set(OPEN_FASEN)
        na_intake = [d for d in dossiers if d.fase in (Fase.PIP, Fase.INBURGERING)]
        assert na_intake
        afgerond = set(
            BredeIntake.objects.filter(datum_afgerond__isnull=False).values_list(
                "dossier_id", flat=True
            )
        )
        for d in na_intake:
            assert d.pk in afgerond, f"{d} is in phase {d.fase} without a completed intake"
            intake = BredeIntake.objects.get(dossier=d)
            assert intake.domeinen.count() == len(Domein)
            assert intake.leerbaarheid_datum and intake.leerbaarheid_score
            assert intake.gesprekken.filter(verschenen=True).exists()
            assert intake.datum_afgerond <= date(2026, 3, 2)
        for d in dossiers:
            if d.fase == Fase.INBURGERING:
                pip = Pip.objects.get(dossier=d, status=PipStatus.VASTGESTELD)
                assert pip.pdf and pip.pdf_sha256 and pip.termijn_start
                assert pip.pdf.read(5) == b"%PDF-"
            else:
                assert not Pip.objects.filter(dossier=d, status=PipStatus.VASTGESTELD).exists()
        # a few no-shows, a few extensions, one PIP back from the teamleider at most a few
        assert IntakeGesprek.objects.filter(verschenen=False).exists()
        # the clocks: a realistic mix
        open_wi2021 = [d for d in dossiers if d.inburgeraar.regime == "wi2021" and d.is_open]
        met_klok = {t.dossier_id for t in Termijn.objects.all()}
        verlopen = set(
            Termijn.objects.filter(status=TermijnStatus.VERLOPEN).values_list(
                "dossier_id", flat=True
            )
        )
        binnenkort = set(
            Termijn.objects.filter(
                status=TermijnStatus.OPEN, uiterste_datum__lte=date(2026, 3, 16)
            ).values_list("dossier_id", flat=True)
        )
        assert len(met_klok) >= len(open_wi2021) // 2
        assert len(verlopen) / len(met_klok) < 0.15, (len(verlopen), len(met_klok))
        assert binnenkort - verlopen  # some due soon
        escalaties = Signaal.objects.filter(soort="escalatie").count()
        assert escalaties < len(dossiers) * 0.15
        # handhaving (issue 11): procedures started from intake no-shows, each at a real step,
        # every letter they sent made (a PDF with its hash), none left waiting for a worker
        procedures = list(Procedure.objects.select_related("verzuim"))
        assert procedures
        assert all(p.verzuim.bron == "intake_gesprek" for p in procedures)
        assert {p.status for p in procedures} <= {
            "afgedaan",
            "rapport",
            "zienswijze",
            "ter_goedkeuring",
            "opgelegd",
        }
        for brief in Brief.objects.all():
            assert brief.status == "verzonden" and brief.pdf.read(5) == b"%PDF-", brief
        counts = (Dossier.objects.count(), BredeIntake.objects.count(), Pip.objects.count())
    call_command("demo_data", aantal=60)
    with scopes_disabled():
        assert (
            Dossier.objects.count(),
            BredeIntake.objects.count(),
            Pip.objects.count(),
        ) == counts
        assert Procedure.objects.count() == len(procedures)


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)
def test_demo_begeleidingen_are_referred_accepted_and_visited(capsys):
    """Issue 12: a partner reaches a demo dossier through a referral its coördinator accepted
    (never a begeleider set on the dossier), with contacts, a signal and follow-up actions; a
    referral or two still awaits the coördinator. Deterministic: the same on a second run."""
    call_command("demo_data", aantal=60)
    with scopes_disabled():
        lopend = list(
            Aanmelding.objects.filter(status=AanmeldingStatus.LOOPT).select_related("dossier")
        )
        assert len(lopend) >= 5
        for a in lopend:
            # accepted by the organisation's coördinator, for the begeleider on the dossier
            assert a.beoordeeld_door.heeft_rol(Rol.COORDINATOR)
            assert a.beoordeeld_door.organisatie_id == a.organisatie_id
            assert a.aangemeld_door.heeft_rol(Rol.WERKCOACH, Rol.TEAMLEIDER)
            assert a.dossier.begeleider_id == a.begeleider_id
            assert a.startdatum <= date(2026, 3, 2) < a.einddatum
            assert a.contactmomenten.exists(), a
            assert a.history.filter(status=AanmeldingStatus.LOOPT).exists()
        # every dossier with a begeleider has its running begeleiding: nothing set directly
        met_begeleider = Dossier.objects.filter(begeleider__isnull=False)
        assert set(met_begeleider.values_list("pk", flat=True)) == {a.dossier_id for a in lopend}
        wachtend = Aanmelding.objects.filter(status=AanmeldingStatus.AANGEMELD)
        assert wachtend.exists()
        assert not wachtend.filter(dossier__begeleider__isnull=False).exists()
        contacten = Contactmoment.objects.count()
        assert contacten >= 3 * len(lopend) // 2
        assert Contactmoment.objects.filter(signaal_werkcoach=True).exists()
        assert Vervolgactie.objects.filter(afgerond_op__isnull=True).exists()
        assert Signaal.objects.filter(termijn__code="mb_signaal").exists()
        assert Termijn.objects.filter(code="mb_contact").exists()
        # the demo log-ins reach what their role allows
        begeleider = User.objects.get(username="begeleider")
        coordinator = User.objects.get(username="coordinator")
        eigen = {a.dossier_id for a in lopend if a.begeleider_id == begeleider.pk}
        assert eigen
        assert set(dossiers_for(begeleider).values_list("pk", flat=True)) == eigen
        vwn = {a.dossier_id for a in lopend if a.organisatie_id == coordinator.organisatie_id}
        assert set(dossiers_for(coordinator).values_list("pk", flat=True)) == vwn
        assert set(lopende_begeleidingen(coordinator).values_list("dossier_id", flat=True)) == vwn
        eerst = (Aanmelding.objects.count(), contacten, Vervolgactie.objects.count())
    call_command("demo_data", aantal=60)
    with scopes_disabled():
        assert (
            Aanmelding.objects.count(),
            Contactmoment.objects.count(),
            Vervolgactie.objects.count(),
        ) == eerst
