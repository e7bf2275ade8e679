"""Defect 11 of issue 8: the Algemene termijnenwet calendar. Goede Vrijdag counts like the holidays
of art. 3 lid 1 (lid 2); days the government adds by decree (lid 3) are data the functioneel
beheerder keeps in /beheer/ (``AtwExtraDag``, with history); the objection deadline of a
beschikking — stored and printed — uses that one calendar."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled
from pypdf import PdfReader

from inburgering.kalender import atw
from inburgering.kalender.models import AtwExtraDag
from inburgering.kalender.selectors import atw_extra_dagen
from pip_plans import rules
from pip_plans.constants import Einddoel, Leerroute, PipStatus
from pip_plans.models import Pip
from pip_plans.pdf import render_beschikking
from pip_plans.tasks import beschikking_renderen

from .factories import DossierFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pip(dossier, datum: date) -> Pip:
    with scopes_disabled():
        pip = Pip.objects.create(
            dossier=dossier,
            status=PipStatus.WORDT_VASTGESTELD,
            leerroute=Leerroute.B1,
            einddoel=Einddoel.B1,
            participatie="Stage",
            voortgangsgesprekken_per_jaar=2,
            kenmerk="PIP-TEST-000001-v1",
            datum_vastgesteld=datum,
        )
        return Pip.objects.select_related("dossier__inburgeraar", "dossier__gemeente").get(
            pk=pip.pk
        )


def _tekst(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


# --- the pure calendar ----------------------------------------------------------------------


def test_goede_vrijdag_2027_is_geen_werkdag():
    assert atw.goede_vrijdag(2027) == date(2027, 3, 26)
    assert not atw.is_werkdag(date(2027, 3, 26))
    # 12 February 2027 + 6 weeks = Friday 26 March 2027, Goede Vrijdag; then the weekend and
    # Easter Monday (29 March): the last day is Tuesday 30 March 2027.
    assert rules.bezwaar_einddatum(date(2027, 2, 12)) == date(2027, 3, 30)


@pytest.mark.parametrize("jaar", range(2024, 2036))
def test_goede_vrijdag_elk_jaar_en_vijf_mei(jaar):
    assert atw.goede_vrijdag(jaar).weekday() == 4
    assert atw.goede_vrijdag(jaar) in atw.atw_feestdagen(jaar)
    assert date(jaar, 5, 5) in atw.atw_feestdagen(jaar)


def test_extra_dagen_zijn_een_argument_van_de_regel():
    vrijdag_na_hemelvaart = date(2027, 5, 7)
    assert rules.bezwaar_einddatum(date(2027, 3, 26)) == vrijdag_na_hemelvaart
    assert rules.bezwaar_einddatum(date(2027, 3, 26), frozenset({vrijdag_na_hemelvaart})) == date(
        2027, 5, 10
    )


# --- decree days in /beheer/, and every Atw deadline uses them --------------------------------


def test_functioneel_beheerder_voegt_een_dag_toe_en_de_bezwaartermijn_schuift(world, login):
    get_user_model().objects.filter(pk=world.beheerder_a.pk).update(is_staff=True)
    client = login(world.beheerder_a)
    assert client.get("/beheer/kalender/atwextradag/add/").status_code == 200
    response = client.post(
        "/beheer/kalender/atwextradag/add/",
        {
            "datum": "2027-05-07",
            "omschrijving": "Vrijdag na Hemelvaartsdag",
            "besluit": "Besluit aanwijzing gelijkgestelde dagen 2027, Stb. 2026, 512",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dag = AtwExtraDag.objects.get(datum=date(2027, 5, 7))
    laatste = dag.history.first()
    assert laatste is not None and laatste.history_user_id == world.beheerder_a.pk
    assert atw_extra_dagen() == frozenset({date(2027, 5, 7)})

    # a beschikking of 26 March 2027: six weeks end on that Friday → Monday 10 May 2027
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a)
    pip = _pip(dossier, date(2027, 3, 26))
    assert beschikking_renderen(pip.pk) == "ok"
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.VASTGESTELD
    assert pip.bezwaar_tot == date(2027, 5, 10)
    with pip.pdf.open("rb") as fh:
        assert "uiterlijk op maandag 10 mei 2027" in _tekst(fh.read())


def test_alleen_de_functioneel_beheerder_beheert_de_kalender(world):
    assert world.beheerder_a.has_perm("kalender.add_atwextradag")
    for user in (world.werkcoach_a, world.teamleider_a, world.auditor_a, world.begeleider_a):
        assert not user.has_perm("kalender.add_atwextradag")


# --- the printed objection deadline ---------------------------------------------------------


def test_beschikking_drukt_de_bezwaartermijn_na_goede_vrijdag(world):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a)
    t = _tekst(render_beschikking(_pip(dossier, date(2027, 2, 12))))
    assert "uiterlijk op dinsdag 30 maart 2027" in t
    assert "26 maart 2027" not in t
