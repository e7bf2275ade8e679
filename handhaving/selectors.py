"""Reads of the fine procedure. Visibility starts from ``cases.policy.dossiers_for`` and the
handhaving read permission (``policy.procedures_for``); these functions take what it allows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Dossier, Termijn
from inburgering.accounts.models import Gemeente

from .constants import AFGESLOTEN, BESLOTEN, ProcedureStatus
from .models import Boetetarief, HandhavingBeleid, Procedure
from .termijnregels import ProcedureFeit


def beleid_van(gemeente: Gemeente | int) -> HandhavingBeleid:
    """The gemeente's settings, or the defaults (an unsaved row) when it has none."""
    gemeente_id = gemeente if isinstance(gemeente, int) else gemeente.pk
    beleid = HandhavingBeleid.objects.filter(gemeente_id=gemeente_id).first()
    return beleid or HandhavingBeleid(gemeente_id=gemeente_id)


def tarief_op(categorie: str, datum: date) -> Boetetarief | None:
    """The fixed amount of ``categorie`` on ``datum``: the latest row valid from that day."""
    return (
        Boetetarief.objects.filter(categorie=categorie, geldig_vanaf__lte=datum)
        .order_by("-geldig_vanaf")
        .first()
    )


def maximum_op(categorie: str, datum: date) -> Decimal | None:
    tarief = tarief_op(categorie, datum)
    return tarief.maximum if tarief else None


def heeft_uitkering(dossier: Dossier) -> bool:
    """On a Participatiewet benefit, as the PIP in force records it (pip_plans' facts)."""
    from pip_plans.termijnregels import pip_feiten

    pip = pip_feiten(dossier).pip
    return bool(pip is not None and pip.heeft_uitkering)


def procedure_feiten(dossier: Dossier) -> tuple[ProcedureFeit, ...]:
    """The facts the termijn rules need, one per procedure of ``dossier`` (one query)."""
    feiten = []
    for p in Procedure.objects.filter(dossier=dossier).select_related("verzuim"):
        besloten = p.status in BESLOTEN
        besluit = (p.besluit_datum or p.gesprek_datum) if besloten else None
        bezwaren = (
            ((p.bezwaar_ontvangen_op, p.bezwaar_beslist_op),) if p.bezwaar_ontvangen_op else ()
        )
        feiten.append(
            ProcedureFeit(
                volgnummer=p.volgnummer,
                verzuim_datum=p.verzuim.datum,
                zwaar=p.zware_boete,
                rapport_datum=p.rapport_datum,
                voornemen_datum=p.voornemen_datum,
                zienswijze_tot=p.zienswijze_tot,
                zienswijze_datum=p.zienswijze_datum,
                besluit_datum=besluit,
                bezwaren=bezwaren,
            )
        )
    return tuple(feiten)


def open_procedures(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    return qs.exclude(status__in=AFGESLOTEN)


def wachtrij(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """Fines awaiting a teamleider's approval, oldest first (a fixed number of queries)."""
    return (
        qs.filter(status=ProcedureStatus.TER_GOEDKEURING)
        .select_related(
            "verzuim", "dossier__inburgeraar", "dossier__werkcoach", "dossier__gemeente"
        )
        .order_by("gewijzigd_op", "id")
    )


def termijnen_van(procedures: list[Procedure]) -> dict[tuple[int, int], dict[str, Termijn]]:
    """The clocks of each procedure, by (dossier id, volgnummer) and rule code (one query)."""
    if not procedures:
        return {}
    dossier_ids = {p.dossier_id for p in procedures}
    result: dict[tuple[int, int], dict[str, Termijn]] = {}
    for t in Termijn.objects.filter(
        dossier_id__in=dossier_ids,
        code__in=["boete_zienswijze", "boete_beslistermijn", "boete_verval"],
    ):
        result.setdefault((t.dossier_id, t.volgnummer), {})[t.code] = t
    return result


def open_per_werkcoach(qs: QuerySet[Procedure]) -> list[dict[str, Any]]:
    """Open procedures counted per werkcoach of the dossier, with those awaiting approval."""
    rows = (
        open_procedures(qs)
        .values(
            "dossier__werkcoach_id",
            "dossier__werkcoach__first_name",
            "dossier__werkcoach__last_name",
        )
        .annotate(
            aantal=Count("id"),
            ter_goedkeuring=Count("id", filter=Q(status=ProcedureStatus.TER_GOEDKEURING)),
        )
        .order_by("dossier__werkcoach__last_name", "dossier__werkcoach__first_name")
    )
    return [
        {
            "werkcoach_id": r["dossier__werkcoach_id"],
            "naam": " ".join(
                n
                for n in (r["dossier__werkcoach__first_name"], r["dossier__werkcoach__last_name"])
                if n
            )
            or _("(no werkcoach)"),
            "aantal": r["aantal"],
            "ter_goedkeuring": r["ter_goedkeuring"],
        }
        for r in rows
    ]


# DUO's own fines (not the gemeente's): shown as a risk when their clock nears its end
DUO_BOETES: dict[str, tuple[str, Decimal]] = {
    "inburgeringstermijn": ("route", Decimal("1000.00")),
    "pvt": ("pvt", Decimal("340.00")),
    "map": ("map", Decimal("340.00")),
}
DUO_RISICO_DAGEN = 183  # about six months before the end


def duo_risicos(dossier: Dossier, *, vandaag: date) -> list[dict[str, Any]]:
    """DUO fines the person risks: a route, PVT or MAP clock still open within six months of
    its end (or past it), so the werkcoach can act. The amounts are DUO's statutory maxima."""
    from cases.constants import LOPEND

    risicos = []
    for t in Termijn.objects.filter(
        dossier=dossier, code__in=list(DUO_BOETES), status__in=list(LOPEND)
    ).order_by("uiterste_datum"):
        dagen = (t.uiterste_datum - vandaag).days
        if dagen <= DUO_RISICO_DAGEN:
            onderdeel, bedrag = DUO_BOETES[t.code]
            risicos.append({"termijn": t, "onderdeel": onderdeel, "bedrag": bedrag, "dagen": dagen})
    return risicos
