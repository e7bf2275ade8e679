"""Pure retention rules: dates in, dates out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .constants import RecordSoort

# The order in which kinds are named when two give the same period (the dossier first).
VOLGORDE: list[str] = [
    RecordSoort.DOSSIER,
    RecordSoort.PIP,
    RecordSoort.HANDHAVING,
    RecordSoort.BEGELEIDING,
]


def jaren_later(dag: date, jaren: int) -> date:
    """The same day ``jaren`` years later; 29 February becomes 28 February in a common year."""
    try:
        return dag.replace(year=dag.year + jaren)
    except ValueError:
        return dag.replace(year=dag.year + jaren, day=28)


def bewaren_tot(sluitdatum: date, jaren: int) -> date:
    """The last day a record closed on ``sluitdatum`` is kept: ``jaren`` years later. It may
    be destroyed from the day after."""
    return jaren_later(sluitdatum, jaren)


def is_verstreken(sluitdatum: date, jaren: int, peildatum: date) -> bool:
    return peildatum > bewaren_tot(sluitdatum, jaren)


@dataclass(frozen=True)
class Termijn:
    soort: str
    jaren: int
    grondslag: str = ""


def bepalende_termijn(soorten: list[str], termijnen: Mapping[str, Termijn]) -> Termijn:
    """The period that decides for a dossier holding ``soorten``: the longest, since the dossier
    is destroyed as a whole (first in ``VOLGORDE`` on a tie). ``termijnen`` has every kind."""
    aanwezig = [s for s in VOLGORDE if s == RecordSoort.DOSSIER or s in soorten]
    return max((termijnen[s] for s in aanwezig), key=lambda t: (t.jaren, -VOLGORDE.index(t.soort)))
