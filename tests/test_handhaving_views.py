"""The handhaving screens: the dossier section, the procedure page with one form per step, the
letters (preview, polling while made, download), the teamleider's queue and overview, and the
"Handhaving starten" from an intake conversation. Every refusal re-renders with status 400 and
the service's message at its field; visibility is a 404, acting without the right a 403."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scopes_disabled

from cases.models import Termijn
from handhaving import services
from handhaving.constants import BriefSoort, BriefStatus, ProcedureStatus
from handhaving.models import Brief, Procedure, Verzuim
from inburgering.core.access import user_scope
from pip_plans.constants import GesprekLocatie
from pip_plans.models import BredeIntake, IntakeGesprek

from .factories import DossierFactory
from .handhaving_stappen import (
    PDF,
    gesprek,
    media_fixture,
    procedure_tot,
    rapport,
    verzend,
    verzuim,
)
from .klok import moment, vandaag_fixture

VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)
_media = media_fixture()
# this module's procedure: procedure_tot(world, tot=..., dossier=..., soort=...) with these values
STAPPEN = {
    "verzuim": {"omschrijving": "Niet verschenen bij de PVT-bijeenkomst"},
    "gesprek": {"datum": VANDAAG - timedelta(days=20)},
    "rapport": {"feiten": "f"},
    "zienswijze": {"datum": VANDAAG, "inhoud": "Brief"},
}
_procedure = partial(procedure_tot, stappen=STAPPEN, verzender=None)


def _pad(p: Procedure, stap: str = "") -> str:
    return f"/handhaving/procedures/{p.uuid}/{stap + '/' if stap else ''}"


def _fouten(response) -> dict[str, list[str]]:
    """The refused form's errors by field, from the context (``None`` for the whole form)."""
    for context in response.context:
        flat = context.flatten()
        for key, value in [*flat.items(), *(flat.get("sectie") or {}).items()]:
            if key.endswith("_form") and getattr(value, "is_bound", False) and value.errors:
                return {k: [str(m) for m in v] for k, v in value.errors.items()}
    return {}


# --- the dossier section ----------------------------------------------------------------------


