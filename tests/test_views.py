"""Werkcoach and teamleider screens: caseload (filters, search, fixed query count), forms with
field-level errors that save nothing, reassignment, relocation, timeline notes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.constants import Doelgroep, Fase
from cases.models import Dossier, Inburgeraar

from .factories import DossierFactory, InburgeraarFactory
from .klok import vandaag_fixture

# Every date in this module is relative to this day (issue 8: no test on the wall clock).
VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)


def caseload_queries(client, url="/dossiers/?werkcoach=alle"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_caseload_runs_a_fixed_number_of_queries(world, login):
    client = login(world.werkcoach_a)
    few, _ = caseload_queries(client)
    with scopes_disabled():
        for _ in range(30):
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a2)
    many, response = caseload_queries(client)
    assert many == few
    assert response.content.decode().count("data-dossier=") == 25  # one full page


def test_caseload_query_budget(world, login, django_assert_max_num_queries):
    client = login(world.teamleider_a)
    with scopes_disabled():
        for _ in range(10):
            DossierFactory(gemeente=world.gemeente_a)
    # 16: the header's "My signals" count is one query of its own, the processing log's append
    # (one for all persons shown) another
    with django_assert_max_num_queries(16):
        client.get("/dossiers/?werkcoach=alle")


def test_werkcoach_starts_on_own_caseload_and_filters_work(world, login):
    with scopes_disabled():
        gezins = DossierFactory(
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            inburgeraar=InburgeraarFactory(doelgroep=Doelgroep.GEZINSMIGRANT),
            fase=Fase.AANGEMELD,
            datum_koppeling=None,
        )
    client = login(world.werkcoach_a)
    html = client.get("/dossiers/").content.decode()
    assert str(world.dossier_a.uuid) in html and str(world.dossier_a2.uuid) not in html
    html = client.get("/dossiers/?werkcoach=alle&doelgroep=gezinsmigrant").content.decode()
    assert str(gezins.uuid) in html and str(world.dossier_a.uuid) not in html
    html = client.get("/dossiers/?werkcoach=alle&fase=gekoppeld").content.decode()
    assert str(world.dossier_a.uuid) in html and str(gezins.uuid) not in html
    html = client.get(f"/dossiers/?werkcoach={world.werkcoach_a2.uuid}").content.decode()
    assert str(world.dossier_a2.uuid) in html and str(world.dossier_a.uuid) not in html


def test_caseload_htmx_returns_only_the_table(world, login):
    client = login(world.werkcoach_a)
    response = client.get("/dossiers/?werkcoach=alle", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="caseload-table"' in html
    assert "<html" not in html


def test_search_by_bsn_is_posted_and_kept_out_of_urls(world, login):
    client = login(world.werkcoach_a)
    bsn = world.dossier_a2.inburgeraar.bsn
    response = client.post("/dossiers/zoeken/", {"zoekterm": bsn})
    assert response.status_code == 302
    assert bsn not in response["Location"]
    html = client.get("/dossiers/?werkcoach=alle").content.decode()
    assert str(world.dossier_a2.uuid) in html
    assert str(world.dossier_a.uuid) not in html
    # searching a BSN of another gemeente finds nothing
    client.post("/dossiers/zoeken/", {"zoekterm": world.dossier_b.inburgeraar.bsn})
    html = client.get("/dossiers/?werkcoach=alle").content.decode()
    assert "data-dossier=" not in html
    client.post("/dossiers/zoeken/wissen/")
    html = client.get("/dossiers/?werkcoach=alle").content.decode()
    assert str(world.dossier_a.uuid) in html


def test_search_by_name(world, login):
    client = login(world.werkcoach_a)
    client.post("/dossiers/zoeken/", {"zoekterm": world.dossier_a.inburgeraar.achternaam})
    html = client.get("/dossiers/?werkcoach=alle").content.decode()
    assert str(world.dossier_a.uuid) in html


def _form_data(**overrides):
    data = {
        "bsn": "123456782",
        "voornamen": "Semhar",
        "achternaam": "Tesfaye",
        "geboortedatum": (timezone.localdate() - timedelta(days=30 * 365)).isoformat(),
        "doelgroep": Doelgroep.ASIELMIGRANT,
        "regime": "wi2021",
        "fase": Fase.AANGEMELD,
    }
    data.update(overrides)
    return data


def test_new_dossier_form_creates_person_and_dossier(world, login):
    client = login(world.werkcoach_a)
    data = _form_data(gemeente=world.gemeente_a.pk, werkcoach=world.werkcoach_a.pk)
    response = client.post("/dossiers/nieuw/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        dossier = Dossier.objects.get(inburgeraar__bsn="123456782")
    assert response["Location"] == f"/dossiers/{dossier.uuid}/"
    assert dossier.werkcoach == world.werkcoach_a


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"bsn": "123456789"}, "bsn", "elfproef"),
        ({"fase": Fase.INTAKE}, "datum_brp_inschrijving", "Required"),
        (
            {"geboortedatum": (timezone.localdate() - timedelta(days=10 * 365)).isoformat()},
            "geboortedatum",
            "younger than 16",
        ),
        ({"werkcoach": "WERKCOACH_B"}, "werkcoach", ""),
    ],
)
def test_new_dossier_form_errors_are_field_level_and_save_nothing(
    world, login, overrides, field, fragment
):
    client = login(world.werkcoach_a)
    if overrides.get("werkcoach") == "WERKCOACH_B":
        overrides["werkcoach"] = world.werkcoach_b.pk
    data = _form_data(gemeente=world.gemeente_a.pk, **overrides)
    with scopes_disabled():
        before = (Inburgeraar.objects.count(), Dossier.objects.count())
    response = client.post("/dossiers/nieuw/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert fragment in " ".join(form.errors[field])
    # the input is kept, nothing is lost
    assert response.context["form"].data["achternaam"] == "Tesfaye"
    with scopes_disabled():
        assert (Inburgeraar.objects.count(), Dossier.objects.count()) == before


def test_duplicate_open_dossier_in_form(world, login):
    client = login(world.werkcoach_a)
    data = _form_data(gemeente=world.gemeente_a.pk, bsn=world.dossier_b.inburgeraar.bsn)
    response = client.post("/dossiers/nieuw/", data)
    assert "at most one open dossier" in " ".join(response.context["form"].errors["bsn"])


def test_edit_dossier_form_with_reason_shows_in_history(world, login):
    client = login(world.werkcoach_a)
    response = client.post(
        f"/dossiers/{world.dossier_a.uuid}/bewerken/",
        {
            "werkcoach": world.werkcoach_a.pk,
            "datum_koppeling": world.dossier_a.datum_koppeling.isoformat(),
            "coa_referentie": "TVS-1234",
            "reden": "Nummer uit TVS overgenomen",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/dossiers/{world.dossier_a.uuid}/historie/").content.decode()
    assert "Nummer uit TVS overgenomen" in html  # the reason, in the history section
    assert "TVS-1234" in client.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()


def test_teamleider_bulk_reassigns_from_the_caseload(world, login):
    client = login(world.teamleider_a)
    response = client.post(
        "/dossiers/toewijzen/",
        {
            "dossiers": [str(world.dossier_a.uuid), str(world.dossier_a2.uuid)],
            "werkcoach": world.werkcoach_a2.pk,
            "reden": "Herverdeling",
        },
    )
    assert response.status_code == 302
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.werkcoach == world.werkcoach_a2


def test_reassign_cannot_touch_invisible_dossiers(world, login):
    client = login(world.teamleider_a)
    client.post(
        "/dossiers/toewijzen/",
        {"dossiers": [str(world.dossier_b.uuid)], "werkcoach": world.werkcoach_a2.pk},
    )
    world.dossier_b.refresh_from_db()
    assert world.dossier_b.werkcoach == world.werkcoach_b


def test_werkcoach_cannot_bulk_reassign(world, login):
    client = login(world.werkcoach_a)
    response = client.post(
        "/dossiers/toewijzen/",
        {"dossiers": [str(world.dossier_a2.uuid)], "werkcoach": world.werkcoach_a.pk},
    )
    assert response.status_code == 403


def test_relocation_through_the_ui(world, login):
    client = login(world.werkcoach_a)
    response = client.post(
        f"/dossiers/{world.dossier_a.uuid}/verhuizen/",
        {
            "nieuwe_gemeente": world.gemeente_b.pk,
            "datum_verhuizing": timezone.localdate().isoformat(),
            "reden": "Verhuisd",
        },
    )
    assert response.status_code == 302
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.fase == Fase.VERHUISD
    html = login(world.werkcoach_b).get("/dossiers/?werkcoach=alle").content.decode()
    assert world.dossier_a.inburgeraar.achternaam in html


def test_phase_change_refusal_is_shown_and_changes_nothing(world, login):
    client = login(world.werkcoach_a)
    response = client.post(
        f"/dossiers/{world.dossier_a.uuid}/fase/", {"fase": Fase.INTAKE}, follow=True
    )
    html = response.content.decode()
    assert "Required in phase" in html or "Verplicht" in html
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.fase == Fase.GEKOPPELD


def test_note_with_htmx_returns_the_timeline(world, login):
    client = login(world.begeleider_a)
    response = client.post(
        f"/dossiers/{world.dossier_a.uuid}/notitie/",
        {"tekst": "Huisbezoek: alles in orde"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="tijdlijn"' in html and "Huisbezoek: alles in orde" in html
    assert "<html" not in html


def test_english_can_be_chosen(world, login):
    client = login(world.werkcoach_a)
    nl = client.get("/dossiers/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/dossiers/"})
    en = client.get("/dossiers/").content.decode()
    assert 'lang="nl"' in nl and 'lang="en"' in en
    assert "Zoek op naam of BSN" in nl
    assert "Search by name or BSN" in en
