"""Who sees and does what in handhaving, registered with the platform's engine
(``inburgering.core.access``) from ``HandhavingConfig.ready()``.

Werkcoaches and teamleiders act; auditors read; begeleiders (and anyone else without
``handhaving.view_procedure``) see nothing of handhaving — no section, no procedures, no
timeline events, no letters. Visibility is ``procedures_for``/``verzuimen_for`` (through
``cases.policy.dossiers_for``): a procedure outside it is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from cases.policy import DOSSIER_WIJZIGEN, dossier_van, dossiers_for, recht_op_dossier
from inburgering.core.access import GEEN_ROL, actie_registreren, heeft_leesrecht

from .models import Brief, Procedure, Verzuim

LEZEN = "handhaving.view_procedure"


def mag_handhaving_zien(user: Any) -> bool:
    return heeft_leesrecht(user, LEZEN)


def procedures_for(user: Any) -> QuerySet[Procedure]:
    if not mag_handhaving_zien(user):
        return Procedure.objects.none()
    return Procedure.objects.filter(dossier__in=dossiers_for(user))


def verzuimen_for(user: Any) -> QuerySet[Verzuim]:
    if not mag_handhaving_zien(user):
        return Verzuim.objects.none()
    return Verzuim.objects.filter(dossier__in=dossiers_for(user))


def brieven_for(user: Any) -> QuerySet[Brief]:
    if not mag_handhaving_zien(user):
        return Brief.objects.none()
    return Brief.objects.filter(procedure__dossier__in=dossiers_for(user))


def _bekijken(user: Any, obj: Any) -> bool:
    return mag_handhaving_zien(user)


def _dossier(obj: Any) -> Any:
    if isinstance(obj, Brief):
        return obj.procedure.dossier
    return dossier_van(obj)


def _op_dossier(perm: str) -> Any:
    basis = recht_op_dossier(perm)
    return lambda user, obj: basis(user, _dossier(obj) if obj is not None else None)


GOEDKEUREN = gettext_lazy("Only a teamleider approves a fine.")

ACTIES: tuple[tuple[str, Any, Any], ...] = (
    ("handhaving.bekijken", _bekijken, GEEN_ROL),
    ("handhaving.verzuim_vastleggen", _op_dossier("handhaving.add_verzuim"), DOSSIER_WIJZIGEN),
    ("handhaving.behandelen", _op_dossier("handhaving.change_procedure"), DOSSIER_WIJZIGEN),
    ("handhaving.goedkeuren", _op_dossier("handhaving.goedkeuren_boete"), GOEDKEUREN),
    ("handhaving.wachtrij", _op_dossier("handhaving.goedkeuren_boete"), GOEDKEUREN),
)


def registreren() -> None:
    for naam, predikaat, weigering in ACTIES:
        actie_registreren(naam, predikaat, weigering)
