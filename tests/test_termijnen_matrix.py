"""The teamleider's termijnen overview as a werkcoach × rule matrix with drill-down (issue 10):
every non-zero count links to its slice, listed below the matrix a page at a time; without a
chosen slice no list at all. Invalid or foreign parameters give a message and never another
gemeente's data. A fixed number of queries. Real PostgreSQL, the test client (English) and one
Playwright run in Chromium (nl-NL) at 1366×900."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from cases.constants import TermijnStatus
from cases.models import Dossier, Termijn
from cases.termijnregels import registry
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import User

from .factories import PASSWORD, DossierFactory, user_met_rol
from .klok import vandaag_fixture
from .test_browser_axe import AXE, WCAG

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)

PAD = "/dossiers/termijnen/"
# the page's queries: session, user, organisation, gemeenten, roles, permissions (2), the
# matrix, the last run, the header's signal count, saving the session (3 with its savepoint);
# a slice adds its page and the processing log's one append for the persons it shows — not a
# count of its own: the matrix has counted it (issue 15)
QUERIES_ZONDER_SNEDE = 13
QUERIES_MET_SNEDE = QUERIES_ZONDER_SNEDE + 2

RIJ = re.compile(r'<tr data-termijn="([0-9a-f-]{36})"')


def termijn(dossier: Dossier, code: str, dagen: int, *, volgnummer: int = 1) -> Termijn:
    """A clock of ``dossier`` due ``dagen`` days after VANDAAG: overdue when in the past."""
    datum = VANDAAG + timedelta(days=dagen)
    regel = registry.get(code)
    assert regel is not None
    with scopes_disabled():
        return Termijn.objects.create(
            dossier=dossier,
            code=code,
            volgnummer=volgnummer,
            soort=regel.soort,
            startdatum=datum - timedelta(days=28),
            berekende_datum=datum,
            uiterste_datum=datum,
            status=TermijnStatus.VERLOPEN if dagen < 0 else TermijnStatus.OPEN,
        )


def uuids(html: str) -> set[str]:
    return set(RIJ.findall(html))


def links(html: str) -> list[str]:
    """The matrix's drill-down links (their query strings, as the page escapes them)."""
    return re.findall(r'<a class="telling telling--link" href="\?([^"#]*)#termijnen-lijst"', html)


@dataclass
class Matrix:
    a: dict[str, Termijn]  # werkcoach_a's dossier in gemeente A
    a2: dict[str, Termijn]  # werkcoach_a2's
    zonder: dict[str, Termijn]  # an unassigned dossier in gemeente A
    b: dict[str, Termijn]  # gemeente B's dossier (werkcoach_b)
    b_van_a: Termijn  # a dossier in gemeente B that werkcoach_a happens to hold
    ver: Termijn  # werkcoach_a's PIP, due in 60 days: not in the overview


@pytest.fixture
def matrix(world) -> Matrix:
    with scopes_disabled():
        zonder = DossierFactory(gemeente=world.gemeente_a, werkcoach=None)
        b_van_a = DossierFactory(gemeente=world.gemeente_b, werkcoach=world.werkcoach_a)
    return Matrix(
        a={
            "intake": termijn(world.dossier_a, "intake", -5),
            "taalstart": termijn(world.dossier_a, "taalstart", 3),
        },
        a2={
            "intake": termijn(world.dossier_a2, "intake", -2),
            "taalstart": termijn(world.dossier_a2, "taalstart", 1),
        },
        zonder={"intake": termijn(zonder, "intake", -1)},
        b={
            "intake": termijn(world.dossier_b, "intake", -3),
            "taalstart": termijn(world.dossier_b, "taalstart", 2),
        },
        b_van_a=termijn(b_van_a, "intake", -4),
        ver=termijn(world.dossier_a, "pip", 60),
    )


def ids(*termijnen: Termijn) -> set[str]:
    return {str(t.uuid) for t in termijnen}


def lijst_titel(html: str) -> str:
    m = re.search(r'<h2 id="lijst-titel">(.*?)</h2>', html, re.S)
    assert m, "no list heading"
    return m.group(1)


