"""Applying the one rule for legal fact dates (``rules.feitdatum_weigering``) in services.

A recorded fact has happened: its date is not after today (Europe/Amsterdam,
``timezone.localdate()``) and not before the fact that starts it. Every service that records a
fact date (conversations, intake completion, the leerbaarheidstoets, vaststelling, met-on dates,
the dossier's key dates) asks :func:`feitdatum_fout` and refuses at the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inburgering.core import weergave

from . import rules


def feitdatum_fout(
    datum: date | None,
    *,
    niet_voor: date | None = None,
    niet_voor_label: Any = "",
    vandaag: date | None = None,
) -> str | None:
    """The refusal for ``datum`` as a fact date (translated, naming the rule); None when the
    date is acceptable or empty (whether a date is required is the caller's rule)."""
    if datum is None:
        return None
    vandaag = vandaag or timezone.localdate()
    reden = rules.feitdatum_weigering(datum, vandaag=vandaag, niet_voor=niet_voor)
    if reden == "toekomst":
        return _(
            "This date cannot be in the future: it records a fact that has already happened "
            "(today is %(vandaag)s)."
        ) % {"vandaag": weergave.datum(vandaag)}
    if reden == "voor_start":
        assert niet_voor is not None
        return _("This date cannot be before %(feit)s (%(datum)s).") % {
            "feit": niet_voor_label or _("the fact that starts it"),
            "datum": weergave.datum(niet_voor),
        }
    return None


def feitdatums_controleren(
    errors: dict[str, list[Any]],
    velden: dict[str, tuple[date | None, date | None, Any]],
    *,
    vandaag: date | None = None,
) -> dict[str, list[Any]]:
    """Add a refusal per field to ``errors`` for ``{field: (datum, niet_voor, label)}``."""
    for veld, (datum, niet_voor, label) in velden.items():
        fout = feitdatum_fout(datum, niet_voor=niet_voor, niet_voor_label=label, vandaag=vandaag)
        if fout:
            errors.setdefault(veld, []).append(fout)
    return errors
