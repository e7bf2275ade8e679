"""Issue 8, defect 1: one answer to "which inburgeringstermijn applies to this PIP".

Wi 2021 art. 7: the three years start the day after the *first* PIP is vastgesteld. A later
version (route switch, afschalen) is a new beschikking but does not restart the termijn, so its
letter must print the dates of the first one; an extension recorded on the dossier's
``inburgeringstermijn`` clock moves the end, and the API serves that end."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django_scopes import scopes_disabled
from pypdf import PdfReader

from cases import termijnen
from cases.models import Termijn
from inburgering.core.access import user_scope
from pip_plans import selectors, services
from pip_plans.constants import PipStatus
from pip_plans.models import Pip
from pip_plans.tasks import beschikking_renderen

from .test_pip_services import _media, dossier_in_intake, pip_met  # noqa: F401

# v1 vastgesteld 10 March 2026: the termijn runs 11 March 2026 – 10 March 2029.
V1_DATUM = date(2026, 3, 10)
TERMIJN_START, TERMIJN_EIND = date(2026, 3, 11), date(2029, 3, 10)

pytestmark = pytest.mark.django_db


def tekst(pdf_bytes: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def vaststellen_met_pdf(user, pip: Pip, datum: date, capture) -> Pip:
    """Vaststellen through the service and render the real beschikking in the task."""
    with capture(execute=False), user_scope(user):
        pip = services.pip_vaststellen(user=user, pip=pip, datum=datum)
    assert pip.status == PipStatus.WORDT_VASTGESTELD
    assert beschikking_renderen(pip.pk, user.pk) == "ok"
    with scopes_disabled():
        pip = Pip.objects.get(pk=pip.pk)
    assert pip.status == PipStatus.VASTGESTELD, pip.render_fout
    return pip


def pdf_tekst(pip: Pip) -> str:
    with scopes_disabled(), pip.pdf.open("rb") as fh:
        return tekst(fh.read())


@pytest.fixture
def v1(world, django_capture_on_commit_callbacks) -> Pip:
    with time_machine.travel(date(2026, 3, 10), tick=False):
        pip = pip_met(world.werkcoach_a, dossier_in_intake(world))
        return vaststellen_met_pdf(
            world.werkcoach_a, pip, V1_DATUM, django_capture_on_commit_callbacks
        )


@time_machine.travel(date(2026, 6, 3), tick=False)
def test_route_switch_beschikking_prints_the_termijn_of_the_first_version(
    world, v1, django_capture_on_commit_callbacks
):
    assert "begint op 11 maart 2026" in pdf_tekst(v1)
    user = world.werkcoach_a
    with user_scope(user):
        v2 = services.route_switchen(
            user=user, pip=v1, nieuwe_route="z", datum=date(2026, 6, 1), motivatie="Laag leerbaar"
        )
        services.pip_bijwerken(user=user, pip=v2, route_motivatie="Laag leerbaar.")
    v2 = vaststellen_met_pdf(user, v2, date(2026, 6, 2), django_capture_on_commit_callbacks)
    t = pdf_tekst(v2)
    assert "versie 2" in t and "Z-route" in t
    # the termijn of version 1, not one starting the day after this decision (3 June 2026)
    assert "begonnen op 11 maart 2026" in t
    assert "eerste PIP op 10 maart 2026" in t
    assert "eindigt op 10 maart 2029" in t
    assert "3 juni 2026" not in t and "2 juni 2029" not in t
    assert (v2.termijn_start, v2.termijn_eind) == (TERMIJN_START, TERMIJN_EIND)


@time_machine.travel(date(2027, 9, 20), tick=False)
def test_afschalen_beschikking_prints_the_termijn_and_the_a2_part(
    world, v1, django_capture_on_commit_callbacks
):
    user = world.werkcoach_a
    with user_scope(user):
        v2 = services.afschalen(
            user=user,
            pip=v1,
            examendeel="spreken",
            datum=date(2027, 9, 11),  # 18 months after 11 March 2026
            lesuren=620,
            voldoende_inspanning=True,
            motivatie="Ondanks inzet B1 spreken niet haalbaar.",
        )
    v2 = vaststellen_met_pdf(user, v2, date(2027, 9, 15), django_capture_on_commit_callbacks)
    t = pdf_tekst(v2)
    assert "begonnen op 11 maart 2026" in t and "eindigt op 10 maart 2029" in t
    assert "16 september 2027" not in t and "15 september 2030" not in t
    # per exam part: speaking is now A2, the rest stays B1 — not "B1 op alle onderdelen"
    assert "taalniveau B1 voor lezen, luisteren en schrijven; taalniveau A2 voor spreken" in t
    assert "op alle onderdelen" not in t


@time_machine.travel(date(2029, 1, 15), tick=False)
def test_extension_is_served_by_the_api_and_printed_in_a_later_version(
    world, api, login, v1, django_capture_on_commit_callbacks
):
    user = world.werkcoach_a
    with user_scope(user):
        klok = Termijn.objects.get(dossier=v1.dossier, code="inburgeringstermijn")
        termijnen.termijn_verlengen(
            user=user, termijn=klok, tot=date(2029, 9, 10), reden="Langdurig ziek"
        )
    response = api(user).get(f"/api/v1/pips/{v1.uuid}")
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert body["termijnStart"] == "2026-03-11"
    assert body["termijnEind"] == "2029-09-10"  # including the extension
    assert body["inburgeringstermijn"] == {
        "start": "2026-03-11",
        "berekendeEind": "2029-03-10",
        "eind": "2029-09-10",
        "verlengd": True,
    }
    # the PIP page shows it too
    html = login(user).get(f"/pip/{v1.uuid}/").content.decode()
    assert "11-03-2026 – 10-09-2029" in html and "by the statute until 10-03-2029" in html
    # the dossier resource serves the same end, in its list and its detail
    d = api(user).get(f"/api/v1/dossiers/{v1.dossier.uuid}").json()
    assert (d["inburgeringstermijnStart"], d["inburgeringstermijnEind"]) == (
        "2026-03-11",
        "2029-09-10",
    )
    rows = {r["uuid"]: r for r in api(user).get("/api/v1/dossiers").json()["results"]}
    assert rows[str(v1.dossier.uuid)]["inburgeringstermijnEind"] == "2029-09-10"
    # a new version keeps the termijn and its extension; its letter says so
    with user_scope(user):
        v2 = services.pip_nieuwe_versie(user=user, pip=v1, reden="Andere aanbieder")
        services.pip_bijwerken(user=user, pip=v2, aanbieder="Taalschool Noord")
    assert api(user).get(f"/api/v1/pips/{v2.uuid}").json()["termijnEind"] == "2029-09-10"
    v2 = vaststellen_met_pdf(user, v2, date(2029, 1, 14), django_capture_on_commit_callbacks)
    t = pdf_tekst(v2)
    assert "begonnen op 11 maart 2026" in t and "eindigt op 10 september 2029" in t
    assert "geëindigd op 10 maart 2029" in t
    # the statutory dates stay on the version; the extension stays on the clock
    assert (v2.termijn_start, v2.termijn_eind) == (TERMIJN_START, TERMIJN_EIND)
    with scopes_disabled():
        klok.refresh_from_db()
    assert klok.uiterste_datum == date(2029, 9, 10)
    assert api(user).get(f"/api/v1/pips/{v2.uuid}").json()["inburgeringstermijn"]["verlengd"]


def test_one_function_answers_for_every_version(world, v1):
    """Version 1: from its own date; a draft version 2: the running termijn; a draft version 1
    without a date: none yet."""
    with user_scope(world.werkcoach_a):
        v2 = services.pip_nieuwe_versie(user=world.werkcoach_a, pip=v1)
        termijn = selectors.inburgeringstermijn_voor(v2)
    assert termijn is not None
    assert (termijn.start, termijn.eind, termijn.verlengd) == (TERMIJN_START, TERMIJN_EIND, False)
    assert termijn.eerste_vastgesteld == V1_DATUM
    with scopes_disabled():
        concept = Pip(dossier=world.dossier_a, versie=1)
    assert selectors.inburgeringstermijn_voor(concept) is None
