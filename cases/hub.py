"""The dossier hub: the one typed extension point through which a domain app plugs into a dossier.

``cases`` owns the person, the dossier, its timeline, termijnen and signals, and knows none of
its spokes. Each domain app describes its *part* of a dossier in one ``Onderdeel`` and registers
it from its ``AppConfig.ready()``::

    hub.registreer(Onderdeel(app="pip_plans", feitbron=..., termijnregels=..., secties=..., ...))

The dossier page, the dossier API resource, the key dates, the phase rules, the termijnen and
the history iterate the registered parts; later dashboards and exports do the same. An
import-linter contract (``pyproject.toml``) keeps ``cases`` from importing a domain app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

from .feiten import DossierFeiten, FeitBron, Feiten, dossier_feiten
from .termijnregels import TermijnRegel
from .termijnregels import registry as termijnregels

if TYPE_CHECKING:
    from .models import Dossier
    from .tijdlijn import Gebeurtenissoort


@dataclass(frozen=True)
class Sleuteldatum:
    """A key date on the dossier page; ``feit`` names the phase fact it proves, if any
    (``cases.rules.FASE_FEITEN``: ``intake_afgerond``, ``pip_vastgesteld``)."""

    code: str
    label: str | Promise
    datum: date | None  # when it happened; None while still to come
    doel: str | Promise = ""  # for a fact still to come: when it is due
    feit: str = ""


# the fixed dossier URLs (``cases/urls.py``) a section code may not take; a test keeps the two equal
GERESERVEERDE_PADEN = frozenset({"bewerken", "persoon", "fase", "verhuizen", "notitie"})


@dataclass(frozen=True)
class Sectie:
    """A section of the dossier, with a URL of its own (``/dossiers/<uuid>/<code>/``) and a tab
    under the dossier header. ``titel`` is the tab's label; ``zichtbaar(user, dossier)`` is the
    cheap check that decides whether the tab is shown (default: always); ``context(user,
    dossier)`` gives the template's context — only for the section that is opened — or
    ``None`` when this user is not shown it (a 404, like a hidden tab). ``paginering`` names
    a long list in that context: the dossier page shows it 25 at a time (``?pagina=``) and
    adds ``page`` for the pagination component."""

    code: str
    template: str
    context: Callable[[Any, Dossier], Mapping[str, Any] | None]
    volgorde: int = 100
    titel: str | Promise = ""
    zichtbaar: Callable[[Any, Dossier], bool] | None = None
    paginering: str | None = None

    def is_zichtbaar(self, user: Any, dossier: Dossier) -> bool:
        return self.zichtbaar is None or self.zichtbaar(user, dossier)


@dataclass(frozen=True)
class ApiVeld:
    """A read-only field of the dossier API resource. ``annoteer`` adds what the list needs in
    the list's own query (no query per row); ``waarde`` reads it for one dossier."""

    naam: str
    veld: Callable[[], Any]  # a DRF serializer field, made fresh per serializer
    waarde: Callable[[Dossier], Any]
    annoteer: Callable[[QuerySet[Dossier]], QuerySet[Dossier]] | None = None


@dataclass(frozen=True)
class ApiLink:
    """A link in the dossier resource's ``links``: ``pad(dossier)`` is an absolute path."""

    naam: str
    pad: Callable[[Dossier], str]
    omschrijving: str | Promise = ""


def _niets_verborgen(user: Any, dossier: Dossier) -> tuple[str, ...]:
    return ()


def _niets_gemaskeerd(user: Any, dossier: Dossier) -> Mapping[str, Callable[[str], str]]:
    return {}


@dataclass(frozen=True)
class HistorieBron:
    """The change history of one domain model of a dossier, for the history a user sees.

    ``records(user, dossier)`` returns the django-simple-history records (within the active
    scope) this user may see, with the source's own need-to-know filter on rows (``user`` is
    ``None`` for the system's full view); ``verborgen(user, dossier)`` names the fields this user
    may not see; ``maskeren`` gives per-field masking functions. A source may span several
    objects (the domains of an intake, the termijnen): each object is diffed on its own, and
    ``label_van(record)`` names it ("Deadline: PIP issued").
    """

    label: str | Promise
    records: Callable[[Any, Dossier], Sequence[Any]]
    verborgen: Callable[[Any, Dossier], tuple[str, ...]] = _niets_verborgen
    maskeren: Callable[[Any, Dossier], Mapping[str, Callable[[str], str]]] = _niets_gemaskeerd
    label_van: Callable[[Any], str] | None = None
    velden: tuple[str, ...] | None = None  # the fields shown (all but technical ones if None)
    volgorde: int = 100


@dataclass(frozen=True)
class UitgegevenDocument:
    """A decision document of a dossier as it was issued: the stored file (read byte for byte
    into an evidence bundle) and the SHA-256 recorded when it was issued."""

    soort: str  # the document kind's code, e.g. "pip.beschikking"
    titel: str | Promise
    kenmerk: str
    datum: date | None
    bestand: Any  # the stored file (a ``FieldFile``)
    sha256: str


@dataclass(frozen=True)
class RapportBlok:
    """What a part contributes to a dossier's accountability report (the evidence bundle, the
    answer to an inzageverzoek), as the reader may see it: label–value ``velden`` and/or a table
    (``kolommen`` and ``rijen``). ``weggelaten`` says what exists but is left out for this reader
    (need-to-know), and who can supply it; never the data itself."""

    titel: str | Promise
    velden: tuple[tuple[str, str], ...] = ()
    kolommen: tuple[str, ...] = ()
    rijen: tuple[tuple[str, ...], ...] = ()
    weggelaten: str = ""


