"""The burgerservicenummer as a platform primitive: validation (elfproef) and normalisation.

Generic about a BSN and about nothing else, so that the platform (log redaction, masking) and
every domain app use the same rule without the platform importing a domain app."""

from __future__ import annotations

import unicodedata

__all__ = ["is_valid_bsn", "normalise_bsn"]


def is_valid_bsn(value: str) -> bool:
    """The elfproef for a burgerservicenummer: nine ASCII digits, weighted sum divisible by 11.

    Only ``0``-``9``: other scripts' digits are not a BSN until ``normalise_bsn`` has turned
    them into ASCII (``str.isdigit`` alone would accept "٠١٢" and superscripts like "¹²³")."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()) or value == "000000000":
        return False
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def _ascii_digit(c: str) -> str:
    """A Unicode decimal digit (Arabic-Indic ٣, full-width ３, …) as its ASCII digit; any other
    character (superscript ³ is a digit but not a decimal digit) unchanged."""
    if c.isascii():
        return c
    decimal = unicodedata.decimal(c, None)
    return str(decimal) if decimal is not None else c


def normalise_bsn(value: str) -> str:
    """Strip spaces, dots and dashes people type; Unicode decimal digits become ASCII digits;
    left-pad eight digits with a zero. Whatever remains must be nine ASCII digits
    (``is_valid_bsn``), so the same person is one BSN however it was typed."""
    cleaned = "".join(_ascii_digit(c) for c in value if not c.isspace() and c not in ".-")
    if len(cleaned) == 8 and cleaned.isascii() and cleaned.isdigit():
        cleaned = "0" + cleaned
    return cleaned
