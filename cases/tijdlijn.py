"""The registry of timeline event kinds: one code per business event, stored with parameters.

A ``Gebeurtenis`` row keeps a namespaced code (``dossier.fase``, ``termijn.verlengd``,
``intake.afgerond`` …) and its parameters in ``gegevens`` (JSON: dates as ISO strings, choices
as their codes, never a BSN, never a translated sentence). The sentence is rendered when read,
in the reader's language, from the kind's lazily translated template. A note is user content:
its kind has no template and its text is stored as written.

``cases`` registers its own kinds below; each domain app registers its kinds in its own
``tijdlijn`` module, imported from its ``AppConfig.ready()`` (or passed with its part on the
dossier hub, ``cases.hub.Onderdeel.gebeurtenissoorten``). An unknown code is refused when an
event is written and raises ``LookupError`` when looked up: a typo fails loudly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inburgering.core import weergave

from .constants import Fase, TermijnStatus

# A parameter as stored (JSON) → the value the sentence shows, in the active language.
Weergave = Callable[[Any], Any]

CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_PLAATSHOUDER = re.compile(r"%\((\w+)\)")
# Never stored as a timeline parameter (the BSN is kept on the person only, AVG art. 46 Uavg).
VERBODEN_PARAMETERS = frozenset({"bsn"})


# --- how a stored parameter is shown --------------------------------------------------------


def tekst(waarde: Any) -> str:
    """Shown as stored: a name, a reference, user content."""
    return str(waarde)


def geheel(waarde: Any) -> int:
    return int(waarde)


def datum(waarde: Any) -> str:
    """An ISO date, shown as the UI shows dates (``weergave.datum``: dd-mm-jjjj)."""
    return weergave.datum(date.fromisoformat(str(waarde)))


def keuze(choices: type[models.Choices]) -> Weergave:
    """A choice code, shown as its label in the reader's language."""

    def weergave(waarde: Any) -> str:
        try:
            return str(choices(waarde).label)
        except ValueError:  # a code that no longer exists: show it as stored
            return str(waarde)

    return weergave


def veldnaam(model: str, *, hoofdletter: bool = False) -> Weergave:
    """A field name of ``model`` ("app_label.Model"), shown as its verbose name."""

    def weergave(waarde: Any) -> str:
        try:
            naam = str(apps.get_model(model)._meta.get_field(str(waarde)).verbose_name)
        except LookupError:
            naam = str(waarde)
        return naam[:1].upper() + naam[1:] if hoofdletter else naam

    return weergave


def veldnamen(model: str) -> Weergave:
    """A list of field names of ``model``, shown as their verbose names, comma-separated."""
    een = veldnaam(model)
    return lambda waarde: ", ".join(een(v) for v in waarde)


# --- the kinds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gebeurtenissoort:
    """One kind of timeline event.

    ``tekst`` is the sentence template with named ``%(param)s`` placeholders; each placeholder
    is a key of ``parameters`` (stored in ``gegevens``, shown through its ``Weergave``) or of
    ``afgeleid`` (computed from the whole of ``gegevens``, which must then hold ``vereist``).
    ``tekst=None`` marks free text (a note): the stored text is the text. ``leesrecht`` names
    the permission a reader needs to see events of this kind (need-to-know: handhaving's events
    are not for a begeleider); empty: whoever sees the dossier's timeline.
    """

    code: str
    label: Promise
    tekst: Promise | None = None
    parameters: Mapping[str, Weergave] = field(default_factory=dict)
    afgeleid: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(default_factory=dict)
    vereist: tuple[str, ...] = ()
    leesrecht: str = ""

    @property
    def vrije_tekst(self) -> bool:
        return self.tekst is None

    @property
    def verplichte_parameters(self) -> frozenset[str]:
        return frozenset(self.parameters) | frozenset(self.vereist)

    def plaatshouders(self) -> set[str]:
        if self.tekst is None:
            return set()
        with translation.override(None):  # the msgid, whatever language is active
            return set(_PLAATSHOUDER.findall(str(self.tekst)))

    def weergeven(self, gegevens: Mapping[str, Any]) -> str:
        """The sentence in the active language."""
        assert self.tekst is not None, f"{self.code} is free text"
        waarden = {naam: weergave(gegevens[naam]) for naam, weergave in self.parameters.items()}
        waarden.update({naam: bereken(gegevens) for naam, bereken in self.afgeleid.items()})
        return str(self.tekst) % waarden