@dataclass(frozen=True)
class Onderdeel:
    """One domain app's part of a dossier."""

    app: str
    feitbron: FeitBron[Any] | None = None
    termijnregels: tuple[TermijnRegel, ...] = ()
    sleuteldata: Callable[[Feiten], Sequence[Sleuteldatum]] | None = None
    secties: tuple[Sectie, ...] = ()
    api_velden: tuple[ApiVeld, ...] = ()
    api_links: tuple[ApiLink, ...] = ()
    historie: tuple[HistorieBron, ...] = ()
    # its timeline event kinds, kept in the one registry of ``cases.tijdlijn``
    gebeurtenissoorten: tuple[Gebeurtenissoort, ...] = ()
    # which dossiers a partner organisation's user reaches through this part (a filter on
    # ``Dossier``), or ``None`` when it gives this user none; ``cases.policy.dossiers_for``
    # lets a partner user see exactly the union of these
    partner_toegang: Callable[[Any], Q | None] | None = None
    # what this part contributes to a dossier's accountability report, as ``user`` may see it
    rapport: Callable[[Any, Dossier], Sequence[RapportBlok]] | None = None
    # the decision documents it issued on a dossier that ``user`` may see, as stored
    documenten: Callable[[Any, Dossier], Sequence[UitgegevenDocument]] | None = None


@dataclass
class Hub:
    _onderdelen: dict[str, Onderdeel] = field(default_factory=dict)

    def registreer(self, onderdeel: Onderdeel) -> Onderdeel:
        bestaand = self._onderdelen.get(onderdeel.app)
        if bestaand is not None:
            if bestaand == onderdeel:
                return bestaand  # ``ready()`` ran twice (tests): same part, nothing to do
            raise ValueError(f"the dossier part of {onderdeel.app!r} is registered twice")
        namen = {v.naam for o in self for v in o.api_velden}
        dubbel = namen & {v.naam for v in onderdeel.api_velden}
        if dubbel:
            raise ValueError(f"dossier API field(s) {sorted(dubbel)} registered twice")
        codes = {c.code for o in self for c in o.secties}
        nieuw = [c.code for c in onderdeel.secties]
        dubbel_secties = (codes & set(nieuw)) | {c for c in nieuw if nieuw.count(c) > 1}
        if dubbel_secties:
            raise ValueError(f"dossier section(s) {sorted(dubbel_secties)} registered twice")
        bezet = sorted(set(nieuw) & GERESERVEERDE_PADEN)
        if bezet:
            raise ValueError(f"dossier section code(s) {bezet} clash with a dossier URL")
        soorten = {o.feitbron.soort for o in self if o.feitbron}
        if onderdeel.feitbron and onderdeel.feitbron.soort in soorten:
            raise ValueError(f"fact source {onderdeel.feitbron.soort.__name__} registered twice")
        for regel in onderdeel.termijnregels:
            termijnregels.regel(regel)
        if onderdeel.gebeurtenissoorten:
            from . import tijdlijn

            tijdlijn.registreer(*onderdeel.gebeurtenissoorten)
        self._onderdelen[onderdeel.app] = onderdeel
        return onderdeel

    def __iter__(self) -> Iterator[Onderdeel]:
        return iter(self._onderdelen.values())

    def onderdeel(self, app: str) -> Onderdeel:
        return self._onderdelen[app]

    # --- what the hub's readers iterate ---------------------------------------------------

    def feiten(self, dossier: Dossier) -> Feiten:
        """Every registered app's facts of ``dossier``, typed."""
        return Feiten(o.feitbron.lees(dossier) for o in self if o.feitbron is not None)

    def sleuteldata(self, feiten: Feiten) -> list[Sleuteldatum]:
        return [s for o in self if o.sleuteldata is not None for s in o.sleuteldata(feiten)]

    def secties(self) -> list[Sectie]:
        return sorted((s for o in self for s in o.secties), key=lambda s: s.volgorde)

    def sectie(self, code: str) -> Sectie | None:
        return next((s for s in self.secties() if s.code == code), None)

    def api_velden(self) -> list[ApiVeld]:
        return [v for o in self for v in o.api_velden]

    def api_links(self) -> list[ApiLink]:
        return [link for o in self for link in o.api_links]

    def partner_toegang(self, user: Any) -> Q | None:
        """The dossiers a partner user reaches: the union of every part's filter (``None``:
        none at all)."""
        filters = [
            q
            for o in self
            if o.partner_toegang is not None
            for q in [o.partner_toegang(user)]
            if q is not None
        ]
        if not filters:
            return None
        gecombineerd = filters[0]
        for q in filters[1:]:
            gecombineerd |= q
        return gecombineerd

    def rapport(self, user: Any, dossier: Dossier) -> list[tuple[Onderdeel, list[RapportBlok]]]:
        """Every part with what it contributes to ``dossier``'s accountability report."""
        return [(o, list(o.rapport(user, dossier)) if o.rapport else []) for o in self]

    def documenten(self, user: Any, dossier: Dossier) -> list[UitgegevenDocument]:
        """The issued decision documents of ``dossier`` that ``user`` may see, every part's."""
        return [d for o in self if o.documenten is not None for d in o.documenten(user, dossier)]

    def historie(self) -> list[HistorieBron]:
        return sorted((h for o in self for h in o.historie), key=lambda h: h.volgorde)


hub = Hub()


__all__ = [
    "ApiLink",
    "ApiVeld",
    "DossierFeiten",
    "FeitBron",
    "Feiten",
    "HistorieBron",
    "Hub",
    "Onderdeel",
    "RapportBlok",
    "Sectie",
    "Sleuteldatum",
    "UitgegevenDocument",
    "dossier_feiten",
    "hub",
]
