"""The fine procedure (DOMAIN.md §8, Awb title 5.4): a recorded failure (``Verzuim``), its one
procedure (``Procedure``), the letters it sends (``Brief``), the amounts per period
(``Boetetarief``), the gemeente's settings (``HandhavingBeleid``) and the kenmerk sequence
(``KenmerkTeller``). The invariants the law sets are database constraints, named below."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from cases.models import Dossier
from inburgering.accounts.models import Gemeente
from inburgering.core import weergave
from inburgering.core.historie import gescoopte_historie

from .constants import (
    Betaalstatus,
    BezwaarUitkomst,
    BoeteCategorie,
    BriefSoort,
    BriefStatus,
    ProcedureStatus,
    Verlagingsgrond,
    VerzuimBron,
    VerzuimSoort,
    ZienswijzeSoort,
)

User = settings.AUTH_USER_MODEL


def _bedrag(verbose_name: Any, **kwargs: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount in euros, to the cent."""
    return models.DecimalField(verbose_name, max_digits=8, decimal_places=2, **kwargs)


class Boetetarief(models.Model):
    """The fixed amount of a fine category from a date on (the statutory maximum, indexed by
    the Rijk): data, not code. A row is valid until the next row of its category starts, so
    periods can neither overlap nor leave a gap once the first row exists."""

    categorie = models.CharField(_("category"), max_length=10, choices=BoeteCategorie.choices)
    geldig_vanaf = models.DateField(_("valid from"))
    maximum = _bedrag(
        _("amount (statutory maximum)"), validators=[MinValueValidator(Decimal("0.01"))]
    )
    grondslag = models.CharField(
        _("legal ground"),
        max_length=300,
        help_text=_("As the boetebeschikking cites it; check the current text of the law."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fine amount")
        verbose_name_plural = _("fine amounts")
        ordering = ["categorie", "-geldig_vanaf"]
        constraints = [
            # the amount on a date: the row with the latest geldig_vanaf <= that date
            models.UniqueConstraint(
                fields=["categorie", "geldig_vanaf"], name="handhaving_tarief_een_per_datum"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_categorie_display()} {weergave.datum(self.geldig_vanaf)}: €{self.maximum}"
        )


class HandhavingBeleid(models.Model):
    """A gemeente's enforcement settings, kept by the functioneel beheerder. Without a row
    the defaults below hold (``selectors.beleid_van``)."""

    gemeente = models.OneToOneField(
        Gemeente, on_delete=models.CASCADE, related_name="handhavingbeleid"
    )
    voornemen_bij_intakeboete = models.BooleanField(
        _("always send an intent letter before an intake fine"),
        default=True,
        help_text=_(
            "A fine above €340 (the PIP fine) always needs one (Awb 5:53); for the intake fine "
            "the gemeente decides."
        ),
    )
    goedkeuring_vereist = models.BooleanField(
        _("a fine needs a teamleider's approval before it is sent"), default=True
    )
    zienswijze_dagen = models.PositiveSmallIntegerField(
        _("days for a zienswijze"),
        default=14,
        validators=[MinValueValidator(7), MaxValueValidator(90)],
    )
    betaal_dagen = models.PositiveSmallIntegerField(
        _("days to pay a fine"), default=42, validators=[MinValueValidator(14)]
    )
    iban = models.CharField(_("account (IBAN) for payments"), max_length=34, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enforcement policy")
        verbose_name_plural = _("enforcement policies")

    def __str__(self) -> str:
        return str(self.gemeente)


class KenmerkTeller(models.Model):
    """The last number given per gemeente, year and kind of letter. Taken under a row lock in
    the transaction that creates the letter, so a number is neither skipped nor given twice."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    jaar = models.PositiveSmallIntegerField()
    soort = models.CharField(max_length=20, choices=BriefSoort.choices)
    laatste = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "jaar", "soort"], name="handhaving_kenmerkteller_uniek"
            )
        ]

    def __str__(self) -> str:
        return f"{self.soort} {self.jaar}: {self.laatste}"


class Verzuim(models.Model):
    """A recorded failure to meet an obligation: from a fact already in the system (an intake
    conversation not appeared or not cooperated) or by hand with its evidence."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="verzuimen")
    soort = models.CharField(_("obligation broken"), max_length=30, choices=VerzuimSoort.choices)
    datum = models.DateField(_("date of the failure"))
    omschrijving = models.TextField(_("what happened"))
    bewijs = models.TextField(_("evidence"), blank=True)
    bron = models.CharField(
        _("source"), max_length=20, choices=VerzuimBron.choices, default=VerzuimBron.HANDMATIG
    )
    bron_id = models.PositiveBigIntegerField(null=True, blank=True)
    vastgelegd_door = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Verzuim]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager[Verzuim]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("recorded failure")
        verbose_name_plural = _("recorded failures")
        ordering = ["-datum", "-id"]
        constraints = [
            # a fact (one intake conversation) starts at most one verzuim
            models.UniqueConstraint(
                fields=["bron", "bron_id"],
                condition=~Q(bron="handmatig"),
                name="handhaving_verzuim_een_per_feit",
            ),
            models.CheckConstraint(
                condition=Q(bron="handmatig", bron_id__isnull=True)
                | (~Q(bron="handmatig") & Q(bron_id__isnull=False)),
                name="handhaving_verzuim_bron_heeft_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} ({weergave.datum(self.datum)})"

    @property
    def categorie(self) -> str:
        return VerzuimSoort(self.soort).categorie


class Procedure(models.Model):
    """The one procedure of one verzuim, from the hearing conversation to the decision and
    after. One per verzuim (Awb 5:43: never twice for the same offence)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    verzuim = models.OneToOneField(Verzuim, on_delete=models.PROTECT, related_name="procedure")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="procedures")
    volgnummer = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("step"), max_length=30, choices=ProcedureStatus.choices, default=ProcedureStatus.GESPREK
    )
    categorie = models.CharField(_("fine"), max_length=10, choices=BoeteCategorie.choices)
    # the fine can exceed €340 (Awb 5:53): rapport and zienswijze required, lapse after 5 years
    zware_boete = models.BooleanField(_("fine can exceed €340 (Awb 5:53)"), default=False)
    voornemen_vereist = models.BooleanField(_("intent letter required"), default=True)

    # 2. hearing conversation (hoor en wederhoor)
    gesprek_datum = models.DateField(_("date of the conversation"), null=True, blank=True)
    gesprek_verslag = models.TextField(_("report of the conversation"), blank=True)
    gesprek_tolk = models.CharField(_("interpreter (language)"), max_length=100, blank=True)
    afgedaan_reden = models.TextField(_("why it ends here"), blank=True)

    # 3. rapport (Awb 5:48)
    rapport_datum = models.DateField(_("date of the rapport"), null=True, blank=True)
    rapport_plaats = models.CharField(_("place of the failure"), max_length=200, blank=True)
    rapport_feiten = models.TextField(_("facts"), blank=True)
    rapport_door = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # 4. voornemen and zienswijze (Awb 5:50, 5:53)
    voornemen_datum = models.DateField(_("intent letter sent"), null=True, blank=True)
    zienswijze_tot = models.DateField(_("zienswijze due"), null=True, blank=True)
    taal = models.CharField(_("the person's language (interpreter)"), max_length=100, blank=True)
    zienswijze_soort = models.CharField(
        _("zienswijze"), max_length=20, choices=ZienswijzeSoort.choices, blank=True
    )
    zienswijze_datum = models.DateField(_("zienswijze received"), null=True, blank=True)
    zienswijze_inhoud = models.TextField(_("zienswijze (or verslag)"), blank=True)

    # 5. decision
    besluit_datum = models.DateField(_("date of the decision"), null=True, blank=True)
    motivering = models.TextField(_("motivation"), blank=True)
    geen_boete_op = models.DateField(_("no fine decided on"), null=True, blank=True)
    pw_participatieconsulent = models.CharField(
        _("participatieconsulent"), max_length=100, blank=True
    )
    pw_maatregel = models.TextField(_("Participatiewet measure"), blank=True)

    # 6. boetebeschikking (Awb 5:41, 5:46, 5:52)
    verwijtbaarheid = models.TextField(_("why the failure can be blamed (Awb 5:41)"), blank=True)
    zienswijze_weging = models.TextField(_("how the zienswijze was weighed"), blank=True)
    basisbedrag = _bedrag(_("fixed amount"), null=True, blank=True)
    verlaging_grond = models.CharField(
        _("ground for a lower amount (Awb 5:46)"),
        max_length=30,
        choices=Verlagingsgrond.choices,
        blank=True,
    )
    verlaging_motivering = models.TextField(_("motivation of the lower amount"), blank=True)
    verlaging = _bedrag(_("reduction"), default=Decimal("0.00"))
    bedrag = _bedrag(_("amount"), null=True, blank=True)
    goedgekeurd_door = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    terugstuur_opmerking = models.TextField(_("returned with"), blank=True)
    bezwaar_tot = models.DateField(_("objection until"), null=True, blank=True)
    betaalstatus = models.CharField(
        _("payment"), max_length=20, choices=Betaalstatus.choices, blank=True
    )

    # 7. after
    bezwaar_ontvangen_op = models.DateField(_("objection received"), null=True, blank=True)
    bezwaar_uitkomst = models.CharField(
        _("outcome of the objection"), max_length=20, choices=BezwaarUitkomst.choices, blank=True
    )
    bezwaar_beslist_op = models.DateField(_("objection decided"), null=True, blank=True)
    ingetrokken_op = models.DateField(_("withdrawn on"), null=True, blank=True)
    intrekking_reden = models.TextField(_("reason for the withdrawal"), blank=True)

    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gewijzigd_op = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager[Procedure]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager[Procedure]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("enforcement procedure")
        verbose_name_plural = _("enforcement procedures")
        ordering = ["-aangemaakt_op", "-id"]
        permissions = [("goedkeuren_boete", _("Can approve a fine before it is sent"))]
        constraints = [
            # the termijn clocks of a procedure carry this number (cases.Termijn.volgnummer)
            models.UniqueConstraint(
                fields=["dossier", "volgnummer"], name="handhaving_procedure_volgnummer"
            ),
            # Awb 5:43: after a written "no fine" notice the same verzuim is never fined
            models.CheckConstraint(
                condition=Q(geen_boete_op__isnull=True)
                | Q(bedrag__isnull=True, basisbedrag__isnull=True),
                name="handhaving_geen_boete_is_definitief",
                violation_error_message=_(
                    "A verzuim with a “no fine” notice can never be fined (Awb 5:43)."
                ),
            ),
            # never above the fixed amount, never nothing, the reduction is the difference
            models.CheckConstraint(
                condition=Q(bedrag__isnull=True)
                | (
                    Q(basisbedrag__isnull=False)
                    & Q(bedrag__gt=0)
                    & Q(bedrag__lte=F("basisbedrag"))
                    & Q(verlaging=F("basisbedrag") - F("bedrag"))
                ),
                name="handhaving_bedrag_binnen_maximum",
                violation_error_message=_("A fine is never above the fixed amount."),
            ),
            # Awb 5:46: a lower amount only with a recorded ground and its motivation
            models.CheckConstraint(
                condition=Q(verlaging=0) | (~Q(verlaging_grond="") & ~Q(verlaging_motivering="")),
                name="handhaving_verlaging_met_grond",
                violation_error_message=_(
                    "A lower amount needs a ground and its motivation (Awb 5:46)."
                ),
            ),
            # Awb 5:41: no fine without blame
            models.CheckConstraint(
                condition=Q(bedrag__isnull=True) | ~Q(verwijtbaarheid=""),
                name="handhaving_boete_met_verwijtbaarheid",
                violation_error_message=_("No fine without blame (Awb 5:41)."),
            ),
        ]
        indexes = [
            # the teamleider's overview: open procedures per werkcoach
            models.Index(
                fields=["dossier", "status"],
                name="handhaving_procedure_open",
                condition=~Q(
                    status__in=[
                        "afgedaan",
                        "geen_boete",
                        "pw_maatregel",
                        "vernietigd",
                        "ingetrokken",
                    ]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verzuim} — {self.get_status_display()}"


def brief_pad(brief: Brief, filename: str) -> str:
    return f"handhaving/{brief.procedure.dossier.gemeente.cbs_code}/{brief.uuid}.pdf"


class Brief(models.Model):
    """A letter of the procedure, rendered by the platform (``inburgering.documents``); at most
    one of each kind per procedure, so a retried task or a double click sends it once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="brieven")
    soort = models.CharField(_("letter"), max_length=20, choices=BriefSoort.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=BriefStatus.choices, default=BriefStatus.WORDT_GEMAAKT
    )
    kenmerk = models.CharField(_("reference"), max_length=40, unique=True)
    dagtekening = models.DateField(_("date of the letter"))
    pdf = models.FileField(_("PDF"), upload_to=brief_pad, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    render_fout = models.TextField(_("why it could not be made"), blank=True)
    aangemaakt_door = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aangemaakt_op = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[Brief]] = ScopedManager(
        gemeente="procedure__dossier__gemeente"
    )
    _default_manager: ClassVar[models.Manager[Brief]]
    history = gescoopte_historie(gemeente="procedure__dossier__gemeente")

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["aangemaakt_op", "id"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "soort"], name="handhaving_brief_eenmaal"),
            models.CheckConstraint(
                condition=~Q(status="verzonden") | ~Q(pdf_sha256=""),
                name="handhaving_verzonden_brief_heeft_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} {self.kenmerk}"
