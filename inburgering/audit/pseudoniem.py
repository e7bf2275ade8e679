"""The data subject in the log is a keyed pseudonym of the BSN, never the BSN itself.

HMAC-SHA256 with a key held outside the database (``AUDIT_PSEUDONIEM_SLEUTEL``): the same BSN
gives the same pseudonym, so the privacy officer can find every record of one person by
computing it from the person's BSN; whoever reads the log without the key cannot reverse it
(a plain hash of the 9-digit BSN could be brute-forced in seconds)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def _sleutel() -> bytes:
    return str(settings.AUDIT_PSEUDONIEM_SLEUTEL).encode()


def pseudoniem(bsn: str) -> str:
    """The log's identifier of the person with ``bsn`` (64 hex characters)."""
    return hmac.new(_sleutel(), bsn.strip().encode(), hashlib.sha256).hexdigest()