@dataclass
class Register:
    _soorten: dict[str, Gebeurtenissoort] = field(default_factory=dict)

    def registreer(self, *soorten: Gebeurtenissoort) -> None:
        for s in soorten:
            if not CODE.match(s.code) or len(s.code) > 50:
                raise ValueError(f"timeline kind {s.code!r}: a code is 'domain.event', ≤ 50")
            bestaand = self._soorten.get(s.code)
            if bestaand is not None:
                if bestaand == s:
                    continue  # ``ready()`` ran twice (tests): the same kind, nothing to do
                raise ValueError(f"timeline kind {s.code!r} is registered twice")
            bekend = set(s.parameters) | set(s.afgeleid)
            if s.plaatshouders() != bekend:
                raise ValueError(
                    f"timeline kind {s.code!r}: placeholders {sorted(s.plaatshouders())} "
                    f"≠ parameters {sorted(bekend)}"
                )
            if bekend & VERBODEN_PARAMETERS:
                raise ValueError(f"timeline kind {s.code!r} may not carry a BSN")
            self._soorten[s.code] = s

    def per_leesrecht(self) -> dict[str, list[str]]:
        """The codes of the need-to-know kinds, by the permission a reader needs."""
        result: dict[str, list[str]] = {}
        for s in self._soorten.values():
            if s.leesrecht:
                result.setdefault(s.leesrecht, []).append(s.code)
        return result

    def soort(self, code: str) -> Gebeurtenissoort:
        try:
            return self._soorten[code]
        except KeyError:
            raise LookupError(f"unknown timeline kind {code!r}") from None

    def __iter__(self) -> Iterator[Gebeurtenissoort]:
        return iter(self._soorten.values())

    def __contains__(self, code: object) -> bool:
        return code in self._soorten


register = Register()
registreer = register.registreer
soort = register.soort


def controleren(code: str, gegevens: Mapping[str, Any], omschrijving: str) -> None:
    """Refuse an event the registry does not describe: an unknown kind, a missing parameter, a
    parameter that is not plain JSON or a BSN, a note without text or an event with one."""
    try:
        s = soort(code)
    except LookupError:
        raise ValidationError({"soort": f"unknown timeline kind {code!r}"}) from None
    errors: list[str] = []
    ontbreekt = s.verplichte_parameters - set(gegevens)
    if ontbreekt:
        errors.append(f"{code}: missing parameter(s) {sorted(ontbreekt)}")
    if set(gegevens) & VERBODEN_PARAMETERS:
        errors.append(f"{code}: a BSN is never a timeline parameter")
    try:
        json.dumps(gegevens, allow_nan=False)
    except (TypeError, ValueError) as exc:
        errors.append(f"{code}: parameters must be plain JSON (dates as ISO strings): {exc}")
    if errors:
        raise ValidationError({"gegevens": errors})
    if s.vrije_tekst and not omschrijving.strip():
        raise ValidationError({"omschrijving": f"{code}: the text is missing"})
    if not s.vrije_tekst and omschrijving:
        # The sentence is rendered in the reader's language; only notes and rows from before
        # coded kinds store text.
        raise ValidationError({"omschrijving": f"{code}: rendered from its parameters"})


def weergeven(code: str, gegevens: Mapping[str, Any], omschrijving: str) -> str:
    """The text of an event in the active language. A note, and a row written before its
    kind had parameters, shows its stored text; a kind no longer registered too."""
    if omschrijving or code not in register:
        return omschrijving or code
    s = soort(code)
    return omschrijving if s.vrije_tekst else s.weergeven(gegevens)


