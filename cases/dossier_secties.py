"""The dossier's own sections on the hub: overzicht, termijnen, tijdlijn and historie.

Each is a ``hub.Sectie`` with a URL of its own under the dossier header (``cases/urls.py``); the
domain apps add theirs the same way (``pip_plans`` the intake and the PIP). A context function
here gives one section's template context for one user, or ``None`` when the user may not see
it; a refused form is shown again by passing it in (``fase_form``, ``notitie_form``, and
``gebonden`` through ``termijnen_sectie``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from inburgering.core.access import mag

from .forms import FaseForm, NotitieForm
from .historie import dossier_historie
from .hub import Sectie, hub
from .models import Dossier
from .policy import bsn_voor, dossiers_for, gebeurtenissen_voor
from .termijn_views import termijnen_sectie

OVERZICHT = "overzicht"


def overzicht_sectie(
    user: Any, dossier: Dossier, *, fase_form: FaseForm | None = None
) -> dict[str, Any]:
    """Person, dossier, key dates and the phase change."""
    persoon = dossier.inburgeraar
    return {
        "persoon": persoon,
        "bsn": bsn_voor(user, persoon, dossier),
        "kan_bewerken": mag(user, "dossier.bewerken", dossier) and dossier.is_open,
        "kan_verhuizen": mag(user, "dossier.verhuizen", dossier) and dossier.is_open,
        "fase_form": fase_form or FaseForm(dossier=dossier),
        "sleuteldata": hub.sleuteldata(hub.feiten(dossier)),
        "volgend_dossier": (
            dossiers_for(user).filter(vorig_dossier=dossier).select_related("gemeente").first()
        ),
    }


def tijdlijn_sectie(
    user: Any, dossier: Dossier, *, notitie_form: NotitieForm | None = None
) -> dict[str, Any]:
    """The latest 100 events, newest first, and the note form for who may write one."""
    return {
        "kan_notitie": mag(user, "dossier.notitie", dossier),
        "notitie_form": notitie_form or NotitieForm(),
        "gebeurtenissen": gebeurtenissen_voor(user, dossier).select_related("actor")[:100],
    }


def _historie_zichtbaar(user: Any, dossier: Dossier) -> bool:
    return mag(user, "dossier.historie_bekijken", dossier)


def historie_sectie(user: Any, dossier: Dossier) -> dict[str, Any] | None:
    if not _historie_zichtbaar(user, dossier):
        return None
    return {"regels": dossier_historie(dossier, user)}


def _termijnen_zichtbaar(user: Any, dossier: Dossier) -> bool:
    return mag(user, "termijn.bekijken", dossier)


SECTIES = (
    Sectie(OVERZICHT, "cases/_overzicht.html", overzicht_sectie, volgorde=0, titel=_("Overview")),
    Sectie(
        "termijnen",
        "cases/_termijnen.html",
        termijnen_sectie,
        volgorde=60,
        titel=_("Deadlines"),
        zichtbaar=_termijnen_zichtbaar,
    ),
    Sectie("tijdlijn", "cases/_tijdlijn.html", tijdlijn_sectie, volgorde=80, titel=_("Timeline")),
    Sectie(
        "historie",
        "cases/_historie.html",
        historie_sectie,
        volgorde=90,
        titel=_("History"),
        zichtbaar=_historie_zichtbaar,
        paginering="regels",
    ),
)
