"""Maatschappelijke begeleiding (DOMAIN.md §1, §5): the werkcoach's referral of a dossier to a
partner organisation, which becomes the begeleiding once the partner's coördinator accepts it
(``Aanmelding``); the begeleider's visits and other contacts (``Contactmoment``) with their
follow-up actions (``Vervolgactie``); the gemeente's settings (``BegeleidingBeleid``).

A partner organisation sees a dossier only through a running ``Aanmelding`` of its own, and only
until its end date (``begeleiding.policy``). A contact is written once: a correction is a new
version (``versie``), each version kept in the history with its actor."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from cases.models import Dossier
from inburgering.accounts.models import Gemeente, Organisatie
from inburgering.core.historie import gescoopte_historie

from .constants import (
    LOPENDE_STATUSSEN,
    STANDAARD_CONTACT_WEKEN,
    STANDAARD_MAANDEN,
    VERSLAG_MAX,
    AanmeldingStatus,
    Aanwezige,
    ActieEigenaar,
    ContactSoort,
    Onderwerp,
)

User = settings.AUTH_USER_MODEL


class BegeleidingBeleid(models.Model):
    """A gemeente's settings for maatschappelijke begeleiding, kept by the functioneel
    beheerder. Without a row the defaults below hold (``selectors.beleid_van``)."""

    gemeente = models.OneToOneField(
        Gemeente, on_delete=models.CASCADE, related_name="begeleidingbeleid"
    )
    toestemming_vereist = models.BooleanField(
        _("the person's consent is needed before a partner is told anything"),
        default=False,
        help_text=_(
            "Informing the person about what is shared is always required (AVG art. 13); "
            "consent only where the gemeente's policy asks for it."
        ),
    )
    contact_weken = models.PositiveSmallIntegerField(
        _("signal when there was no contact for … weeks"),
        default=STANDAARD_CONTACT_WEKEN,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    standaard_maanden = models.PositiveSmallIntegerField(
        _("begeleiding lasts … months (when the deadline policy sets none)"),
        default=STANDAARD_MAANDEN,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begeleiding policy")
        verbose_name_plural = _("begeleiding policies")

    def __str__(self) -> str:
        return str(self.gemeente)


class Aanmelding(models.Model):
    """A referral to a partner organisation and, once accepted, the begeleiding it becomes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="mb_aanmeldingen", verbose_name=_("dossier")
    )
    organisatie = models.ForeignKey(
        Organisatie,
        on_delete=models.PROTECT,
        related_name="mb_aanmeldingen",
        verbose_name=_("partner organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AanmeldingStatus.choices,
        default=AanmeldingStatus.AANGEMELD,
    )
    # what is shared with the partner (and only this, besides name, contact details and language)
    afspraken = models.TextField(
        _("agreements on begeleiding (PIP, theme 4)"),
        validators=[MaxLengthValidator(2000)],
    )
    voor_partner = models.TextField(
        _("what the partner needs to know"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    # AVG art. 13: the person knows what is shared; consent where the gemeente's policy asks
    geinformeerd_op = models.DateField(_("person informed about what is shared on"))
    toestemming_op = models.DateField(_("consent given on"), null=True, blank=True)
    aangemeld_door = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    aangemeld_op = models.DateTimeField(_("referred on"), default=timezone.now)
    beoordeeld_door = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    beoordeeld_op = models.DateTimeField(_("decided on"), null=True, blank=True)
    afwijsreden = models.TextField(_("reason for declining"), blank=True)
    begeleider = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mb_begeleidingen",
        verbose_name=_("maatschappelijk begeleider"),
    )
    startdatum = models.DateField(_("start"), null=True, blank=True)
    einddatum = models.DateField(_("end"))
    evaluatie_op = models.DateField(_("review held on"), null=True, blank=True)
    evaluatie_verslag = models.TextField(
        _("review notes"), blank=True, validators=[MaxLengthValidator(VERSLAG_MAX)]
    )
    afsluitend_verslag = models.TextField(
        _("closing report"), blank=True, validators=[MaxLengthValidator(4000)]
    )
    open_punten = models.TextField(
        _("open points for the werkcoach"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    afgesloten_op = models.DateField(_("closed on"), null=True, blank=True)
    afgesloten_door = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    ingetrokken_reden = models.TextField(_("reason for withdrawing"), blank=True)

    objects: ClassVar[models.Manager[Aanmelding]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager[Aanmelding]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("referral to maatschappelijke begeleiding")
        verbose_name_plural = _("referrals to maatschappelijke begeleiding")
        ordering = ["-aangemeld_op", "-id"]
        permissions = [
            ("beoordelen_aanmelding", _("Can accept or decline a referral for the partner")),
        ]
        constraints = [
            # one referral or begeleiding at a time per dossier
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status__in=LOPENDE_STATUSSEN),
                name="uniq_mb_aanmelding_lopend",
            ),
            # a running begeleiding has its begeleider and start
            models.CheckConstraint(
                condition=~Q(status=AanmeldingStatus.LOOPT)
                | (Q(begeleider__isnull=False) & Q(startdatum__isnull=False)),
                name="mb_lopend_met_begeleider",
            ),
            # AVG art. 13: nothing is shared before the person was informed
            models.CheckConstraint(
                condition=Q(geinformeerd_op__isnull=False), name="mb_geinformeerd"
            ),
            models.CheckConstraint(
                condition=Q(startdatum__isnull=True) | Q(einddatum__gt=models.F("startdatum")),
                name="mb_einde_na_start",
            ),
        ]
        indexes = [models.Index(fields=["organisatie", "status"], name="idx_mb_org_status")]

    def __str__(self) -> str:
        return f"{self.organisatie} — {self.get_status_display()}"


class Contactmoment(models.Model):
    """One visit or other contact. ``uuid`` is made by the client (the offline app), so a
    replay creates it once; ``versie`` counts corrections (optimistic concurrency: a correction
    names the version it corrects, a stale one is a 409)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    aanmelding = models.ForeignKey(
        Aanmelding,
        on_delete=models.PROTECT,
        related_name="contactmomenten",
        verbose_name=_("begeleiding"),
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    auteur = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    tijdstip = models.DateTimeField(_("date and time"))
    soort = models.CharField(_("kind"), max_length=20, choices=ContactSoort.choices)
    duur_minuten = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    aanwezig = ArrayField(
        models.CharField(max_length=20, choices=Aanwezige.choices),
        default=list,
        blank=True,
        verbose_name=_("also present"),
    )
    onderwerpen = ArrayField(
        models.CharField(max_length=20, choices=Onderwerp.choices),
        default=list,
        blank=True,
        verbose_name=_("topics"),
    )
    verslag = models.TextField(_("short report"), validators=[MaxLengthValidator(VERSLAG_MAX)])
    signaal_werkcoach = models.BooleanField(_("signal for the werkcoach"), default=False)
    signaal_toelichting = models.CharField(
        _("what the werkcoach should know"), max_length=500, blank=True
    )
    signaalnummer = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    signaal_opgevolgd_op = models.DateField(_("signal followed up on"), null=True, blank=True)
    versie = models.PositiveIntegerField(_("version"), default=1)
    aangemaakt_op = models.DateTimeField(_("created"), default=timezone.now)
    gewijzigd_op = models.DateTimeField(_("last changed"), default=timezone.now)

    objects: ClassVar[models.Manager[Contactmoment]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager[Contactmoment]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-tijdstip", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signaal_werkcoach=False) | ~Q(signaal_toelichting=""),
                name="mb_signaal_met_toelichting",
            ),
            models.UniqueConstraint(
                fields=["dossier", "signaalnummer"], name="uniq_mb_signaalnummer"
            ),
        ]
        indexes = [models.Index(fields=["aanmelding", "tijdstip"], name="idx_mb_contact")]

    def __str__(self) -> str:
        return f"{self.get_soort_display()} {self.tijdstip:%Y-%m-%d}"


class Vervolgactie(models.Model):
    """A follow-up action agreed in a contact, with its owner and due date."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    contactmoment = models.ForeignKey(
        Contactmoment, on_delete=models.PROTECT, related_name="vervolgacties"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    omschrijving = models.CharField(_("action"), max_length=300)
    eigenaar = models.CharField(_("owner"), max_length=20, choices=ActieEigenaar.choices)
    deadline = models.DateField(_("due"))
    afgerond_op = models.DateField(_("done on"), null=True, blank=True)
    afgerond_door = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager[Vervolgactie]] = ScopedManager(gemeente="dossier__gemeente")
    _default_manager: ClassVar[models.Manager[Vervolgactie]]
    history = gescoopte_historie(gemeente="dossier__gemeente")

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["afgerond_op", "deadline", "id"]

    def __str__(self) -> str:
        return self.omschrijving
