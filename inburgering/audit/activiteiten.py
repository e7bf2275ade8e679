"""The register of verwerkingsactiviteiten (AVG art. 30): every log record names the processing
activity it belongs to. The platform registers its own; each domain app registers the
activities of its work from ``AppConfig.ready()``, with the URL namespaces (``app_name``) whose
pages and API answers belong to it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Verwerkingsactiviteit:
    code: str
    naam: str | Promise
    doel: str | Promise = ""
    grondslag: str | Promise = ""
    # URL namespaces whose requests belong to this activity
    apps: tuple[str, ...] = ()


_register: dict[str, Verwerkingsactiviteit] = {}
_per_app: dict[str, str] = {}

ALGEMEEN = "inburgering.uitvoering"
SYSTEEM = "inburgering.systeem"


def registreer(activiteit: Verwerkingsactiviteit) -> Verwerkingsactiviteit:
    bestaand = _register.get(activiteit.code)
    if bestaand is not None and bestaand != activiteit:
        raise ValueError(f"processing activity {activiteit.code!r} is registered twice")
    for app in activiteit.apps:
        if _per_app.get(app, activiteit.code) != activiteit.code:
            raise ValueError(f"URL namespace {app!r} belongs to two processing activities")
    _register[activiteit.code] = activiteit
    for app in activiteit.apps:
        _per_app[app] = activiteit.code
    return activiteit


def activiteit(code: str) -> Verwerkingsactiviteit:
    return _register[code]


def bekend(code: str) -> bool:
    return code in _register


def alle() -> list[Verwerkingsactiviteit]:
    return sorted(_register.values(), key=lambda a: a.code)


def voor_app(app_name: str | None) -> str:
    """The activity of a request to a URL of namespace ``app_name`` (the general one if none)."""
    return _per_app.get(app_name or "", ALGEMEEN)


def registreer_platform() -> None:
    registreer(
        Verwerkingsactiviteit(
            code=ALGEMEEN,
            naam=_("Executing the Wet inburgering 2021"),
            doel=_("Registering and supporting inburgeraars and their dossiers."),
            grondslag="AVG art. 6 lid 1 sub e; Wet inburgering 2021",
        )
    )
    registreer(
        Verwerkingsactiviteit(
            code=SYSTEEM,
            naam=_("Automatic processing (deadlines, documents)"),
            doel=_("Statutory deadlines, signals and decisions rendered by the system."),
            grondslag="AVG art. 6 lid 1 sub e; Wet inburgering 2021",
        )
    )
    registreer(
        Verwerkingsactiviteit(
            code="audit.toezicht",
            naam=_("Supervising the processing of personal data"),
            doel=_("The privacy officer's and teamleider's view of who processed whose data."),
            grondslag="AVG art. 5 lid 2, art. 38–39",
            apps=("audit",),
        )
    )
