"""The change history a user reads: one diff engine over django-simple-history records, used for
the dossier's history (every part registered on the hub, each source with its own need-to-know
filter) and for each termijn's history on the termijnen section."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from inburgering.core import weergave

from .hub import hub
from .models import Dossier, Termijn


@dataclass
class Wijziging:
    veld: str
    oud: str
    nieuw: str


@dataclass
class HistorieRegel:
    tijdstip: datetime
    wie: str
    object: str
    soort: str
    reden: str
    wijzigingen: list[Wijziging] = field(default_factory=list)
    status: str = ""  # a termijn's status after the change, shown in its own column


# django-simple-history's own labels ("Created", "Changed") have no Dutch translation.
HISTORIE_SOORTEN = {
    "+": pgettext_lazy("history record", "created"),
    "~": pgettext_lazy("history record", "changed"),
    "-": pgettext_lazy("history record", "deleted"),
}


def reden_voor_lezer(reden: str | None) -> str:
    """A change reason in the reader's language. The system's own reasons ("PIP issued") are
    stored as the writer's gettext gave them — English from a Celery task or an English
    session; one that is a message of ours is shown translated, a typed reason as typed."""
    return _(reden) if reden else ""


def historie_soort(record: Any) -> str:
    """What a history record did, in the reader's language ("gewijzigd")."""
    return str(HISTORIE_SOORTEN.get(record.history_type, record.history_type))


def _display(record: Any, field_name: str) -> str:
    """A field's value in one history record as the reader reads it (``weergave``): the choice
    label, ja/nee, dd-mm-jjjj, the related object's name — never the stored value."""
    value = getattr(record, field_name, None)
    if value is None or value == "" or value == []:
        return weergave.LEEG
    model_field = record.instance_type._meta.get_field(field_name)
    if model_field.is_relation and not model_field.choices:
        related = getattr(record, field_name.removesuffix("_id"), None)
        return str(related) if related is not None else weergave.LEEG
    return weergave.veldwaarde(model_field, value)


def historie_regels(
    records: Iterable[Any],
    label: str,
    *,
    verborgen: Iterable[str] = (),
    maskeren: Mapping[str, Callable[[str], str]] | None = None,
    velden: Iterable[str] | None = None,
) -> list[HistorieRegel]:
    """Diff consecutive history records in Python (no query per record).

    ``verborgen`` fields (need-to-know data the reader may not see) leave no trace: neither
    their values nor the fact that they changed; a record that changed only those is left out.
    ``maskeren`` maps a field to a function that masks its shown values (the BSN for partner
    roles). ``velden`` limits the lines to these fields (all but the technical ones when None).
    The lines come oldest first."""
    verborgen = set(verborgen)
    velden = tuple(velden) if velden is not None else None
    maskeren = maskeren or {}
    regels = []
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    skip = {"id", "uuid", "aangemaakt_op", "gewijzigd_op"}
    previous = None
    for record in ordered:
        meta = record.instance_type._meta
        fields = (
            [meta.get_field(naam) for naam in velden]
            if velden is not None
            else [f for f in meta.fields if f.name not in skip]
        )
        wijzigingen = []
        alleen_verborgen = False
        for f in fields:
            name = f.attname if f.is_relation else f.name
            new = getattr(record, name, None)
            old: Any = getattr(previous, name, None) if previous is not None else None
            if previous is None and new in (None, "", [], False):
                continue
            if previous is not None and old == new:
                continue
            if f.name in verborgen:
                alleen_verborgen = True
                continue
            oud_tekst = _display(previous, f.name) if previous is not None else "—"
            nieuw_tekst = _display(record, f.name)
            if f.name in maskeren:
                oud_tekst = maskeren[f.name](oud_tekst) if oud_tekst != "—" else oud_tekst
                nieuw_tekst = maskeren[f.name](nieuw_tekst) if nieuw_tekst != "—" else nieuw_tekst
            wijzigingen.append(
                Wijziging(veld=str(f.verbose_name), oud=oud_tekst, nieuw=nieuw_tekst)
            )
        if alleen_verborgen and not wijzigingen and record.history_type == "~":
            previous = record
            continue
        regels.append(
            HistorieRegel(
                tijdstip=record.history_date,
                wie=str(record.history_user) if record.history_user else _("system"),
                object=label,
                soort=historie_soort(record),
                reden=reden_voor_lezer(record.history_change_reason),
                wijzigingen=wijzigingen,
                status=_display(record, "status") if velden and "status" in velden else "",
            )
        )
        previous = record
    return regels


def dossier_historie(dossier: Dossier, user: Any = None) -> list[HistorieRegel]:
    """Who changed what, when, from what to what — in every part of the dossier registered on
    the hub (the dossier and its person, the intake and its domains, the PIP, the termijnen, and
    what later domains add), newest first, as ``user`` may read it: each source applies its own
    need-to-know filter (signals, medical domains) and masking (the BSN for partner roles).
    ``user=None`` is the system's full view."""
    regels: list[HistorieRegel] = []
    for bron in hub.historie():
        per_object: dict[Any, list[Any]] = {}
        for record in bron.records(user, dossier):
            per_object.setdefault(record.id, []).append(record)
        verborgen = bron.verborgen(user, dossier)
        maskeren = bron.maskeren(user, dossier)
        for records in per_object.values():
            label = bron.label_van(records[0]) if bron.label_van else str(bron.label)
            regels += historie_regels(
                records, label, verborgen=verborgen, maskeren=maskeren, velden=bron.velden
            )
    return sorted(regels, key=lambda r: r.tijdstip, reverse=True)


TERMIJN_HISTORIE_VELDEN = (
    "status",
    "uiterste_datum",
    "berekende_datum",
    "startdatum",
    "gehaald_op",
    "toelichting",
)


def termijnen_historie(termijnen: list[Termijn]) -> dict[int, list[HistorieRegel]]:
    """The history of these clocks — who changed what, when, from what to what — per termijn
    id, oldest first. One query for all of them."""
    per_termijn: dict[int, list[Any]] = {}
    if termijnen:
        records = (
            Termijn.history.filter(id__in=[t.pk for t in termijnen])  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            per_termijn.setdefault(record.id, []).append(record)
    return {
        termijn_id: historie_regels(records, str(_("Deadline")), velden=TERMIJN_HISTORIE_VELDEN)
        for termijn_id, records in per_termijn.items()
    }
