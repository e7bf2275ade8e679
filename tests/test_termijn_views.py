"""Termijnen screens: the dossier's timeline, table, history and forms (extend, mark met); the
"Mijn signalen" inbox and header count; the caseload's deadline column and filters; the
teamleider's overview. Real PostgreSQL, the test client, English messages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from cases.bewaking import sweep
from cases.constants import SignaalSoort, TermijnSoort, TermijnStatus
from cases.models import Signaal, Termijn, TermijnBeleid, Verlenging
from cases.termijnen import herberekenen, termijn_verlengen

from .conftest import zonder_begeleiding
from .factories import DossierFactory, lopende_begeleiding
from .klok import vandaag_fixture


@pytest.fixture
def world(world):
    """The hub's own clocks (the begeleiding's: tests/test_begeleiding_termijnen.py)."""
    return zonder_begeleiding(world)


VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)


def vandaag():
    return VANDAAG


def klokken(dossier, *, brp_dagen_geleden=40, taalstart_weken=6):
    """Intake (due 12 days ago: overdue), PIP (due in 30 days) and — by the gemeente's
    policy — the Taalstart report (due in 2 days: soon; extendable, met by hand)."""
    with scopes_disabled():
        if taalstart_weken:
            TermijnBeleid.objects.update_or_create(
                gemeente=dossier.gemeente, defaults={"taalstart_weken": taalstart_weken}
            )
        dossier.datum_brp_inschrijving = vandaag() - timedelta(days=brp_dagen_geleden)
        dossier.save()
        return {t.code: t for t in herberekenen(dossier, user=None)}


def inburgeringstermijn(dossier):
    """A capped (BEPERKT) clock: the inburgeringstermijn, extendable by at most 6 months."""
    with scopes_disabled():
        return Termijn.objects.create(
            dossier=dossier,
            code="inburgeringstermijn",
            soort=TermijnSoort.WETTELIJK,
            startdatum=vandaag() - timedelta(days=100),
            berekende_datum=vandaag() + timedelta(days=900),
            uiterste_datum=vandaag() + timedelta(days=900),
        )


def signalen(peildatum=None):
    with scopes_disabled():
        return sweep(peildatum=peildatum or vandaag())


def url(dossier, termijn=None, actie=""):
    if termijn is None:
        return f"/dossiers/{dossier.uuid}/termijnen/"  # the dossier's termijnen section
    return f"/dossiers/{dossier.uuid}/termijnen/{termijn.uuid}/{actie}/"


def verlengen(client, dossier, termijn, tot, reden, **extra):
    prefix = f"verlengen-{termijn.uuid}"
    data = {f"{prefix}-tot": tot.isoformat() if tot else "", f"{prefix}-reden": reden}
    return client.post(url(dossier, termijn, "verlengen"), data, **extra)


def gehaald(client, dossier, termijn, datum, toelichting=""):
    prefix = f"gehaald-{termijn.uuid}"
    data = {f"{prefix}-datum": datum.isoformat(), f"{prefix}-toelichting": toelichting}
    return client.post(url(dossier, termijn, "gehaald"), data)


def refreshed(termijn):
    with scopes_disabled():
        return Termijn.objects.get(pk=termijn.pk)


def verlengingen(termijn):
    with scopes_disabled():
        return Verlenging.objects.filter(termijn=termijn).count()


# --- The dossier page ---------------------------------------------------------------------------


def test_timeline_and_table_show_every_termijn_with_status_text(world, login):
    t = klokken(world.dossier_a)
    html = login(world.werkcoach_a).get(url(world.dossier_a)).content.decode()
    assert 'id="termijnen"' in html
    # the picture: one bar per clock, a today marker, overdue hatched with an icon and text
    assert html.count('class="termijn-balk ') == 3
    assert f'data-termijn="{t["intake"].uuid}" data-status="verlopen"' in html
    assert "termijn-balk--verlopen" in html and "⚠" in html
    assert "termijn-balk--binnenkort" in html  # Taalstart due in 2 days
    assert "termijn-tijdlijn__vandaag" in html
    assert 'style="' not in html  # CSP: no inline styles
    # the table: rule, dates, status badge with text, legal basis
    assert "Brede intake completed" in html and "PIP issued" in html and "Taalstart report" in html
    assert "badge--termijn-verlopen" in html and ">⚠</span> overdue" in html
    assert "due soon" in html
    assert (
        "Wi 2021 art. 14 (brede intake), within 4 weeks of BRP registration as the law intends"
        in html
    )
    assert t["intake"].uiterste_datum.strftime("%d-%m-%Y") in html


def test_forms_only_where_the_rule_allows(world, login):
    t = klokken(world.dossier_a)
    html = login(world.werkcoach_a).get(url(world.dossier_a)).content.decode()
    # Taalstart: a policy clock, extendable and met by hand
    assert url(world.dossier_a, t["taalstart"], "verlengen") in html
    assert url(world.dossier_a, t["taalstart"], "gehaald") in html
    # intake and PIP: statutory, not extendable, met by recording the fact itself
    for code in ("intake", "pip"):
        assert url(world.dossier_a, t[code], "verlengen") not in html
        assert url(world.dossier_a, t[code], "gehaald") not in html
    assert "it is met by recording the fact itself" in html


def test_extend_succeeds_and_shows_in_history(world, login):
    t = klokken(world.dossier_a)["taalstart"]
    client = login(world.werkcoach_a)
    nieuw = t.uiterste_datum + timedelta(days=21)
    response = verlengen(client, world.dossier_a, t, nieuw, "Tolk pas over drie weken beschikbaar")
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{world.dossier_a.uuid}/termijnen/#termijn-{t.uuid}"
    assert refreshed(t).uiterste_datum == nieuw
    html = client.get(response["Location"]).content.decode()
    assert "extended to" in html  # the success message
    # the extension: who, when, from → to, why
    assert "Tolk pas over drie weken beschikbaar" in html
    assert f"{t.uiterste_datum:%d-%m-%Y} → {nieuw:%d-%m-%Y}" in html
    assert str(world.werkcoach_a) in html
    assert "1 extension" in html
    # and the simple-history record of the change
    assert 'historie-table termijn-historie"' in html  # the table's classes (NL DS table, issue 10)


def test_extend_without_reason_is_refused_at_the_field_and_keeps_the_input(world, login):
    t = klokken(world.dossier_a)["taalstart"]
    client = login(world.werkcoach_a)
    nieuw = t.uiterste_datum + timedelta(days=10)
    response = verlengen(client, world.dossier_a, t, nieuw, "   ")
    assert response.status_code == 200
    html = response.content.decode()
    prefix = f"verlengen-{t.uuid}"
    assert f'id="field-{prefix}-reden"' in html
    assert "An extension needs a reason" in html
    assert f'value="{nieuw.isoformat()}"' in html  # what was typed is kept
    assert f'<li class="termijn-details__item" id="termijn-{t.uuid}">' in html
    assert "open data-termijn" in html  # the refused form is unfolded
    assert refreshed(t).uiterste_datum == t.uiterste_datum
    assert verlengingen(t) == 0


def test_extend_beyond_the_maximum_is_refused_with_the_rule(world, login):
    t = inburgeringstermijn(world.dossier_a)
    client = login(world.werkcoach_a)
    html = client.get(url(world.dossier_a)).content.decode()
    assert "at most until" in html  # the cap shown before trying
    te_ver = t.berekende_datum + timedelta(days=7 * 31)
    response = verlengen(client, world.dossier_a, t, te_ver, "Alfabetisering duurt langer")
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["sectie"]["items"][0].verlengen_form
    assert "tot" in form.errors
    assert "At most until" in " ".join(form.errors["tot"])
    assert "Wi 2021 art. 7" in html
    assert "Alfabetisering duurt langer" in html  # the reason typed is kept
    assert refreshed(t).uiterste_datum == t.berekende_datum
    assert verlengingen(t) == 0


def test_statutory_clock_refusals_name_the_legal_rule(world, login):
    """Posted anyway (no form is offered): the service's refusal names the rule."""
    intake = klokken(world.dossier_a)["intake"]
    client = login(world.werkcoach_a)
    response = verlengen(client, world.dossier_a, intake, vandaag() + timedelta(days=9), "x")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This termijn cannot be extended: Wi 2021 art. 14" in html
    response = gehaald(client, world.dossier_a, intake, vandaag())
    assert response.status_code == 200
    assert "is met by recording the fact itself (Wi 2021 art. 14" in response.content.decode()
    intake_na = refreshed(intake)
    assert intake_na.uiterste_datum == intake.uiterste_datum
    assert intake_na.status == TermijnStatus.VERLOPEN
    assert verlengingen(intake) == 0


