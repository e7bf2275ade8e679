"""The fine procedure's legal calculations: pure functions, dates and amounts in, answers out.

Awb title 5.4 (check the current text before citing an article in a letter):
5:41 no fine without blame · 5:43 never twice for one offence · 5:45 the power lapses after 3
years, 5 where 5:53 applies · 5:46 the amount is lowered only on its grounds · 5:48 the rapport ·
5:50 the zienswijze · 5:51 the decision within 13 weeks of the rapport · 5:53 a fine that can
exceed €340 always needs a rapport and a zienswijze.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from cases.constants import ASIEL_DOELGROEPEN, Regime
from cases.rules import add_years_months
from inburgering.kalender import atw

from .constants import ZWARE_BOETE_GRENS, VerzuimSoort

BESLISTERMIJN_WEKEN = 13  # Awb 5:51 lid 1
VERVAL_JAREN = 3  # Awb 5:45 lid 1
VERVAL_JAREN_ZWAAR = 5  # Awb 5:45 lid 2, where 5:53 applies


def is_zware_boete(maximum: Decimal) -> bool:
    """Awb 5:53 applies: the fine can exceed €340."""
    return maximum > ZWARE_BOETE_GRENS


def voornemen_vereist(*, maximum: Decimal, beleid_intake_altijd: bool) -> bool:
    """An intent letter inviting a zienswijze: always above €340 (Awb 5:53); below, as the
    gemeente's policy says (``HandhavingBeleid.voornemen_bij_intakeboete``)."""
    return is_zware_boete(maximum) or beleid_intake_altijd


def zienswijze_einddatum(
    verzonden: date, dagen: int, extra_dagen: Collection[date] = atw.GEEN_EXTRA_DAGEN
) -> date:
    """The last day for a zienswijze: the gemeente's number of days after the intent letter,
    moved to the next working day (Algemene termijnenwet art. 1; decree days ``extra_dagen``)."""
    return atw.volgende_werkdag(verzonden + timedelta(days=dagen), extra_dagen)


def beslistermijn(rapport_datum: date) -> date:
    """The last day for the decision: 13 weeks after the date of the rapport (Awb 5:51)."""
    return rapport_datum + timedelta(weeks=BESLISTERMIJN_WEKEN)


def opgeschorte_dagen(bezwaren: Iterable[tuple[date, date | None]], vandaag: date) -> int:
    """Days the lapse clock stands still: each objection from its receipt to its decision
    (to ``vandaag`` while it is pending)."""
    return sum(((eind or vandaag) - start).days for start, eind in bezwaren)


def verval_datum(overtreding: date, *, zwaar: bool, opgeschort: int = 0) -> date:
    """The last day the power to fine exists: the power lapses three years (five where 5:53
    applies) after the day of the offence (Awb 5:45), so the last day is the day before that
    anniversary, moved on by the days an objection paused the clock."""
    jaren = VERVAL_JAREN_ZWAAR if zwaar else VERVAL_JAREN
    return add_years_months(overtreding, jaren) - timedelta(days=1) + timedelta(days=opgeschort)


def is_vervallen(overtreding: date, *, zwaar: bool, opgeschort: int, op: date) -> bool:
    return op > verval_datum(overtreding, zwaar=zwaar, opgeschort=opgeschort)


def verzuim_weigering(*, regime: str, doelgroep: str, soort: str) -> str | None:
    """Why this failure of this person cannot be fined under the Wi 2021; None when it can."""
    if regime != Regime.WI2021:
        return _(
            "This dossier falls under the Wet inburgering 2013, which has its own regime: the "
            "gemeente cannot fine under the Wet inburgering 2021."
        )
    if soort == VerzuimSoort.LESSEN and doelgroep not in ASIEL_DOELGROEPEN:
        return _(
            "Gezinsmigranten and overige migranten choose and pay their course themselves: they "
            "cannot be fined for not attending it (Wet inburgering 2021)."
        )
    return None


def bedrag_fouten(
    *,
    basisbedrag: Decimal,
    bedrag: Decimal,
    verlaging_grond: str,
    verlaging_motivering: str,
) -> dict[str, str]:
    """The refusals for an amount, by field: never above the fixed amount, never nothing, and
    lower only with a recorded ground and its motivation (Awb 5:46)."""
    fouten: dict[str, str] = {}
    if bedrag > basisbedrag:
        fouten["bedrag"] = _(
            "The amount is fixed at €%(max)s for this failure on this date: a fine is never "
            "above it."
        ) % {"max": basisbedrag}
    elif bedrag <= 0:
        fouten["bedrag"] = _("A fine of nothing is no fine: decide “no fine” instead.")
    elif bedrag < basisbedrag:
        if not verlaging_grond:
            fouten["verlaging_grond"] = _(
                "A lower amount needs its ground: no gross intent or fault, reduced "
                "culpability or special circumstances (Awb 5:46)."
            )
        if not verlaging_motivering.strip():
            fouten["verlaging_motivering"] = _(
                "Say why the amount is lower: the motivation is part of the decision (Awb 5:46)."
            )
    return fouten
