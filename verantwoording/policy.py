"""Who may make and download the accountability exports, registered with the platform's engine
(``inburgering.core.access``) from ``VerantwoordingConfig.ready()``; with them the exports'
processing activities (AVG art. 30), their Celery tasks, and the dossier's "Accountability" tab
(a part of the hub, ``cases.hub``).

- **Evidence bundle** (auditor, teamleider): made for a dossier the user sees
  (``cases.policy.dossiers_for``), with ``heeft_leesrecht`` — auditors are read-only users and
  making a bundle changes no case. A bundle holds what its maker may see (medical and trauma
  data only with ``cases.view_medisch``), so only its maker downloads it; others see that it
  was made, by whom and when.
- **Inzageverzoek** (privacy officer): registered for a person the officer reaches
  (``cases.policy.inburgeraars_for``); the export is downloaded by whoever made it; the
  delivery (to whom, when) is recorded by an officer of the gemeente.

Everything outside the user's visibility is a 404; a visible object the user may not act on is
a 403 naming the rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.policy import dossiers_for
from inburgering.core.access import GEEN_ROL, actie_registreren, gemeente_ids, heeft_leesrecht
from inburgering.core.access import heeft_recht as _heeft_recht

from .bundel import ACTIE_DOWNLOADEN as BUNDEL_DOWNLOADEN
from .bundel import ACTIE_MAKEN as BUNDEL_MAKEN
from .inzage import ACTIE_DOWNLOADEN as INZAGE_DOWNLOADEN
from .inzage import ACTIE_REGISTREREN as INZAGE_REGISTREREN
from .inzage import ACTIE_VERSTREKKEN as INZAGE_VERSTREKKEN

BUNDEL_LEZEN = "verantwoording.view_bewijsbundel"
BUNDEL_RECHT = "verantwoording.add_bewijsbundel"
INZAGE_LEZEN = "verantwoording.view_inzageverzoek"
INZAGE_RECHT = "verantwoording.add_inzageverzoek"

ALLEEN_MAKER = _(
    "Only the person who made this export downloads it: it holds what they may see. Make your own."
)


# --- visibility ---------------------------------------------------------------------------------


def bundels_for(user: Any) -> QuerySet[Any]:
    """The evidence bundles of the dossiers ``user`` sees (requires an active scope)."""
    from .models import Bewijsbundel

    if not heeft_leesrecht(user, BUNDEL_LEZEN):
        return Bewijsbundel.objects.none()
    return Bewijsbundel.objects.filter(dossier__in=dossiers_for(user))


def inzageverzoeken_for(user: Any) -> QuerySet[Any]:
    """The inzageverzoeken of the gemeenten ``user``'s organisation serves."""
    from .models import Inzageverzoek

    if not heeft_leesrecht(user, INZAGE_LEZEN):
        return Inzageverzoek.objects.none()
    return Inzageverzoek.objects.filter(gemeente_id__in=gemeente_ids(user))


# --- actions ------------------------------------------------------------------------------------


def mag_bundels_zien(user: Any, dossier: Any = None) -> bool:
    return heeft_leesrecht(user, BUNDEL_LEZEN)


def _bundel_maken(user: Any, dossier: Any) -> bool:
    """Reading rights (auditors may), on a dossier the user sees."""
    if not heeft_leesrecht(user, BUNDEL_RECHT):
        return False
    return dossier is None or user is None or dossiers_for(user).filter(pk=dossier.pk).exists()


def _eigen(perm: str) -> Any:
    """The export's own maker only, with ``perm``."""

    def predikaat(user: Any, obj: Any) -> bool:
        if not heeft_leesrecht(user, perm):
            return False
        return obj is None or user is None or obj.gemaakt_door_id == user.pk

    return predikaat


def _inzage_schrijven(user: Any, obj: Any) -> bool:
    """Registering a request and recording its delivery are writes (never an auditor)."""
    if not _heeft_recht(user, INZAGE_RECHT):
        return False
    gemeente_id = getattr(obj, "gemeente_id", None)
    return user is None or gemeente_id is None or gemeente_id in gemeente_ids(user)


ACTIES: tuple[tuple[str, Any, Any], ...] = (
    ("bewijsbundel.bekijken", mag_bundels_zien, GEEN_ROL),
    (BUNDEL_MAKEN, _bundel_maken, _("Your role does not allow making an evidence bundle.")),
    (BUNDEL_DOWNLOADEN, _eigen(BUNDEL_LEZEN), ALLEEN_MAKER),
    ("inzageverzoek.bekijken", lambda user, obj: heeft_leesrecht(user, INZAGE_LEZEN), GEEN_ROL),
    (INZAGE_REGISTREREN, _inzage_schrijven, _("Only the privacy officer registers a request.")),
    (INZAGE_DOWNLOADEN, _eigen(INZAGE_LEZEN), ALLEEN_MAKER),
    (INZAGE_VERSTREKKEN, _inzage_schrijven, _("Only the privacy officer records a delivery.")),
)


def _activiteiten() -> None:
    from inburgering.audit.activiteiten import Verwerkingsactiviteit, registreer

    from .bundel import ACTIVITEIT as BUNDEL
    from .inzage import ACTIVITEIT as INZAGE

    # no URL namespace: the views set ``request.audit_activiteit`` themselves (the namespace
    # "verantwoording" also holds the supervision page "who looked")
    registreer(
        Verwerkingsactiviteit(
            code=BUNDEL,
            naam=_("Evidence bundle of a dossier for accountability"),
            doel=_(
                "A dossier's report, decisions and complete change history for the auditor's "
                "and the teamleider's accountability."
            ),
            grondslag="AVG art. 5 lid 2; Gemeentewet art. 213; Wet inburgering 2021",
        )
    )
    registreer(
        Verwerkingsactiviteit(
            code=INZAGE,
            naam=_("Answering a request for access (AVG art. 15)"),
            doel=_(
                "Giving a person what the municipality holds on them and who received their data."
            ),
            grondslag="AVG art. 15 en art. 12",
        )
    )


def registreren() -> None:
    """The actions, the activities, the tasks (imported so that a worker knows them) and the
    dossier's accountability tab (idempotent: ``ready()`` may run twice in tests)."""
    for naam, predikaat, weigering in ACTIES:
        actie_registreren(naam, predikaat, weigering)
    _activiteiten()
    from .bundel import tasks as _bundel_tasks  # noqa: F401
    from .bundel.sectie import registreren as sectie_registreren
    from .inzage import tasks as _inzage_tasks  # noqa: F401

    sectie_registreren()