def label(code: str) -> str:
    return str(soort(code).label) if code in register else code


# --- cases' own kinds -----------------------------------------------------------------------


def termijn_regel(gegevens: Mapping[str, Any]) -> str:
    """The termijn's description in the active language (as ``Termijn.omschrijving``)."""
    from .termijnregels import registry

    return registry.omschrijving(str(gegevens["code"]), gegevens.get("volgnummer"))


DOSSIER_AANGEMAAKT = "dossier.aangemaakt"
DOSSIER_TOEGEWEZEN = "dossier.toegewezen"
DOSSIER_TOEWIJZING_BEEINDIGD = "dossier.toewijzing_beeindigd"
DOSSIER_GEWIJZIGD = "dossier.gewijzigd"
DOSSIER_PERSOON_GEWIJZIGD = "dossier.persoon_gewijzigd"
DOSSIER_FASE = "dossier.fase"
DOSSIER_NOTITIE = "dossier.notitie"
DOSSIER_VERHUISD = "dossier.verhuisd"
TERMIJN_VERLENGD = "termijn.verlengd"
TERMIJN_GEHAALD = "termijn.gehaald"
TERMIJN_VERLOPEN = "termijn.verlopen"

_termijn = {"regel": termijn_regel}

registreer(
    Gebeurtenissoort(
        DOSSIER_AANGEMAAKT,
        _("dossier created"),
        _("Dossier created in phase “%(fase)s”."),
        {"fase": keuze(Fase)},
    ),
    Gebeurtenissoort(
        DOSSIER_TOEGEWEZEN,
        _("assigned"),
        _("%(rol)s: %(naam)s."),
        {"rol": veldnaam("cases.Dossier", hoofdletter=True), "naam": tekst},
    ),
    Gebeurtenissoort(
        DOSSIER_TOEWIJZING_BEEINDIGD,
        _("assignment ended"),
        _("%(rol)s removed."),
        {"rol": veldnaam("cases.Dossier", hoofdletter=True)},
    ),
    Gebeurtenissoort(
        DOSSIER_GEWIJZIGD,
        _("details changed"),
        _("Changed: %(velden)s."),
        {"velden": veldnamen("cases.Dossier")},
    ),
    Gebeurtenissoort(
        DOSSIER_PERSOON_GEWIJZIGD,
        _("personal details changed"),
        _("Personal details changed: %(velden)s."),
        {"velden": veldnamen("cases.Inburgeraar")},
    ),
    Gebeurtenissoort(
        DOSSIER_FASE,
        _("phase changed"),
        _("Phase: %(van)s → %(naar)s."),
        {"van": keuze(Fase), "naar": keuze(Fase)},
    ),
    Gebeurtenissoort(DOSSIER_NOTITIE, _("note")),
    Gebeurtenissoort(
        DOSSIER_VERHUISD,
        _("relocated"),
        _("Relocated to %(gemeente)s on %(datum)s."),
        {"gemeente": tekst, "datum": datum},
    ),
    Gebeurtenissoort(
        TERMIJN_VERLENGD,
        _("deadline extended"),
        _("Termijn “%(regel)s” extended from %(van)s to %(tot)s: %(reden)s"),
        {"van": datum, "tot": datum, "reden": tekst},
        afgeleid=_termijn,
        vereist=("code", "volgnummer"),
    ),
    Gebeurtenissoort(
        TERMIJN_GEHAALD,
        _("deadline met"),
        _("Termijn “%(regel)s” %(status)s on %(datum)s."),
        {"status": keuze(TermijnStatus), "datum": datum},
        afgeleid=_termijn,
        vereist=("code", "volgnummer"),
    ),
    Gebeurtenissoort(
        TERMIJN_VERLOPEN,
        _("deadline overdue"),
        _("Termijn “%(regel)s” overdue: the due date was %(datum)s."),
        {"datum": datum},
        afgeleid=_termijn,
        vereist=("code", "volgnummer"),
    ),
)
