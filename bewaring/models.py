"""Retention periods, legal holds, destruction runs and their statements (Archiefwet 1995,
AVG art. 5 lid 1 sub e: personal data are kept no longer than necessary)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from cases.models import Dossier
from inburgering.accounts.models import Gemeente
from inburgering.core.historie import gescoopte_historie

from .constants import BlokkadeReden, RecordSoort, RegelStatus, RondeStatus


class Bewaartermijn(models.Model):
    """How many years after the dossier's close a kind of record is kept, per gemeente (the
    gemeente's selection list). A kind without a row keeps ``BEWARING_STANDAARD_JAREN``."""

    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    soort = models.CharField(_("kind of record"), max_length=20, choices=RecordSoort.choices)
    jaren = models.PositiveSmallIntegerField(
        _("years"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Counted from the day the dossier was closed."),
    )
    grondslag = models.CharField(
        _("legal basis"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the category of the selection list (selectielijst) applied."),
    )

    objects: ClassVar[models.Manager[Bewaartermijn]] = ScopedManager(gemeente="gemeente")
    _default_manager: ClassVar[models.Manager[Bewaartermijn]]
    history = gescoopte_historie(gemeente="gemeente")

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "soort"],
                name="uniq_bewaartermijn_gemeente_soort",
                violation_error_message=_("This gemeente already has a period for this kind."),
            ),
            models.CheckConstraint(
                condition=Q(jaren__gte=1) & Q(jaren__lte=100), name="chk_bewaartermijn_jaren"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gemeente}: {self.get_soort_display()} {self.jaren}"


class JuridischeBlokkade(models.Model):
    """A legal hold on a dossier (an objection, appeal or audit): while it is not lifted, the
    dossier is not destroyed, whatever its retention period says."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        related_name="juridische_blokkades",
        verbose_name=_("dossier"),
    )
    reden = models.CharField(_("reason"), max_length=20, choices=BlokkadeReden.choices)
    toelichting = models.TextField(_("explanation"))
    sinds = models.DateField(_("since"), default=timezone.localdate)
    ingesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )
    ingesteld_op = models.DateTimeField(_("placed at"), default=timezone.now)
    opgeheven_op = models.DateTimeField(_("lifted at"), null=True, blank=True)
    opgeheven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    opheffing_toelichting = models.TextField(_("reason for lifting"), blank=True)

    objects: ClassVar[models.Manager[JuridischeBlokkade]] = ScopedManager(
        gemeente="dossier__gemeente"
    )
    _default_manager: ClassVar[models.Manager[JuridischeBlokkade]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-ingesteld_op", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opgeheven_op__isnull=True, opgeheven_door__isnull=True)
                | Q(opgeheven_op__isnull=False, opgeheven_door__isnull=False),
                name="chk_blokkade_opgeheven_door_en_op",
            ),
        ]
        indexes = [
            # the proposal and the destruction task: does this dossier have an active hold?
            models.Index(
                fields=["dossier"],
                condition=Q(opgeheven_op__isnull=True),
                name="idx_blokkade_actief",
            ),
        ]

    def __str__(self) -> str:
        return self.get_reden_display()

    @property
    def is_actief(self) -> bool:
        return self.opgeheven_op is None


class Vernietigingsronde(models.Model):
    """One destruction run of a gemeente: proposed by the functioneel beheerder, approved (or
    rejected) by a teamleider who is not the proposer, carried out by a Celery task."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    nummer = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=RondeStatus.choices, default=RondeStatus.VOORGESTELD
    )
    peildatum = models.DateField(_("reference date"))
    voorgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    voorgesteld_op = models.DateTimeField(_("proposed at"), default=timezone.now)
    beoordeeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    beoordeeld_op = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    afwijzing_reden = models.TextField(_("reason for rejection"), blank=True)
    uitgevoerd_op = models.DateTimeField(_("carried out at"), null=True, blank=True)
    fout = models.TextField(_("last error"), blank=True)

    objects: ClassVar[models.Manager[Vernietigingsronde]] = ScopedManager(gemeente="gemeente")
    _default_manager: ClassVar[models.Manager[Vernietigingsronde]]
    history = gescoopte_historie(gemeente="gemeente")

    class Meta:
        verbose_name = _("destruction run")
        verbose_name_plural = _("destruction runs")
        ordering = ["-voorgesteld_op", "-id"]
        permissions = [
            ("goedkeuren_vernietigingsronde", _("Can approve or reject a destruction run")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "nummer"], name="uniq_vernietigingsronde_nummer"
            ),
            # four eyes: the approver is not the proposer
            models.CheckConstraint(
                condition=~Q(beoordeeld_door=F("voorgesteld_door")),
                name="chk_ronde_vier_ogen",
                violation_error_message=_(
                    "Four-eyes principle: the run is approved by someone other than its proposer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=RondeStatus.VOORGESTELD)
                | Q(beoordeeld_door__isnull=False, beoordeeld_op__isnull=False),
                name="chk_ronde_beoordeeld",
            ),
            models.CheckConstraint(
                condition=~Q(status=RondeStatus.UITGEVOERD) | Q(uitgevoerd_op__isnull=False),
                name="chk_ronde_uitgevoerd_op",
            ),
        ]
        indexes = [
            # the overview: a gemeente's runs by status
            models.Index(fields=["gemeente", "status"], name="idx_ronde_gemeente_status"),
        ]

    def __str__(self) -> str:
        return self.kenmerk

    @property
    def kenmerk(self) -> str:
        """The run's number as printed: ``VR-<CBS code>-<number>``."""
        return f"VR-{self.gemeente.cbs_code}-{self.nummer:04d}"

    @property
    def is_open(self) -> bool:
        return self.status in (RondeStatus.VOORGESTELD, RondeStatus.GOEDGEKEURD)


