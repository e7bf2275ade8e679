"""Pure legal calculations for the dossier core: dates in, answers out. No database access."""

from __future__ import annotations

import calendar
from datetime import date

from .constants import ASIEL_DOELGROEPEN, FASE_VOLGORDE, GESLOTEN_FASEN, Fase

MINIMUM_LEEFTIJD = 16  # Wet inburgering 2021, art. 3: obliged from 16 ...

# ... up to the AOW age (Algemene Ouderdomswet art. 7a), set per calendar year by the Rijk.
# (years, months). Later years repeat the last value published until a new one is added.
AOW_LEEFTIJD: dict[int, tuple[int, int]] = {
    2020: (66, 4),
    2021: (66, 4),
    2022: (66, 7),
    2023: (66, 10),
    2024: (67, 0),
    2025: (67, 0),
    2026: (67, 0),
    2027: (67, 0),
    2028: (67, 3),
    2029: (67, 3),
    2030: (67, 3),
}


def is_valid_bsn(value: str) -> bool:
    """The elfproef for a burgerservicenummer: nine digits, weighted sum divisible by 11."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def normalise_bsn(value: str) -> str:
    """Strip spaces, dots and dashes people type; left-pad eight digits with a zero."""
    cleaned = "".join(c for c in value if c not in " .-")
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = "0" + cleaned
    return cleaned


def add_years_months(start: date, years: int, months: int = 0) -> date:
    """Add years and months; 29 February and month ends fall back to the last day of the month."""
    month_index = start.month - 1 + months
    year = start.year + years + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def aow_leeftijd(jaar: int) -> tuple[int, int]:
    known = sorted(AOW_LEEFTIJD)
    if jaar < known[0]:
        return AOW_LEEFTIJD[known[0]]
    return AOW_LEEFTIJD[min(jaar, known[-1])]


def aow_datum(geboortedatum: date) -> date:
    """The day someone reaches the AOW age that applies in the year they reach it."""
    for jaar in range(geboortedatum.year + 65, geboortedatum.year + 69):
        kandidaat = add_years_months(geboortedatum, *aow_leeftijd(jaar))
        if kandidaat.year == jaar:
            return kandidaat
    return add_years_months(geboortedatum, *aow_leeftijd(geboortedatum.year + 67))


def leeftijd_op(geboortedatum: date, peildatum: date) -> int:
    years = peildatum.year - geboortedatum.year
    if (peildatum.month, peildatum.day) < (geboortedatum.month, geboortedatum.day):
        years -= 1
    return years


def leeftijd_weigering(geboortedatum: date, peildatum: date) -> str | None:
    """Why someone of this age is not inburgeringsplichtig on ``peildatum``; None when they are."""
    if geboortedatum > peildatum:
        return "geboortedatum ligt na de peildatum"
    if add_years_months(geboortedatum, MINIMUM_LEEFTIJD) > peildatum:
        return "jonger dan 16"
    if aow_datum(geboortedatum) <= peildatum:
        return "AOW-leeftijd bereikt"
    return None


def is_open(fase: str) -> bool:
    return fase not in GESLOTEN_FASEN


def fase_overgang_weigering(van: str, naar: str) -> str | None:
    """Why a phase change is not allowed; None when it is.

    Phases move forward (a step may be skipped: a gezinsmigrant is never coupled or housed by
    COA); ``beeindigd`` is reachable from any open phase; ``verhuisd`` only through relocation.
    """
    if not is_open(van):
        return "gesloten"
    if naar == van:
        return "zelfde"
    if naar == Fase.BEEINDIGD:
        return None
    if naar == Fase.VERHUISD:
        return "verhuizing"
    if FASE_VOLGORDE.index(Fase(naar)) < FASE_VOLGORDE.index(Fase(van)):
        return "terug"
    return None


def vereiste_datums(fase: str, doelgroep: str) -> list[str]:
    """Date fields a dossier must carry in ``fase``.

    COA couples and houses asielmigranten, so from ``gekoppeld`` / ``gehuisvest`` on those dates
    are required for them; from the brede intake on everybody needs the BRP-inschrijving, which
    starts the intake (4 weeks) and PIP (10 weeks) clocks.
    """
    if fase in (Fase.VERHUISD, Fase.BEEINDIGD):
        return []
    index = FASE_VOLGORDE.index(Fase(fase))
    required = []
    if doelgroep in ASIEL_DOELGROEPEN:
        if index >= FASE_VOLGORDE.index(Fase.GEKOPPELD):
            required.append("datum_koppeling")
        if index >= FASE_VOLGORDE.index(Fase.GEHUISVEST):
            required.append("datum_huisvesting")
    if index >= FASE_VOLGORDE.index(Fase.INTAKE):
        required.append("datum_brp_inschrijving")
    return required
