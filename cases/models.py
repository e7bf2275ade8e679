import uuid
from typing import Any, ClassVar, cast

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, get_scope
from django_scopes.manager import DisabledQuerySet
from simple_history.models import HistoricalRecords

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Gemeente, Organisatie, User

from . import rules
from .constants import (
    ADRES_DELEN,
    ADRES_SOORTEN,
    ADRES_VERPLICHTE_DELEN,
    GESLOTEN_FASEN,
    ContactKanaal,
    Doelgroep,
    Fase,
    GebeurtenisSoort,
    Regime,
    SignaalSoort,
    TermijnSoort,
    TermijnStatus,
)
from .feitdatums import feitdatums_controleren


def validate_bsn(value: str) -> None:
    if not rules.is_valid_bsn(value):
        raise ValidationError(
            _("This is not a valid BSN: it must be nine digits that pass the elfproef."),
            code="invalid_bsn",
        )


def validate_postcode(value: str) -> None:
    if not rules.is_valid_postcode(rules.normalise_postcode(value)):
        raise ValidationError(
            _("Enter a Dutch postcode: four digits and two letters, e.g. 1234 AB."),
            code="invalid_postcode",
        )


validate_huisletter = RegexValidator(
    r"^[A-Za-z]$", _("A house letter is one letter."), code="invalid_huisletter"
)
validate_huisnummertoevoeging = RegexValidator(
    r"^[A-Za-z0-9]{1,4}$",
    _("An addition is at most four letters or digits."),
    code="invalid_toevoeging",
)


class InburgeraarManager(models.Manager["Inburgeraar"]):
    """Scoped like ``Dossier``: a person is visible in a gemeente where they have a dossier.

    Uses django-scopes' state, so a query outside any scope raises ``ScopeError``.
    """

    def get_queryset(self) -> models.QuerySet["Inburgeraar"]:
        current = get_scope()
        qs = super().get_queryset()
        if not current.get("_enabled", True):
            return qs
        if "gemeente" not in current:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes={"gemeente"})
        return qs.filter(
            Exists(
                Dossier._base_manager.filter(
                    inburgeraar=OuterRef("pk"), gemeente__in=list(current["gemeente"])
                )
            )
        )


