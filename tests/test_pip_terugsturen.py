"""Issue 8, defect 5 — a teamleider can return a PIP; vaststellen asks for confirmation.

Rules: a PIP awaiting approval either gets approved or goes back to the werkcoach as a concept
with a required comment, which the werkcoach sees on the PIP page and in the timeline and the
history keeps (service, UI, API). Vaststellen issues a legally binding decision: it needs an
explicit confirmation (without JavaScript) and never silently drops edits that were not saved
— posted from the PIP page with unsaved edits it refuses, nothing is issued, and the edits are
shown again.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from cases.models import Gebeurtenis
from inburgering.core.access import user_scope
from pip_plans import services, tijdlijn
from pip_plans.constants import PipStatus
from pip_plans.models import BredeIntake, Pip

from .test_pip_views import GELDIGE_PIP

GELDIG = {**GELDIGE_PIP, "onderwijsroute_overwogen": "Geen vooropleiding voor het mbo."}
OPMERKING = "Het aantal lesuren past niet bij de leerbaarheid; graag 16 uur per week."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pip(world, *, goedkeuring: bool) -> Pip:
    with scopes_disabled():
        world.gemeente_a.pip_goedkeuring_vereist = goedkeuring
        world.gemeente_a.save()
        world.dossier_a.refresh_from_db()
        BredeIntake.objects.get_or_create(
            dossier=world.dossier_a, defaults={"datum_afgerond": date(2025, 2, 10)}
        )
        return Pip.objects.create(dossier=world.dossier_a)


def _ter_ondertekening(world, login) -> Pip:
    pip = _pip(world, goedkeuring=True)
    client = login(world.werkcoach_a)
    assert client.post(f"/pip/{pip.uuid}/", GELDIG).status_code == 302
    client.post(f"/pip/{pip.uuid}/ter-ondertekening/")
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.TER_ONDERTEKENING, pip.status
    return pip


def _status(pip) -> str:
    with scopes_disabled():
        return Pip.objects.get(pk=pip.pk).status


# --- terug naar werkcoach -------------------------------------------------------------------


def test_service_returns_the_pip_with_a_required_comment(world, login):
    pip = _ter_ondertekening(world, login)
    with user_scope(world.werkcoach_a), pytest.raises(PermissionDenied):
        services.pip_terugsturen(user=world.werkcoach_a, pip=pip, opmerking=OPMERKING)
    with user_scope(world.teamleider_a), pytest.raises(ValidationError) as exc:
        services.pip_terugsturen(user=world.teamleider_a, pip=pip, opmerking="  ")
    assert set(exc.value.message_dict) == {"opmerking"}
    assert _status(pip) == PipStatus.TER_ONDERTEKENING
    with user_scope(world.teamleider_a):
        pip = services.pip_terugsturen(user=world.teamleider_a, pip=pip, opmerking=OPMERKING)
    assert pip.status == PipStatus.CONCEPT
    with scopes_disabled():
        pip.refresh_from_db()
        assert pip.terugstuur_opmerking == OPMERKING
        assert pip.teruggestuurd_door == world.teamleider_a
        gebeurtenissen = Gebeurtenis.objects.filter(
            dossier=world.dossier_a, soort=tijdlijn.PIP_TERUGGESTUURD, actor=world.teamleider_a
        )
        assert any(OPMERKING in g.tekst for g in gebeurtenissen)
    # only a PIP awaiting approval can be returned
    with user_scope(world.teamleider_a), pytest.raises(ValidationError) as exc:
        services.pip_terugsturen(user=world.teamleider_a, pip=pip, opmerking=OPMERKING)
    assert "status" in exc.value.message_dict
    # submitting again answers the comment; the history keeps it
    with user_scope(world.werkcoach_a):
        services.pip_ter_ondertekening(user=world.werkcoach_a, pip=pip)
    with scopes_disabled():
        pip.refresh_from_db()
        assert pip.terugstuur_opmerking == ""
        oud = Pip.history.filter(id=pip.pk, terugstuur_opmerking=OPMERKING).first()
        assert oud is not None and oud.history_user == world.teamleider_a


def test_ui_teamleider_returns_and_the_werkcoach_sees_the_comment(world, login):
    pip = _ter_ondertekening(world, login)
    client = login(world.teamleider_a)
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    assert f'action="/pip/{pip.uuid}/terugsturen/"' in html
    assert f"/pip/{pip.uuid}/#terugsturen-form" in client.get("/pip/goedkeuren/").content.decode()
    # without a comment: refused at the field, nothing changes
    response = client.post(f"/pip/{pip.uuid}/terugsturen/", {"opmerking": ""})
    assert response.status_code == 400
    assert 'id="id_terugsturen-opmerking_error"' in response.content.decode()
    assert _status(pip) == PipStatus.TER_ONDERTEKENING
    response = client.post(
        f"/pip/{pip.uuid}/terugsturen/", {"opmerking": OPMERKING, "terug": "wachtrij"}
    )
    assert response.status_code == 302 and response["Location"] == "/pip/goedkeuren/"
    assert _status(pip) == PipStatus.CONCEPT
    werkcoach = login(world.werkcoach_a)
    html = werkcoach.get(f"/pip/{pip.uuid}/").content.decode()
    assert 'id="pip-teruggestuurd"' in html and OPMERKING in html
    assert str(world.teamleider_a) in html
    html = werkcoach.get(f"/dossiers/{world.dossier_a.uuid}/tijdlijn/").content.decode()
    assert OPMERKING in html  # the timeline
    # a werkcoach cannot return a PIP
    assert werkcoach.post(f"/pip/{pip.uuid}/terugsturen/", {"opmerking": "x"}).status_code == 403


def test_api_terugsturen(world, login, api):
    pip = _ter_ondertekening(world, login)
    url = f"/api/v1/pips/{pip.uuid}/terugsturen"
    r = api(world.werkcoach_a).post(url, {"opmerking": OPMERKING}, format="json")
    assert r.status_code == 403
    r = api(world.teamleider_a).post(url, {}, format="json")
    assert r.status_code == 400, r.content
    assert {p["name"] for p in r.json()["invalidParams"]} == {"opmerking"}
    assert _status(pip) == PipStatus.TER_ONDERTEKENING
    r = api(world.teamleider_a).post(url, {"opmerking": OPMERKING}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "concept"
    assert body["terugstuurOpmerking"] == OPMERKING
    assert body["teruggestuurdDoor"] == str(world.teamleider_a.uuid)


# --- vaststellen: confirmation, unsaved edits --------------------------------------------


def test_vaststellen_needs_the_confirmation(world, login):
    pip = _pip(world, goedkeuring=False)
    client = login(world.werkcoach_a)
    assert client.post(f"/pip/{pip.uuid}/", GELDIG).status_code == 302
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    assert 'name="bevestigd"' in html and 'form="pip-form"' in html
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", {})
    assert response.status_code == 400
    assert 'id="id_vaststellen-bevestigd_error"' in response.content.decode()
    assert _status(pip) == PipStatus.CONCEPT
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", {"bevestigd": "on"})
    assert response.status_code == 302
    assert _status(pip) == PipStatus.WORDT_VASTGESTELD


def test_vaststellen_with_unsaved_edits_refuses_and_keeps_them(world, login):
    pip = _pip(world, goedkeuring=False)
    client = login(world.werkcoach_a)
    assert client.post(f"/pip/{pip.uuid}/", GELDIG).status_code == 302
    bewerkt = {**GELDIG, "aanbieder": "Taalcentrum 't Gooi", "pip_form": "1", "bevestigd": "on"}
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", bewerkt)
    assert response.status_code == 400
    html = response.content.decode()
    assert "not saved; nothing was issued" in html
    assert "Taalcentrum &#x27;t Gooi" in html  # the edit is shown again, not dropped
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.CONCEPT and pip.aanbieder == "Taalschool Huizen"
    # the same page without edits issues it
    ongewijzigd = {**GELDIG, "pip_form": "1", "bevestigd": "on"}
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", ongewijzigd)
    assert response.status_code == 302
    assert _status(pip) == PipStatus.WORDT_VASTGESTELD
