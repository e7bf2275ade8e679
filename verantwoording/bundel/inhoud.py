"""What a dossier's accountability report holds, as one user may see it: the person and the
dossier, every part registered on the hub with what it contributes, the timeline, the change
history of every model (actor, time, old → new, reason), the termijnen with their extensions
(the cases part) and the issued decisions. Read through the policy layer only: the caller runs
inside the user's tenancy scope, and every part applies its own need-to-know."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _

from cases.historie import HistorieRegel, dossier_historie
from cases.hub import RapportBlok, UitgegevenDocument, hub
from cases.models import Dossier, Inburgeraar
from cases.policy import bsn_voor, can_view_medical, gebeurtenissen_voor
from inburgering.core import weergave

TECHNISCH = {"id", "uuid", "aangemaakt_op", "gewijzigd_op"}

HISTORIE_KOLOMMEN = ("tijdstip", "wie", "object", "soort", "reden", "veld", "oud", "nieuw")


@dataclass
class Deel:
    """One part registered on the hub and what it contributes."""

    app: str
    naam: str
    blokken: list[RapportBlok] = field(default_factory=list)


@dataclass
class DossierInhoud:
    dossier: Dossier
    persoon: list[tuple[str, str]]
    gegevens: list[tuple[str, str]]
    delen: list[Deel]
    gebeurtenissen: list[dict[str, str]]
    historie: list[HistorieRegel]
    documenten: list[UitgegevenDocument]
    medisch: bool


def velden_van(obj: models.Model, *, user: Any, dossier: Dossier | None) -> list[tuple[str, str]]:
    """Every field of ``obj`` but the technical ones, as the reader reads it (the BSN as this
    user may see it)."""
    regels = []
    for f in obj._meta.concrete_fields:
        if f.name in TECHNISCH:
            continue
        if f.name == "bsn" and isinstance(obj, Inburgeraar):
            waarde = bsn_voor(user, obj, dossier)
        elif f.is_relation:
            gerelateerd = getattr(obj, f.name, None)
            waarde = str(gerelateerd) if gerelateerd is not None else weergave.LEEG
        else:
            waarde = weergave.veldwaarde(f, getattr(obj, f.attname))
        regels.append((str(f.verbose_name), waarde))
    return regels


def _appnaam(app: str) -> str:
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


def dossier_inhoud(user: Any, dossier: Dossier) -> DossierInhoud:
    """Everything of ``dossier`` the report shows to ``user`` (inside the user's scope)."""
    persoon = dossier.inburgeraar
    return DossierInhoud(
        dossier=dossier,
        persoon=velden_van(persoon, user=user, dossier=dossier),
        gegevens=velden_van(dossier, user=user, dossier=dossier),
        delen=[
            Deel(app=o.app, naam=_appnaam(o.app), blokken=blokken)
            for o, blokken in hub.rapport(user, dossier)
        ],
        gebeurtenissen=[
            {
                "tijdstip": weergave.moment(g.tijdstip),
                "soort": g.soort_label,
                "tekst": g.tekst,
                "wie": str(g.actor) if g.actor else _("system"),
            }
            for g in gebeurtenissen_voor(user, dossier).select_related("actor").order_by("tijdstip")
        ],
        historie=dossier_historie(dossier, user),
        documenten=hub.documenten(user, dossier),
        medisch=can_view_medical(user, dossier),
    )


def historie_json(regels: list[HistorieRegel]) -> list[dict[str, Any]]:
    """The history machine-readable: one entry per change record, oldest first."""
    return [
        {
            "tijdstip": r.tijdstip.isoformat(),
            "wie": r.wie,
            "object": r.object,
            "soort": r.soort,
            "reden": r.reden,
            "wijzigingen": [
                {"veld": w.veld, "oud": w.oud, "nieuw": w.nieuw} for w in r.wijzigingen
            ],
        }
        for r in sorted(regels, key=lambda r: r.tijdstip)
    ]


def historie_rijen(regels: list[HistorieRegel]) -> list[tuple[str, ...]]:
    """The history as CSV rows: one per changed field (a record without one: one row)."""
    rijen: list[tuple[str, ...]] = []
    for r in sorted(regels, key=lambda r: r.tijdstip):
        basis = (r.tijdstip.isoformat(), r.wie, r.object, r.soort, r.reden)
        if not r.wijzigingen:
            rijen.append((*basis, "", "", ""))
        for w in r.wijzigingen:
            rijen.append((*basis, w.veld, w.oud, w.nieuw))
    return rijen
