"""Reads for the dossier core. Every function starts from the access policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente, User
from inburgering.core.access import (
    can_view_full_bsn,
    can_view_signalen,
    dossiers_for,
    gemeente_ids,
    mask_bsn,
)

from . import rules
from .constants import (
    BINNENKORT_DAGEN,
    OPEN_FASEN,
    SignaalSoort,
    TermijnFilter,
    TermijnStatus,
)
from .models import Dossier, Inburgeraar, Signaal, Termijn, Verlenging
from .termijnregels import registry

SORTERINGEN: dict[str, tuple[Any, ...]] = {
    "naam": ("inburgeraar__achternaam", "inburgeraar__voornamen", "id"),
    "-naam": ("-inburgeraar__achternaam", "-inburgeraar__voornamen", "-id"),
    "brp": ("datum_brp_inschrijving", "id"),
    "-brp": ("-datum_brp_inschrijving", "-id"),
    "fase": ("fase", "id"),
    "gemeente": ("gemeente__naam", "id"),
    "gewijzigd": ("gewijzigd_op", "id"),
    "-gewijzigd": ("-gewijzigd_op", "-id"),
    # nearest open deadline first; dossiers without one last
    "termijn": (F("termijn_eerstvolgend").asc(nulls_last=True), "id"),
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
    termijn: str = "",
) -> QuerySet[Dossier]:
    """The caseload list: one query for the rows whatever the page length. Each row carries
    its deadline status as subqueries (``termijn_eerstvolgend``, ``termijn_eerstvolgend_code``,
    ``termijn_eerstvolgend_nummer``, ``termijnen_verlopen``), see ``met_termijnstatus``."""
    qs = met_termijnstatus(
        dossiers_for(user).select_related("inburgeraar", "gemeente", "werkcoach", "begeleider")
    )
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
    if termijn:
        qs = qs.filter(termijn_filter(termijn))
    return qs.order_by(*SORTERINGEN.get(sortering, SORTERINGEN["naam"]))


def binnenkort_grens(vandaag: date | None = None) -> date:
    """The last due date that counts as "due soon" (``BINNENKORT_DAGEN`` from today)."""
    return (vandaag or timezone.localdate()) + timedelta(days=BINNENKORT_DAGEN)


def termijn_filter(waarde: str, vandaag: date | None = None) -> Q:
    """The caseload's deadline filter. "Due soon" is an open clock due on or before the
    horizon — an open clock already past its date (the hourly sweep has not yet marked it)
    is due at least as soon, so it is included. An unknown value filters nothing."""
    if waarde == TermijnFilter.BINNEN_14:
        return Q(
            Exists(
                Termijn.objects.filter(
                    dossier=OuterRef("pk"),
                    status=TermijnStatus.OPEN,
                    uiterste_datum__lte=binnenkort_grens(vandaag),
                )
            )
        )
    if waarde == TermijnFilter.VERLOPEN:
        return Q(
            Exists(Termijn.objects.filter(dossier=OuterRef("pk"), status=TermijnStatus.VERLOPEN))
        )
    return Q()


def met_termijnstatus(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Annotate each dossier with its nearest open due date (and that clock's rule) and its
    number of overdue clocks — correlated subqueries on the partial indexes
    ``idx_termijn_open_per_dossier`` and ``idx_termijn_verlopen``, so no query per row."""
    open_klokken = Termijn.objects.filter(
        dossier=OuterRef("pk"), status=TermijnStatus.OPEN
    ).order_by("uiterste_datum", "code", "volgnummer")
    verlopen = (
        Termijn.objects.filter(dossier=OuterRef("pk"), status=TermijnStatus.VERLOPEN)
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        termijn_eerstvolgend=Subquery(open_klokken.values("uiterste_datum")[:1]),
        termijn_eerstvolgend_code=Subquery(open_klokken.values("code")[:1]),
        termijn_eerstvolgend_nummer=Subquery(open_klokken.values("volgnummer")[:1]),
        termijnen_verlopen=Coalesce(Subquery(verlopen, output_field=IntegerField()), 0),
    )


def termijnstatus_labels(dossiers: Iterable[Any]) -> None:
    """Complete ``met_termijnstatus`` rows for display, in Python (no query per row): the
    nearest clock's description and whether it is due soon."""
    grens = binnenkort_grens()
    for d in dossiers:
        d.termijn_eerstvolgend_omschrijving = termijn_omschrijving(
            d.termijn_eerstvolgend_code, d.termijn_eerstvolgend_nummer
        )
        d.termijn_binnenkort = (
            d.termijn_eerstvolgend is not None and d.termijn_eerstvolgend <= grens
        )