def test_mark_met_succeeds(world, login):
    t = klokken(world.dossier_a)["taalstart"]
    client = login(world.werkcoach_a)
    datum = vandaag() - timedelta(days=1)
    response = gehaald(client, world.dossier_a, t, datum, "Rapport ontvangen van Taalstart")
    assert response.status_code == 302
    t = refreshed(t)
    assert t.status == TermijnStatus.GEHAALD and t.gehaald_op == datum
    html = client.get(url(world.dossier_a)).content.decode()
    assert "Rapport ontvangen van Taalstart" in html
    assert "(by hand)" in html
    assert url(world.dossier_a, t, "gehaald") not in html  # no more form for a met clock


def test_mark_met_in_the_future_is_refused(world, login):
    t = klokken(world.dossier_a)["taalstart"]
    client = login(world.werkcoach_a)
    response = gehaald(client, world.dossier_a, t, vandaag() + timedelta(days=3), "Te vroeg")
    assert response.status_code == 200
    html = response.content.decode()
    assert "A met-on date cannot be in the future." in html
    assert f'id="field-gehaald-{t.uuid}-datum"' in html
    assert "Te vroeg" in html
    assert refreshed(t).status == TermijnStatus.OPEN


def test_auditor_sees_termijnen_but_cannot_act(world, login):
    t = klokken(world.dossier_a)["taalstart"]
    client = login(world.auditor_a)
    html = client.get(url(world.dossier_a)).content.decode()
    assert 'id="termijnen"' in html and "Taalstart report" in html
    assert "/verlengen/" not in html and "/gehaald/" not in html
    assert "History per deadline" in html
    response = verlengen(client, world.dossier_a, t, t.uiterste_datum + timedelta(days=5), "x")
    assert response.status_code == 403
    assert gehaald(client, world.dossier_a, t, vandaag()).status_code == 403
    assert refreshed(t).uiterste_datum == t.uiterste_datum
    assert refreshed(t).status == TermijnStatus.OPEN


