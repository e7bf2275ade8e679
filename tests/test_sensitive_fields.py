"""Issue 8, defect 4: trauma and domestic-violence signals are need-to-know, and partner roles see
a masked BSN — in every channel.

Rules (AVG art. 9 special-category data; art. 5(1)(c) data minimisation):
- the brede intake's signals and referrals (Veilig Thuis, GGZ) are read and written only with
  need-to-know (``cases.view_medisch``, like the medical domains): not by begeleiders, not by
  auditors — on the intake page, in the API, in the history on the dossier page, in the PDF;
- partner roles (begeleider, partner-organisation auditor) see a BSN as its last three digits
  (``******123``) on the dossier page, in the history, in the API (including search results)
  unless the gemeente grants them the full number; a werkcoach still sees everything.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django_scopes import scopes_disabled

from cases import services as case_services
from cases.policy import bsn_voor, can_view_full_bsn
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente
from inburgering.accounts.roles import ROL_PERMISSIES
from inburgering.core.access import mask_bsn, user_scope
from pip_plans import services
from pip_plans.models import BredeIntake
from pip_plans.pdf import render_beschikking

from .factories import UserFactory
from .test_pip_pdf import maak_pip, tekst

GEHEIM = "Melding Veilig Thuis 2026 — GGZ-verwijzing SIGNAAL-7731"
SIGNALEN_LABEL = "signals (trauma, domestic violence) and referrals"


@pytest.fixture
def intake(world) -> BredeIntake:
    """An intake with a signal, written by the werkcoach through the service (so it is in the
    history), and a BSN change on the person (so the BSN is in the history too)."""
    with user_scope(world.werkcoach_a):
        intake = services.intake_starten(user=world.werkcoach_a, dossier=world.dossier_a)
        services.intake_bijwerken(user=world.werkcoach_a, intake=intake, signalen=GEHEIM)
        services.intake_bijwerken(
            user=world.werkcoach_a, intake=intake, leerbaarheid_instrument="TOA"
        )
    return intake


def _partners(world):
    return [world.begeleider_a, world.partner_auditor_a]


def _bsn(world) -> str:
    return world.dossier_a.inburgeraar.bsn


# --- the policy ----------------------------------------------------------------------------------


def test_policy_masks_for_partner_roles_only(world):
    persoon = world.dossier_a.inburgeraar
    with scopes_disabled():
        assert mask_bsn("111222333") == "******333"
        for user in _partners(world):
            assert not can_view_full_bsn(user, world.dossier_a)
            assert bsn_voor(user, persoon) == "******" + persoon.bsn[-3:]
            assert bsn_voor(user, persoon, world.dossier_a) == "******" + persoon.bsn[-3:]
        for user in (world.werkcoach_a, world.teamleider_a, world.auditor_a):
            assert bsn_voor(user, persoon, world.dossier_a) == persoon.bsn
        Gemeente.objects.filter(pk=world.gemeente_a.pk).update(partner_ziet_volledig_bsn=True)
        world.dossier_a.gemeente.refresh_from_db()
        assert bsn_voor(world.begeleider_a, persoon, world.dossier_a) == persoon.bsn
        assert bsn_voor(world.begeleider_a, persoon) == persoon.bsn


# --- the intake page -----------------------------------------------------------------------------


@pytest.mark.parametrize("wie", ["begeleider_a", "partner_auditor_a", "auditor_a"])
def test_intake_page_hides_signals_without_need_to_know(world, login, intake, wie):
    response = login(getattr(world, wie)).get(f"/pip/intake/{intake.uuid}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert GEHEIM not in html
    assert 'name="signalen"' not in html
    assert "need-to-know" in html


def test_werkcoach_sees_and_saves_signals_on_the_intake_page(world, login, intake):
    client = login(world.werkcoach_a)
    html = client.get(f"/pip/intake/{intake.uuid}/").content.decode()
    assert GEHEIM in html and 'name="signalen"' in html
    response = client.post(
        f"/pip/intake/{intake.uuid}/gegevens/",
        {"signalen": "Nieuw signaal", "leerbaarheid_laag": ""},
    )
    assert response.status_code == 302
    with scopes_disabled():
        intake.refresh_from_db()
    assert intake.signalen == "Nieuw signaal"


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("wie", ["begeleider_a", "partner_auditor_a", "auditor_a"])
def test_api_serves_signals_as_null_without_need_to_know(world, api, intake, wie):
    client = api(getattr(world, wie))
    detail = client.get(f"/api/v1/intakes/{intake.uuid}")
    assert detail.status_code == 200, detail.content
    assert detail.json()["signalen"] is None
    lijst = client.get("/api/v1/intakes")
    assert lijst.status_code == 200
    assert GEHEIM not in lijst.content.decode()
    assert GEHEIM not in detail.content.decode()


def test_api_serves_signals_to_the_werkcoach(world, api, intake):
    detail = api(world.werkcoach_a).get(f"/api/v1/intakes/{intake.uuid}")
    assert detail.json()["signalen"] == GEHEIM


def test_api_refuses_writing_signals_without_need_to_know(world, api, intake):
    """A role that may edit intakes but has no need-to-know (a custom configuration) can save
    other fields, never the signals."""
    groep = Group.objects.create(name="intaker_zonder_medisch")
    codes = [c for c in ROL_PERMISSIES[Rol.WERKCOACH] if c != "cases.view_medisch"]
    for code in codes:
        app_label, codename = code.split(".")
        groep.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    intaker = UserFactory(organisatie=world.team_a, username="intaker")
    intaker.groups.add(groep)
    client = api(intaker)
    response = client.patch(
        f"/api/v1/intakes/{intake.uuid}", {"signalen": "overschreven"}, format="json"
    )
    assert response.status_code == 403, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    response = client.patch(
        f"/api/v1/intakes/{intake.uuid}", {"leerbaarheidInstrument": "NT2"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["signalen"] is None
    with scopes_disabled():
        intake.refresh_from_db()
    assert intake.signalen == GEHEIM and intake.leerbaarheid_instrument == "NT2"


# --- the history on the dossier page -------------------------------------------------------


def _historie(html: str) -> str:
    assert 'id="historie"' in html
    return html.split('id="historie"', 1)[1].split("</section>", 1)[0]


def test_partner_auditor_history_shows_neither_signals_nor_the_bsn(world, login, intake):
    html = (
        login(world.partner_auditor_a)
        .get(f"/dossiers/{world.dossier_a.uuid}/historie/")
        .content.decode()
    )
    historie = _historie(html)
    assert GEHEIM not in historie
    assert SIGNALEN_LABEL not in historie  # not even that the field changed
    assert "TOA" in historie  # the rest of the intake's history is there
    assert _bsn(world) not in html
    assert "******" + _bsn(world)[-3:] in historie


def test_werkcoach_history_shows_signals_and_bsn(world, login, intake):
    html = (
        login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/historie/").content.decode()
    )
    historie = _historie(html)
    assert GEHEIM in historie and _bsn(world) in historie


def test_gemeente_auditor_history_hides_signals_but_shows_bsn(world, login, intake):
    html = (
        login(world.auditor_a).get(f"/dossiers/{world.dossier_a.uuid}/historie/").content.decode()
    )
    historie = _historie(html)
    assert GEHEIM not in historie and _bsn(world) in historie


# --- the BSN on the dossier page, caseload, search and API ---------------------------------------


@pytest.mark.parametrize("wie", ["begeleider_a", "partner_auditor_a"])
def test_partner_roles_see_a_masked_bsn_on_the_dossier_page(world, login, wie):
    html = login(getattr(world, wie)).get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert _bsn(world) not in html
    assert f'<dd class="bsn">******{_bsn(world)[-3:]}</dd>' in html


def test_gemeente_may_grant_partners_the_full_bsn(world, login):
    with scopes_disabled():
        Gemeente.objects.filter(pk=world.gemeente_a.pk).update(partner_ziet_volledig_bsn=True)
    html = login(world.begeleider_a).get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert f'<dd class="bsn">{_bsn(world)}</dd>' in html


def test_werkcoach_sees_the_full_bsn(world, login):
    html = login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert f'<dd class="bsn">{_bsn(world)}</dd>' in html


@pytest.mark.parametrize("wie", ["begeleider_a", "partner_auditor_a"])
def test_partner_roles_get_a_masked_bsn_from_the_api(world, api, wie):
    client = api(getattr(world, wie))
    persoon = world.dossier_a.inburgeraar
    gemaskeerd = "******" + persoon.bsn[-3:]
    detail = client.get(f"/api/v1/inburgeraars/{persoon.uuid}")
    assert detail.status_code == 200
    assert detail.json()["bsn"] == gemaskeerd
    lijst = client.get("/api/v1/inburgeraars")
    assert persoon.bsn not in lijst.content.decode()
    zoek = client.post("/api/v1/inburgeraars/zoeken", {"bsn": persoon.bsn}, format="json")
    if wie == "partner_auditor_a":
        # auditors never POST (read-only, also for this search); nothing is revealed either way
        assert zoek.status_code == 403
        assert persoon.bsn not in zoek.content.decode()
    else:
        assert zoek.status_code == 200
        assert [p["bsn"] for p in zoek.json()] == [gemaskeerd]


def test_werkcoach_gets_the_full_bsn_from_the_api(world, api):
    persoon = world.dossier_a.inburgeraar
    client = api(world.werkcoach_a)
    assert client.get(f"/api/v1/inburgeraars/{persoon.uuid}").json()["bsn"] == persoon.bsn
    zoek = client.post("/api/v1/inburgeraars/zoeken", {"bsn": persoon.bsn}, format="json")
    assert [p["bsn"] for p in zoek.json()] == [persoon.bsn]


def test_caseload_and_search_results_show_no_bsn_to_partners(world, login):
    client = login(world.begeleider_a)
    assert _bsn(world) not in client.get("/dossiers/").content.decode()
    response = client.post("/dossiers/zoeken/", {"zoekterm": _bsn(world)})
    html = client.get(response["Location"]).content.decode()
    assert world.dossier_a.inburgeraar.achternaam in html  # the search found the person
    assert _bsn(world) not in html  # not in the rows, not in the echoed search term
    assert "******" + _bsn(world)[-3:] in html


# --- the PDF -------------------------------------------------------------------------------------


def test_beschikking_pdf_prints_no_signals(world, intake, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pip = maak_pip(world.dossier_a)
    text = tekst(render_beschikking(pip))
    assert "Beschikking" in text or "beschikking" in text
    assert "SIGNAAL-7731" not in text and "Veilig Thuis" not in text


def test_beheerder_edits_the_grant_with_history(world, login):
    """The switch is the functioneel beheerder's, in /beheer/, with history."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=world.beheerder_a.pk).update(is_staff=True)
    client = login(world.beheerder_a)
    url = f"/beheer/accounts/gemeente/{world.gemeente_a.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "partner_ziet_volledig_bsn" in form.fields
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    data.pop("logo", None)
    data["partner_ziet_volledig_bsn"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    with scopes_disabled():
        gemeente = Gemeente.objects.get(pk=world.gemeente_a.pk)
        assert gemeente.partner_ziet_volledig_bsn
        laatste = gemeente.history.order_by("-history_id").first()
        assert laatste.history_user_id == world.beheerder_a.pk
        assert laatste.partner_ziet_volledig_bsn


def test_person_update_does_not_need_the_masked_value(world):
    """Masking is for reading only: the stored BSN is untouched by any read."""
    with user_scope(world.werkcoach_a):
        persoon = world.dossier_a.inburgeraar
        case_services.inburgeraar_update(
            user=world.werkcoach_a, inburgeraar=persoon, reden="test", voornamen="Rania"
        )
        persoon.refresh_from_db()
    assert len(persoon.bsn) == 9 and "*" not in persoon.bsn
