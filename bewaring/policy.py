"""Who sees and does what in retention and destruction, registered with the platform's engine
(``inburgering.core.access``) from ``BewaringConfig.ready()``.

- The functioneel beheerder sets the retention periods and proposes a destruction run.
- A teamleider approves or rejects it — never one they proposed themselves (four eyes) — and
  places and lifts legal holds on the dossiers of their gemeenten.
- Auditors read runs, statements and holds; they never act.

Runs, statements and holds are visible in the gemeenten the user's organisation serves (the
tenancy scope); anything outside is a 404. Which dossier a run lists is need-to-know: names and
links only for whoever may see the dossier (``cases.policy.dossiers_for``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from cases.policy import recht_op_dossier
from inburgering.core.access import (
    GEEN_ROL,
    actie_registreren,
    gemeente_ids,
    heeft_leesrecht,
    heeft_recht,
)

from .models import JuridischeBlokkade, VerklaringVanVernietiging, Vernietigingsronde

LEZEN = "bewaring.view_vernietigingsronde"
VOORSTELLEN = "bewaring.add_vernietigingsronde"
GOEDKEUREN = "bewaring.goedkeuren_vernietigingsronde"
BLOKKADE_LEZEN = "bewaring.view_juridischeblokkade"
BLOKKADE_INSTELLEN = "bewaring.add_juridischeblokkade"
BLOKKADE_OPHEFFEN = "bewaring.change_juridischeblokkade"

VIER_OGEN = gettext_lazy(
    "Four-eyes principle: a destruction run is approved or rejected by a teamleider other "
    "than the person who proposed it."
)
ALLEEN_BEHEERDER = gettext_lazy("Only the functioneel beheerder proposes a destruction run.")
ALLEEN_TEAMLEIDER = gettext_lazy("Only a teamleider places or lifts a legal hold.")


# --- visibility ---------------------------------------------------------------------------------


def rondes_for(user: Any) -> QuerySet[Vernietigingsronde]:
    if not heeft_leesrecht(user, LEZEN):
        return Vernietigingsronde.objects.none()
    return Vernietigingsronde.objects.filter(gemeente_id__in=gemeente_ids(user))


def verklaringen_for(user: Any) -> QuerySet[VerklaringVanVernietiging]:
    if not heeft_leesrecht(user, "bewaring.view_verklaringvanvernietiging"):
        return VerklaringVanVernietiging.objects.none()
    return VerklaringVanVernietiging.objects.filter(gemeente_id__in=gemeente_ids(user))


def blokkades_for(user: Any) -> QuerySet[JuridischeBlokkade]:
    if not heeft_leesrecht(user, BLOKKADE_LEZEN):
        return JuridischeBlokkade.objects.none()
    return JuridischeBlokkade.objects.filter(dossier__gemeente_id__in=gemeente_ids(user))


# --- actions ------------------------------------------------------------------------------------


def _in_gemeente(user: Any, obj: Any) -> bool:
    gemeente_id = getattr(obj, "gemeente_id", None) if obj is not None else None
    if obj is not None and not isinstance(gemeente_id, int):
        gemeente_id = getattr(obj, "pk", None)  # a Gemeente itself
    return user is None or gemeente_id is None or gemeente_id in gemeente_ids(user)


def _voorstellen(user: Any, obj: Any) -> bool:
    """``obj``: the gemeente the run is for (or none: may propose at all)."""
    return heeft_recht(user, VOORSTELLEN) and _in_gemeente(user, obj)


def _beoordelen(user: Any, obj: Any) -> bool:
    """A teamleider of the run's gemeente who did not propose it."""
    if not heeft_recht(user, GOEDKEUREN) or not _in_gemeente(user, obj):
        return False
    return obj is None or user is None or obj.voorgesteld_door_id != user.pk


ACTIES: tuple[tuple[str, Any, Any], ...] = (
    ("bewaring.bekijken", lambda user, obj: heeft_leesrecht(user, LEZEN), GEEN_ROL),
    ("bewaring.voorstellen", _voorstellen, ALLEEN_BEHEERDER),
    ("bewaring.beoordelen", _beoordelen, VIER_OGEN),
    (
        "bewaring.blokkades_bekijken",
        lambda user, obj: heeft_leesrecht(user, BLOKKADE_LEZEN),
        GEEN_ROL,
    ),
    ("bewaring.blokkeren", recht_op_dossier(BLOKKADE_INSTELLEN), ALLEEN_TEAMLEIDER),
    ("bewaring.blokkade_opheffen", recht_op_dossier(BLOKKADE_OPHEFFEN), ALLEEN_TEAMLEIDER),
)


def registreren() -> None:
    for naam, predikaat, weigering in ACTIES:
        actie_registreren(naam, predikaat, weigering)
