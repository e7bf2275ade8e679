"""Destroying records, generically: everything that hangs from the given dossiers and persons in
every app, their django-simple-history records, admin log entries and stored files.

The apps' foreign keys to a dossier are ``PROTECT`` (nothing disappears by accident), so this
module does not use Django's deletion collector. It finds the rows itself from the model
registry — every concrete foreign key or one-to-one field of every model that points at a model
already collected, until nothing new is found — and deletes them with one ``DELETE`` per model
(``QuerySet._raw_delete``: no signals, so no new "deleted" history records are written and no
``PROTECT`` check runs; PostgreSQL still checks every foreign key at commit, where Django makes
them deferred). A new app's model that points at a dossier is covered without a change here.

History is found the same way: every historical model in the registry whose original model was
collected, by the ids of the collected rows; and history left of rows deleted earlier (a child
removed from an intake) that points at a collected row, then what points at *that*, and so on.
Rows of the platform (users, organisations, gemeenten, the calendar, the audit log) are never
entered: they are not the person's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models

from cases.models import Dossier, Inburgeraar

# Apps whose rows are not a person's records: never collected, never deleted here. The audit
# log (``audit``) is append-only and holds keyed pseudonyms only (see the README).
NIET_BETREDEN = frozenset(
    {
        "accounts",
        "auth",
        "contenttypes",
        "sessions",
        "admin",
        "authtoken",
        "django_celery_beat",
        "axes",
        "kalender",
        "audit",
    }
)


# a model class (typed loosely: the registry's models, historical ones included, carry
# attributes such as ``instance_type`` the stubs do not know)
Modelklasse = Any


class VernietigingGeweigerd(RuntimeError):
    """The collection reached a dossier or person that was not to be destroyed."""


def is_historisch(model: Modelklasse) -> bool:
    return hasattr(model, "instance_type") and "history_id" in {
        f.name for f in model._meta.concrete_fields
    }


def _betreedbaar(model: Modelklasse) -> bool:
    return model._meta.app_label not in NIET_BETREDEN and not model._meta.proxy


def _relaties(model: Modelklasse) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is not None
    ]


@dataclass
class Verzameling:
    """What is to be destroyed: live rows per model, and the ids of rows deleted before whose
    history points at something collected (``spoor``)."""

    levend: dict[Modelklasse, set[Any]] = field(default_factory=lambda: defaultdict(set))
    spoor: dict[Modelklasse, set[Any]] = field(default_factory=lambda: defaultdict(set))

    def ids(self, model: Modelklasse) -> set[Any]:
        return self.levend.get(model, set()) | self.spoor.get(model, set())


def verzamelen(dossier_ids: Iterable[int], persoon_ids: Iterable[int] = ()) -> Verzameling:
    """Every row that hangs from these dossiers and persons. Raises ``VernietigingGeweigerd``
    when a live dossier or person outside them would be reached (a relocation's next dossier
    pointing at one of the dossiers, a person with a dossier left)."""
    v = Verzameling()
    v.levend[Dossier] |= set(dossier_ids)
    v.levend[Inburgeraar] |= set(persoon_ids)
    grenzen = {Dossier: set(v.levend[Dossier]), Inburgeraar: set(v.levend[Inburgeraar])}

    levende_modellen = [m for m in apps.get_models() if _betreedbaar(m) and not is_historisch(m)]
    alle: list[Modelklasse] = list(apps.get_models())
    historische = [m for m in alle if is_historisch(m) and _betreedbaar(m.instance_type)]
    nieuw: dict[Modelklasse, set[Any]] = {m: set(ids) for m, ids in v.levend.items()}
    while nieuw:
        doelen, nieuw = nieuw, defaultdict(set)
        for model in levende_modellen:
            for f in _relaties(model):
                doel = f.related_model._meta.concrete_model
                if not doelen.get(doel):
                    continue
                gevonden = (
                    set(
                        model._base_manager.filter(
                            **{f"{f.attname}__in": doelen[doel]}
                        ).values_list("pk", flat=True)
                    )
                    - v.levend[model]
                )
                if not gevonden:
                    continue
                if model in grenzen:
                    raise VernietigingGeweigerd(
                        f"{model._meta.label} rows outside the run refer to it ({f.name})"
                    )
                v.levend[model] |= gevonden
                nieuw[model] |= gevonden
        for hist in historische:
            origineel = hist.instance_type._meta.concrete_model
            pk_naam = origineel._meta.pk.attname
            for f in _relaties(hist):
                if f.name == "history_user" or f.name == "history":
                    continue
                doel = f.related_model._meta.concrete_model
                if not doelen.get(doel):
                    continue
                ids = set(
                    hist._base_manager.filter(**{f"{f.attname}__in": doelen[doel]}).values_list(
                        pk_naam, flat=True
                    )
                ) - v.ids(origineel)
                if not ids:
                    continue
                # only rows that no longer exist: a live row is reached by its live keys
                levend = set(
                    origineel._base_manager.filter(pk__in=ids).values_list("pk", flat=True)
                )
                weg = ids - levend
                if weg:
                    v.spoor[origineel] |= weg
                    nieuw[origineel] |= weg
    return v


@dataclass
class Resultaat:
    aantallen: dict[str, int]  # model label -> live rows deleted
    historie: int
    bestanden: list[str]  # storage names to delete once the transaction commits


def _bestandsvelden(model: Modelklasse) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _volgorde(modellen: list[Modelklasse]) -> list[Modelklasse]:
    """Rows that refer to others first (children before their parents); any cycle after."""
    over = list(modellen)
    uit: list[Modelklasse] = []
    while over:
        blad = [
            m
            for m in over
            if not any(
                n is not m and any(f.related_model._meta.concrete_model is m for f in _relaties(n))
                for n in over
            )
        ]
        if not blad:
            blad = over[:1]
        for m in blad:
            over.remove(m)
            uit.append(m)
    return uit


def _raw(qs: models.QuerySet[Any]) -> int:
    """One ``DELETE ... WHERE`` for the queryset: no signals, no collector."""
    return int(qs._raw_delete(qs.db))  # type: ignore[attr-defined]


def verwijderen(v: Verzameling) -> Resultaat:
    """Delete what ``verzamelen`` found: files' names are returned to delete after commit."""
    bestanden: set[str] = set()
    historie = 0
    # 1. history of every collected row (live or deleted before), and history m2m rows
    historische: list[Modelklasse] = [m for m in apps.get_models() if is_historisch(m)]
    for hist in historische:
        origineel = hist.instance_type._meta.concrete_model
        ids = v.ids(origineel)
        if not ids:
            continue
        qs = hist._base_manager.filter(**{f"{origineel._meta.pk.attname}__in": ids})
        for naam in _bestandsvelden(origineel):
            if naam in {f.attname for f in hist._meta.concrete_fields}:
                bestanden |= {b for b in qs.values_list(naam, flat=True) if b}
        history_ids = list(qs.values_list("history_id", flat=True))
        if not history_ids:
            continue
        for kind in historische:  # the historical m2m tables of this history
            for f in _relaties(kind):
                if f.name == "history" and f.related_model is hist:
                    _raw(kind._base_manager.filter(history_id__in=history_ids))
        historie += _raw(qs)
    # 2. admin log entries naming a collected row (their ``object_repr`` is the person's name)
    for model, ids in v.levend.items():
        if ids:
            _raw(
                LogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
                    object_id__in=[str(i) for i in ids],
                )
            )
    # 3. the live rows: their many-to-many rows, then the rows, children first
    aantallen: dict[str, int] = {}
    for model in _volgorde([m for m, ids in v.levend.items() if ids]):
        ids = v.levend[model]
        qs = model._base_manager.filter(pk__in=ids)
        for naam in _bestandsvelden(model):
            bestanden |= {b for b in qs.values_list(naam, flat=True) if b}
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through  # type: ignore[attr-defined]
            bron = m2m.m2m_field_name()  # type: ignore[attr-defined]
            _raw(through._base_manager.filter(**{f"{bron}__in": ids}))
        aantal = _raw(qs)
        if aantal:
            aantallen[model._meta.label] = aantal
    return Resultaat(aantallen=aantallen, historie=historie, bestanden=sorted(bestanden))


def bestanden_verwijderen(namen: Iterable[str]) -> int:
    """Delete stored files (after the transaction committed); the number that existed."""
    weg = 0
    for naam in namen:
        if default_storage.exists(naam):
            default_storage.delete(naam)
            weg += 1
    return weg