def test_begeleider_does_not_see_termijnen(world, login):
    klokken(world.dossier_a)
    with scopes_disabled():  # the begeleider reaches dossier A (its clocks are computed)
        lopende_begeleiding(world.dossier_a, world.begeleider_a)
    response = login(world.begeleider_a).get(url(world.dossier_a))
    assert response.status_code == 404  # the section is not theirs (the dossier is)
    assert 'id="termijnen"' not in response.content.decode()
    assert login(world.begeleider_a).get(f"/dossiers/{world.dossier_a.uuid}/").status_code == 200


def test_another_gemeentes_werkcoach_gets_404(world, login):
    t = klokken(world.dossier_a)["taalstart"]
    client = login(world.werkcoach_b)
    assert client.get(url(world.dossier_a)).status_code == 404
    response = verlengen(client, world.dossier_a, t, t.uiterste_datum + timedelta(days=5), "x")
    assert response.status_code == 404
    assert gehaald(client, world.dossier_a, t, vandaag()).status_code == 404
    # nor via one's own dossier with another's termijn
    response = verlengen(client, world.dossier_b, t, t.uiterste_datum + timedelta(days=5), "x")
    assert response.status_code == 404
    assert verlengingen(t) == 0


def test_dossier_page_runs_a_fixed_number_of_queries(world, login):
    t = klokken(world.dossier_a)
    client = login(world.werkcoach_a)
    client.get(url(world.dossier_a))  # warm caches (permissions, roles)
    with CaptureQueriesContext(connection) as few:
        client.get(url(world.dossier_a))
    with scopes_disabled():
        for n in (1, 2, 3):
            termijn_verlengen(
                user=world.werkcoach_a,
                termijn=Termijn.objects.get(pk=t["taalstart"].pk),
                tot=t["taalstart"].uiterste_datum + timedelta(days=10 * n),
                reden=f"Verlenging {n}",
            )
        for n in range(1, 6):
            Termijn.objects.create(
                dossier=world.dossier_a,
                code="voortgangsgesprek",
                volgnummer=n,
                soort=TermijnSoort.BELEID,
                startdatum=vandaag(),
                berekende_datum=vandaag() + timedelta(days=60 * n),
                uiterste_datum=vandaag() + timedelta(days=60 * n),
            )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url(world.dossier_a)).content.decode()
    assert html.count('class="termijn-balk ') == 8
    assert "Verlenging 3" in html
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Mijn signalen --------------------------------------------------------------------------------


