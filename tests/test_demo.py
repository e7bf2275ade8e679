"""The demo data command: every role, a few hundred dossiers over all phases, idempotent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scopes_disabled

from cases import rules
from cases.constants import OPEN_FASEN, Fase, TermijnStatus
from cases.models import Dossier, Inburgeraar, Signaal, Termijn, TermijnBeleid
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