class Vernietigingsregel(models.Model):
    """One dossier in a run, with why it is there: the kinds it holds, the period that decides
    (the longest), its close and the day its retention ended. Destroyed with the dossier."""

    ronde = models.ForeignKey(Vernietigingsronde, on_delete=models.CASCADE, related_name="regels")
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="+", verbose_name=_("dossier")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegelStatus.choices, default=RegelStatus.VOORGESTELD
    )
    soorten = ArrayField(
        models.CharField(max_length=20, choices=RecordSoort.choices),
        verbose_name=_("kinds of records"),
        default=list,
    )
    bepalende_soort = models.CharField(
        _("deciding kind"), max_length=20, choices=RecordSoort.choices
    )
    jaren = models.PositiveSmallIntegerField(_("years"))
    grondslag = models.CharField(_("legal basis"), max_length=200, blank=True)
    sluitdatum = models.DateField(_("closed on"))
    bewaren_tot = models.DateField(_("kept until"))
    persoon_blijft = models.BooleanField(
        _("person is kept"),
        default=False,
        help_text=_("The person has another dossier that is still kept."),
    )
    reden = models.CharField(_("reason"), max_length=300, blank=True)

    objects: ClassVar[models.Manager[Vernietigingsregel]] = ScopedManager(
        gemeente="ronde__gemeente"
    )
    _default_manager: ClassVar[models.Manager[Vernietigingsregel]]

    class Meta:
        verbose_name = _("dossier in a destruction run")
        verbose_name_plural = _("dossiers in a destruction run")
        ordering = ["sluitdatum", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ronde", "dossier"], name="uniq_regel_ronde_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.ronde_id}/{self.dossier_id}"


class VerklaringVanVernietiging(models.Model):
    """The statement of what a run destroyed: counts per kind of record, the rules and periods
    applied, the run's number, who proposed and approved it and when. No personal data of the
    people whose records were destroyed: no BSN, no name, no dossier or person identifier."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ronde = models.OneToOneField(
        Vernietigingsronde, on_delete=models.PROTECT, related_name="verklaring"
    )
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    kenmerk = models.CharField(_("run number"), max_length=40)
    peildatum = models.DateField(_("reference date"))
    voorgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    goedgekeurd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    goedgekeurd_op = models.DateTimeField(_("approved at"))
    uitgevoerd_op = models.DateTimeField(_("carried out at"))
    aantal_dossiers = models.PositiveIntegerField(_("dossiers destroyed"))
    aantal_personen = models.PositiveIntegerField(_("persons destroyed"))
    aantal_personen_bewaard = models.PositiveIntegerField(
        _("persons kept for another dossier"), default=0
    )
    aantal_overgeslagen = models.PositiveIntegerField(_("dossiers skipped"), default=0)
    aantal_historie = models.PositiveIntegerField(_("history records destroyed"), default=0)
    aantal_bestanden = models.PositiveIntegerField(_("files destroyed"), default=0)
    # {"<model verbose name plural>": n, ...}: what was destroyed, per kind of record
    aantallen = models.JSONField(_("records destroyed per kind"), default=dict, blank=True)
    # [{"soort": ..., "jaren": n, "grondslag": ..., "aantal": n}]: the periods applied
    regels = models.JSONField(_("retention rules applied"), default=list, blank=True)
    # {"<reason>": n}: dossiers skipped when the run was carried out
    overgeslagen = models.JSONField(_("skipped, per reason"), default=dict, blank=True)

    objects: ClassVar[models.Manager[VerklaringVanVernietiging]] = ScopedManager(
        gemeente="gemeente"
    )
    _default_manager: ClassVar[models.Manager[VerklaringVanVernietiging]]

    class Meta:
        verbose_name = _("statement of destruction")
        verbose_name_plural = _("statements of destruction")
        ordering = ["-uitgevoerd_op", "-id"]

    def __str__(self) -> str:
        return self.kenmerk