# --- the matrix links to its slices --------------------------------------------------------------


def test_without_a_slice_the_page_lists_nothing_and_every_count_links(world, login, matrix):
    html = login(world.teamleider_a).get(PAD).content.decode()
    assert 'id="termijnen-hint"' in html
    assert 'id="termijnen-lijst"' not in html and "data-termijn=" not in html
    a, a2 = world.werkcoach_a.uuid, world.werkcoach_a2.uuid
    assert sorted(links(html)) == sorted(
        [
            f"werkcoach={a}&amp;regel=intake",
            f"werkcoach={a}&amp;regel=taalstart",
            f"werkcoach={a}",
            f"werkcoach={a2}&amp;regel=intake",
            f"werkcoach={a2}&amp;regel=taalstart",
            f"werkcoach={a2}",
            "werkcoach=geen&amp;regel=intake",  # the unassigned dossier; its Taalstart is zero
            "werkcoach=geen",
            "regel=intake",  # the column totals
            "regel=taalstart",
            "werkcoach=alle",  # the grand total
        ]
    )
    # a zero cell is no link; its text says "none" to a screen reader
    rij = re.search(r'<tr data-werkcoach="geen">.*?</tr>', html, re.S)
    assert rij and '<td data-regel="taalstart"><span class="muted">' in rij.group(0)
    # the link text names werkcoach and rule for a screen reader
    assert (
        f'<span class="visually-hidden">: {world.werkcoach_a}, Brede intake completed</span>'
        in (html)
    )
    assert '<span class="visually-hidden">: all werkcoaches, Taalstart report</span>' in html
    assert '<span class="visually-hidden">: all werkcoaches, all rules</span>' in html
    assert 'aria-current="true"' not in html


def test_each_cell_lists_exactly_its_slice(world, login, matrix):
    client = login(world.teamleider_a)
    zonder = matrix.zonder["intake"]
    verwacht = {
        (world.werkcoach_a.uuid, "intake"): ids(matrix.a["intake"]),
        (world.werkcoach_a.uuid, "taalstart"): ids(matrix.a["taalstart"]),
        (world.werkcoach_a2.uuid, "intake"): ids(matrix.a2["intake"]),
        (world.werkcoach_a2.uuid, "taalstart"): ids(matrix.a2["taalstart"]),
        ("geen", "intake"): ids(zonder),
        ("geen", "taalstart"): set(),
    }
    for (coach, code), termijnen in verwacht.items():
        response = client.get(PAD, {"werkcoach": coach, "regel": code})
        assert response.status_code == 200
        html = response.content.decode()
        assert uuids(html) == termijnen, (coach, code)
        assert html.count('aria-current="true"') == (2 if termijnen else 1)  # + "both statuses"
        if termijnen:
            gekozen = re.findall(
                r'<td data-regel="([a-z_]+)" class="termijnen-matrix__gekozen">', html
            )
            assert gekozen == [code]
            assert f'data-snede="werkcoach={coach}&amp;regel={code}" aria-current="true"' in html
    # the heading says which slice, and the way back
    html = client.get(PAD, {"werkcoach": world.werkcoach_a.uuid, "regel": "intake"}).content
    html = html.decode()
    assert (
        lijst_titel(html) == f"Overdue and soon-due: Brede intake completed — {world.werkcoach_a}"
    )
    assert f'<a href="{PAD}" id="termijnen-wissen">Show the whole matrix' in html
    # the row: person (to the dossier's termijn), gemeente, rule, due date, status
    t = matrix.a["intake"]
    assert re.search(rf'href="/dossiers/{world.dossier_a.uuid}/[a-z/]*#termijn-{t.uuid}"', html)
    assert 'class="utrecht-table utrecht-table--html-table termijnen-lijst table--kaarten"' in html
    for label in ("Person", "Gemeente", "Rule", "Due date", "Status"):
        assert f'data-label="{label}"' in html
    assert f"{t.uiterste_datum:%d-%m-%Y}</time>" in html
    assert 'badge--termijn-verlopen" data-status="verlopen"' in html
    assert "Huizen" in html
    html = client.get(PAD, {"werkcoach": "geen", "regel": "taalstart"}).content.decode()
    assert 'id="termijnen-lijst-leeg"' in html


