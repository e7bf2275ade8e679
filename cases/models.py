import uuid
from typing import Any, ClassVar, cast

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
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
    GESLOTEN_FASEN,
    ContactKanaal,
    Doelgroep,
    Fase,
    GebeurtenisSoort,
    Regime,
)


def validate_bsn(value: str) -> None:
    if not rules.is_valid_bsn(value):
        raise ValidationError(
            _("This is not a valid BSN: it must be nine digits that pass the elfproef."),
            code="invalid_bsn",
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

    def clean(self) -> None:
        if self.tolk_nodig and not self.tolk_taal:
            raise ValidationError(
                {"tolk_taal": _("Say in which language an interpreter is needed.")}
            )


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
        today = timezone.localdate()
        for field in ("datum_koppeling", "datum_huisvesting", "datum_brp_inschrijving"):
            value = getattr(self, field)
            if value and value > today:
                errors.setdefault(field, []).append(_("This date cannot be in the future."))
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
