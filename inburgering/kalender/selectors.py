"""Reading the decree days (Atw art. 3 lid 3) for the pure calendar in ``atw.py``."""

from __future__ import annotations

from datetime import date

from .models import AtwExtraDag


def atw_extra_dagen() -> frozenset[date]:
    """Every decree day on record. One indexed query on a table of a few dozen rows, asked when a
    deadline is computed (a beschikking is issued or printed), so a day the functioneel beheerder
    adds counts at once — no cache to invalidate."""
    return frozenset(AtwExtraDag.objects.values_list("datum", flat=True))
