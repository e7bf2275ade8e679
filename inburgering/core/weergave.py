"""How a value is written for a reader — the one place that decides it (issue 10).

A date is ``dd-mm-jjjj`` and a moment ``dd-mm-jjjj hh:mm`` in local time, in every language,
on every page, in the history, the timeline, messages and e-mails: never the ISO form the
database gives. A choice shows its label, a boolean ``ja``/``nee`` and nothing ``—``, never the
stored code, ``True`` or ``None``.

The format modules (``inburgering/formats/<taal>/formats.py``, ``FORMAT_MODULE_PATH``) take
``DATUM`` and ``MOMENT`` from here, so ``{{ datum }}`` and ``{{ datum|date }}`` in a template
write the same. Machine-readable values (``<time datetime>``, ``<input type="date">``, the
API, timeline parameters) stay ISO.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

DATUM = "d-m-Y"
MOMENT = "d-m-Y H:i"
LEEG = "—"


def datum(value: date | datetime | None) -> str:
    """A date as the UI writes it (``05-01-2026``); a moment as ``moment``."""
    if value is None:
        return LEEG
    if isinstance(value, datetime):
        return moment(value)
    return formats.date_format(value, DATUM)


def moment(value: datetime | None) -> str:
    """A moment in local time, ``05-01-2026 14:30``."""
    if value is None:
        return LEEG
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, MOMENT)


def ja_nee(value: bool | None) -> str:
    """``ja``/``nee`` in the reader's language (``yes``/``no`` in English)."""
    if value is None:
        return LEEG
    return _("yes") if value else _("no")


def keuze(choices: Iterable[tuple[Any, Any]], value: Any) -> str:
    """A stored choice code as its label; a code no longer offered as stored."""
    return str(dict(choices).get(value, value))


def veldwaarde(model_field: models.Field, value: Any) -> str:
    """A model field's stored value for a reader: its choice label, ``ja``/``nee``, the date as
    ``dd-mm-jjjj``, a list of choices as its labels, nothing as ``—``. (A relation is the
    caller's: it needs the related object, not the stored key.)"""
    if value is None or value == "" or value == []:
        return LEEG
    if model_field.choices:
        return keuze(model_field.flatchoices, value)
    if isinstance(value, bool):
        return ja_nee(value)
    if isinstance(value, date):
        return datum(value)
    if isinstance(value, (list, tuple)):
        # an ArrayField of choices (contact channels, exam parts) shows its labels
        base_field: Any = getattr(model_field, "base_field", None)
        return ", ".join(
            veldwaarde(base_field, v) if base_field is not None else str(v) for v in value
        )
    return str(value)
