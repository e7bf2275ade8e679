"""Dates as the whole UI writes them (``inburgering.core.weergave``); input formats and the rest
are Django's own for this language."""

from inburgering.core.weergave import DATUM, MOMENT

DATE_FORMAT = DATUM
SHORT_DATE_FORMAT = DATUM
DATETIME_FORMAT = MOMENT
SHORT_DATETIME_FORMAT = MOMENT
