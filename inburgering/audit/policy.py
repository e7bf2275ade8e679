"""Who may see the log's own pages (registered with the platform's action engine)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from inburgering.core.access import actie_registreren, heeft_leesrecht, heeft_recht

ACTIES: tuple[tuple[str, Any, Any], ...] = (
    (
        "audit.verwerkingen_bekijken",
        lambda user, obj: heeft_leesrecht(user, "audit.view_verwerking"),
        _("Only the privacy officer and the teamleider see who processed a person's data."),
    ),
    (
        "audit.incidenten_bekijken",
        lambda user, obj: heeft_leesrecht(user, "audit.view_ketencontrole"),
        _("Only the functioneel beheerder sees the log's verifications."),
    ),
    (
        "audit.incident_afhandelen",
        lambda user, obj: heeft_recht(user, "audit.incident_afhandelen"),
        _("Only the functioneel beheerder handles a broken log chain."),
    ),
)


def registreren() -> None:
    for naam, predikaat, weigering in ACTIES:
        actie_registreren(naam, predikaat, weigering)
