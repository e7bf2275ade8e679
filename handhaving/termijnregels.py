"""Termijn rules owned by handhaving, one numbered clock per procedure (``volgnummer``):
the zienswijze term the intent letter gives, the decision within 13 weeks of the rapport
(Awb 5:51) and the lapse of the power to fine (Awb 5:45)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.constants import TermijnSoort
from cases.feiten import Feiten
from cases.models import Dossier
from cases.termijnregels import Klok, TermijnRegel

from . import rules


@dataclass(frozen=True)
class ProcedureFeit:
    volgnummer: int
    verzuim_datum: date
    zwaar: bool
    rapport_datum: date | None
    voornemen_datum: date | None
    zienswijze_tot: date | None
    zienswijze_datum: date | None
    besluit_datum: date | None  # the decision (or "afgedaan met gesprek") that ends the clocks
    bezwaren: tuple[tuple[date, date | None], ...] = ()


@dataclass(frozen=True)
class HandhavingFeiten:
    procedures: tuple[ProcedureFeit, ...] = ()


def handhaving_feiten(dossier: Dossier) -> HandhavingFeiten:
    from .selectors import procedure_feiten

    return HandhavingFeiten(procedures=procedure_feiten(dossier))


def _procedures(f: Feiten) -> tuple[ProcedureFeit, ...]:
    return f.van(HandhavingFeiten).procedures


def _zienswijze(f: Feiten) -> list[Klok]:
    return [
        Klok(
            start=p.voornemen_datum,
            uiterste_datum=p.zienswijze_tot,
            gehaald_op=p.zienswijze_datum or p.besluit_datum,
            volgnummer=p.volgnummer,
        )
        for p in _procedures(f)
        if p.voornemen_datum and p.zienswijze_tot
    ]


def _beslistermijn(f: Feiten) -> list[Klok]:
    return [
        Klok(
            start=p.rapport_datum,
            uiterste_datum=rules.beslistermijn(p.rapport_datum),
            gehaald_op=p.besluit_datum,
            volgnummer=p.volgnummer,
        )
        for p in _procedures(f)
        if p.rapport_datum
    ]


def _verval(f: Feiten) -> list[Klok]:
    vandaag = timezone.localdate()
    return [
        Klok(
            start=p.verzuim_datum,
            uiterste_datum=rules.verval_datum(
                p.verzuim_datum,
                zwaar=p.zwaar,
                opgeschort=rules.opgeschorte_dagen(p.bezwaren, vandaag),
            ),
            gehaald_op=p.besluit_datum,
            volgnummer=p.volgnummer,
        )
        for p in _procedures(f)
    ]


ZIENSWIJZE = TermijnRegel(
    code="boete_zienswijze",
    omschrijving=_("Zienswijze on an intended fine"),
    soort=TermijnSoort.WETTELIJK,
    grondslag=_("Awb art. 5:50 and 4:8: the term the intent letter gives"),
    bereken=_zienswijze,
    escaleren=False,  # the person's term, not the werkcoach's
    herhalend=True,
    app="handhaving",
)
BESLISTERMIJN = TermijnRegel(
    code="boete_beslistermijn",
    omschrijving=_("Decision on a fine"),
    soort=TermijnSoort.WETTELIJK,
    grondslag=_("Awb art. 5:51: the decision within 13 weeks of the date of the rapport"),
    bereken=_beslistermijn,
    herhalend=True,
    app="handhaving",
)
VERVAL = TermijnRegel(
    code="boete_verval",
    omschrijving=_("Power to fine lapses"),
    soort=TermijnSoort.WETTELIJK,
    grondslag=_(
        "Awb art. 5:45: the power lapses 3 years after the offence, 5 where art. 5:53 applies; "
        "paused during an objection"
    ),
    bereken=_verval,
    herhalend=True,
    app="handhaving",
)

REGELS = (ZIENSWIJZE, BESLISTERMIJN, VERVAL)
