"""Termijnen: status filters and labels, the clocks of one dossier."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from ..constants import (
    LOPEND,
    TermijnFilter,
    TermijnStatus,
)
from ..models import Dossier, Termijn, Verlenging
from ..rules import binnenkort_grens
from ..termijnregels import registry


def termijn_filter(waarde: str, vandaag: date | None = None) -> Q:
    """The caseload's deadline filter. "Due soon" is an open clock due on or before the
    horizon — an open clock already past its date (the hourly sweep has not yet marked it)
    is due at least as soon, so it is included. An unknown value filters nothing."""
    if waarde == TermijnFilter.BINNEN_14:
        return Q(
            Exists(
                Termijn.objects.filter(
                    dossier=OuterRef("pk"),
                    status=TermijnStatus.OPEN,
                    uiterste_datum__lte=binnenkort_grens(vandaag),
                )
            )
        )
    if waarde == TermijnFilter.VERLOPEN:
        return Q(
            Exists(Termijn.objects.filter(dossier=OuterRef("pk"), status=TermijnStatus.VERLOPEN))
        )
    return Q()


def met_termijnstatus(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Each dossier's nearest open due date (and that clock's rule and number) and its number
    of overdue clocks: the columns the database keeps from the clocks (``TERMIJNSTAND_SQL``),
    read with the row — no subquery per dossier, and the deadline sort reads the index
    ``idx_dossier_eerstvolgend`` in due order and stops after a page."""
    return qs.annotate(
        termijn_eerstvolgend=F("termijn_eerstvolgend_op"),
        termijn_eerstvolgend_nummer=F("termijn_eerstvolgend_volgnummer"),
        termijnen_verlopen=F("termijnen_verlopen_aantal"),
    )


def termijnstatus_labels(dossiers: Iterable[Any]) -> None:
    """Complete ``met_termijnstatus`` rows for display, in Python (no query per row): the
    nearest clock's description and whether it is due soon."""
    grens = binnenkort_grens()
    for d in dossiers:
        d.termijn_eerstvolgend_omschrijving = termijn_omschrijving(
            d.termijn_eerstvolgend_code, d.termijn_eerstvolgend_nummer
        )
        d.termijn_binnenkort = (
            d.termijn_eerstvolgend is not None and d.termijn_eerstvolgend <= grens
        )


def termijn_omschrijving(code: str | None, volgnummer: int | None = None) -> str:
    """A rule's description from its code, as ``Termijn.omschrijving`` (no query)."""
    return registry.omschrijving(code, volgnummer)


# --- Termijnen on the dossier page -------------------------------------------------------------


def dossier_termijnen(dossier: Dossier) -> list[Termijn]:
    """All clocks of one dossier with their extensions (two queries whatever their number)."""
    return list(
        dossier.termijnen.order_by("uiterste_datum", "code", "volgnummer").prefetch_related(
            Prefetch(
                "verlengingen",
                queryset=Verlenging.objects.select_related("actor").order_by("tijdstip", "id"),
            )
        )
    )


def eerstvolgende_termijn(dossier: Dossier) -> Termijn | None:
    """The dossier header's nearest deadline: the running clock due first (one query)."""
    return (
        dossier.termijnen.filter(status__in=LOPEND)
        .order_by("uiterste_datum", "code", "volgnummer")
        .first()
    )