def test_row_column_grand_total_and_status_slices(world, login, matrix):
    client = login(world.teamleider_a)
    a, a2, zonder = matrix.a, matrix.a2, matrix.zonder["intake"]

    html = client.get(PAD, {"werkcoach": world.werkcoach_a.uuid}).content.decode()
    assert uuids(html) == ids(a["intake"], a["taalstart"])  # not the B dossier it also holds
    assert lijst_titel(html) == f"Overdue and soon-due: all rules — {world.werkcoach_a}"
    assert 'class="termijnen-matrix__totaal termijnen-matrix__gekozen"' in html
    # one werkcoach: no werkcoach column; the way to the caseload's overdue filter
    assert 'data-label="Werkcoach"' not in html
    assert f"/dossiers/?werkcoach={world.werkcoach_a.uuid}&amp;termijn=verlopen" in html

    html = client.get(PAD, {"regel": "intake"}).content.decode()
    assert uuids(html) == ids(a["intake"], a2["intake"], zonder)
    assert lijst_titel(html) == "Overdue and soon-due: Brede intake completed — all werkcoaches"
    assert 'data-label="Werkcoach"' in html
    assert '<td data-regel="intake" class="termijnen-matrix__gekozen">' in html  # in the tfoot

    html = client.get(PAD, {"werkcoach": "alle"}).content.decode()
    assert uuids(html) == ids(*a.values(), *a2.values(), zonder)
    assert 'data-snede="werkcoach=alle" aria-current="true"' in html
    # by due date: overdue longest first
    volgorde = RIJ.findall(html)
    assert volgorde == [
        str(t.uuid)
        for t in sorted([*a.values(), *a2.values(), zonder], key=lambda t: t.uiterste_datum)
    ]

    html = client.get(PAD, {"werkcoach": "alle", "status": "verlopen"}).content.decode()
    assert uuids(html) == ids(a["intake"], a2["intake"], zonder)
    assert lijst_titel(html) == "Overdue: all rules — all werkcoaches"
    html = client.get(PAD, {"regel": "taalstart", "status": "binnenkort"}).content.decode()
    assert uuids(html) == ids(a["taalstart"], a2["taalstart"])
    assert lijst_titel(html) == "Due soon: Taalstart report — all werkcoaches"
    assert 'badge--termijn-binnenkort" data-status="binnenkort"' in html
    # the status filter links keep the slice
    assert 'href="?regel=taalstart&amp;status=verlopen#termijnen-lijst"' in html
    html = client.get(PAD, {"status": "verlopen"}).content.decode()  # status alone: a slice too
    assert uuids(html) == ids(a["intake"], a2["intake"], zonder)


def test_a_slice_is_paginated_by_due_date(world, login):
    with scopes_disabled():
        dossiers = [
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a2)
            for _ in range(3)
        ]
    # 30 overdue progress conversations, created out of date order
    termijnen = [
        termijn(dossiers[n % 3], "voortgangsgesprek", -1 - (n * 7) % 30, volgnummer=n + 1)
        for n in range(30)
    ]
    termijn(world.dossier_a, "voortgangsgesprek", -3)  # another werkcoach's: not in the slice
    verwacht = [str(t.uuid) for t in sorted(termijnen, key=lambda t: (t.uiterste_datum, t.pk))]
    client = login(world.teamleider_a)
    params = {"werkcoach": world.werkcoach_a2.uuid, "regel": "voortgangsgesprek"}
    html = client.get(PAD, params).content.decode()
    assert RIJ.findall(html) == verwacht[:25]
    assert "30 deadlines, showing 1–25" in html
    assert "Page 1 of 2" in html
    volgende = (
        f'href="{PAD}?werkcoach={world.werkcoach_a2.uuid}&amp;regel=voortgangsgesprek&amp;pagina=2"'
    )
    assert volgende in html
    html = client.get(PAD, {**params, "pagina": 2}).content.decode()
    assert RIJ.findall(html) == verwacht[25:]
    assert "Page 2 of 2" in html
    html = client.get(PAD, {**params, "pagina": "veel"}).content.decode()  # Paginator: page 1
    assert RIJ.findall(html) == verwacht[:25]