@pytest.fixture
def met_signalen(world):
    klokken(world.dossier_a)
    klokken(world.dossier_a2)
    signalen()
    with scopes_disabled():
        eigen = list(Signaal.objects.filter(ontvanger=world.werkcoach_a).order_by("id"))
        ander = Signaal.objects.filter(ontvanger=world.werkcoach_a2).first()
    assert {s.soort for s in eigen} == {SignaalSoort.VERLOPEN, SignaalSoort.WAARSCHUWING}
    assert ander is not None
    return eigen, ander


def test_inbox_lists_only_own_signals(world, login, met_signalen):
    eigen, ander = met_signalen
    response = login(world.werkcoach_a).get("/dossiers/signalen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-signaal=") == len(eigen)
    for s in eigen:
        assert f'data-signaal="{s.uuid}"' in html
    assert f'data-signaal="{ander.uuid}"' not in html
    assert world.dossier_a.inburgeraar.volledige_naam in html
    assert world.dossier_a2.inburgeraar.volledige_naam not in html
    assert f'href="/dossiers/{world.dossier_a.uuid}/termijnen/#termijn-' in html
    assert "badge--signaal-verlopen" in html and "badge--signaal-waarschuwing" in html
    # filter by kind
    html = login(world.werkcoach_a).get("/dossiers/signalen/?soort=verlopen").content.decode()
    assert html.count("data-signaal=") == 1 and 'data-soort="verlopen"' in html


def test_teamleider_gets_the_escalation(world, login, met_signalen):
    html = login(world.teamleider_a).get("/dossiers/signalen/").content.decode()
    assert 'data-soort="escalatie"' in html
    assert "escalation" in html


def test_mark_own_signal_handled_and_the_header_count_drops(world, login, met_signalen):
    eigen, _ = met_signalen
    client = login(world.werkcoach_a)
    html = client.get("/dossiers/").content.decode()
    assert f'id="signalen-teller" data-count="{len(eigen)}"' in html
    assert "open signals" in html  # the count's label for screen readers
    response = client.post("/dossiers/signalen/afhandelen/", {"signaal": str(eigen[0].uuid)})
    assert response.status_code == 302 and response["Location"] == "/dossiers/signalen/"
    with scopes_disabled():
        s = Signaal.objects.get(pk=eigen[0].pk)
    assert s.afgehandeld_op is not None and s.afgehandeld_door == world.werkcoach_a
    html = client.get("/dossiers/signalen/").content.decode()
    assert "1 signal marked handled." in html
    assert f'data-signaal="{eigen[0].uuid}"' not in html  # gone from the open list
    assert f'id="signalen-teller" data-count="{len(eigen) - 1}"' in html
    html = client.get("/dossiers/signalen/?status=afgehandeld").content.decode()
    assert f'data-signaal="{eigen[0].uuid}"' in html and 'data-afgehandeld="1"' in html


