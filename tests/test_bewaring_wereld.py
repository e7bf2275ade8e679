"""The retention tests' world: a closed dossier with something in every domain app, built
through the apps' own services (a brede intake with conversations, domains and a child; a PIP
vastgesteld with its beschikking rendered to PDF/A by the real task; a handhaving procedure
with its intent letter stored; a running begeleiding with contacts, a follow-up and a signal; a
note; termijnen), and a scan of every table of the database for what identifies the person.

The tests here check the world itself, so the destruction tests cannot pass on an empty one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django_scopes import scopes_disabled

from begeleiding.models import Aanmelding, Contactmoment, Vervolgactie
from begeleiding.services import NieuweActie
from cases import services as case_services
from cases.constants import Fase
from cases.models import Dossier, Gebeurtenis, Inburgeraar, Signaal, Termijn
from handhaving.constants import ProcedureStatus
from handhaving.models import Brief, Procedure, Verzuim
from inburgering.core.access import user_scope
from inburgering.documents.tasks import document_renderen
from pip_plans import services as pip_services
from pip_plans.constants import Domein, PipStatus
from pip_plans.documenten import BESCHIKKING
from pip_plans.models import BredeIntake, DomeinBeoordeling, IntakeGesprek, Kind, Pip

from . import begeleiding_helpers as mb
from . import handhaving_stappen as hh
from .factories import DossierFactory, InburgeraarFactory, geldige_pip_velden
from .klok import vandaag_fixture

# The world is built on this day and its dossiers closed on it; destruction runs years later.
GEBOUWD = date(2026, 3, 2)
_vandaag = vandaag_fixture(GEBOUWD)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _rollen(db) -> None:
    """The role groups hold the bewaring permissions (``inburgering.accounts.roles``)."""
    assert (
        Group.objects.get(name="teamleider")
        .permissions.filter(codename="goedkeuren_vernietigingsronde")
        .exists()
    )


@dataclass
class Persoon:
    """What identifies the person and their dossier, to look for in every table."""

    dossier: Dossier
    inburgeraar: Inburgeraar
    bestanden: list[Path]

    @property
    def kenmerken(self) -> dict[str, str]:
        return {
            "bsn": self.inburgeraar.bsn,
            "achternaam": self.inburgeraar.achternaam,
            "voornamen": self.inburgeraar.voornamen,
            "dossier uuid": str(self.dossier.uuid),
            "persoon uuid": str(self.inburgeraar.uuid),
        }


_teller = iter(range(1, 10_000))


def volledig_dossier(world: Any, *, inburgeraar: Inburgeraar | None = None) -> Persoon:
    """A dossier of gemeente A (werkcoach A) with records in every domain app, closed today."""
    n = next(_teller)
    wc = world.werkcoach_a
    with scopes_disabled():
        persoon = inburgeraar or InburgeraarFactory(
            voornamen=f"Yasmin{n}", achternaam=f"Zwaluwstaart{n:03d}", email=f"yz{n}@example.org"
        )
        dossier = DossierFactory(
            in_intake=True, gemeente=world.gemeente_a, werkcoach=wc, inburgeraar=persoon
        )
    with user_scope(wc):
        intake = pip_services.intake_starten(user=wc, dossier=dossier)
        pip_services.intake_gesprek_toevoegen(
            user=wc,
            intake=intake,
            datum=GEBOUWD - timedelta(days=10),
            locatie="gemeentehuis",
            werkcoach=wc,
            notities=f"Gesprek met {persoon.voornamen} {persoon.achternaam} en een tolk.",
        )
        for domein in Domein:
            pip_services.intake_domein_opslaan(
                user=wc, intake=intake, domein=domein, beoordeling="voldoende", toelichting="Ok"
            )
        pip_services.kind_toevoegen(user=wc, intake=intake, geboortejaar=2022, vve_keuze="VVE")
        pip_services.intake_bijwerken(
            user=wc,
            intake=intake,
            leerbaarheid_datum=GEBOUWD - timedelta(days=9),
            leerbaarheid_instrument="LBT",
            leerbaarheid_score="gemiddeld",
        )
        pip_services.intake_afronden(user=wc, intake=intake, datum=GEBOUWD - timedelta(days=8))
        pip = pip_services.pip_aanmaken(user=wc, dossier=dossier)
        pip = pip_services.pip_bijwerken(
            user=wc, pip=pip, **geldige_pip_velden(ontzorgen_start=GEBOUWD)
        )
        pip = pip_services.pip_vaststellen(user=wc, pip=pip)
    assert document_renderen(BESCHIKKING, pip.pk, wc.pk) == "ok"  # WeasyPrint, PDF/A
    procedure = hh.procedure_tot(world, ProcedureStatus.ZIENSWIJZE, dossier=dossier)
    p = mb.partners(world) if not hasattr(world, "_mb") else world._mb
    world._mb = p
    aanmelding = mb.lopend(world, p, dossier)
    mb.contact(
        aanmelding,
        world.begeleider_a,
        vervolgacties=[NieuweActie("Huurtoeslag aanvragen", "werkcoach", GEBOUWD)],
        signaal_werkcoach=True,
        signaal_toelichting=f"{persoon.voornamen} heeft schulden.",
    )
    mb.contact(aanmelding, world.begeleider_a, verslag="Tweede bezoek, post doorgenomen.")
    with user_scope(wc):
        case_services.dossier_notitie_toevoegen(
            user=wc, dossier=dossier, tekst=f"Notitie over {persoon.achternaam}."
        )
        with scopes_disabled():
            dossier = Dossier.objects.get(pk=dossier.pk)
        case_services.dossier_fase_wijzigen(
            user=wc, dossier=dossier, fase=Fase.BEEINDIGD, reden="Vertrokken naar het buitenland"
        )
    with scopes_disabled():
        pip.refresh_from_db()
        brieven = list(Brief.objects.filter(procedure=procedure))
        bestanden = [Path(pip.pdf.path)] + [Path(b.pdf.path) for b in brieven if b.pdf]
        dossier.refresh_from_db()
        persoon.refresh_from_db()
    return Persoon(dossier=dossier, inburgeraar=persoon, bestanden=bestanden)


def tabellen_met(tekst: str) -> list[str]:
    """Every table of the database with a row whose text contains ``tekst``."""
    gevonden = []
    with connection.cursor() as cursor:
        for tabel in connection.introspection.table_names(cursor):
            naam = connection.ops.quote_name(tabel)
            cursor.execute(
                f"SELECT 1 FROM {naam} t WHERE strpos(t::text, %s) > 0 LIMIT 1",  # noqa: S608
                [tekst],
            )
            if cursor.fetchone():
                gevonden.append(tabel)
    return gevonden


def sporen(persoon: Persoon) -> dict[str, list[str]]:
    """Per identifying value, the tables where it is still found."""
    return {wat: tabellen_met(waarde) for wat, waarde in persoon.kenmerken.items()}


# --- the world itself -------------------------------------------------------------------------


def test_het_volledige_dossier_raakt_elke_domeinapp(world):
    persoon = volledig_dossier(world)
    d = persoon.dossier
    with scopes_disabled():
        assert d.fase == Fase.BEEINDIGD and d.datum_afgesloten == GEBOUWD
        assert BredeIntake.objects.filter(dossier=d, datum_afgerond__isnull=False).exists()
        assert IntakeGesprek.objects.filter(intake__dossier=d).count() == 1
        assert DomeinBeoordeling.objects.filter(intake__dossier=d).count() == len(Domein)
        assert Kind.objects.filter(intake__dossier=d).count() == 1
        assert Pip.objects.get(dossier=d).status == PipStatus.VASTGESTELD
        assert Verzuim.objects.filter(dossier=d).count() == 1
        assert Procedure.objects.filter(dossier=d).count() == 1
        assert Brief.objects.filter(procedure__dossier=d).exclude(pdf="").count() == 1
        assert Aanmelding.objects.filter(dossier=d).count() == 1
        assert Contactmoment.objects.filter(dossier=d).count() == 2
        assert Vervolgactie.objects.filter(dossier=d).count() == 1
        assert Signaal.objects.filter(dossier=d).exists()
        assert Termijn.objects.filter(dossier=d).exists()
        assert Gebeurtenis.objects.filter(dossier=d, soort="dossier.notitie").exists()
    for pad in persoon.bestanden:
        assert pad.exists() and pad.read_bytes().startswith(b"%PDF-")


def test_de_scan_vindt_de_persoon_voor_de_vernietiging(world):
    """The scan is honest: before destruction it finds every value, history tables included."""
    persoon = volledig_dossier(world)
    gevonden = sporen(persoon)
    assert "cases_inburgeraar" in gevonden["bsn"]
    assert "cases_historicalinburgeraar" in gevonden["bsn"]
    assert {"cases_inburgeraar", "pip_plans_historicalintakegesprek", "cases_gebeurtenis"} <= set(
        gevonden["achternaam"]
    )
    assert {"cases_dossier", "cases_historicaldossier"} <= set(gevonden["dossier uuid"])
    assert "cases_inburgeraar" in gevonden["persoon uuid"]