# --- invalid parameters and scope ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"regel": "bestaat_niet"},
        {"werkcoach": "geen-uuid"},
        {"werkcoach": "12345678-1234-1234-1234-1234567890zz"},
        {"status": "gisteren"},
        {"werkcoach": "alle", "regel": "intake", "status": "open"},
    ],
)
def test_malformed_parameters_give_a_message_not_a_list(world, login, matrix, params):
    response = login(world.teamleider_a).get(PAD, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="termijnen-melding"' in html and "showing the whole overview" in html
    assert 'id="termijnen-lijst"' not in html and "data-termijn=" not in html
    assert 'id="termijnen-matrix"' in html and links(html)  # the matrix is still there


def test_another_gemeentes_werkcoach_in_the_url_reveals_nothing(world, login, matrix):
    client = login(world.teamleider_a)
    vreemd = client.get(PAD, {"werkcoach": world.werkcoach_b.uuid}).content.decode()
    onbekend = client.get(PAD, {"werkcoach": uuid.uuid4()}).content.decode()
    for html in (vreemd, onbekend):
        assert "No overdue or soon-due deadlines of this werkcoach" in html
        assert "data-termijn=" not in html
    # the same answer as for a uuid nobody has: not even the werkcoach's existence shows
    melding = re.compile(r'<p [^>]*id="termijnen-melding".*?</p>', re.S)
    assert melding.findall(vreemd) == melding.findall(onbekend) != []
    assert str(world.werkcoach_b) not in vreemd
    for params in (
        {"werkcoach": world.werkcoach_b.uuid, "regel": "intake"},
        {"werkcoach": world.werkcoach_b.uuid, "regel": "taalstart", "status": "binnenkort"},
    ):
        html = client.get(PAD, params).content.decode()
        assert "data-termijn=" not in html
        assert world.dossier_b.inburgeraar.volledige_naam not in html
    # werkcoach_a also holds a dossier in gemeente B: A's teamleider never sees it
    for params in (
        {"werkcoach": world.werkcoach_a.uuid},
        {"werkcoach": "alle"},
        {"regel": "intake"},
    ):
        html = client.get(PAD, params).content.decode()
        assert str(matrix.b_van_a.uuid) not in html
        assert not uuids(html) & ids(matrix.b_van_a, *matrix.b.values())
    # and B's own teamleider sees B's, not A's
    with scopes_disabled():
        teamleider_b = user_met_rol(Rol.TEAMLEIDER, world.team_b, username="tl_b")
    html = login(teamleider_b).get(PAD, {"werkcoach": "alle"}).content.decode()
    assert uuids(html) == ids(matrix.b_van_a, *matrix.b.values())


def test_only_teamleiders_reach_the_drill_down(world, login, matrix):
    params = {"werkcoach": world.werkcoach_a.uuid, "regel": "intake"}
    assert login(world.werkcoach_a).get(PAD, params).status_code == 403
    assert login(world.auditor_a).get(PAD, params).status_code == 403


# --- a fixed number of queries -------------------------------------------------------------------


def meer_termijnen(world, aantal_coaches: int = 6, per_coach: int = 8) -> None:
    """Many werkcoaches, dossiers and clocks in every rule: the matrix and the slices grow."""
    for i in range(aantal_coaches):
        with scopes_disabled():
            coach: User = user_met_rol(Rol.WERKCOACH, world.team_a, username=f"wc_extra{i}")
            dossiers = [
                DossierFactory(gemeente=world.gemeente_a, werkcoach=coach) for _ in range(per_coach)
            ]
        for j, d in enumerate(dossiers):
            termijn(d, "intake", -1 - j)
            termijn(d, "taalstart", j % 10)
            termijn(d, "voortgangsgesprek", -j, volgnummer=1)
    for j in range(30):
        termijn(world.dossier_a, "voortgangsgesprek", -j - 1, volgnummer=j + 2)


def test_the_page_runs_a_fixed_number_of_queries(world, login, matrix, django_assert_num_queries):
    client = login(world.teamleider_a)
    met_snede = [
        {"werkcoach": world.werkcoach_a.uuid, "regel": "intake"},
        {"werkcoach": world.werkcoach_a.uuid},
        {"regel": "intake", "status": "verlopen"},
        {"werkcoach": "alle", "pagina": 2},  # few: the last page, i.e. page 1
    ]
    client.get(PAD)  # warm the caches that live longer than a request
    for ronde in ("few", "many"):
        with django_assert_num_queries(QUERIES_ZONDER_SNEDE):
            html = client.get(PAD).content.decode()
        assert "data-termijn=" not in html
        for params in met_snede:
            with django_assert_num_queries(QUERIES_MET_SNEDE):
                response = client.get(PAD, params)
            assert response.status_code == 200, (ronde, params)
        if ronde == "few":
            meer_termijnen(world)
    html = client.get(PAD, {"werkcoach": world.werkcoach_a.uuid}).content.decode()
    assert len(RIJ.findall(html)) == 25  # a page, not all 32 of werkcoach_a's


# --- in the browser ------------------------------------------------------------------------------


def inloggen(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dossiers/**")


@pytest.mark.browser
def test_teamleider_clicks_a_cell_and_sees_its_list(live_server, world, browser, matrix):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    csp: list[str] = []
    page.on("console", lambda msg: csp.append(msg.text) if "Content Security" in msg.text else None)
    try:
        base = live_server.url
        inloggen(page, base, world.teamleider_a.username)
        page.goto(f"{base}{PAD}")
        expect(page.locator("#termijnen-hint")).to_be_visible()
        expect(page.locator("#termijnen-lijst")).to_have_count(0)

        coach = world.werkcoach_a.uuid
        cel = page.locator(f'tr[data-werkcoach="{coach}"] td[data-regel="intake"]')
        cel.get_by_role("link").click()  # no JS needed: a plain link
        expect(page).to_have_url(f"{base}{PAD}?werkcoach={coach}&regel=intake#termijnen-lijst")
        lijst = page.locator("#termijnen-lijst")
        expect(lijst).to_be_in_viewport()
        expect(lijst.get_by_role("heading", level=2)).to_contain_text(str(world.werkcoach_a))
        rijen = lijst.locator("tbody tr[data-termijn]")
        expect(rijen).to_have_count(1)
        expect(rijen.first).to_have_attribute("data-termijn", str(matrix.a["intake"].uuid))
        expect(rijen.first.locator('.badge[data-status="verlopen"]')).to_be_visible()
        # the chosen cell: aria-current and an outline, not colour alone
        cel = page.locator(f'tr[data-werkcoach="{coach}"] td[data-regel="intake"]')
        expect(cel.get_by_role("link")).to_have_attribute("aria-current", "true")
        stijl = cel.evaluate(
            "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
        )
        assert stijl[0] == "solid" and stijl[1] == "3px", stijl
        # the table fits its wrapper at this width
        passend = lijst.locator(".table-wrapper").evaluate("el => el.scrollWidth <= el.clientWidth")
        assert passend
        # and the drilled-down page passes axe's WCAG 2.x A/AA rules (evaluated by the driver)
        page.evaluate(AXE.read_text())
        schendingen = page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
            ".violations.map(v => v.id + ': ' + v.nodes[0].target.join(' '))",
            WCAG,
        )
        assert schendingen == []

        page.locator("#termijnen-wissen").click()
        expect(page).to_have_url(f"{base}{PAD}")
        expect(page.locator("#termijnen-lijst")).to_have_count(0)
        expect(page.locator('[aria-current="true"]')).to_have_count(0)
        assert csp == []
    finally:
        context.close()