def termijn_omschrijving(code: str | None, volgnummer: int | None = None) -> str:
    """A rule's description from its code, as ``Termijn.omschrijving`` (no query)."""
    if not code:
        return ""
    regel = registry.get(code)
    if regel is None:
        return code
    label = str(regel.omschrijving)
    return f"{label} {volgnummer}" if regel.herhalend and volgnummer else label


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


# django-simple-history's own labels ("Created", "Changed") have no Dutch translation.
HISTORIE_SOORTEN = {
    "+": pgettext_lazy("history record", "created"),
    "~": pgettext_lazy("history record", "changed"),
    "-": pgettext_lazy("history record", "deleted"),
}


def historie_soort(record: Any) -> str:
    """What a history record did, in the reader's language ("gewijzigd")."""
    return str(HISTORIE_SOORTEN.get(record.history_type, record.history_type))


def historie_datum(value: date) -> str:
    """A date or moment in a history line, written like everywhere else in the UI (dd-mm-jjjj,
    a moment in local time with hh:mm) — never the ISO form the database gives."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "d-m-Y H:i")
    return formats.date_format(value, "d-m-Y")


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
    if isinstance(value, date):
        return historie_datum(value)
    if isinstance(value, list):
        # An ArrayField of choices (contact channels, exam parts) shows its labels.
        base_field: Any = getattr(model_field, "base_field", None)
        labels = dict(base_field.flatchoices) if getattr(base_field, "choices", None) else {}
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(value)


def _historie_van(
    records: list[Any],
    label: str,
    *,
    verborgen: Iterable[str] = (),
    maskeren: dict[str, Any] | None = None,
) -> list[HistorieRegel]:
    """Diff consecutive history records in Python (no query per record).

    ``verborgen`` fields (need-to-know data the reader may not see) leave no trace: neither
    their values nor the fact that they changed; a record that changed only those is left out.
    ``maskeren`` maps a field to a function that masks its shown values (the BSN for partner
    roles)."""
    verborgen = set(verborgen)
    maskeren = maskeren or {}
    regels = []
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    skip = {"id", "uuid", "aangemaakt_op", "gewijzigd_op"}
    previous = None
    for record in ordered:
        fields = [f for f in record.instance_type._meta.fields if f.name not in skip]
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
                reden=record.history_change_reason or "",
                wijzigingen=wijzigingen,
            )
        )
        previous = record
    return regels


def dossier_historie(dossier: Dossier, user: Any = None) -> list[HistorieRegel]:
    """Who changed what, when, from what to what — for the dossier, its person and its brede
    intake, as ``user`` may read it (through the access policy): signals and referrals only with
    need-to-know, the BSN masked for partner roles. ``user=None`` is the system's full view."""
    from pip_plans.models import BredeIntake  # pip_plans builds on cases, not the reverse

    dossier_records = list(
        dossier.history.select_related("history_user", "werkcoach", "begeleider", "gemeente").all()
    )
    persoon_records = list(
        Inburgeraar.history.filter(id=dossier.inburgeraar_id).select_related("history_user").all()
    )
    intake_records = list(
        BredeIntake.history.filter(dossier_id=dossier.pk).select_related("history_user").all()  # type: ignore[attr-defined]
    )
    volledig_bsn = user is None or can_view_full_bsn(user, dossier)
    regels = (
        _historie_van(dossier_records, _("Dossier"))
        + _historie_van(
            persoon_records,
            _("Person"),
            maskeren={} if volledig_bsn else {"bsn": mask_bsn},
        )
        + _historie_van(
            intake_records,
            _("Brede intake"),
            verborgen=() if user is None or can_view_signalen(user, dossier) else ("signalen",),
        )
    )
    return sorted(regels, key=lambda r: r.tijdstip, reverse=True)


# --- Key dates on the dossier page ------------------------------------------------------------


@dataclass(frozen=True)
class Sleuteldatum:
    code: str
    label: str
    datum: date | None  # when it happened; None while still to come
    doel: str = ""  # for a fact still to come: when it is due


