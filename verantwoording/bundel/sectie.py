"""The dossier's "Accountability" tab: a part of the hub (``cases.hub``) that verantwoording
registers, listing the dossier's evidence bundles and, for who may, the button to make one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.hub import Onderdeel, Sectie, hub
from inburgering.core.access import mag

from . import ACTIE_MAKEN


def bundels_context(user: Any, dossier: Any) -> dict[str, Any]:
    """The dossier's bundles as ``user`` sees them (a fixed number of queries)."""
    from ..policy import bundels_for

    return {
        "bundels": list(
            bundels_for(user)
            .filter(dossier=dossier)
            .select_related("gemaakt_door")
            .order_by("-aangevraagd_op", "-id")
        ),
        "kan_maken": mag(user, ACTIE_MAKEN, dossier),
    }


def _context(user: Any, dossier: Any) -> dict[str, Any] | None:
    if not _zichtbaar(user, dossier):
        return None
    bundels = (
        bundels_context(user, dossier)
        if mag(user, "bewijsbundel.bekijken", dossier)
        else {"bundels": None, "kan_maken": False}
    )
    # who read or changed this person's data (the privacy officer, the teamleider)
    return {**bundels, "kan_wie_keek": mag(user, "audit.verwerkingen_bekijken", dossier)}


def _zichtbaar(user: Any, dossier: Any) -> bool:
    return mag(user, "bewijsbundel.bekijken", dossier) or mag(
        user, "audit.verwerkingen_bekijken", dossier
    )


ONDERDEEL = Onderdeel(
    app="verantwoording",
    secties=(
        Sectie(
            "verantwoording",
            "verantwoording/bundel/_sectie.html",
            _context,
            volgorde=95,
            titel=_("Accountability"),
            zichtbaar=_zichtbaar,
        ),
    ),
)


def registreren() -> None:
    hub.registreer(ONDERDEEL)
