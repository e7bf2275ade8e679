"""The registry of termijn rules (statutory and policy clocks), see DOMAIN.md §5.

Each app contributes the rules about the facts it owns, in its own ``termijnregels`` module,
registered with its part on the dossier hub (``cases.hub``) from its ``AppConfig.ready``:
``pip_plans`` adds the intake, the PIP, the inburgeringstermijn, PVT, MAP, the route-switch
window and the voortgangsgesprekken; ``ontzorgen`` adds the end of ontzorgen.

A rule is pure: facts in, clocks out. The facts are typed, frozen dataclasses that each app owns
(``cases.feiten``), read by the fact sources the apps register on the hub, so a rule never reaches
into another app's tables. Statutory lengths are constants in the owning app; policy lengths
come from the gemeente's ``TermijnBeleid``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise

from .constants import Regime
from .feiten import Feiten


class Verlengbaar(enum.Enum):
    NEE = "nee"  # the law gives no extension
    BEPERKT = "beperkt"  # up to the gemeente's policy maximum, itself capped in code
    VRIJ = "vrij"  # a policy clock of the gemeente: extendable with a reason


@dataclass(frozen=True)
class Klok:
    """One computed clock of a rule."""

    start: date
    uiterste_datum: date
    gehaald_op: date | None = None
    volgnummer: int = 1


@dataclass(frozen=True)
class TermijnRegel:
    code: str
    omschrijving: str | Promise
    soort: str  # TermijnSoort
    grondslag: str | Promise  # the legal or policy source, named in refusals and on screen
    bereken: Callable[[Feiten], list[Klok]]  # [] when the rule does not apply
    verlengbaar: Verlengbaar = Verlengbaar.NEE
    # max extension in months for BEPERKT rules, read from the gemeente's policy
    max_verlenging_maanden: Callable[[Feiten], int] | None = None
    handmatig_gehaald: bool = False  # met by a werkcoach's record rather than a modelled fact
    escaleren: bool = True  # escalate to the teamleider when it runs out
    herhalend: bool = False  # several numbered clocks (voortgangsgesprekken)
    # the dossier's maatschappelijk begeleider is signalled too (besides the werkcoach)
    meldt_begeleider: bool = False
    app: str = ""


@dataclass
class Registry:
    _regels: dict[str, TermijnRegel] = field(default_factory=dict)

    def regel(self, regel: TermijnRegel) -> TermijnRegel:
        if regel.code in self._regels and self._regels[regel.code] != regel:
            raise ValueError(f"termijn rule {regel.code!r} is registered twice")
        self._regels[regel.code] = regel
        return regel

    def get(self, code: str) -> TermijnRegel | None:
        return self._regels.get(code)

    def __iter__(self) -> Iterator[TermijnRegel]:
        return iter(self._regels.values())

    def codes(self) -> list[str]:
        return list(self._regels)

    def omschrijving(self, code: str | None, volgnummer: int | None = None) -> str:
        """A clock's description in the active language: the rule's, numbered for a repeating
        rule ("Voortgangsgesprek 3"); the code itself for a rule no app registers (any more).
        The one home of the termijn label: the model, the lists and the timeline ask it."""
        if not code:
            return ""
        regel = self.get(code)
        if regel is None:
            return code
        label = str(regel.omschrijving)
        return f"{label} {volgnummer}" if regel.herhalend and volgnummer else label

    def klokken(self, feiten: Feiten) -> dict[tuple[str, int], tuple[TermijnRegel, Klok]]:
        """Every clock the facts call for; none for a closed or Wi2013 dossier."""
        if not feiten.dossier.open or feiten.dossier.regime != Regime.WI2021:
            return {}
        result: dict[tuple[str, int], tuple[TermijnRegel, Klok]] = {}
        for regel in self:
            for klok in regel.bereken(feiten):
                result[(regel.code, klok.volgnummer)] = (regel, klok)
        return result


registry = Registry()