def sleuteldata(dossier: Dossier) -> list[Sleuteldatum]:
    """The dossier's key dates in order: koppeling, housing, BRP registration, then the brede
    intake and the PIP — done (with their date) once recorded. The intake and PIP facts come
    through the fact registry, from the app that owns them."""
    feiten = registry.feiten(dossier)
    return [
        Sleuteldatum("koppeling", _("Koppeling"), dossier.datum_koppeling),
        Sleuteldatum("huisvesting", _("Housing"), dossier.datum_huisvesting),
        Sleuteldatum("brp", _("BRP registration"), dossier.datum_brp_inschrijving),
        Sleuteldatum(
            "intake",
            _("Brede intake"),
            feiten.intake_afgerond,
            _("due 4 weeks after BRP registration"),
        ),
        Sleuteldatum(
            "pip",
            _("PIP"),
            feiten.pip_vastgesteld,
            _("due 10 weeks after BRP registration"),
        ),
    ]


# --- Termijnen on the dossier page -------------------------------------------------------------


def dossier_termijnen(dossier: Dossier) -> list[Termijn]:
    """All clocks of one dossier with their extensions (two queries whatever their number)."""
    return list(
        dossier.termijnen.order_by("uiterste_datum", "code", "volgnummer").prefetch_related(
            Prefetch(
                "verlengingen",
                queryset=Verlenging.objects.select_related("actor").order_by("tijdstip", "id"),
            )
        )
    )


@dataclass
class TermijnHistorieRegel:
    tijdstip: datetime
    wie: str
    soort: str
    status: str
    reden: str
    wijzigingen: list[Wijziging] = field(default_factory=list)


TERMIJN_HISTORIE_VELDEN = (
    "status",
    "uiterste_datum",
    "berekende_datum",
    "startdatum",
    "gehaald_op",
    "toelichting",
)


def _termijn_waarde(record: Any, veld: str) -> str:
    value = getattr(record, veld, None)
    if value is None or value == "":
        return "—"
    if veld == "status":
        return str(TermijnStatus(value).label) if value in TermijnStatus.values else str(value)
    if isinstance(value, date):
        return historie_datum(value)
    return str(value)


