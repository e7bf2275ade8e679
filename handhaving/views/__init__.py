"""The handhaving screens. The dossier section lists the verzuimen and procedures with their
step, next action and deadline, and DUO's fines the person risks; the procedure page walks the
steps (one form per step, each posting to its own URL and calling exactly one service); the
teamleider's queue and overview. Visibility is ``policy.procedures_for`` (outside it: 404),
acting is the service's ``vereis`` (refused: 403), a refusal re-renders the page with status
400, the input kept and the service's messages at their fields."""

from __future__ import annotations

from ._gemeen import BEHANDELEN, GOEDKEUREN, KLOKKEN, VOLGENDE_ACTIE, volgende_actie
from .brieven import brief_download, brief_opnieuw, brief_voorbeeld
from .dossier import handhaving_sectie, handhaving_starten, verzuim_vastleggen
from .procedure import (
    LEGE_STAPPEN,
    STAAT_TEKST,
    STAP_VAN,
    STAPPEN,
    Stap,
    StapInfo,
    betaalstatus,
    bezwaar,
    bezwaar_beslissen,
    boete,
    geen_boete,
    gesprek,
    goedkeuren,
    intrekken,
    procedure_detail,
    procedure_status,
    pw_maatregel,
    rapport,
    stappen_van,
    ter_goedkeuring,
    terugsturen,
    versturen,
    voornemen,
    zienswijze,
)
from .teamleider import overzicht, wachtrij

__all__ = [
    "BEHANDELEN",
    "GOEDKEUREN",
    "KLOKKEN",
    "LEGE_STAPPEN",
    "STAAT_TEKST",
    "STAPPEN",
    "STAP_VAN",
    "VOLGENDE_ACTIE",
    "Stap",
    "StapInfo",
    "betaalstatus",
    "bezwaar",
    "bezwaar_beslissen",
    "boete",
    "brief_download",
    "brief_opnieuw",
    "brief_voorbeeld",
    "geen_boete",
    "gesprek",
    "goedkeuren",
    "handhaving_sectie",
    "handhaving_starten",
    "intrekken",
    "overzicht",
    "procedure_detail",
    "procedure_status",
    "pw_maatregel",
    "rapport",
    "stappen_van",
    "ter_goedkeuring",
    "terugsturen",
    "versturen",
    "verzuim_vastleggen",
    "volgende_actie",
    "voornemen",
    "wachtrij",
    "zienswijze",
]
