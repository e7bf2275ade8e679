"""The hub's side of the Logboek Dataverwerkingen: which person a changed object belongs to.

``inburgering.audit`` records a change written to the history for the person it is about; it
asks the resolver registered here. A person is their own subject; a dossier is its person's;
any other object of a dossier's part (an intake, a domain of it, a PIP, a procedure, a contact)
reaches the dossier through its foreign keys (at most three steps), so a domain app needs no
code of its own. Found dossiers are remembered per span (one query per dossier, not per
change)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django_scopes import scopes_disabled

from inburgering.audit import logboek


def bsn_van_persoon(pk: int) -> str | None:
    from .models import Inburgeraar

    with scopes_disabled():
        return Inburgeraar.objects.filter(pk=pk).values_list("bsn", flat=True).first()


def _bsn_van_dossier(dossier_id: int, span: logboek.Span) -> str | None:
    from .models import Dossier

    sleutel = ("dossier", dossier_id)
    if sleutel not in span.cache:
        with scopes_disabled():
            span.cache[sleutel] = (
                Dossier.objects.filter(pk=dossier_id)
                .values_list("inburgeraar__bsn", flat=True)
                .first()
            )
    return span.cache[sleutel]


def _dossier_id(obj: Any, diepte: int = 0) -> int | None:
    from .models import Dossier

    if isinstance(obj, Dossier):
        return obj.pk
    if diepte >= 3:
        return None
    for veld in obj._meta.concrete_fields:
        if not isinstance(veld, models.ForeignKey):
            continue
        waarde = getattr(obj, veld.attname)
        if waarde is None:
            continue
        if veld.related_model is Dossier:
            return waarde
    for veld in obj._meta.concrete_fields:
        if (
            isinstance(veld, models.ForeignKey)
            and getattr(obj, veld.attname) is not None
            and veld.related_model._meta.app_label not in ("accounts", "auth", "contenttypes")
        ):
            gevonden = _dossier_id(getattr(obj, veld.name), diepte + 1)
            if gevonden is not None:
                return gevonden
    return None


def betrokkene(instance: Any, span: logboek.Span) -> str | None:
    """The BSN of the person ``instance`` is about, or ``None``."""
    from .models import Inburgeraar

    if isinstance(instance, Inburgeraar):
        return instance.bsn
    dossier_id = _dossier_id(instance)
    return _bsn_van_dossier(dossier_id, span) if dossier_id is not None else None


def registreren() -> None:
    logboek.registreer_bron(betrokkene)
