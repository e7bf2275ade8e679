"""History tables are case data: a historical model of a scoped model is scoped on the same
dimension, so ``Dossier.history.all()`` or ``HistoricalDossier.objects.all()`` outside a
django-scopes scope raises ``ScopeError`` exactly like ``Dossier.objects.all()``.

Use ``gescoopte_historie(gemeente="dossier__gemeente")`` instead of ``HistoricalRecords()``
on a scoped model. The path is followed from the historical record: its copied foreign keys
point at the live rows (``dossier``, ``intake``...), so a record is visible in the gemeenten
its live parent belongs to. A dimension may also be a callable ``(queryset, values) ->
queryset`` for a rule a path cannot express (``Inburgeraar``: the gemeente the change was made
for, recorded on the historical record itself).

Tests, tasks and commands that mean to read every gemeente's history say
``scopes_disabled()``, as they do for the live tables.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.db import models
from django_scopes import get_scope
from django_scopes.manager import DisabledQuerySet
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

Dimensie = str | Callable[[models.QuerySet, list[Any]], models.QuerySet]


def gescoopt(qs: models.QuerySet, dimensies: dict[str, Dimensie]) -> models.QuerySet:
    """``qs`` narrowed to the active scope, or a queryset that raises ``ScopeError`` on use
    when a dimension is not in scope (django-scopes' own rule, ``ScopedManager``)."""
    current = get_scope()
    if not current.get("_enabled", True):
        return qs
    missing = set(dimensies) - set(current)
    if missing:
        return DisabledQuerySet(qs.model, using=qs.db, missing_scopes=missing)
    for dimensie, pad in dimensies.items():
        waarde = current[dimensie]
        waarden = list(waarde) if isinstance(waarde, (list, tuple, set)) else [waarde]
        if callable(pad):
            qs = pad(qs, waarden)
        elif waarde is not None:
            qs = qs.filter(**{f"{pad}__in": waarden})
    return qs


class GescoopteHistoryManager(HistoryManager):
    """``Model.history`` / ``instance.history``: simple-history's manager, scoped."""

    def get_super_queryset(self) -> models.QuerySet:
        return gescoopt(super().get_super_queryset(), self.model._scope_dimensies)


class GescoopteObjectsManager(models.Manager):
    """``HistoricalModel.objects`` (its default manager), scoped."""

    def get_queryset(self) -> models.QuerySet:
        return gescoopt(super().get_queryset(), self.model._scope_dimensies)  # type: ignore[attr-defined]


def _basis(module: str, dimensies: dict[str, Dimensie], velden: dict[str, Any]) -> type:
    """An abstract base for the historical model: the scoped default manager, the dimensions,
    and any extra fields (``velden``) to record with each change."""
    meta = type("Meta", (), {"abstract": True})
    attrs: dict[str, Any] = {
        "__module__": module,
        "Meta": meta,
        "objects": GescoopteObjectsManager(),
        "_scope_dimensies": dimensies,
        **velden,
    }
    naam = "GescoopteHistorie_" + "_".join(sorted(dimensies))
    return type(naam, (models.Model,), attrs)


def gescoopte_historie(
    *,
    extra_velden: dict[str, Any] | None = None,
    uitgesloten: list[str] | None = None,
    **dimensies: Dimensie,
) -> HistoricalRecords:
    """``HistoricalRecords`` whose history model is scoped on ``dimensies`` (as a
    ``ScopedManager``) and carries ``extra_velden`` (fields filled by a
    ``pre_create_historical_record`` receiver)."""
    if not dimensies:
        raise ValueError("A scoped history needs at least one dimension.")
    module = sys._getframe(1).f_globals["__name__"]
    return HistoricalRecords(
        bases=[_basis(module, dimensies, extra_velden or {})],
        history_manager=GescoopteHistoryManager,
        excluded_fields=uitgesloten or [],
    )
