"""Pure legal calculations for the dossier core: dates in, answers out. No database access."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

# the BSN rule is a platform primitive; re-exported here for the dossier core's callers
from inburgering.core.bsn import is_valid_bsn as is_valid_bsn
from inburgering.core.bsn import normalise_bsn as normalise_bsn

from .constants import ASIEL_DOELGROEPEN, BINNENKORT_DAGEN, FASE_VOLGORDE, GESLOTEN_FASEN, Fase

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


# The legal fact each phase stands on (Wi 2021): from the PIP phase on, the brede intake is
# completed (art. 14); from the inburgering phase on, the PIP is vastgesteld (art. 15). A phase
# change by hand cannot skip past a phase whose fact is missing; the services that record these
# facts move the dossier on themselves (``feitelijke_fase``).
FASE_FEITEN: tuple[tuple[Fase, str], ...] = (
    (Fase.PIP, "intake_afgerond"),
    (Fase.INBURGERING, "pip_vastgesteld"),
)


def fase_feit_ontbreekt(naar: str, *, intake_afgerond: bool, pip_vastgesteld: bool) -> str | None:
    """The first legal fact that phase ``naar`` needs and the dossier lacks; None when none.

    ``beeindigd`` and ``verhuisd`` need no fact (the dossier ends or moves, whatever its stage).
    """
    if naar not in FASE_VOLGORDE:
        return None
    aanwezig = {"intake_afgerond": intake_afgerond, "pip_vastgesteld": pip_vastgesteld}
    index = FASE_VOLGORDE.index(Fase(naar))
    for fase, feit in FASE_FEITEN:
        if index >= FASE_VOLGORDE.index(fase) and not aanwezig[feit]:
            return feit
    return None


def feitelijke_fase(*, intake_afgerond: bool, pip_vastgesteld: bool) -> Fase | None:
    """The phase the recorded facts imply at least: PIP vastgesteld → inburgering, brede intake
    completed → PIP; None when neither is recorded."""
    if pip_vastgesteld:
        return Fase.INBURGERING
    if intake_afgerond:
        return Fase.PIP
    return None


def fase_na(fase: str, andere: str) -> bool:
    """Whether open phase ``andere`` lies after ``fase`` in the normal order."""
    if fase not in FASE_VOLGORDE or andere not in FASE_VOLGORDE:
        return False
    return FASE_VOLGORDE.index(Fase(andere)) > FASE_VOLGORDE.index(Fase(fase))


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


# --- legal fact dates -----------------------------------------------------------------------


def feitdatum_weigering(datum: date, *, vandaag: date, niet_voor: date | None = None) -> str | None:
    """Why ``datum`` cannot be the date of a recorded legal fact; None when it can.

    A fact (a conversation held, an intake completed, a test taken, a decision made, a clock
    met, a koppeling, a housing, a BRP registration) has happened: its date is not after
    ``vandaag`` (the caller passes Europe/Amsterdam's today) — ``"toekomst"`` — and not before
    the fact that starts it, ``niet_voor`` — ``"voor_start"``.
    """
    if datum > vandaag:
        return "toekomst"
    if niet_voor is not None and datum < niet_voor:
        return "voor_start"
    return None


# --- addresses --------------------------------------------------------------------------------

# PostNL: four digits (no leading zero) and two letters; SA, SD and SS are never issued.
POSTCODE_VERBODEN_LETTERS = frozenset({"SA", "SD", "SS"})


def normalise_postcode(value: str) -> str:
    """'1234ab', ' 1234  AB ' → '1234 AB'; anything else is returned stripped, for the validator
    to refuse."""
    compact = "".join(value.split()).upper()
    if len(compact) == 6 and compact[:4].isascii() and compact[:4].isdigit():
        return f"{compact[:4]} {compact[4:]}"
    return value.strip()


def is_valid_postcode(value: str) -> bool:
    """A Dutch postcode in its normalised form '1234 AB'."""
    if len(value) != 7 or value[4] != " ":
        return False
    cijfers, letters = value[:4], value[5:]
    return (
        cijfers.isascii()
        and cijfers.isdigit()
        and cijfers[0] != "0"
        and letters.isascii()
        and letters.isalpha()
        and letters.isupper()
        and letters not in POSTCODE_VERBODEN_LETTERS
    )


@dataclass(frozen=True)
class Adres:
    """A Dutch postal address as printed on an envelope (PostNL: postcode, two spaces, place
    in capitals)."""

    straat: str
    huisnummer: int
    postcode: str
    woonplaats: str
    huisletter: str = ""
    toevoeging: str = ""

    @property
    def huisnummer_volledig(self) -> str:
        nummer = f"{self.huisnummer}{self.huisletter}"
        return f"{nummer}-{self.toevoeging}" if self.toevoeging else nummer

    @property
    def regels(self) -> tuple[str, str]:
        return (
            f"{self.straat} {self.huisnummer_volledig}",
            f"{self.postcode}  {self.woonplaats.upper()}",
        )

    def __str__(self) -> str:
        return ", ".join(self.regels).replace("  ", " ")


def binnenkort_grens(vandaag: date | None = None) -> date:
    """The last due date that counts as "due soon" (``BINNENKORT_DAGEN`` from today)."""
    return (vandaag or timezone.localdate()) + timedelta(days=BINNENKORT_DAGEN)
