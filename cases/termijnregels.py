"""The registry of termijn rules (statutory and policy clocks), see DOMAIN.md §5.

Each app contributes the rules about the facts it owns, in its own ``termijnregels`` module,
imported from its ``AppConfig.ready``: this module holds the registry and the intake clock
(cases owns the BRP date); ``pip_plans`` adds the PIP, the inburgeringstermijn, PVT, MAP, the
route-switch window and the voortgangsgesprekken; ``ontzorgen`` adds the end of ontzorgen.

A rule is pure: facts in, clocks out. Apps also contribute *fact sources* — functions that read
one dossier's facts from their own models — so a rule never reaches into another app's tables.
Statutory lengths are constants here; policy lengths come from the gemeente's ``TermijnBeleid``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import Regime, TermijnSoort

if TYPE_CHECKING:
    from .models import Dossier

INTAKE_WEKEN = 4  # brede intake within 4 weeks of BRP registration (Wi 2021, by design)


class Verlengbaar(enum.Enum):
    NEE = "nee"  # the law gives no extension
    BEPERKT = "beperkt"  # up to the gemeente's policy maximum, itself capped in code
    VRIJ = "vrij"  # a policy clock of the gemeente: extendable with a reason


class Feiten(dict[str, Any]):
    """The facts of one dossier, gathered from every app's fact sources. A missing fact
    reads as ``None``."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


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
    app: str = ""


@dataclass
class Registry:
    _regels: dict[str, TermijnRegel] = field(default_factory=dict)
    _feitbronnen: list[Callable[[Dossier], dict[str, Any]]] = field(default_factory=list)

    def regel(self, regel: TermijnRegel) -> TermijnRegel:
        if regel.code in self._regels and self._regels[regel.code] != regel:
            raise ValueError(f"termijn rule {regel.code!r} is registered twice")
        self._regels[regel.code] = regel
        return regel

    def feitbron(self, bron: Callable[[Dossier], dict[str, Any]]) -> Callable[..., Any]:
        if bron not in self._feitbronnen:
            self._feitbronnen.append(bron)
        return bron

    def get(self, code: str) -> TermijnRegel | None:
        return self._regels.get(code)

    def __iter__(self) -> Iterator[TermijnRegel]:
        return iter(self._regels.values())

    def codes(self) -> list[str]:
        return list(self._regels)

    def feiten(self, dossier: Dossier) -> Feiten:
        feiten = Feiten()
        for bron in self._feitbronnen:
            feiten.update(bron(dossier))
        return feiten

    def klokken(self, feiten: Feiten) -> dict[tuple[str, int], tuple[TermijnRegel, Klok]]:
        """Every clock the facts call for; none for a closed or Wi2013 dossier."""
        if not feiten.open or feiten.regime != Regime.WI2021:
            return {}
        result: dict[tuple[str, int], tuple[TermijnRegel, Klok]] = {}
        for regel in self:
            for klok in regel.bereken(feiten):
                result[(regel.code, klok.volgnummer)] = (regel, klok)
        return result


registry = Registry()


# --- facts and rules owned by cases ------------------------------------------------------------


@registry.feitbron
def dossier_feiten(dossier: Dossier) -> dict[str, Any]:
    from .models import TermijnBeleid

    beleid = TermijnBeleid.objects.filter(gemeente_id=dossier.gemeente_id).first()
    return {
        "open": dossier.is_open,
        "regime": dossier.inburgeraar.regime,
        "doelgroep": dossier.inburgeraar.doelgroep,
        "brp": dossier.datum_brp_inschrijving,
        "huisvesting": dossier.datum_huisvesting,
        "beleid": beleid,
    }


def _intake(f: Feiten) -> list[Klok]:
    if not f.brp:
        return []
    return [
        Klok(
            start=f.brp,
            uiterste_datum=f.brp + timedelta(weeks=INTAKE_WEKEN),
            gehaald_op=f.intake_afgerond,
        )
    ]


registry.regel(
    TermijnRegel(
        code="intake",
        omschrijving=_("Brede intake completed"),
        soort=TermijnSoort.WETTELIJK,
        grondslag=_(
            "Wi 2021 art. 14 (brede intake), within 4 weeks of BRP registration as the law intends"
        ),
        bereken=_intake,
        app="cases",
    )
)
