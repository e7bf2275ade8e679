"""Presentation geometry for the pictures on the pages: the termijn timeline and the
teamleider's bar chart, as integers in SVG user units, drawn by the templates with classes only
(no inline styles: CSP). No queries here: the selectors hand in what they read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from .constants import (
    TermijnStatus,
)
from .models import Termijn
from .rules import binnenkort_grens

TIJDLIJN_BREEDTE = 1000
TIJDLIJN_AS = 28  # height of the axis with the tick labels
TIJDLIJN_RIJ = 46  # per clock: a text line and a bar
TIJDLIJN_VOET = 26  # room for the "today" label


@dataclass
class TijdlijnBalk:
    termijn: Termijn
    y: int  # top of the row
    tekst_y: int
    balk_y: int
    x: int
    breedte: int
    eind_x: int  # the (extended) due date
    berekend_x: int | None  # the due date by the rule, when extended
    gehaald_x: int | None
    binnenkort: bool
    status: str


@dataclass
class Tijdlijn:
    breedte: int
    hoogte: int
    vandaag: date
    vandaag_x: int
    as_y: int
    onder_y: int
    ticks: list[tuple[int, date]]
    balken: list[TijdlijnBalk]


def _ticks(van: date, tot: date) -> list[date]:
    dagen = (tot - van).days
    stap = 1 if dagen <= 240 else 3 if dagen <= 1100 else 12  # months between ticks
    maand = ((van.month - 1) // stap) * stap + 1
    d = date(van.year, maand, 1)
    ticks = []
    while d <= tot:
        if d >= van:
            ticks.append(d)
        m = d.month - 1 + stap
        d = date(d.year + m // 12, m % 12 + 1, 1)
    return ticks


def termijn_tijdlijn(termijnen: list[Termijn], vandaag: date | None = None) -> Tijdlijn | None:
    """Bars from start to due date on one time axis with today's marker, or ``None``."""
    if not termijnen:
        return None
    vandaag = vandaag or timezone.localdate()
    datums = [vandaag]
    for t in termijnen:
        datums += [t.startdatum, t.uiterste_datum] + ([t.gehaald_op] if t.gehaald_op else [])
    van, tot = min(datums), max(datums)
    marge = max(7, (tot - van).days // 30)
    van, tot = van - timedelta(days=marge), tot + timedelta(days=marge)
    span = (tot - van).days

    def x(d: date) -> int:
        return round((d - van).days * TIJDLIJN_BREEDTE / span)

    grens = binnenkort_grens(vandaag)
    balken = []
    for i, t in enumerate(termijnen):
        y = TIJDLIJN_AS + i * TIJDLIJN_RIJ
        start_x, eind_x = x(t.startdatum), x(t.uiterste_datum)
        balken.append(
            TijdlijnBalk(
                termijn=t,
                y=y,
                tekst_y=y + 16,
                balk_y=y + 22,
                x=start_x,
                breedte=max(eind_x - start_x, 3),
                eind_x=eind_x,
                berekend_x=(x(t.berekende_datum) if t.uiterste_datum > t.berekende_datum else None),
                gehaald_x=x(t.gehaald_op) if t.gehaald_op else None,
                binnenkort=t.status == TermijnStatus.OPEN and t.uiterste_datum <= grens,
                status=t.status,
            )
        )
    onder = TIJDLIJN_AS + len(termijnen) * TIJDLIJN_RIJ
    return Tijdlijn(
        breedte=TIJDLIJN_BREEDTE,
        hoogte=onder + TIJDLIJN_VOET,
        vandaag=vandaag,
        vandaag_x=x(vandaag),
        as_y=TIJDLIJN_AS - 8,
        onder_y=onder,
        ticks=[(x(d), d) for d in _ticks(van, tot)],
        balken=balken,
    )


GRAFIEK_LABEL = 260  # left column with the werkcoach's name
GRAFIEK_BALK = 640  # the longest bar
GRAFIEK_RIJ = 34


def grafiek_geometrie(rijen: list[Any]) -> tuple[int, int]:
    """Lay out the overview's bar chart on the rows (``WerkcoachRij``): one bar per werkcoach,
    overdue then soon due, scaled to the largest total. Returns (height, scale)."""
    schaal = max((r.totaal.totaal for r in rijen), default=0)
    for i, rij in enumerate(rijen):
        rij.y = i * GRAFIEK_RIJ
        if schaal:
            rij.verlopen_breedte = round(rij.totaal.verlopen * GRAFIEK_BALK / schaal)
            rij.binnenkort_breedte = round(rij.totaal.binnenkort * GRAFIEK_BALK / schaal)
        rij.binnenkort_x = GRAFIEK_LABEL + rij.verlopen_breedte
        rij.tekst_x = rij.binnenkort_x + rij.binnenkort_breedte + 8
    return len(rijen) * GRAFIEK_RIJ, schaal
