"""Reading the log back: one person's processing records with who did each (the "who looked at
this person" page and the answer to an inzageverzoek read it the same way)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Organisatie

from . import activiteiten
from .models import AuditRecord, Verwerking
from .pseudoniem import pseudoniem


def verwerkingen_van(bsn: str) -> QuerySet[Verwerking]:
    """Every processing of this person's data, newest first (by the keyed pseudonym: the log
    holds no BSN)."""
    return Verwerking.objects.filter(betrokkene=pseudoniem(bsn)).order_by("-volgnummer")


@dataclass(frozen=True)
class Regel:
    """One processing record with the audit record of its span."""

    verwerking: Verwerking
    actor: str
    organisatie: str
    rollen: tuple[str, ...]
    activiteit: str

    @property
    def door_systeem(self) -> bool:
        return not self.actor


def _rol_label(code: str) -> str:
    try:
        return str(Rol(code).label)
    except ValueError:
        return code


def _activiteit_naam(code: str) -> str:
    return str(activiteiten.activiteit(code).naam) if activiteiten.bekend(code) else code


def met_actoren(verwerkingen: Iterable[Verwerking]) -> list[Regel]:
    """The records with their actor, organisation and roles: two queries whatever the number
    (the audit records of these spans, the organisations of their actors)."""
    lijst: Sequence[Verwerking] = list(verwerkingen)
    records: dict[str, AuditRecord] = {
        r.span_id: r
        for r in AuditRecord.objects.filter(span_id__in={v.span_id for v in lijst}).only(
            "span_id", "actor", "organisatie_id", "rollen"
        )
    }
    org_ids = {r.organisatie_id for r in records.values() if r.organisatie_id}
    organisaties: dict[Any, str] = (
        dict(Organisatie.objects.filter(pk__in=org_ids).values_list("pk", "naam"))
        if org_ids
        else {}
    )
    regels = []
    for v in lijst:
        record = records.get(v.span_id)
        regels.append(
            Regel(
                verwerking=v,
                actor=record.actor if record else "",
                organisatie=organisaties.get(record.organisatie_id, "") if record else "",
                rollen=tuple(_rol_label(c) for c in record.rollen.split(",") if c)
                if record
                else (),
                activiteit=_activiteit_naam(v.activiteit),
            )
        )
    return regels
