"""Typed facts about one dossier, exchanged between the apps that plug into the hub.

Each app owns a **frozen dataclass** of the facts it knows (``cases`` the dossier's dates and
policy, ``pip_plans`` the intake and PIP dates, …) and registers a *fact source* that reads it
from its own tables (see ``cases.hub``). A reader asks for the dataclass by type:

    pip = feiten.van(PipFeiten)      # the facts pip_plans owns
    feiten.dossier.brp               # the facts cases owns

A misspelt fact is an ``AttributeError`` (and a mypy error), never a silent ``None``; asking for
facts of an app that registered no source is a ``LookupError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from .models import Dossier, TermijnBeleid

T = TypeVar("T")


@dataclass(frozen=True)
class DossierFeiten:
    """The facts ``cases`` owns: the dossier's state and dates and the gemeente's policy."""

    open: bool
    regime: str
    doelgroep: str
    koppeling: date | None
    brp: date | None
    huisvesting: date | None
    beleid: TermijnBeleid | None = None


@dataclass(frozen=True)
class FeitBron(Generic[T]):
    """How one app reads its facts of a dossier."""

    soort: type[T]
    lees: Callable[[Dossier], T]


class Feiten:
    """The facts of one dossier: one frozen dataclass per registered source, by type."""

    __slots__ = ("_per_soort",)
    _per_soort: dict[type, Any]

    def __init__(self, bronnen: Iterable[Any]) -> None:
        per_soort: dict[type, Any] = {}
        for feit in bronnen:
            if type(feit) in per_soort:
                raise ValueError(f"two fact sources gave {type(feit).__name__}")
            per_soort[type(feit)] = feit
        object.__setattr__(self, "_per_soort", per_soort)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Feiten are read-only")

    def van(self, soort: type[T]) -> T:
        try:
            return self._per_soort[soort]  # type: ignore[no-any-return]
        except KeyError:
            raise LookupError(
                f"no fact source for {soort.__name__} is registered on the dossier hub"
            ) from None

    def heeft(self, soort: type) -> bool:
        return soort in self._per_soort

    @property
    def dossier(self) -> DossierFeiten:
        return self.van(DossierFeiten)

    def __repr__(self) -> str:
        return f"Feiten({list(self._per_soort.values())!r})"


def dossier_feiten(dossier: Dossier) -> DossierFeiten:
    from .models import TermijnBeleid

    return DossierFeiten(
        open=dossier.is_open,
        regime=dossier.inburgeraar.regime,
        doelgroep=dossier.inburgeraar.doelgroep,
        koppeling=dossier.datum_koppeling,
        brp=dossier.datum_brp_inschrijving,
        huisvesting=dossier.datum_huisvesting,
        beleid=TermijnBeleid.objects.filter(gemeente_id=dossier.gemeente_id).first(),
    )
