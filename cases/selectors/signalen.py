"""A user's signals."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from inburgering.accounts.models import User

from ..constants import (
    SignaalSoort,
)
from ..models import Dossier, Signaal
from ..policy import dossiers_for

# --- Signals ---------------------------------------------------------------------------------

SIGNAAL_STATUSSEN = ("open", "afgehandeld", "alle")


def signalen_voor(user: User, *, status: str = "open", soort: str = "") -> QuerySet[Signaal]:
    """The user's own signals about dossiers they may see, newest first."""
    qs = Signaal.objects.filter(ontvanger=user, dossier__in=dossiers_for(user)).select_related(
        "termijn", "dossier__inburgeraar", "dossier__gemeente", "afgehandeld_door"
    )
    if status == "open":
        qs = qs.filter(afgehandeld_op__isnull=True)
    elif status == "afgehandeld":
        qs = qs.filter(afgehandeld_op__isnull=False)
    if soort in SignaalSoort.values:
        qs = qs.filter(soort=soort)
    return qs.order_by("-aangemaakt_op", "-id")


def open_signalen_aantal(user: User) -> int:
    """The header count: one query. Signals go only to werkcoaches and teamleiders of a
    municipal team, for whom ``dossiers_for`` is the tenancy scope itself."""
    return Signaal.objects.filter(ontvanger=user, afgehandeld_op__isnull=True).count()


def open_signalen_van_dossier(user: User, dossier: Dossier) -> int:
    """The dossier header's count: the user's own open signals about this dossier (one query)."""
    return Signaal.objects.filter(
        ontvanger=user, dossier=dossier, afgehandeld_op__isnull=True
    ).count()
