"""Werkcoach and teamleider screens for the brede intake and the PIP: intake from the dossier
page, save-as-you-go domains over htmx, medical domains by need-to-know only, refusals that name
the rule and change nothing, the beschikking download behind the access policy, the approval
queue."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from pip_plans.constants import Domein, PipStatus
from pip_plans.models import BredeIntake, DomeinBeoordeling, Pip

from .klok import vandaag_fixture

# Every date in this module is relative to this day (issue 8: no test on the wall clock).
VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)

GEHEIM = "Nachtmerries sinds de vlucht — GEHEIM-42"

# Vaststellen asks for confirmation: it issues a legally binding decision (issue 8, defect 5).
BEVESTIGD = {"bevestigd": "on"}

GELDIGE_PIP = {
    "leerroute": "b1",
    "einddoel": "b1",
    "aanbieder": "Taalschool Huizen",
    "uren_per_week": "10",
    "verwachte_duur_maanden": "24",
    "knm": "on",
    "pvt": "on",
    "participatie": "Vrijwilligerswerk bij de voedselbank",
    "participatie_uren_per_week": "8",
    "voortgangsgesprekken_per_jaar": "4",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _intake(dossier) -> BredeIntake:
    with scopes_disabled():
        return BredeIntake.objects.create(dossier=dossier)


def _pip(dossier, **fields) -> Pip:
    with scopes_disabled():
        # a PIP is vastgesteld only on a completed brede intake (Wi 2021 art. 14 and 16)
        BredeIntake.objects.get_or_create(
            dossier=dossier, defaults={"datum_afgerond": date(2025, 2, 10)}
        )
        return Pip.objects.create(dossier=dossier, **fields)


def _vastgesteld(dossier, kenmerk="PIP-TEST-000001-v1") -> Pip:
    with scopes_disabled():
        pip = Pip(
            dossier=dossier,
            status=PipStatus.VASTGESTELD,
            kenmerk=kenmerk,
            participatie="Stage",
            datum_vastgesteld=date(2025, 3, 3),
            termijn_start=date(2025, 3, 4),
            termijn_eind=date(2028, 3, 3),
            pdf_sha256="a" * 64,
        )
        pip.pdf.save(f"{kenmerk}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        pip.save()
        return pip


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- dossier page and intake ----------------------------------------------------------------


def test_werkcoach_starts_the_intake_from_the_dossier_page(world, login):
    client = login(world.werkcoach_a)
    url = f"/dossiers/{world.dossier_a.uuid}/intake/"
    html = client.get(url).content.decode()
    assert 'id="intake-status-titel">Brede intake<' in html and "not started" in html
    assert f"/pip/dossier/{world.dossier_a.uuid}/intake/" in html

    response = client.post(f"/pip/dossier/{world.dossier_a.uuid}/intake/")
    with scopes_disabled():
        intake = BredeIntake.objects.get(dossier=world.dossier_a)
    assert response.status_code == 302
    assert response["Location"] == f"/pip/intake/{intake.uuid}/"
    html = client.get(url).content.decode()
    assert "in progress" in html and f"/pip/intake/{intake.uuid}/" in html
    assert "Start the brede intake" not in html
    assert client.get(f"/pip/intake/{intake.uuid}/").status_code == 200


def test_read_only_users_cannot_start_an_intake_or_a_pip(world, login):
    for user in (world.auditor_a, world.begeleider_a):
        client = login(user)
        for sectie in ("intake", "pip"):
            html = client.get(f"/dossiers/{world.dossier_a.uuid}/{sectie}/").content.decode()
            assert 'id="dossier-sectie"' in html
            assert "Start the brede intake" not in html and "New PIP" not in html
        assert client.post(f"/pip/dossier/{world.dossier_a.uuid}/intake/").status_code == 403
        assert client.post(f"/pip/dossier/{world.dossier_a.uuid}/nieuw/").status_code == 403
    with scopes_disabled():
        assert not BredeIntake.objects.exists() and not Pip.objects.exists()


def test_other_gemeentes_dossier_is_404(world, login):
    intake = _intake(world.dossier_b)
    client = login(world.werkcoach_a)
    assert client.post(f"/pip/dossier/{world.dossier_b.uuid}/intake/").status_code == 404
    assert client.get(f"/pip/intake/{intake.uuid}/").status_code == 404


def test_domain_is_saved_over_htmx_and_returns_its_partial(world, login):
    intake = _intake(world.dossier_a)
    client = login(world.werkcoach_a)
    url = f"/pip/intake/{intake.uuid}/domein/opleiding/"
    response = client.post(
        url,
        {"opleiding-beoordeling": "voldoende", "opleiding-toelichting": "Bachelor in Damascus"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in html and 'id="domein-opleiding"' in html
    assert "<html" not in html  # only the partial
    with scopes_disabled():
        d = DomeinBeoordeling.objects.get(intake=intake, domein="opleiding")
    assert (d.beoordeling, d.toelichting) == ("voldoende", "Bachelor in Damascus")


def test_invalid_domain_keeps_the_input_and_stores_nothing(world, login):
    intake = _intake(world.dossier_a)
    client = login(world.werkcoach_a)
    url = f"/pip/intake/{intake.uuid}/domein/werkervaring/"
    data = {"werkervaring-beoordeling": "", "werkervaring-toelichting": "Timmerman, 6 jaar"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not saved" in html and "Timmerman, 6 jaar" in html and "field__errors" in html
    # without htmx: the whole page again, status 400, input kept
    response = client.post(url, data)
    assert response.status_code == 400 and "Timmerman, 6 jaar" in response.content.decode()
    with scopes_disabled():
        assert not DomeinBeoordeling.objects.filter(intake=intake).exists()


def test_medical_domain_text_only_for_need_to_know(world, login):
    intake = _intake(world.dossier_a)
    with scopes_disabled():
        DomeinBeoordeling.objects.create(
            intake=intake,
            domein=Domein.MENTALE_GEZONDHEID,
            beoordeling="aandacht",
            toelichting=GEHEIM,
        )
    url = f"/pip/intake/{intake.uuid}/"
    for user in (world.begeleider_a, world.auditor_a, world.partner_auditor_a):
        response = login(user).get(url)
        html = response.content.decode()
        assert response.status_code == 200, user
        assert GEHEIM not in html, user
        assert "domein-mentale_gezondheid" not in html
        assert "medical domains are not shown" in html
    html = login(world.werkcoach_a).get(url).content.decode()
    assert GEHEIM in html and "domein-fysieke_gezondheid" in html


def test_begeleider_posting_a_medical_domain_is_refused(world, login):
    intake = _intake(world.dossier_a)
    client = login(world.begeleider_a)
    url = f"/pip/intake/{intake.uuid}/domein/mentale_gezondheid/"
    data = {"mentale_gezondheid-beoordeling": "aandacht", "mentale_gezondheid-toelichting": GEHEIM}
    assert client.post(url, data).status_code == 403
    assert client.post(url, data, headers={"HX-Request": "true"}).status_code == 403
    with scopes_disabled():
        assert not DomeinBeoordeling.objects.filter(intake=intake).exists()


def test_read_only_user_cannot_write_the_intake(world, login):
    intake = _intake(world.dossier_a)
    client = login(world.auditor_a)
    base = f"/pip/intake/{intake.uuid}"
    assert (
        client.post(f"{base}/domein/opleiding/", {"opleiding-beoordeling": "sterk"}).status_code
        == 403
    )
    assert (
        client.post(f"{base}/gesprek/", {"datum": "2025-01-01", "locatie": "azc"}).status_code
        == 403
    )
    assert client.post(f"{base}/afronden/").status_code == 403
    with scopes_disabled():
        assert not intake.domeinen.exists() and not intake.gesprekken.exists()


def test_conversation_and_intake_details_are_saved(world, login):
    intake = _intake(world.dossier_a)
    client = login(world.werkcoach_a)
    response = client.post(
        f"/pip/intake/{intake.uuid}/gesprek/",
        {"datum": "2025-02-03", "locatie": "azc", "tolk_taal": "Arabisch", "verschenen": "on"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/pip/intake/{intake.uuid}/gegevens/",
        {
            "leerbaarheid_datum": "2025-02-03",
            "leerbaarheid_score": "hoog",
            "leerbaarheid_laag": "false",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        intake.refresh_from_db()
        gesprek = intake.gesprekken.get()
    assert gesprek.tolk_taal == "Arabisch" and gesprek.verschenen and not gesprek.meegewerkt
    assert intake.leerbaarheid_score == "hoog" and intake.leerbaarheid_laag is False
    html = client.get(f"/pip/intake/{intake.uuid}/").content.decode()
    assert "Proposed leerroute" in html and "B1-route" in html


def test_completing_the_intake_lists_missing_domains(world, login):
    intake = _intake(world.dossier_a)
    with scopes_disabled():
        DomeinBeoordeling.objects.create(intake=intake, domein="opleiding", beoordeling="sterk")
    client = login(world.werkcoach_a)
    response = client.post(f"/pip/intake/{intake.uuid}/afronden/", follow=True)
    msgs = " ".join(_messages(response))
    assert "Every life domain must be assessed" in msgs
    assert "mental health" in msgs and "learnability" in msgs and "education" not in msgs
    assert "leerbaarheidstoets is a mandatory part" in msgs
    assert "at least one conversation" in msgs
    with scopes_disabled():
        intake.refresh_from_db()
    assert intake.datum_afgerond is None


# --- PIP --------------------------------------------------------------------------------------


def test_new_pip_from_the_dossier_page(world, login):
    client = login(world.werkcoach_a)
    assert "New PIP" in client.get(f"/dossiers/{world.dossier_a.uuid}/pip/").content.decode()
    response = client.post(f"/pip/dossier/{world.dossier_a.uuid}/nieuw/")
    with scopes_disabled():
        pip = Pip.objects.get(dossier=world.dossier_a)
    assert response["Location"] == f"/pip/{pip.uuid}/"
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    for thema in (
        "thema-inburgering",
        "thema-participatie",
        "thema-ontzorgen",
        "thema-begeleiding",
    ):
        assert thema in html
    assert "What still blocks vaststelling" in html
    assert "Theme participatie: record the participation agreements." in html
    html = client.get(f"/dossiers/{world.dossier_a.uuid}/pip/").content.decode()
    assert "Version 1" in html and "draft" in html and "New PIP" not in html


def test_vaststellen_with_a_missing_theme_is_refused_and_nothing_changes(world, login):
    pip = _pip(world.dossier_a)
    client = login(world.werkcoach_a)
    data = {k: v for k, v in GELDIGE_PIP.items() if k != "participatie"}
    assert client.post(f"/pip/{pip.uuid}/", data).status_code == 302
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", BEVESTIGD, follow=True)
    msgs = " ".join(_messages(response))
    assert "Theme participatie: record the participation agreements." in msgs
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.CONCEPT and pip.datum_vastgesteld is None and not pip.kenmerk


def test_pip_edit_then_vaststellen_queues_the_beschikking(world, login):
    pip = _pip(world.dossier_a)
    client = login(world.werkcoach_a)
    assert client.post(f"/pip/{pip.uuid}/", GELDIGE_PIP).status_code == 302
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    assert "Nothing blocks vaststelling" in html
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", BEVESTIGD)
    assert response.status_code == 302
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.WORDT_VASTGESTELD and pip.kenmerk
    status = client.get(f"/pip/{pip.uuid}/status/", headers={"HX-Request": "true"})
    html = status.content.decode()
    assert 'hx-trigger="every 2s"' in html and "wordt vastgesteld" in html

    from pip_plans.tasks import beschikking_renderen

    assert beschikking_renderen(pip.pk) == "ok"
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.VASTGESTELD
    html = client.get(f"/pip/{pip.uuid}/status/", headers={"HX-Request": "true"}).content.decode()
    assert "every 2s" not in html and f"/pip/{pip.uuid}/beschikking.pdf" in html
    download = client.get(f"/pip/{pip.uuid}/beschikking.pdf")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_failed_render_is_shown(world, login):
    pip = _pip(world.dossier_a, render_fout="OSError: font missing")
    html = login(world.werkcoach_a).get(f"/pip/{pip.uuid}/status/").content.decode()
    assert "could not be produced" in html and "OSError: font missing" in html


def test_editing_a_vastgestelde_pip_is_refused(world, login):
    pip = _vastgesteld(world.dossier_a)
    client = login(world.werkcoach_a)
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    assert "can no longer be changed" in html and "disabled" in html and "Save PIP" not in html
    response = client.post(f"/pip/{pip.uuid}/", {**GELDIGE_PIP, "participatie": "Anders"})
    assert response.status_code == 400
    assert "cannot be edited" in response.content.decode()
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.participatie == "Stage" and pip.status == PipStatus.VASTGESTELD


def test_new_version_of_a_vastgestelde_pip(world, login):
    pip = _vastgesteld(world.dossier_a)
    client = login(world.werkcoach_a)
    response = client.post(f"/pip/{pip.uuid}/nieuwe-versie/", {"reden": "Andere aanbieder"})
    with scopes_disabled():
        nieuw = Pip.objects.get(dossier=world.dossier_a, versie=2)
    assert response["Location"] == f"/pip/{nieuw.uuid}/"
    assert nieuw.vorige_versie_id == pip.pk and nieuw.participatie == "Stage"


def test_download_only_for_users_who_may_see_the_dossier(world, login):
    pip = _vastgesteld(world.dossier_b, kenmerk="PIP-GM1001-000007-v1")
    assert login(world.werkcoach_a).get(f"/pip/{pip.uuid}/beschikking.pdf").status_code == 404
    assert login(world.werkcoach_a).get(f"/pip/{pip.uuid}/").status_code == 404
    response = login(world.werkcoach_b).get(f"/pip/{pip.uuid}/beschikking.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="PIP-GM1001-000007-v1.pdf"' in response["Content-Disposition"]


def test_begeleider_sees_the_pip_read_only(world, login):
    pip = _pip(world.dossier_a)
    client = login(world.begeleider_a)
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    assert "Save PIP" not in html and f"/pip/{pip.uuid}/vaststellen/" not in html
    assert client.post(f"/pip/{pip.uuid}/", GELDIGE_PIP).status_code == 403
    assert client.post(f"/pip/{pip.uuid}/vaststellen/").status_code == 403
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.participatie == "" and pip.status == PipStatus.CONCEPT


def test_approval_queue(world, login):
    with scopes_disabled():
        world.gemeente_a.pip_goedkeuring_vereist = True
        world.gemeente_a.save()
    pip = _pip(world.dossier_a)
    client = login(world.werkcoach_a)
    client.post(f"/pip/{pip.uuid}/", GELDIGE_PIP)
    # approval required: vaststellen straight from concept is refused, naming the rule
    response = client.post(f"/pip/{pip.uuid}/vaststellen/", BEVESTIGD, follow=True)
    assert any("requires a teamleider's approval" in m for m in _messages(response))
    client.post(f"/pip/{pip.uuid}/ter-ondertekening/")
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.TER_ONDERTEKENING

    for user in (world.werkcoach_a, world.auditor_a, world.begeleider_a):
        c = login(user)
        assert c.get("/pip/goedkeuren/").status_code == 403
        assert c.post(f"/pip/{pip.uuid}/goedkeuren/").status_code == 403

    client = login(world.teamleider_a)
    html = client.get("/pip/goedkeuren/").content.decode()
    assert f'data-pip="{pip.uuid}"' in html
    response = client.post(f"/pip/{pip.uuid}/goedkeuren/", {"terug": "wachtrij"})
    assert response["Location"] == "/pip/goedkeuren/"
    with scopes_disabled():
        pip.refresh_from_db()
    assert pip.status == PipStatus.GOEDGEKEURD and pip.goedgekeurd_door == world.teamleider_a
    assert f'data-pip="{pip.uuid}"' not in client.get("/pip/goedkeuren/").content.decode()


def test_preview_pdf_is_rendered_inline_and_not_stored(world, login):
    pip = _pip(world.dossier_a, **{"participatie": "Stage", "leerroute": "b1"})
    response = login(world.werkcoach_a).get(f"/pip/{pip.uuid}/preview.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    with scopes_disabled():
        pip.refresh_from_db()
    assert not pip.pdf and pip.status == PipStatus.CONCEPT
    assert login(world.werkcoach_b).get(f"/pip/{pip.uuid}/preview.pdf").status_code == 404


def test_completing_the_intake(world, login):
    intake = _intake(world.dossier_a)
    client = login(world.werkcoach_a)
    for domein in Domein:
        client.post(
            f"/pip/intake/{intake.uuid}/domein/{domein.value}/",
            {f"{domein.value}-beoordeling": "voldoende"},
            headers={"HX-Request": "true"},
        )
    client.post(
        f"/pip/intake/{intake.uuid}/gesprek/",
        {"datum": "2025-02-03", "locatie": "azc", "verschenen": "on", "meegewerkt": "on"},
    )
    client.post(
        f"/pip/intake/{intake.uuid}/gegevens/",
        {"leerbaarheid_datum": "2025-02-03", "leerbaarheid_score": "gemiddeld"},
    )
    response = client.post(
        f"/pip/intake/{intake.uuid}/afronden/", {"datum": "2025-02-10"}, follow=True
    )
    assert "Brede intake completed." in _messages(response)
    with scopes_disabled():
        intake.refresh_from_db()
    assert intake.datum_afgerond == date(2025, 2, 10)
    html = client.get(f"/dossiers/{world.dossier_a.uuid}/intake/").content.decode()
    assert "completed on 10-02-2025" in html


def test_route_switch_after_18_months_is_refused_in_the_ui(world, login):
    pip = _vastgesteld(world.dossier_a)  # termijn started 4 March 2025: more than 18 months ago
    client = login(world.werkcoach_a)
    assert 'id="route-switch-form"' in client.get(f"/pip/{pip.uuid}/").content.decode()
    response = client.post(
        f"/pip/{pip.uuid}/route-switch/",
        {"nieuwe_route": "z", "datum": VANDAAG.isoformat(), "motivatie": "Te zwaar"},
    )
    # the refusal is shown at the field it is about, on the page itself
    assert response.status_code == 400
    assert any(
        "until 18 months" in m for m in response.context["route_switch_form"].errors["datum"]
    )
    assert "until 18 months" in response.content.decode()
    with scopes_disabled():
        assert not Pip.objects.filter(dossier=world.dossier_a, versie=2).exists()


def test_afschalen_lists_every_unmet_condition_and_then_succeeds(world, login):
    pip = _vastgesteld(world.dossier_a)
    client = login(world.werkcoach_a)
    data = {
        "examendeel": "spreken",
        "datum": VANDAAG.isoformat(),
        "motivatie": "Veel geoefend",
    }
    response = client.post(f"/pip/{pip.uuid}/afschalen/", {**data, "lesuren": 500})
    # each unmet condition at its field (issue 8, defect 10), not as one message about the action
    assert response.status_code == 400
    errors = response.context["afschalen_form"].errors
    assert "600 lesson hours" in " ".join(errors["lesuren"])
    assert "sufficient effort" in " ".join(errors["voldoende_inspanning"])
    html = response.content.decode()
    assert "600 lesson hours" in html and "sufficient effort" in html
    with scopes_disabled():
        assert not Pip.objects.filter(dossier=world.dossier_a, versie=2).exists()
    response = client.post(
        f"/pip/{pip.uuid}/afschalen/", {**data, "lesuren": 640, "voldoende_inspanning": "on"}
    )
    with scopes_disabled():
        nieuw = Pip.objects.get(dossier=world.dossier_a, versie=2)
    assert response["Location"] == f"/pip/{nieuw.uuid}/"
    assert nieuw.a2_examendelen == ["spreken"]
