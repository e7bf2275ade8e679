"""Termijn rule owned by ontzorgen: the end of the ontzorgen period (DOMAIN.md §7).

The period (at least 6 months for an asielstatushouder on a benefit) is agreed in the PIP; it is
met when the werkcoach records the decision at its end (stop, phase out, or continue as
maatwerk). A longer period is agreed by a new PIP version, not by extending this clock.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.constants import ASIEL_DOELGROEPEN, TermijnSoort
from cases.feiten import Feiten
from cases.rules import add_years_months
from cases.termijnregels import Klok, TermijnRegel
from pip_plans.termijnregels import PipFeiten


def _ontzorgen(f: Feiten) -> list[Klok]:
    pip = f.van(PipFeiten).pip
    if (
        pip is None
        or f.dossier.doelgroep not in ASIEL_DOELGROEPEN
        or not pip.heeft_uitkering
        or not pip.ontzorgen_start
        or not pip.ontzorgen_maanden
    ):
        return []
    return [
        Klok(
            start=pip.ontzorgen_start,
            uiterste_datum=add_years_months(pip.ontzorgen_start, 0, pip.ontzorgen_maanden),
        )
    ]


ONTZORGEN = TermijnRegel(
    code="ontzorgen",
    omschrijving=_("End of ontzorgen: decision to stop, phase out or continue"),
    soort=TermijnSoort.WETTELIJK,
    grondslag=_(
        "Wi 2021 art. 16: ontzorgen for at least 6 months; a longer period is agreed in a "
        "new PIP version"
    ),
    bereken=_ontzorgen,
    handmatig_gehaald=True,
)
