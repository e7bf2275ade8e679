"""The fine procedure end to end through its services (letters stored with stand-in bytes;
the letters' PDFs are tested in test_handhaving_brieven)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django_scopes import scopes_disabled

from cases.models import Termijn
from handhaving import services
from handhaving.constants import (
    BriefSoort,
    GesprekUitkomst,
    ProcedureStatus,
    ZienswijzeSoort,
)
from inburgering.core.access import user_scope

from .handhaving_stappen import media_fixture, verzend
from .klok import vandaag_fixture

VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)
_media = media_fixture()


def test_no_show_to_fine(world, django_capture_on_commit_callbacks):
    wc, tl = world.werkcoach_a, world.teamleider_a
    with user_scope(wc), django_capture_on_commit_callbacks(execute=False):
        p = services.verzuim_vastleggen(
            user=wc,
            dossier=world.dossier_a,
            soort="pvt",
            datum=VANDAAG - timedelta(days=30),
            omschrijving="Niet verschenen bij PVT",
        )
        assert p.status == ProcedureStatus.GESPREK and p.zware_boete and p.voornemen_vereist
        p = services.gesprek_vastleggen(
            user=wc,
            procedure=p,
            datum=VANDAAG - timedelta(days=20),
            verslag="x",
            uitkomst=GesprekUitkomst.VERDER,
        )
        p = services.rapport_opmaken(
            user=wc, procedure=p, datum=VANDAAG - timedelta(days=19), plaats="Huizen", feiten="f"
        )
        assert p.status == ProcedureStatus.VOORNEMEN
        p = services.voornemen_versturen(user=wc, procedure=p)
    verzend(p, BriefSoort.VOORNEMEN, wc)
    assert p.status == ProcedureStatus.ZIENSWIJZE
    with user_scope(wc), django_capture_on_commit_callbacks(execute=False):
        p = services.zienswijze_vastleggen(
            user=wc, procedure=p, soort=ZienswijzeSoort.SCHRIFTELIJK, datum=VANDAAG, inhoud="brief"
        )
        p = services.boete_opstellen(
            user=wc,
            procedure=p,
            verwijtbaarheid="Wist het",
            zienswijze_weging="Gewogen",
            bedrag=Decimal("600"),
            verlaging_grond="verminderde_verwijtbaarheid",
            verlaging_motivering="Ziek",
        )
        assert p.basisbedrag == Decimal("800.00") and p.verlaging == Decimal("200.00")
        p = services.boete_ter_goedkeuring(user=wc, procedure=p)
    with user_scope(tl), django_capture_on_commit_callbacks(execute=False):
        p = services.boete_goedkeuren(user=tl, procedure=p)
    with user_scope(wc), django_capture_on_commit_callbacks(execute=False):
        p = services.boete_versturen(user=wc, procedure=p)
        p2 = services.boete_versturen(user=wc, procedure=p)
        assert p2.status == ProcedureStatus.WORDT_VERSTUURD
    brief = verzend(p, BriefSoort.BOETEBESCHIKKING, wc)
    assert p.status == ProcedureStatus.OPGELEGD
    assert brief.kenmerk.startswith("BB-") and brief.kenmerk.endswith("-2026-00001")
    with scopes_disabled():
        codes = set(Termijn.objects.filter(dossier=world.dossier_a).values_list("code", "status"))
    assert ("boete_beslistermijn", "gehaald") in codes, codes