def test_bulk_mark_handled(world, login, met_signalen):
    eigen, _ = met_signalen
    client = login(world.werkcoach_a)
    response = client.post(
        "/dossiers/signalen/afhandelen/",
        {"signalen": [str(s.uuid) for s in eigen], "terug": "status=open"},
    )
    assert response.status_code == 302 and response["Location"] == "/dossiers/signalen/?status=open"
    with scopes_disabled():
        assert not Signaal.objects.filter(
            ontvanger=world.werkcoach_a, afgehandeld_op__isnull=True
        ).exists()
    html = client.get("/dossiers/signalen/").content.decode()
    assert f"{len(eigen)} signals marked handled." in html
    assert 'id="signalen-teller" data-count="0"' in html


def test_someone_elses_signal_is_refused(world, login, met_signalen):
    eigen, ander = met_signalen
    client = login(world.werkcoach_a)
    response = client.post("/dossiers/signalen/afhandelen/", {"signaal": str(ander.uuid)})
    assert response.status_code == 403
    # mixed in with one's own: the whole request is refused, nothing handled
    response = client.post(
        "/dossiers/signalen/afhandelen/", {"signalen": [str(eigen[0].uuid), str(ander.uuid)]}
    )
    assert response.status_code == 403
    with scopes_disabled():
        assert Signaal.objects.get(pk=ander.pk).afgehandeld_op is None
        assert Signaal.objects.get(pk=eigen[0].pk).afgehandeld_op is None
    # another gemeente's werkcoach does not even find it
    response = login(world.werkcoach_b).post(
        "/dossiers/signalen/afhandelen/", {"signaal": str(eigen[0].uuid)}
    )
    assert response.status_code == 404


def test_header_count_only_for_werkcoach_and_teamleider(world, login, met_signalen):
    assert 'id="signalen-teller"' in login(world.teamleider_a).get("/dossiers/").content.decode()
    for user in (world.auditor_a, world.begeleider_a):
        html = login(user).get("/dossiers/").content.decode()
        assert 'id="signalen-teller"' not in html


def test_header_count_costs_one_query(world, login, met_signalen, rf):
    from cases.context_processors import signalen as processor
    from inburgering.core.access import gemeente_ids

    request = rf.get("/")
    request.user = world.werkcoach_a
    gemeente_ids(world.werkcoach_a)  # cached by the scope middleware on every request
    teller = processor(request)["signalen_teller"]
    with CaptureQueriesContext(connection) as ctx:
        assert teller.open == 2
        assert teller.open == 2  # cached
    assert len(ctx.captured_queries) == 1


# --- Caseload ----------------------------------------------------------------------------------


def test_caseload_deadline_column_and_filters(world, login):
    klokken(world.dossier_a)  # intake overdue, Taalstart due in 2 days
    klokken(world.dossier_a2, brp_dagen_geleden=10, taalstart_weken=None)  # intake in 18 days
    with scopes_disabled():
        zonder = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    client = login(world.werkcoach_a)
    html = client.get("/dossiers/?werkcoach=alle").content.decode()
    assert '<th scope="col">Deadline</th>' in html
    assert 'data-termijn="verlopen"' in html and "overdue (1)" in html
    intake_a2 = vandaag() - timedelta(days=10) + timedelta(weeks=4)
    assert f'{intake_a2:%d-%m-%Y}</time></span> <span class="termijn-cel__regel">Brede intake' in (
        html
    )
    html = client.get("/dossiers/?werkcoach=alle&termijn=verlopen").content.decode()
    assert str(world.dossier_a.uuid) in html
    assert str(world.dossier_a2.uuid) not in html and str(zonder.uuid) not in html
    html = client.get("/dossiers/?werkcoach=alle&termijn=binnen_14").content.decode()
    assert str(world.dossier_a.uuid) in html  # Taalstart in 2 days
    assert str(world.dossier_a2.uuid) not in html  # intake in 18 days
    assert str(zonder.uuid) not in html
    # the filter is offered and kept
    assert '<option value="binnen_14" selected>' in html
    # sorted by the nearest open deadline: dossier_a (Taalstart in 2 days) before dossier_a2
    html = client.get("/dossiers/?werkcoach=alle&sortering=termijn").content.decode()
    assert html.index(str(world.dossier_a.uuid)) < html.index(str(world.dossier_a2.uuid))
    assert html.index(str(world.dossier_a2.uuid)) < html.index(str(zonder.uuid))


