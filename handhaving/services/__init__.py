"""Writes of the fine procedure: one service per step, each checking the step it may start
from, setting the next, writing a timeline event and recomputing the dossier's termijnen.
Refusals name the rule (Awb title 5.4, the Wet inburgering 2021, the gemeente's policy) and are
collected by field before raising.

Exactly once: every step locks the procedure's row (``select_for_update``) and re-reads its
step, so two teamleiders approving at once or a double-clicked "versturen" find the step
already taken; a letter exists once per procedure and kind (a constraint), keeps its kenmerk
when it is made again after a failure, and the rendering task does nothing for a letter that
was sent meanwhile.
"""

from __future__ import annotations

from ._gemeen import BESLISBAAR
from .besluit import (
    boete_goedkeuren,
    boete_opstellen,
    boete_ter_goedkeuring,
    boete_terugsturen,
    boete_versturen,
    geen_boete_besluiten,
    pw_maatregel_vastleggen,
    voornemen_versturen,
    zienswijze_vastleggen,
)
from .brieven import (
    KENMERK_PREFIX,
    brief_mislukt,
    brief_opnieuw_maken,
    brief_vastleggen,
    kenmerk_toekennen,
)
from .na import betaalstatus_wijzigen, bezwaar_beslissen, bezwaar_registreren, boete_intrekken
from .verzuim import (
    gesprek_vastleggen,
    rapport_opmaken,
    verzuim_uit_intakegesprek,
    verzuim_vastleggen,
)

__all__ = [
    "BESLISBAAR",
    "KENMERK_PREFIX",
    "betaalstatus_wijzigen",
    "bezwaar_beslissen",
    "bezwaar_registreren",
    "boete_goedkeuren",
    "boete_intrekken",
    "boete_opstellen",
    "boete_ter_goedkeuring",
    "boete_terugsturen",
    "boete_versturen",
    "brief_mislukt",
    "brief_opnieuw_maken",
    "brief_vastleggen",
    "geen_boete_besluiten",
    "gesprek_vastleggen",
    "kenmerk_toekennen",
    "pw_maatregel_vastleggen",
    "rapport_opmaken",
    "verzuim_uit_intakegesprek",
    "verzuim_vastleggen",
    "voornemen_versturen",
    "zienswijze_vastleggen",
]