class Inburgeraar(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        validators=[validate_bsn],
        help_text=_("Burgerservicenummer, nine digits."),
    )
    voornamen = models.CharField(_("first names"), max_length=200)
    tussenvoegsel = models.CharField(_("name prefix"), max_length=20, blank=True)
    achternaam = models.CharField(_("surname"), max_length=200)
    geboortedatum = models.DateField(_("date of birth"))
    nationaliteit = models.CharField(_("nationality"), max_length=100, blank=True)
    talen = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("Languages spoken, comma separated."),
    )
    tolk_nodig = models.BooleanField(_("interpreter needed"), default=False)
    tolk_taal = models.CharField(_("interpreter language"), max_length=100, blank=True)
    contactkanalen = ArrayField(
        models.CharField(max_length=20, choices=ContactKanaal.choices),
        verbose_name=_("contact channels"),
        default=list,
        blank=True,
    )
    telefoonnummer = models.CharField(_("telephone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Woonadres and an optional correspondentieadres (``ADRES_VELDEN``). Blank at the database
    # level so people registered before addresses were kept still load; a beschikking needs a
    # postal address (Awb 3:41), which ``pip_controleren`` requires before vaststelling.
    woonadres_straat = models.CharField(
        _("residential address: street"), max_length=100, blank=True
    )
    woonadres_huisnummer = models.PositiveIntegerField(
        _("residential address: house number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99999)],
    )
    woonadres_huisletter = models.CharField(
        _("residential address: house letter"),
        max_length=1,
        blank=True,
        validators=[validate_huisletter],
    )
    woonadres_toevoeging = models.CharField(
        _("residential address: addition"),
        max_length=4,
        blank=True,
        validators=[validate_huisnummertoevoeging],
    )
    woonadres_postcode = models.CharField(
        _("residential address: postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    woonadres_woonplaats = models.CharField(
        _("residential address: place"), max_length=80, blank=True
    )
    correspondentieadres_straat = models.CharField(
        _("correspondence address: street"), max_length=100, blank=True
    )
    correspondentieadres_huisnummer = models.PositiveIntegerField(
        _("correspondence address: house number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99999)],
    )
    correspondentieadres_huisletter = models.CharField(
        _("correspondence address: house letter"),
        max_length=1,
        blank=True,
        validators=[validate_huisletter],
    )
    correspondentieadres_toevoeging = models.CharField(
        _("correspondence address: addition"),
        max_length=4,
        blank=True,
        validators=[validate_huisnummertoevoeging],
    )
    correspondentieadres_postcode = models.CharField(
        _("correspondence address: postcode"),
        max_length=7,
        blank=True,
        validators=[validate_postcode],
    )
    correspondentieadres_woonplaats = models.CharField(
        _("correspondence address: place"), max_length=80, blank=True
    )
    doelgroep = models.CharField(_("target group"), max_length=20, choices=Doelgroep.choices)
    regime = models.CharField(
        _("regime"), max_length=20, choices=Regime.choices, default=Regime.WI2021
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    objects = InburgeraarManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inburgeraar")
        verbose_name_plural = _("inburgeraars")
        constraints = [
            # One person, one record, across all gemeenten (relocation keeps the person).
            models.UniqueConstraint(fields=["bsn"], name="uniq_inburgeraar_bsn"),
            # A BSN is stored as nine ASCII digits (normalised first), so "١١١٢٢٢٣٣٣" can
            # never sit beside "111222333" as a second person.
            models.CheckConstraint(
                condition=models.Q(bsn__regex=r"^[0-9]{9}$"), name="chk_inburgeraar_bsn_ascii"
            ),
        ]
        indexes = [
            # caseload search by surname
            models.Index(fields=["achternaam", "voornamen"], name="idx_inburgeraar_naam"),
        ]

    def __str__(self) -> str:
        return self.volledige_naam

    @property
    def volledige_naam(self) -> str:
        return " ".join(p for p in (self.voornamen, self.tussenvoegsel, self.achternaam) if p)

    def get_contactkanalen_display(self) -> str:
        """The channels by their labels ("WhatsApp", "telefoon"), not the stored values."""
        labels = dict(ContactKanaal.choices)
        return ", ".join(str(labels.get(k, k)) for k in self.contactkanalen)

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.tolk_nodig and not self.tolk_taal:
            errors["tolk_taal"] = [_("Say in which language an interpreter is needed.")]
        for soort in ADRES_SOORTEN:
            waarden = {deel: getattr(self, f"{soort}_{deel}") for deel in ADRES_DELEN}
            if any(v not in (None, "") for v in waarden.values()):
                for deel in ADRES_VERPLICHTE_DELEN:
                    if waarden[deel] in (None, ""):
                        errors.setdefault(f"{soort}_{deel}", []).append(
                            _("Required for a complete address (street, number, postcode, place).")
                        )
        if errors:
            raise ValidationError(errors)

    def adres(self, soort: str) -> rules.Adres | None:
        """The ``woonadres`` or ``correspondentieadres`` when it is complete, else None."""
        waarden = {deel: getattr(self, f"{soort}_{deel}") for deel in ADRES_DELEN}
        if any(waarden[deel] in (None, "") for deel in ADRES_VERPLICHTE_DELEN):
            return None
        return rules.Adres(**waarden)

    @property
    def woonadres(self) -> rules.Adres | None:
        return self.adres("woonadres")

    @property
    def correspondentieadres(self) -> rules.Adres | None:
        return self.adres("correspondentieadres")

    @property
    def postadres(self) -> rules.Adres | None:
        """Where letters go: the correspondentieadres when recorded, else the woonadres."""
        return self.correspondentieadres or self.woonadres


class Dossier(models.Model):
    """The case of one inburgeraar in one gemeente."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inburgeraar = models.ForeignKey(
        Inburgeraar,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("inburgeraar"),
    )
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("gemeente")
    )
    werkcoach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers_als_werkcoach",
        verbose_name=_("werkcoach"),
        null=True,
        blank=True,
    )
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers_als_begeleider",
        verbose_name=_("maatschappelijk begeleider"),
        null=True,
        blank=True,
    )
    fase = models.CharField(_("phase"), max_length=20, choices=Fase.choices, default=Fase.AANGEMELD)
    datum_koppeling = models.DateField(_("date of koppeling"), null=True, blank=True)
    datum_huisvesting = models.DateField(_("date of housing"), null=True, blank=True)
    datum_brp_inschrijving = models.DateField(_("date of BRP registration"), null=True, blank=True)
    coa_referentie = models.CharField(_("COA/TVS reference"), max_length=50, blank=True)
    vorig_dossier = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="volgend_dossier",
        verbose_name=_("previous dossier"),
        null=True,
        blank=True,
    )
    datum_afgesloten = models.DateField(_("date closed"), null=True, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    # django-scopes builds the manager class at runtime; tell the type checker what it is.
    objects: ClassVar[models.Manager["Dossier"]] = ScopedManager(gemeente="gemeente")
    _default_manager: ClassVar[models.Manager["Dossier"]]
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        permissions = [
            ("view_medisch", _("Can see the medical intake domains")),
            ("view_historie_dossier", _("Can see a dossier's history")),
            ("notitie_dossier", _("Can add notes to a dossier's timeline")),
            ("toewijzen_dossier", _("Can (bulk) reassign dossiers")),
            ("verhuizen_dossier", _("Can relocate a dossier to another gemeente")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["inburgeraar"],
                condition=~Q(fase__in=GESLOTEN_FASEN),
                name="uniq_open_dossier_per_inburgeraar",
                violation_error_message=_(
                    "This person already has an open dossier; a person has at most one open "
                    "dossier (relocate it instead)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(datum_huisvesting__isnull=True)
                | Q(datum_koppeling__isnull=True)
                | Q(datum_huisvesting__gte=models.F("datum_koppeling")),
                name="chk_dossier_huisvesting_na_koppeling",
                violation_error_message=_("Housing cannot be before the koppeling."),
            ),
        ]
        indexes = [
            # caseload: a team's dossiers by gemeente and phase
            models.Index(fields=["gemeente", "fase"], name="idx_dossier_gemeente_fase"),
            # "my caseload": a werkcoach's open dossiers
            models.Index(fields=["werkcoach", "fase"], name="idx_dossier_werkcoach_fase"),
            # a begeleider's assigned dossiers
            models.Index(fields=["begeleider"], name="idx_dossier_begeleider"),
        ]

    def __str__(self) -> str:
        return f"{self.inburgeraar} — {self.gemeente}"

    @property
    def is_open(self) -> bool:
        return rules.is_open(self.fase)

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        # Key dates record facts: not in the future; housing not before the koppeling (also a
        # database constraint, chk_dossier_huisvesting_na_koppeling).
        feitdatums_controleren(
            errors,
            {
                "datum_koppeling": (self.datum_koppeling, None, ""),
                "datum_huisvesting": (
                    self.datum_huisvesting,
                    self.datum_koppeling,
                    _("the koppeling"),
                ),
                "datum_brp_inschrijving": (self.datum_brp_inschrijving, None, ""),
            },
        )
        if self.inburgeraar_id:
            for field in rules.vereiste_datums(self.fase, self.inburgeraar.doelgroep):
                if not getattr(self, field):
                    errors.setdefault(field, []).append(
                        _("Required in phase “%(fase)s”.") % {"fase": self.get_fase_display()}
                    )
        if self.werkcoach_id and self.gemeente_id:
            coach = cast(User, self.werkcoach)
            if not coach.heeft_rol(Rol.WERKCOACH, Rol.TEAMLEIDER):
                errors.setdefault("werkcoach", []).append(_("This user is not a werkcoach."))
            elif not (
                coach.organisatie_id
                and cast(Organisatie, coach.organisatie)
                .gemeenten.filter(pk=self.gemeente_id)
                .exists()
            ):
                errors.setdefault("werkcoach", []).append(
                    _("This werkcoach's team does not serve %(gemeente)s.")
                    % {"gemeente": self.gemeente}
                )
        if self.begeleider_id and self.gemeente_id:
            begeleider = cast(User, self.begeleider)
            if not begeleider.heeft_rol(Rol.BEGELEIDER):
                errors.setdefault("begeleider", []).append(
                    _("This user is not a maatschappelijk begeleider.")
                )
            elif not (
                begeleider.organisatie_id
                and cast(Organisatie, begeleider.organisatie)
                .gemeenten.filter(pk=self.gemeente_id)
                .exists()
            ):
                errors.setdefault("begeleider", []).append(
                    _("This begeleider's organisation does not work in %(gemeente)s.")
                    % {"gemeente": self.gemeente}
                )
        if errors:
            raise ValidationError(errors)


class Gebeurtenis(models.Model):
    """An append-only timeline entry of a business event, written by the services."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="gebeurtenissen")
    soort = models.CharField(_("kind"), max_length=20, choices=GebeurtenisSoort.choices)
    tijdstip = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    omschrijving = models.TextField(_("description"))
    gegevens = models.JSONField(default=dict, blank=True)

    # django-scopes builds the manager class at runtime; tell the type checker what it is.
    objects: ClassVar[models.Manager["Gebeurtenis"]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager["Gebeurtenis"]]

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-tijdstip", "-id"]
        indexes = [
            # dossier page: its timeline, newest first
            models.Index(fields=["dossier", "-tijdstip"], name="idx_gebeurtenis_dossier_tijd"),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()}: {self.omschrijving[:40]}"


# --- Termijnen (statutory and policy clocks), see cases/termijnregels.py ---------------------

INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN = 24  # the longest extension any policy may grant


def _standaard_waarschuwingsdagen() -> list[int]:
    return [14, 0]


class TermijnBeleid(models.Model):
    """A gemeente's policy clocks and lead times, kept by the functioneel beheerder. Statutory
    lengths are fixed in code; these only switch policy clocks on and set their length."""

    gemeente = models.OneToOneField(
        Gemeente, on_delete=models.CASCADE, related_name="termijnbeleid", verbose_name=_("gemeente")
    )
    waarschuwingsdagen = ArrayField(
        models.PositiveSmallIntegerField(validators=[MaxValueValidator(365)]),
        default=_standaard_waarschuwingsdagen,
        size=5,
        verbose_name=_("warning lead times (days before the due date)"),
        help_text=_("Comma-separated, e.g. 14,0: a signal 14 days before and on the due date."),
    )
    pip_na_intake_weken = models.PositiveSmallIntegerField(
        _("PIP within … weeks after the brede intake"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(52)],
        help_text=_("Policy clock (e.g. HBEL: 4). Empty: not used."),
    )
    taalstart_weken = models.PositiveSmallIntegerField(
        _("Taalstart report within … weeks after BRP registration"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(52)],
        help_text=_("Policy clock (e.g. Landsmeer: 10). Empty: not used."),
    )
    mb_maanden = models.PositiveSmallIntegerField(
        _("maatschappelijke begeleiding ends … months after housing"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text=_("Policy clock (e.g. Landsmeer: 14, Vught: 12). Empty: not used."),
    )
    max_verlenging_inburgeringstermijn_maanden = models.PositiveSmallIntegerField(
        _("longest extension of the inburgeringstermijn (months)"),
        default=6,
        validators=[MaxValueValidator(INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN)],
        help_text=_("HBEL: 6 (3.5 years in total); Landsmeer allows up to 24 for alfabetisering."),
    )
    min_voortgangsgesprekken_per_jaar = models.PositiveSmallIntegerField(
        _("minimum number of voortgangsgesprekken per year"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("A PIP must agree at least this many a year (Het Hogeland: 2)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return str(self.gemeente)


class Termijn(models.Model):
    """One clock of one dossier: computed from facts by ``cases.termijnen.herberekenen`` and
    marked overdue by the sweep (``cases.bewaking``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="termijnen", verbose_name=_("dossier")
    )
    code = models.CharField(_("rule"), max_length=40)
    volgnummer = models.PositiveSmallIntegerField(_("number"), default=1)
    soort = models.CharField(_("kind"), max_length=10, choices=TermijnSoort.choices)
    startdatum = models.DateField(_("start"))
    berekende_datum = models.DateField(_("due date by the rule"))
    uiterste_datum = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=TermijnStatus.choices, default=TermijnStatus.OPEN
    )
    gehaald_op = models.DateField(_("met on"), null=True, blank=True)
    handmatig_gehaald = models.BooleanField(_("marked met by hand"), default=False)
    toelichting = models.TextField(_("explanation"), blank=True)
    gewijzigd_op = models.DateTimeField(_("changed"), default=timezone.now)

    objects: ClassVar[models.Manager["Termijn"]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager["Termijn"]]
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["uiterste_datum", "code", "volgnummer"]
        permissions = [("beheren_termijn", _("Can extend a deadline or mark it met"))]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "code", "volgnummer"], name="uniq_termijn_per_dossier_regel"
            ),
            models.CheckConstraint(
                condition=Q(uiterste_datum__gte=models.F("berekende_datum")),
                name="chk_termijn_verlenging_niet_korter",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[TermijnStatus.GEHAALD, TermijnStatus.TE_LAAT_GEHAALD],
                    gehaald_op__isnull=False,
                )
                | (
                    ~Q(status__in=[TermijnStatus.GEHAALD, TermijnStatus.TE_LAAT_GEHAALD])
                    & Q(gehaald_op__isnull=True)
                ),
                name="chk_termijn_gehaald_heeft_datum",
            ),
        ]
        indexes = [
            # sweep, caseload column and teamleider overview: open clocks by due date
            models.Index(
                fields=["dossier", "uiterste_datum"],
                condition=Q(status="open"),
                name="idx_termijn_open_per_dossier",
            ),
            models.Index(
                fields=["uiterste_datum"],
                condition=Q(status="open"),
                name="idx_termijn_open_vervaldatum",
            ),
            # teamleider overview and escalation: overdue clocks
            models.Index(
                fields=["dossier"], condition=Q(status="verlopen"), name="idx_termijn_verlopen"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.uiterste_datum}"

    @property
    def regel(self) -> Any:
        from .termijnregels import registry

        return registry.get(self.code)

    @property
    def omschrijving(self) -> str:
        regel = self.regel
        label = str(regel.omschrijving) if regel else self.code
        if regel and regel.herhalend:
            return f"{label} {self.volgnummer}"
        return label

    @property
    def is_afgesloten(self) -> bool:
        return self.status not in (TermijnStatus.OPEN, TermijnStatus.VERLOPEN)


class Verlenging(models.Model):
    """An extension of a termijn: who moved the due date, from when to when, and why."""

    termijn = models.ForeignKey(Termijn, on_delete=models.PROTECT, related_name="verlengingen")
    van_datum = models.DateField(_("from"))
    tot_datum = models.DateField(_("to"))
    reden = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    tijdstip = models.DateTimeField(_("time"), default=timezone.now)

    objects: ClassVar[models.Manager["Verlenging"]] = ScopedManager(
        gemeente="termijn__dossier__gemeente"
    )
    _default_manager: ClassVar[models.Manager["Verlenging"]]

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["tijdstip", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tot_datum__gt=models.F("van_datum")), name="chk_verlenging_later"
            ),
            models.CheckConstraint(condition=~Q(reden=""), name="chk_verlenging_reden"),
        ]

    def __str__(self) -> str:
        return f"{self.van_datum} → {self.tot_datum}"


class Signaal(models.Model):
    """A work item about a termijn for one user. Created by the sweep with
    ``INSERT … ON CONFLICT DO NOTHING`` on ``uniq_signaal_per_termijn_drempel``, so each
    threshold of each due date reaches each user exactly once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signalen",
        verbose_name=_("recipient"),
    )
    termijn = models.ForeignKey(Termijn, on_delete=models.CASCADE, related_name="signalen")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="signalen")
    soort = models.CharField(_("kind"), max_length=20, choices=SignaalSoort.choices)
    dagen_voor = models.SmallIntegerField(_("days before the due date"), default=0)
    uiterste_datum = models.DateField(_("due date"))
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now)
    afgehandeld_op = models.DateTimeField(_("handled"), null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    gemaild_op = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects: ClassVar[models.Manager["Signaal"]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager["Signaal"]]

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-aangemaakt_op", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["termijn", "ontvanger", "soort", "dagen_voor", "uiterste_datum"],
                name="uniq_signaal_per_termijn_drempel",
            ),
        ]
        indexes = [
            # "Mijn signalen" and the header count
            models.Index(
                fields=["ontvanger", "-aangemaakt_op"],
                condition=Q(afgehandeld_op__isnull=True),
                name="idx_signaal_open_inbox",
            ),
            # the daily digest: open signals not yet e-mailed
            models.Index(
                fields=["ontvanger"],
                condition=Q(gemaild_op__isnull=True, afgehandeld_op__isnull=True),
                name="idx_signaal_digest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()}: {self.termijn_id}"


class DigestVerzending(models.Model):
    """One e-mail digest per user per day; the unique constraint makes "at most once a day"
    hold even when two workers send at the same time."""

    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    datum = models.DateField()
    aantal = models.PositiveIntegerField(default=0)
    verzonden_op = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ontvanger", "datum"], name="uniq_digest_per_dag")
        ]

    def __str__(self) -> str:
        return f"{self.ontvanger_id} {self.datum}"


class BewakingsRun(models.Model):
    """Progress of one sweep: a checkpoint after every committed chunk, so a sweep that was
    killed resumes where it stopped, and the teamleider sees when the clocks were last checked."""

    peildatum = models.DateField()
    gestart_op = models.DateTimeField(default=timezone.now)
    voltooid_op = models.DateTimeField(null=True, blank=True)
    laatste_dossier_id = models.BigIntegerField(default=0)
    chunks = models.PositiveIntegerField(default=0)
    verlopen = models.PositiveIntegerField(default=0)
    signalen = models.PositiveIntegerField(default=0)
    escalaties = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-gestart_op", "-id"]
        indexes = [
            models.Index(
                fields=["peildatum"],
                condition=Q(voltooid_op__isnull=True),
                name="idx_bewakingsrun_onvoltooid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.peildatum} ({self.chunks} chunks)"