def test_caseload_with_deadlines_runs_a_fixed_number_of_queries(world, login):
    klokken(world.dossier_a)
    klokken(world.dossier_a2)
    client = login(world.werkcoach_a)
    client.get("/dossiers/?werkcoach=alle")
    with CaptureQueriesContext(connection) as few:
        client.get("/dossiers/?werkcoach=alle")
    for _ in range(30):
        with scopes_disabled():
            d = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a2)
        klokken(d)
    signalen()  # some verlopen, some soon
    with CaptureQueriesContext(connection) as many:
        html = client.get("/dossiers/?werkcoach=alle").content.decode()
    assert html.count("data-dossier=") == 25
    assert html.count('data-termijn="verlopen"') == 25
    assert len(many.captured_queries) == len(few.captured_queries)


# --- The teamleider's overview -----------------------------------------------------------------


def test_overview_groups_per_werkcoach_and_rule(world, login):
    klokken(world.dossier_a)  # werkcoach_a: intake overdue, Taalstart soon
    klokken(world.dossier_a2, brp_dagen_geleden=35)  # werkcoach_a2: intake overdue, Taalstart soon
    klokken(world.dossier_b)  # another gemeente: not counted
    client = login(world.teamleider_a)
    response = client.get("/dossiers/termijnen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The clocks have never been checked." in html
    o = response.context["overzicht"]
    assert [c for c, _ in o.regels] == ["intake", "taalstart"]
    namen = {r.naam: r for r in o.rijen}
    rij = namen[str(world.werkcoach_a)]
    assert [(c.verlopen, c.binnenkort) for c in rij.cellen] == [(1, 0), (0, 1)]
    assert (o.totaal.verlopen, o.totaal.binnenkort) == (2, 2)
    assert f'data-werkcoach="{world.werkcoach_a.uuid}"' in html
    assert 'class="grafiek-rij"' in html and 'data-verlopen="1"' in html
    # without a chosen slice no list at all (issue 10), only a hint to pick a cell
    assert 'id="termijnen-hint"' in html and 'id="termijnen-lijst"' not in html
    assert world.dossier_a.inburgeraar.volledige_naam not in html
    # the grand total drills down to everything in scope, another gemeente's not included
    html = client.get("/dossiers/termijnen/?werkcoach=alle").content.decode()
    assert world.dossier_a.inburgeraar.volledige_naam in html
    assert world.dossier_b.inburgeraar.volledige_naam not in html
    assert re.search(rf'href="/dossiers/{world.dossier_a.uuid}/[a-z/]*#termijn-', html)
    assert html.count('<tr data-termijn="') == 4

    signalen()
    html = client.get("/dossiers/termijnen/").content.decode()
    assert "Clocks last checked at" in html and "never been checked" not in html


def test_overview_runs_a_fixed_number_of_queries(world, login):
    klokken(world.dossier_a)
    client = login(world.teamleider_a)
    urls = ("/dossiers/termijnen/", "/dossiers/termijnen/?werkcoach=alle")
    client.get(urls[0])
    few = {}
    for pad in urls:
        with CaptureQueriesContext(connection) as ctx:
            client.get(pad)
        few[pad] = len(ctx.captured_queries)
    for _ in range(10):
        with scopes_disabled():
            d = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a2)
        klokken(d)
    for pad in urls:
        with CaptureQueriesContext(connection) as many:
            client.get(pad)
        assert len(many.captured_queries) == few[pad], pad


def test_overview_is_for_teamleiders_only(world, login):
    assert login(world.werkcoach_a).get("/dossiers/termijnen/").status_code == 403
    assert login(world.auditor_a).get("/dossiers/termijnen/").status_code == 403
    html = login(world.teamleider_a).get("/dossiers/").content.decode()
    assert 'href="/dossiers/termijnen/"' in html
    html = login(world.werkcoach_a).get("/dossiers/").content.decode()
    assert 'href="/dossiers/termijnen/"' not in html