def test_section_lists_procedures_with_step_action_and_deadline(world, login):
    p = _procedure(world, tot=ProcedureStatus.ZIENSWIJZE)
    client = login(world.werkcoach_a)
    r = client.get(f"/dossiers/{world.dossier_a.uuid}/handhaving/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-procedure="{p.uuid}"' in html
    assert 'data-status="zienswijze"' in html
    assert "awaiting the zienswijze" in html  # the step as text, not colour alone
    tot = p.zienswijze_tot.strftime("%d-%m-%Y")
    assert f"Wait for the zienswijze until {tot}" in html
    assert 'data-klok="boete_zienswijze"' in html  # the nearest running clock
    assert f'href="{_pad(p)}"' in html
    assert 'id="verzuim-form"' in html
    assert "data-label=" in html  # cards on a phone


def test_section_names_an_overdue_clock_in_words(world, login):
    p = _procedure(world, tot=ProcedureStatus.BESLUIT)
    with scopes_disabled():
        t = Termijn.objects.get(dossier=world.dossier_a, code="boete_beslistermijn")
    with time_machine.travel(moment(t.uiterste_datum + timedelta(days=3))):
        client = login(world.werkcoach_a)
        r = client.get(f"/dossiers/{world.dossier_a.uuid}/handhaving/")
    html = r.content.decode()
    assert f'data-procedure="{p.uuid}"' in html
    assert 'data-verlopen="true"' in html and "overdue" in html


def test_begeleider_gets_404_on_section_and_procedure(world, login):
    p = _procedure(world)
    client = login(world.begeleider_a)  # begeleider of dossier_a, yet no handhaving
    assert client.get(f"/dossiers/{world.dossier_a.uuid}/handhaving/").status_code == 404
    assert client.get(_pad(p)).status_code == 404
    assert client.post(_pad(p, "gesprek"), {"verslag": "x"}).status_code == 404


def test_other_gemeente_gets_404(world, login):
    p = _procedure(world)
    client = login(world.werkcoach_b)
    assert client.get(_pad(p)).status_code == 404
    assert client.get(_pad(p, "status")).status_code == 404
    assert client.post(_pad(p, "gesprek"), {"verslag": "x"}).status_code == 404
    r = client.post(
        f"/handhaving/dossiers/{world.dossier_a.uuid}/verzuim/",
        {"soort": "pvt", "datum": "2026-11-01", "omschrijving": "x"},
    )
    assert r.status_code == 404


def test_auditor_reads_without_forms_and_a_post_is_403(world, login):
    p = _procedure(world, tot=ProcedureStatus.RAPPORT)
    client = login(world.auditor_a)
    r = client.get(_pad(p))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="stap-gesprek"' in html and "Besproken" in html
    assert "<form" not in html.split('id="procedure-inhoud"')[1]
    s = client.get(f"/dossiers/{world.dossier_a.uuid}/handhaving/")
    assert s.status_code == 200 and 'id="verzuim-form"' not in s.content.decode()
    r = client.post(_pad(p, "rapport"), {"datum": "2026-11-20", "plaats": "Huizen", "feiten": "f"})
    assert r.status_code == 403
    r = client.post(
        f"/handhaving/dossiers/{world.dossier_a.uuid}/verzuim/",
        {"soort": "pvt", "datum": "2026-11-01", "omschrijving": "x"},
    )
    assert r.status_code == 403
    p.refresh_from_db()
    assert p.status == ProcedureStatus.RAPPORT


# --- recording a failure ----------------------------------------------------------------------


def test_verzuim_recorded_from_the_section_opens_its_procedure(world, login):
    client = login(world.werkcoach_a)
    r = client.post(
        f"/handhaving/dossiers/{world.dossier_a.uuid}/verzuim/",
        {"soort": "map", "datum": "2026-11-02", "omschrijving": "Niet bij MAP", "bewijs": "Lijst"},
    )
    assert r.status_code == 302
    with scopes_disabled():
        p = Procedure.objects.get(dossier=world.dossier_a)
    assert r["Location"] == _pad(p)
    assert p.status == ProcedureStatus.GESPREK and p.verzuim.bewijs == "Lijst"


def test_verzuim_in_the_future_is_refused_at_its_field(world, login):
    client = login(world.werkcoach_a)
    r = client.post(
        f"/handhaving/dossiers/{world.dossier_a.uuid}/verzuim/",
        {"soort": "map", "datum": "2026-12-05", "omschrijving": "Niet bij MAP"},
    )
    assert r.status_code == 400
    fouten = _fouten(r)
    assert "datum" in fouten and "future" in fouten["datum"][0].lower(), fouten
    html = r.content.decode()
    assert 'id="error-summary"' in html and "Niet bij MAP" in html  # the input kept
    with scopes_disabled():
        assert not Verzuim.objects.filter(dossier=world.dossier_a).exists()


# --- the steps' refusals ----------------------------------------------------------------------


def test_gesprek_with_empty_verslag_is_refused(world, login):
    p = _procedure(world)
    client = login(world.werkcoach_a)
    r = client.post(
        _pad(p, "gesprek"), {"datum": "2026-11-20", "verslag": " ", "uitkomst": "verder"}
    )
    assert r.status_code == 400
    assert "hoor en wederhoor" in _fouten(r)["verslag"][0]
    html = r.content.decode()
    assert 'id="error-summary"' in html and 'value="2026-11-20"' in html


def test_gesprek_in_the_future_is_refused(world, login):
    p = _procedure(world)
    client = login(world.werkcoach_a)
    r = client.post(
        _pad(p, "gesprek"), {"datum": "2026-12-02", "verslag": "Gesproken", "uitkomst": "verder"}
    )
    assert r.status_code == 400
    assert "future" in _fouten(r)["datum"][0].lower()
    assert "Gesproken" in r.content.decode()


def test_afgedaan_without_a_reason_is_refused(world, login):
    p = _procedure(world)
    client = login(world.werkcoach_a)
    r = client.post(
        _pad(p, "gesprek"), {"datum": "2026-11-20", "verslag": "Gesproken", "uitkomst": "afgedaan"}
    )
    assert r.status_code == 400
    assert "ends with this conversation" in _fouten(r)["reden"][0]
    r = client.post(
        _pad(p, "gesprek"),
        {"datum": "2026-11-20", "verslag": "Gesproken", "uitkomst": "afgedaan", "reden": "Ziek"},
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == ProcedureStatus.AFGEDAAN
    html = login(world.werkcoach_a).get(_pad(p)).content.decode()
    assert 'id="stap-rapport" data-staat="vervalt"' in html


def test_boete_above_the_fixed_amount_is_refused(world, login):
    p = _procedure(world, tot=ProcedureStatus.BESLUIT)
    client = login(world.werkcoach_a)
    page = client.get(_pad(p)).content.decode()
    assert 'data-maximum="800.00"' in page and "5:46" in page  # the fixed amount, the ground
    r = client.post(
        _pad(p, "boete"),
        {"verwijtbaarheid": "Wist ervan", "zienswijze_weging": "Gewogen", "bedrag": "900"},
    )
    assert r.status_code == 400
    assert "never above" in _fouten(r)["bedrag"][0]
    assert "Wist ervan" in r.content.decode()


def test_reduction_without_its_ground_is_refused(world, login):
    p = _procedure(world, tot=ProcedureStatus.BESLUIT)
    client = login(world.werkcoach_a)
    r = client.post(
        _pad(p, "boete"),
        {"verwijtbaarheid": "Wist ervan", "zienswijze_weging": "Gewogen", "bedrag": "600"},
    )
    assert r.status_code == 400
    fouten = _fouten(r)
    assert "5:46" in fouten["verlaging_grond"][0]
    assert "verlaging_motivering" in fouten


def test_boete_without_blame_is_refused(world, login):
    p = _procedure(world, tot=ProcedureStatus.BESLUIT)
    client = login(world.werkcoach_a)
    r = client.post(_pad(p, "boete"), {"verwijtbaarheid": "", "zienswijze_weging": "Gewogen"})
    assert r.status_code == 400
    assert "5:41" in _fouten(r)["verwijtbaarheid"][0]
    p.refresh_from_db()
    assert p.status == ProcedureStatus.BESLUIT and p.bedrag is None


def test_versturen_before_approval_is_refused(world, login):
    p = _procedure(world, tot=ProcedureStatus.TER_GOEDKEURING)
    client = login(world.werkcoach_a)
    r = client.post(_pad(p, "versturen"))
    assert r.status_code == 400
    assert "approval before a fine is sent" in _fouten(r)["__all__"][0]
    assert 'id="error-summary"' in r.content.decode()
    p.refresh_from_db()
    assert p.status == ProcedureStatus.TER_GOEDKEURING
    with scopes_disabled():
        assert not Brief.objects.filter(procedure=p, soort=BriefSoort.BOETEBESCHIKKING).exists()


def test_refusal_over_htmx_is_swapped_in(world, login):
    """htmx does not swap a 4xx: the page with the refusal comes as a 200."""
    p = _procedure(world, tot=ProcedureStatus.TER_GOEDKEURING)
    r = login(world.werkcoach_a).post(_pad(p, "versturen"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'id="error-summary"' in r.content.decode()


def test_werkcoach_may_not_approve(world, login):
    p = _procedure(world, tot=ProcedureStatus.TER_GOEDKEURING)
    client = login(world.werkcoach_a)
    assert 'id="goedkeuren-form"' not in client.get(_pad(p)).content.decode()
    assert client.post(_pad(p, "goedkeuren")).status_code == 403
    assert client.post(_pad(p, "terugsturen"), {"opmerking": "x"}).status_code == 403


# --- the whole procedure through its pages ----------------------------------------------------


def test_steps_through_the_pages_to_a_sent_boetebeschikking(world, login):
    p = _procedure(world, tot=ProcedureStatus.GESPREK)
    wc = login(world.werkcoach_a)
    page = wc.get(_pad(p)).content.decode()
    assert 'id="stap-gesprek" data-staat="huidig"' in page
    assert 'id="stap-rapport" data-staat="later"' in page
    r = wc.post(
        _pad(p, "gesprek"), {"datum": "2026-11-20", "verslag": "Gehoord", "uitkomst": "verder"}
    )
    assert r.status_code == 302 and r["Location"] == _pad(p)
    r = wc.post(_pad(p, "rapport"), {"datum": "2026-11-21", "plaats": "Huizen", "feiten": "F"})
    assert r.status_code == 302
    page = wc.get(_pad(p)).content.decode()
    assert f'href="{_pad(p, "voorbeeld")}voornemen.pdf"' in page  # preview before sending
    assert 'hx-disabled-elt="find button"' in page  # the send button: once
    # a double click: one letter
    assert wc.post(_pad(p, "voornemen")).status_code == 302
    assert wc.post(_pad(p, "voornemen")).status_code == 302
    with scopes_disabled():
        assert Brief.objects.filter(procedure=p).count() == 1
    # while the letter is made, the status block polls; once made the page reloads
    status = wc.get(_pad(p, "status"), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in status.content.decode()
    assert "HX-Refresh" not in status
    brief = verzend(p, BriefSoort.VOORNEMEN)
    status = wc.get(_pad(p, "status"), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    assert f"/handhaving/brieven/{brief.uuid}.pdf" in status.content.decode()
    download = wc.get(f"/handhaving/brieven/{brief.uuid}.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    r = wc.post(
        _pad(p, "zienswijze"), {"soort": "schriftelijk", "datum": "2026-12-01", "inhoud": "Ziek"}
    )
    assert r.status_code == 302
    r = wc.post(
        _pad(p, "boete"),
        {
            "verwijtbaarheid": "Wist ervan",
            "zienswijze_weging": "Ziekte niet aangetoond",
            "bedrag": "600",
            "verlaging_grond": "verminderde_verwijtbaarheid",
            "verlaging_motivering": "Eerste keer",
        },
    )
    assert r.status_code == 302
    assert wc.post(_pad(p, "ter-goedkeuring")).status_code == 302
    tl = login(world.teamleider_a)
    queue = tl.get("/handhaving/goedkeuren/").content.decode()
    assert f'data-procedure="{p.uuid}"' in queue and 'data-bedrag="600.00"' in queue
    r = tl.post(_pad(p, "goedkeuren"), {"terug": "wachtrij"})
    assert r.status_code == 302 and r["Location"] == "/handhaving/goedkeuren/"
    wc = login(world.werkcoach_a)
    assert wc.post(_pad(p, "versturen")).status_code == 302
    assert wc.post(_pad(p, "versturen")).status_code == 302  # a double click: one letter
    brief = verzend(p, BriefSoort.BOETEBESCHIKKING)
    p.refresh_from_db()
    assert p.status == ProcedureStatus.OPGELEGD
    page = wc.get(_pad(p)).content.decode()
    assert f'data-kenmerk="{brief.kenmerk}"' in page and 'data-status="verzonden"' in page
    assert f"/handhaving/brieven/{brief.uuid}.pdf" in page
    assert 'id="stap-na" data-staat="huidig"' in page and 'id="bezwaar-form"' in page
    r = wc.post(_pad(p, "betaalstatus"), {"betaalstatus": "betaald"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.betaalstatus == "betaald"


def test_failed_letter_shows_its_reason_and_the_step_again(world, login):
    p = _procedure(world, tot=ProcedureStatus.VOORNEMEN)
    with user_scope(world.werkcoach_a):
        services.voornemen_versturen(user=world.werkcoach_a, procedure=p)
    with scopes_disabled():
        services.brief_mislukt(
            brief=Brief.objects.get(procedure=p), fout="Sjabloon ontbreekt (test)"
        )
    html = login(world.werkcoach_a).get(_pad(p)).content.decode()
    assert 'data-status="mislukt"' in html and "Sjabloon ontbreekt (test)" in html
    assert 'id="voornemen-form"' in html  # sent again with the step's button


def test_preview_of_a_letter_is_a_pdf(world, login):
    p = _procedure(world, tot=ProcedureStatus.VOORNEMEN)
    r = login(world.werkcoach_a).get(_pad(p, "voorbeeld") + "voornemen.pdf")
    assert r.status_code == 200, r.content[:300]
    assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    with scopes_disabled():
        assert not Brief.objects.filter(procedure=p).exists()  # nothing stored
    assert login(world.werkcoach_a).get(_pad(p, "voorbeeld") + "onzin.pdf").status_code == 404


# --- Handhaving starten from an intake conversation -------------------------------------------


def test_handhaving_starten_from_a_no_show_creates_one_procedure(world, login):
    with scopes_disabled():
        dossier = DossierFactory(
            gemeente=world.gemeente_a, werkcoach=world.werkcoach_a, in_intake=True
        )
        intake = BredeIntake.objects.create(dossier=dossier)
        gesprek = IntakeGesprek.objects.create(
            intake=intake,
            datum=VANDAAG - timedelta(days=5),
            locatie=GesprekLocatie.GEMEENTEHUIS,
            verschenen=False,
            meegewerkt=False,
        )
        gewoon = IntakeGesprek.objects.create(
            intake=intake, datum=VANDAAG - timedelta(days=2), locatie=GesprekLocatie.GEMEENTEHUIS
        )
    client = login(world.werkcoach_a)
    with translation.override("en"):
        page = client.get(f"/pip/intake/{intake.uuid}/").content.decode()
    knop = f'action="/handhaving/intakegesprekken/{gesprek.pk}/starten/"'
    assert knop in page
    assert f'action="/handhaving/intakegesprekken/{gewoon.pk}/starten/"' not in page
    eerste = client.post(f"/handhaving/intakegesprekken/{gesprek.pk}/starten/")
    tweede = client.post(f"/handhaving/intakegesprekken/{gesprek.pk}/starten/")
    assert eerste.status_code == tweede.status_code == 302
    assert eerste["Location"] == tweede["Location"]
    with scopes_disabled():
        p = Procedure.objects.get(dossier=dossier)
        assert p.verzuim.soort == "intake_niet_verschenen" and p.verzuim.bron_id == gesprek.pk
    assert eerste["Location"] == _pad(p)
    page = client.get(f"/pip/intake/{intake.uuid}/").content.decode()
    assert knop not in page and f'href="{_pad(p)}"' in page  # now a link to it
    # over htmx (the button disabled while it posts): a full page load to the procedure
    r = client.post(f"/handhaving/intakegesprekken/{gesprek.pk}/starten/", HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == _pad(p)
    # an attended conversation has nothing to enforce
    r = client.post(f"/handhaving/intakegesprekken/{gewoon.pk}/starten/")
    assert r.status_code == 302 and r["Location"] == f"/pip/intake/{intake.uuid}/"
    with scopes_disabled():
        assert Procedure.objects.filter(dossier=dossier).count() == 1


def test_handhaving_starten_is_refused_to_others(world, login):
    with scopes_disabled():
        intake = BredeIntake.objects.create(dossier=world.dossier_a)
        gesprek = IntakeGesprek.objects.create(
            intake=intake,
            datum=VANDAAG - timedelta(days=5),
            locatie=GesprekLocatie.GEMEENTEHUIS,
            verschenen=False,
        )
    pad = f"/handhaving/intakegesprekken/{gesprek.pk}/starten/"
    assert login(world.werkcoach_b).post(pad).status_code == 404
    assert login(world.auditor_a).post(pad).status_code == 403
    page = login(world.auditor_a).get(f"/pip/intake/{intake.uuid}/").content.decode()
    assert pad not in page
    with scopes_disabled():
        assert not Procedure.objects.exists()


# --- the teamleider's pages -------------------------------------------------------------------


def test_queue_and_overview_are_for_the_teamleider(world, login):
    assert login(world.werkcoach_a).get("/handhaving/goedkeuren/").status_code == 403
    assert login(world.werkcoach_a).get("/handhaving/overzicht/").status_code == 403
    assert login(world.begeleider_a).get("/handhaving/goedkeuren/").status_code == 403
    tl = login(world.teamleider_a)
    assert tl.get("/handhaving/goedkeuren/").status_code == 200
    assert 'id="nav-boetes"' in tl.get("/handhaving/overzicht/").content.decode()
    assert 'id="nav-boetes"' not in login(world.werkcoach_a).get("/dossiers/").content.decode()


def test_teamleider_returns_a_fine_with_a_comment(world, login):
    p = _procedure(world, tot=ProcedureStatus.TER_GOEDKEURING)
    tl = login(world.teamleider_a)
    assert 'id="terugsturen-form"' in tl.get(_pad(p)).content.decode()
    r = tl.post(_pad(p, "terugsturen"), {"opmerking": " "})
    assert r.status_code == 400 and "returning needs a comment" in _fouten(r)["opmerking"][0]
    r = tl.post(_pad(p, "terugsturen"), {"opmerking": "Motiveer de verlaging"})
    assert r.status_code == 302
    page = login(world.werkcoach_a).get(_pad(p)).content.decode()
    assert 'id="boete-teruggestuurd"' in page and "Motiveer de verlaging" in page


def _dossiers(world, n: int) -> list:
    with scopes_disabled():
        return [
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a) for _ in range(n)
        ]


def _queries(client, pad: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(pad).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("pad", ["/handhaving/goedkeuren/", "/handhaving/overzicht/"])
def test_queue_and_overview_run_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries, pad
):
    _procedure(world, tot=ProcedureStatus.TER_GOEDKEURING)
    tl = login(world.teamleider_a)
    een = _queries(tl, pad)
    for dossier in _dossiers(world, 9):
        _procedure(world, dossier=dossier, tot=ProcedureStatus.TER_GOEDKEURING)
    tl = login(world.teamleider_a)
    html = tl.get(pad).content.decode()
    assert html.count("data-procedure=") == 10
    with django_assert_max_num_queries(een):
        assert tl.get(pad).status_code == 200


def test_overview_sorts_by_the_decision_term_overdue_first(world, login):
    oud, nieuw = _dossiers(world, 2)
    later = _procedure(world, dossier=nieuw, tot=ProcedureStatus.VOORNEMEN)
    eerder = verzuim(
        world, dossier=oud, datum=VANDAAG - timedelta(days=200), omschrijving="Oud verzuim"
    )
    eerder = gesprek(world, eerder, datum=VANDAAG - timedelta(days=190), verslag="x")
    # the rapport 120 days ago: its 13 weeks have passed, overdue
    eerder = rapport(world, eerder, datum=VANDAAG - timedelta(days=120), feiten="f")
    zonder_rapport = _procedure(world, tot=ProcedureStatus.GESPREK)
    html = login(world.teamleider_a).get("/handhaving/overzicht/").content.decode()
    posities = [html.index(f'data-procedure="{p.uuid}"') for p in (eerder, later, zonder_rapport)]
    assert posities == sorted(posities), posities
    rij = html[posities[0] : posities[1]]
    assert 'data-verlopen="true"' in rij and "overdue" in rij
    assert 'data-aantal="3"' in html  # all three with werkcoach_a


def test_section_runs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    _procedure(world, tot=ProcedureStatus.ZIENSWIJZE)
    wc = login(world.werkcoach_a)
    pad = f"/dossiers/{world.dossier_a.uuid}/handhaving/"
    een = _queries(wc, pad)
    for i in range(9):
        verzuim(
            world, soort="map", datum=VANDAAG - timedelta(days=10 + i), omschrijving=f"Verzuim {i}"
        )
    html = wc.get(pad).content.decode()
    assert html.count("data-procedure=") == 10
    with django_assert_max_num_queries(een):
        assert wc.get(pad).status_code == 200


def test_a_withdrawn_fines_notice_that_failed_can_be_made_again(world, login):
    p = _procedure(world, tot=ProcedureStatus.RAPPORT)
    wc = login(world.werkcoach_a)
    r = wc.post(_pad(p, "geen-boete"), {"motivering": ""})
    assert r.status_code == 400 and "no fine" in _fouten(r)["motivering"][0].lower()
    r = wc.post(_pad(p, "geen-boete"), {"motivering": "Eerste keer, goed gesprek"})
    assert r.status_code == 302
    with scopes_disabled():
        brief = Brief.objects.get(procedure=p, soort=BriefSoort.GEEN_BOETE)
        services.brief_mislukt(brief=brief, fout="Geen adres")
    page = wc.get(_pad(p)).content.decode()
    assert "Geen adres" in page and f"/handhaving/brieven/{brief.uuid}/opnieuw/" in page
    assert wc.post(f"/handhaving/brieven/{brief.uuid}/opnieuw/").status_code == 302
    brief.refresh_from_db()
    assert brief.status == BriefStatus.WORDT_GEMAAKT
    assert (
        login(world.auditor_a).post(f"/handhaving/brieven/{brief.uuid}/opnieuw/").status_code == 403
    )


def test_letter_download_follows_the_policy(world, login):
    p = _procedure(world, tot=ProcedureStatus.ZIENSWIJZE)
    with scopes_disabled():
        brief = Brief.objects.get(procedure=p)
    pad = f"/handhaving/brieven/{brief.uuid}.pdf"
    assert login(world.auditor_a).get(pad).status_code == 200
    assert login(world.begeleider_a).get(pad).status_code == 404
    assert login(world.werkcoach_b).get(pad).status_code == 404


def test_amounts_are_never_changed_by_the_form(world, login):
    """The form only shapes input: the amount comes from the table, not the page."""
    p = _procedure(world, tot=ProcedureStatus.BESLUIT)
    wc = login(world.werkcoach_a)
    r = wc.post(_pad(p, "boete"), {"verwijtbaarheid": "Wist ervan", "zienswijze_weging": "G"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.bedrag == p.basisbedrag == Decimal("800.00")


def test_section_warns_of_a_duo_fine_the_person_risks(world, login):
    with scopes_disabled():
        Termijn.objects.create(
            dossier=world.dossier_a,
            code="pvt",
            soort="wettelijk",
            startdatum=date(2024, 2, 1),
            berekende_datum=date(2027, 2, 1),
            uiterste_datum=date(2027, 2, 1),  # within six months of VANDAAG
        )
        Termijn.objects.create(
            dossier=world.dossier_a,
            code="map",
            soort="wettelijk",
            startdatum=date(2025, 2, 1),
            berekende_datum=date(2028, 2, 1),
            uiterste_datum=date(2028, 2, 1),  # still far off: no warning yet
        )
    html = login(world.werkcoach_a).get(f"/dossiers/{world.dossier_a.uuid}/handhaving/")
    html = html.content.decode()
    assert 'id="duo-risicos"' in html
    assert 'data-duo="pvt"' in html and "340" in html and "01-02-2027" in html
    assert 'data-duo="map"' not in html
