"""Terms that run from a decision document: the objection term of the Awb on the Algemene
termijnenwet calendar (``inburgering.kalender.atw``). Every domain that issues a beschikking
(PIP, handhaving fines, ontzorgen) asks here; none keeps its own copy of the rule."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from inburgering.kalender import atw

BEZWAAR_WEKEN = 6  # Awb art. 6:7 and 6:8: six weeks from the day after sending


def bezwaar_einddatum(
    verzonden: date, extra_dagen: Collection[date] = atw.GEEN_EXTRA_DAGEN
) -> date:
    """Last day to object: six weeks starting the day after sending (Awb 6:8), moved to the next
    working day when it falls on a Saturday, Sunday, an Atw holiday including Goede Vrijdag
    (Atw art. 1 and 3 lid 1–2) or a day added by decree (art. 3 lid 3, ``extra_dagen``: callers
    with a database use ``bezwaar_einddatum_volgens_kalender``)."""
    return atw.volgende_werkdag(verzonden + timedelta(weeks=BEZWAAR_WEKEN), extra_dagen)


def bezwaar_einddatum_volgens_kalender(verzonden: date) -> date:
    """``bezwaar_einddatum`` with the decree days on record (one small query)."""
    from inburgering.kalender.selectors import atw_extra_dagen  # models: not at import time

    return bezwaar_einddatum(verzonden, atw_extra_dagen())