def termijnen_historie(termijnen: list[Termijn]) -> dict[int, list[TermijnHistorieRegel]]:
    """The django-simple-history records of these clocks — who changed what, when, from what to
    what — per termijn id, oldest first. One query for all of them."""
    per_termijn: dict[int, list[Any]] = {}
    if termijnen:
        records = (
            Termijn.history.filter(id__in=[t.pk for t in termijnen])  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        for record in records:
            per_termijn.setdefault(record.id, []).append(record)
    labels = {f.name: str(f.verbose_name) for f in Termijn._meta.fields}
    result: dict[int, list[TermijnHistorieRegel]] = {}
    for termijn_id, records in per_termijn.items():
        regels = []
        previous = None
        for record in records:
            wijzigingen = []
            for veld in TERMIJN_HISTORIE_VELDEN:
                new = getattr(record, veld, None)
                if previous is None:
                    if new in (None, ""):
                        continue
                    oud = "—"
                elif getattr(previous, veld, None) == new:
                    continue
                else:
                    oud = _termijn_waarde(previous, veld)
                wijzigingen.append(Wijziging(labels[veld], oud, _termijn_waarde(record, veld)))
            regels.append(
                TermijnHistorieRegel(
                    tijdstip=record.history_date,
                    wie=str(record.history_user) if record.history_user else _("system"),
                    soort=historie_soort(record),
                    status=_termijn_waarde(record, "status"),
                    reden=record.history_change_reason or "",
                    wijzigingen=wijzigingen,
                )
            )
            previous = record
        result[termijn_id] = regels
    return result


# The timeline picture: geometry computed here (integers in SVG user units), drawn by the
# template with classes only — no inline styles (CSP).
TIJDLIJN_BREEDTE = 1000
TIJDLIJN_AS = 28  # height of the axis with the tick labels
TIJDLIJN_RIJ = 46  # per clock: a text line and a bar
TIJDLIJN_VOET = 26  # room for the "today" label


@dataclass
class TijdlijnBalk:
    termijn: Termijn
    y: int  # top of the row
    tekst_y: int
    balk_y: int
    x: int
    breedte: int
    eind_x: int  # the (extended) due date
    berekend_x: int | None  # the due date by the rule, when extended
    gehaald_x: int | None
    binnenkort: bool
    status: str


@dataclass
class Tijdlijn:
    breedte: int
    hoogte: int
    vandaag: date
    vandaag_x: int
    as_y: int
    onder_y: int
    ticks: list[tuple[int, date]]
    balken: list[TijdlijnBalk]


def _ticks(van: date, tot: date) -> list[date]:
    dagen = (tot - van).days
    stap = 1 if dagen <= 240 else 3 if dagen <= 1100 else 12  # months between ticks
    maand = ((van.month - 1) // stap) * stap + 1
    d = date(van.year, maand, 1)
    ticks = []
    while d <= tot:
        if d >= van:
            ticks.append(d)
        m = d.month - 1 + stap
        d = date(d.year + m // 12, m % 12 + 1, 1)
    return ticks


def termijn_tijdlijn(termijnen: list[Termijn], vandaag: date | None = None) -> Tijdlijn | None:
    """Bars from start to due date on one time axis with today's marker, or ``None``."""
    if not termijnen:
        return None
    vandaag = vandaag or timezone.localdate()
    datums = [vandaag]
    for t in termijnen:
        datums += [t.startdatum, t.uiterste_datum] + ([t.gehaald_op] if t.gehaald_op else [])
    van, tot = min(datums), max(datums)
    marge = max(7, (tot - van).days // 30)
    van, tot = van - timedelta(days=marge), tot + timedelta(days=marge)
    span = (tot - van).days

    def x(d: date) -> int:
        return round((d - van).days * TIJDLIJN_BREEDTE / span)

    grens = binnenkort_grens(vandaag)
    balken = []
    for i, t in enumerate(termijnen):
        y = TIJDLIJN_AS + i * TIJDLIJN_RIJ
        start_x, eind_x = x(t.startdatum), x(t.uiterste_datum)
        balken.append(
            TijdlijnBalk(
                termijn=t,
                y=y,
                tekst_y=y + 16,
                balk_y=y + 22,
                x=start_x,
                breedte=max(eind_x - start_x, 3),
                eind_x=eind_x,
                berekend_x=(x(t.berekende_datum) if t.uiterste_datum > t.berekende_datum else None),
                gehaald_x=x(t.gehaald_op) if t.gehaald_op else None,
                binnenkort=t.status == TermijnStatus.OPEN and t.uiterste_datum <= grens,
                status=t.status,
            )
        )
    onder = TIJDLIJN_AS + len(termijnen) * TIJDLIJN_RIJ
    return Tijdlijn(
        breedte=TIJDLIJN_BREEDTE,
        hoogte=onder + TIJDLIJN_VOET,
        vandaag=vandaag,
        vandaag_x=x(vandaag),
        as_y=TIJDLIJN_AS - 8,
        onder_y=onder,
        ticks=[(x(d), d) for d in _ticks(van, tot)],
        balken=balken,
    )


# --- Signals ---------------------------------------------------------------------------------

SIGNAAL_STATUSSEN = ("open", "afgehandeld", "alle")


def signalen_voor(user: User, *, status: str = "open", soort: str = "") -> QuerySet[Signaal]:
    """The user's own signals about dossiers they may see, newest first."""
    qs = Signaal.objects.filter(ontvanger=user, dossier__in=dossiers_for(user)).select_related(
        "termijn", "dossier__inburgeraar", "dossier__gemeente", "afgehandeld_door"
    )
    if status == "open":
        qs = qs.filter(afgehandeld_op__isnull=True)
    elif status == "afgehandeld":
        qs = qs.filter(afgehandeld_op__isnull=False)
    if soort in SignaalSoort.values:
        qs = qs.filter(soort=soort)
    return qs.order_by("-aangemaakt_op", "-id")


def open_signalen_aantal(user: User) -> int:
    """The header count: one query. Signals go only to werkcoaches and teamleiders of a
    municipal team, for whom ``dossiers_for`` is the tenancy scope itself."""
    return Signaal.objects.filter(ontvanger=user, afgehandeld_op__isnull=True).count()


# --- The teamleider's overview ------------------------------------------------------------------

OVERZICHT_LIJST_MAX = 250


@dataclass
class Telling:
    verlopen: int = 0
    binnenkort: int = 0

    @property
    def totaal(self) -> int:
        return self.verlopen + self.binnenkort


@dataclass
class WerkcoachRij:
    naam: str
    uuid: str  # "" for unassigned dossiers
    cellen: list[Telling]
    totaal: Telling
    # bar chart geometry (SVG user units)
    y: int = 0
    verlopen_breedte: int = 0
    binnenkort_x: int = 0
    binnenkort_breedte: int = 0
    tekst_x: int = 0


@dataclass
class Overzicht:
    regels: list[tuple[str, str]]  # (code, description) of the rules that occur
    rijen: list[WerkcoachRij]
    totaal_per_regel: list[Telling]
    totaal: Telling
    lijst: list[Termijn]
    grens: date
    grafiek_hoogte: int = 0
    grafiek_schaal: int = 0


GRAFIEK_LABEL = 260  # left column with the werkcoach's name
GRAFIEK_BALK = 640  # the longest bar
GRAFIEK_RIJ = 34


def termijnen_overzicht(user: User, vandaag: date | None = None) -> Overzicht:
    """Overdue and soon-due clocks of the dossiers the user may see, counted per werkcoach and
    rule in the database (one query), plus the first ``OVERZICHT_LIJST_MAX`` of them (one
    query)."""
    grens = binnenkort_grens(vandaag)
    basis = Termijn.objects.filter(dossier__in=dossiers_for(user)).filter(
        Q(status=TermijnStatus.VERLOPEN) | Q(status=TermijnStatus.OPEN, uiterste_datum__lte=grens)
    )
    tellingen = (
        basis.order_by()
        .values(
            "dossier__werkcoach_id",
            "dossier__werkcoach__uuid",
            "dossier__werkcoach__first_name",
            "dossier__werkcoach__last_name",
            "dossier__werkcoach__username",
            "code",
        )
        .annotate(
            verlopen=Count("pk", filter=Q(status=TermijnStatus.VERLOPEN)),
            binnenkort=Count("pk", filter=Q(status=TermijnStatus.OPEN)),
        )
    )
    codes: set[str] = set()
    per_coach: dict[Any, dict[str, Any]] = {}
    for row in tellingen:
        codes.add(row["code"])
        coach = per_coach.setdefault(
            row["dossier__werkcoach_id"],
            {
                "naam": (
                    " ".join(
                        p
                        for p in (
                            row["dossier__werkcoach__first_name"],
                            row["dossier__werkcoach__last_name"],
                        )
                        if p
                    )
                    or row["dossier__werkcoach__username"]
                    or ""
                ),
                "uuid": str(row["dossier__werkcoach__uuid"] or ""),
                "codes": {},
            },
        )
        coach["codes"][row["code"]] = Telling(row["verlopen"], row["binnenkort"])
    volgorde = registry.codes()
    regel_codes = sorted(codes, key=lambda c: (volgorde.index(c) if c in volgorde else 999, c))
    regels = [(c, termijn_omschrijving(c)) for c in regel_codes]
    rijen = []
    for coach_id, coach in per_coach.items():
        cellen = [coach["codes"].get(c, Telling()) for c in regel_codes]
        rijen.append(
            WerkcoachRij(
                naam=coach["naam"] if coach_id else _("Unassigned"),
                uuid=coach["uuid"],
                cellen=cellen,
                totaal=Telling(sum(c.verlopen for c in cellen), sum(c.binnenkort for c in cellen)),
            )
        )
    # werkcoaches by name, unassigned dossiers last
    rijen.sort(key=lambda r: (not r.uuid, r.naam.casefold()))
    schaal = max((r.totaal.totaal for r in rijen), default=0)
    for i, rij in enumerate(rijen):
        rij.y = i * GRAFIEK_RIJ
        if schaal:
            rij.verlopen_breedte = round(rij.totaal.verlopen * GRAFIEK_BALK / schaal)
            rij.binnenkort_breedte = round(rij.totaal.binnenkort * GRAFIEK_BALK / schaal)
        rij.binnenkort_x = GRAFIEK_LABEL + rij.verlopen_breedte
        rij.tekst_x = rij.binnenkort_x + rij.binnenkort_breedte + 8
    per_regel = [
        Telling(
            sum(r.cellen[i].verlopen for r in rijen), sum(r.cellen[i].binnenkort for r in rijen)
        )
        for i in range(len(regel_codes))
    ]
    lijst = list(
        basis.select_related(
            "dossier__inburgeraar", "dossier__werkcoach", "dossier__gemeente"
        ).order_by(
            F("dossier__werkcoach__last_name").asc(nulls_last=True),
            F("dossier__werkcoach__first_name").asc(nulls_last=True),
            "dossier__werkcoach_id",
            "uiterste_datum",
            "id",
        )[:OVERZICHT_LIJST_MAX]
    )
    return Overzicht(
        regels=regels,
        rijen=rijen,
        totaal_per_regel=per_regel,
        totaal=Telling(sum(t.verlopen for t in per_regel), sum(t.binnenkort for t in per_regel)),
        lijst=lijst,
        grens=grens,
        grafiek_hoogte=len(rijen) * GRAFIEK_RIJ,
        grafiek_schaal=schaal,
    )
