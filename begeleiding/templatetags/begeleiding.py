"""Small presentation helpers of the begeleiding pages (``{% load begeleiding %}``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from ..constants import Aanwezige, ActieEigenaar, ContactSoort, Onderwerp

register = template.Library()

_KEUZES: dict[str, Any] = {
    "aanwezig": Aanwezige,
    "onderwerpen": Onderwerp,
    "soort": ContactSoort,
    "eigenaar": ActieEigenaar,
}


@register.filter
def labels(waarden: Iterable[str] | None, soort: str) -> str:
    """The labels of stored choice codes (an ``ArrayField`` has no ``get_…_display``):
    ``{{ c.onderwerpen|labels:"onderwerpen" }}``."""
    keuzes = dict(_KEUZES[soort].choices)
    return ", ".join(str(keuzes.get(w, w)) for w in waarden or [])
