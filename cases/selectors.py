"""Reads for the dossier core. Every function starts from the access policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente, User
from inburgering.core.access import dossiers_for, gemeente_ids

from . import rules
from .constants import OPEN_FASEN
from .models import Dossier, Inburgeraar

SORTERINGEN = {
    "naam": ("inburgeraar__achternaam", "inburgeraar__voornamen", "id"),
    "-naam": ("-inburgeraar__achternaam", "-inburgeraar__voornamen", "-id"),
    "brp": ("datum_brp_inschrijving", "id"),
    "-brp": ("-datum_brp_inschrijving", "-id"),
    "fase": ("fase", "id"),
    "gemeente": ("gemeente__naam", "id"),
    "gewijzigd": ("gewijzigd_op", "id"),
    "-gewijzigd": ("-gewijzigd_op", "-id"),
}


def zoek_filter(zoekterm: str) -> Q:
    """A BSN (nine digits passing the elfproef) matches exactly; anything else searches names."""
    term = zoekterm.strip()
    bsn = rules.normalise_bsn(term)
    if rules.is_valid_bsn(bsn):
        return Q(inburgeraar__bsn=bsn)
    q = Q()
    for word in term.split():
        q &= (
            Q(inburgeraar__voornamen__icontains=word)
            | Q(inburgeraar__achternaam__icontains=word)
            | Q(inburgeraar__tussenvoegsel__iexact=word)
        )
    return q


def caseload(
    *,
    user: User,
    fase: str = "",
    doelgroep: str = "",
    regime: str = "",
    gemeente: str = "",
    werkcoach: str = "",
    alleen_open: bool = True,
    zoekterm: str = "",
    sortering: str = "naam",
) -> QuerySet[Dossier]:
    """The caseload list: one query for the rows whatever the page length."""
    qs = dossiers_for(user).select_related("inburgeraar", "gemeente", "werkcoach", "begeleider")
    if fase:
        qs = qs.filter(fase=fase)
    elif alleen_open:
        qs = qs.filter(fase__in=OPEN_FASEN)
    if doelgroep:
        qs = qs.filter(inburgeraar__doelgroep=doelgroep)
    if regime:
        qs = qs.filter(inburgeraar__regime=regime)
    if gemeente:
        qs = qs.filter(gemeente__uuid=gemeente)
    if werkcoach in ("", "alle"):
        pass
    elif werkcoach == "mij":
        qs = qs.filter(werkcoach=user)
    elif werkcoach == "geen":
        qs = qs.filter(werkcoach__isnull=True)
    elif werkcoach:
        qs = qs.filter(werkcoach__uuid=werkcoach)
    if zoekterm.strip():
        qs = qs.filter(zoek_filter(zoekterm))
    return qs.order_by(*SORTERINGEN.get(sortering, SORTERINGEN["naam"]))


def dossier_voor(user: User, uuid: Any) -> Dossier:
    """One dossier the user may see, or ``Dossier.DoesNotExist`` (→ 404, never another's data)."""
    return (
        dossiers_for(user)
        .select_related(
            "inburgeraar", "gemeente", "werkcoach", "begeleider", "vorig_dossier__gemeente"
        )
        .get(uuid=uuid)
    )


def gemeenten_voor(user: User) -> QuerySet[Gemeente]:
    return Gemeente.objects.filter(pk__in=gemeente_ids(user)).order_by("naam")


def werkcoaches_voor(user: User, gemeente: Gemeente | None = None) -> QuerySet[User]:
    """Werkcoaches (and teamleiders) of teams serving the user's gemeenten, or one gemeente."""
    ids = [gemeente.pk] if gemeente else gemeente_ids(user)
    return (
        User.objects.filter(
            groups__name__in=[Rol.WERKCOACH, Rol.TEAMLEIDER],
            organisatie__gemeenten__in=ids,
            is_active=True,
        )
        .distinct()
        .select_related("organisatie")
        .order_by("last_name", "first_name")
    )


def begeleiders_voor(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(
            groups__name=Rol.BEGELEIDER,
            organisatie__gemeenten__in=gemeente_ids(user),
            is_active=True,
        )
        .distinct()
        .select_related("organisatie")
        .order_by("last_name", "first_name")
    )


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


def _display(record: Any, field_name: str) -> str:
    value = getattr(record, field_name, None)
    if value is None or value == "" or value == []:
        return "—"
    model_field = record.instance_type._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = getattr(record, field_name.removesuffix("_id"), None)
        return str(related) if related is not None else "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _historie_van(records: list[Any], label: str) -> list[HistorieRegel]:
    """Diff consecutive history records in Python (no query per record)."""
    regels = []
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    skip = {"id", "uuid", "aangemaakt_op", "gewijzigd_op"}
    previous = None
    for record in ordered:
        fields = [f for f in record.instance_type._meta.fields if f.name not in skip]
        wijzigingen = []
        for f in fields:
            name = f.attname if f.is_relation else f.name
            new = getattr(record, name, None)
            old: Any = getattr(previous, name, None) if previous is not None else None
            if previous is None and new in (None, "", [], False):
                continue
            if previous is not None and old == new:
                continue
            wijzigingen.append(
                Wijziging(
                    veld=str(f.verbose_name),
                    oud=_display(previous, f.name) if previous is not None else "—",
                    nieuw=_display(record, f.name),
                )
            )
        regels.append(
            HistorieRegel(
                tijdstip=record.history_date,
                wie=str(record.history_user) if record.history_user else _("system"),
                object=label,
                soort=record.get_history_type_display(),
                reden=record.history_change_reason or "",
                wijzigingen=wijzigingen,
            )
        )
        previous = record
    return regels


def dossier_historie(dossier: Dossier) -> list[HistorieRegel]:
    """Who changed what, when, from what to what — for the dossier and its person."""
    dossier_records = list(
        dossier.history.select_related("history_user", "werkcoach", "begeleider", "gemeente").all()
    )
    persoon_records = list(
        Inburgeraar.history.filter(id=dossier.inburgeraar_id).select_related("history_user").all()
    )
    regels = _historie_van(dossier_records, _("Dossier")) + _historie_van(
        persoon_records, _("Person")
    )
    return sorted(regels, key=lambda r: r.tijdstip, reverse=True)
