"""What the bulk export reads: the history tables of every dossier-related model of the parts
registered on the dossier hub, and the decisions the domains issue — as SQL for one gemeente's
dossiers (a subquery from the policy layer, ``cases.policy.dossiers_for``) and one period.

The history sources are found generically, so a domain that registers a part on the hub and
gives its models django-simple-history is exported without a change here: the dossier, the
person (through their dossiers), every model with a foreign key to the dossier, and every model
one foreign key further (an intake's domains, a PIP's route changes, a procedure's letters).
Models that belong to a gemeente but to no dossier (policies, tariffs) are not dossier history.

Need-to-know: each app's rows need that app's read permission (``LEESRECHT``; an app missing
from it is left out, so a new domain fails closed and a test says so); the medical intake
domains are never exported (``UITGESLOTEN``), and no field value is exported at all — only who,
when, what kind of object, which dossier and person, the kind of change and its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from cases.hub import hub
from cases.models import Dossier, Inburgeraar
from handhaving.constants import BriefSoort, BriefStatus
from pip_plans.constants import MEDISCHE_DOMEINEN, PipStatus

# the read permission per hub app whose history rows the export includes
LEESRECHT: dict[str, str] = {
    "cases": "cases.view_historie_dossier",
    "pip_plans": "pip_plans.view_bredeintake",
    "handhaving": "handhaving.view_procedure",
    "begeleiding": "begeleiding.view_aanmelding",
}

# rows never exported, whatever the reader's permissions: (model label, SQL condition on the
# history row ``h`` that keeps a row, its parameters). The medical domains of the brede intake
# are special-category data (AVG art. 9) nobody needs in a bulk export.
UITGESLOTEN: dict[str, tuple[str, list[Any]]] = {
    "pip_plans.domeinbeoordeling": ("NOT (h.domein = ANY(%s))", [sorted(MEDISCHE_DOMEINEN)]),
}


@dataclass(frozen=True)
class HistorieBron:
    """One history table and how its rows reach a dossier (SQL on alias ``h``)."""

    model: type[models.Model]
    tabel: str
    dossier: str  # SQL expression of the dossier id
    joins: str = ""
    voorwaarde: str = ""  # extra SQL condition (need-to-know), with ``params``
    params: tuple[Any, ...] = ()

    @property
    def app(self) -> str:
        return self.model._meta.app_label

    @property
    def label(self) -> str:
        naam = str(self.model._meta.verbose_name)
        return naam[:1].upper() + naam[1:]


def _fk_naar_dossier(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    for f in model._meta.fields:
        if isinstance(f, models.ForeignKey) and f.related_model is Dossier:
            return f
    return None


def _bron(model: type[models.Model]) -> HistorieBron | None:
    historie = getattr(model, "history", None)
    if historie is None:
        return None
    tabel = historie.model._meta.db_table
    label = model._meta.label_lower
    voorwaarde, params = UITGESLOTEN.get(label, ("", []))
    extra: dict[str, Any] = {"voorwaarde": voorwaarde, "params": tuple(params)}
    if model is Dossier:
        return HistorieBron(model, tabel, "h.id", **extra)
    if model is Inburgeraar:
        # a change to the person belongs to each of their dossiers in the export
        joins = f"JOIN {Dossier._meta.db_table} pd ON pd.inburgeraar_id = h.id"
        return HistorieBron(model, tabel, "pd.id", joins, **extra)
    fk = _fk_naar_dossier(model)
    if fk is not None:
        return HistorieBron(model, tabel, f"h.{fk.column}", **extra)
    for f in model._meta.fields:
        if not isinstance(f, models.ForeignKey) or f.related_model is None:
            continue
        ouder = f.related_model
        ouder_fk = _fk_naar_dossier(ouder)  # type: ignore[arg-type]
        if ouder_fk is not None:
            joins = f"JOIN {ouder._meta.db_table} po ON po.id = h.{f.column}"  # type: ignore[union-attr]
            return HistorieBron(model, tabel, f"po.{ouder_fk.column}", joins, **extra)
    return None  # gemeente-level configuration, not a dossier's history


def historie_bronnen() -> list[HistorieBron]:
    """Every dossier-related history table of the apps registered on the hub."""
    bronnen = []
    for onderdeel in hub:
        for model in apps.get_app_config(onderdeel.app).get_models():
            bron = _bron(model)
            if bron is not None:
                bronnen.append(bron)
    return bronnen


# --- decisions -----------------------------------------------------------------------------------

# a PIP is a beschikking from ``vastgesteld`` on; it stays one when superseded or withdrawn
PIP_BESCHIKT = [PipStatus.VASTGESTELD, PipStatus.GEWIJZIGD, PipStatus.INGETROKKEN]
# handhaving letters that are decisions (the voornemen is an intent, not a decision)
HANDHAVING_BESLUITEN = [BriefSoort.BOETEBESCHIKKING, BriefSoort.GEEN_BOETE, BriefSoort.INTREKKING]


@dataclass(frozen=True)
class BesluitBron:
    """One kind of issued decision: SQL selecting ``kenmerk, datum, soort, dossier_id`` for
    dossiers in ``export_dossiers`` and dates between the two ``%s`` after its params."""

    leesrecht: str
    sql: str
    params: tuple[Any, ...]


def besluit_bronnen() -> list[BesluitBron]:
    from handhaving.models import Brief, Procedure
    from pip_plans.models import Pip

    return [
        BesluitBron(
            "pip_plans.view_pip",
            f"SELECT p.kenmerk, p.datum_vastgesteld AS datum, 'pip.beschikking' AS soort,"  # noqa: S608 (table names from the models)
            f" p.dossier_id FROM {Pip._meta.db_table} p"
            " WHERE p.dossier_id IN (SELECT id FROM export_dossiers) AND p.status = ANY(%s)"
            " AND p.datum_vastgesteld BETWEEN %s AND %s",
            (PIP_BESCHIKT,),
        ),
        BesluitBron(
            "handhaving.view_procedure",
            f"SELECT b.kenmerk, b.dagtekening AS datum, 'handhaving.' || b.soort AS soort,"  # noqa: S608
            f" pr.dossier_id FROM {Brief._meta.db_table} b"
            f" JOIN {Procedure._meta.db_table} pr ON pr.id = b.procedure_id"
            " WHERE pr.dossier_id IN (SELECT id FROM export_dossiers) AND b.status = %s"
            " AND b.soort = ANY(%s) AND b.dagtekening BETWEEN %s AND %s",
            (BriefStatus.VERZONDEN, HANDHAVING_BESLUITEN),
        ),
    ]


def besluit_soorten() -> dict[str, str]:
    """The label of each decision kind code, in the reader's language."""
    from django.utils.translation import gettext as _

    soorten = {"pip.beschikking": _("PIP beschikking")}
    for soort in HANDHAVING_BESLUITEN:
        soorten[f"handhaving.{soort}"] = str(BriefSoort(soort).label)
    return soorten
