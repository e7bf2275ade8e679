"""The accountability exports that are kept: a dossier's evidence bundle (the auditor's) and the
answer to an inzageverzoek (AVG art. 15, the privacy officer's).

Both are records of accountability, not case data that changes: no django-simple-history.
Both are made by a Celery task (``verantwoording.bundel.tasks``) that fills ``bestand`` (a ZIP
under MEDIA, served only through a view) and reports its progress in ``voortgang``/``stap``.
Both point at the dossier or person they are about with ``PROTECT``: the destruction run
(``bewaring.vernietiging``) finds them through that foreign key and removes them, and their
files, with the dossier or person.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from cases.models import Dossier, Inburgeraar
from inburgering.accounts.models import Gemeente


class OpdrachtStatus(models.TextChoices):
    WACHTRIJ = "wachtrij", _("queued")
    BEZIG = "bezig", _("being made")
    KLAAR = "klaar", _("ready")
    MISLUKT = "mislukt", _("failed")


def _bundel_pad(obj: Bewijsbundel, filename: str) -> str:
    # no name, no BSN: the uuid of the bundle only
    return f"verantwoording/bundels/{obj.gemeente_id}/{obj.uuid}.zip"


def _inzage_pad(obj: Inzageverzoek, filename: str) -> str:
    return f"verantwoording/inzage/{obj.gemeente_id}/{obj.uuid}.zip"


class Exportopdracht(models.Model):
    """A ZIP made in the background for one user, under that user's need-to-know."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemeente")
    )
    gemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    aangevraagd_op = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OpdrachtStatus.choices,
        default=OpdrachtStatus.WACHTRIJ,
    )
    voortgang = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stap = models.CharField(_("step"), max_length=200, blank=True)
    klaar_op = models.DateTimeField(_("ready at"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the ZIP"), max_length=64, blank=True)
    medisch_inbegrepen = models.BooleanField(_("medical and trauma data included"), default=False)
    fout = models.TextField(_("why it failed"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_bezig(self) -> bool:
        return self.status in (OpdrachtStatus.WACHTRIJ, OpdrachtStatus.BEZIG)


class Bewijsbundel(Exportopdracht):
    """A dossier's evidence bundle: the PDF/A report, the issued beschikkingen, the history as
    JSON and CSV, and the manifest with every file's SHA-256."""

    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        related_name="bewijsbundels",
        verbose_name=_("dossier"),
    )
    bestand = models.FileField(_("ZIP"), upload_to=_bundel_pad, blank=True)

    objects: ClassVar[models.Manager[Bewijsbundel]] = ScopedManager(gemeente="gemeente")
    _default_manager: ClassVar[models.Manager[Bewijsbundel]]

    class Meta:
        verbose_name = _("evidence bundle")
        verbose_name_plural = _("evidence bundles")
        ordering = ["-aangevraagd_op", "-id"]
        permissions = [("bulkexport_maken", "Export a gemeente's history and decisions in bulk")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OpdrachtStatus.KLAAR) | (~Q(bestand="") & ~Q(sha256="")),
                name="verantwoording_bundel_klaar_heeft_zip",
            ),
            models.CheckConstraint(
                condition=Q(voortgang__lte=100), name="verantwoording_bundel_voortgang"
            ),
        ]
        indexes = [
            # the dossier's accountability tab: its bundles, newest first
            models.Index(fields=["dossier", "-aangevraagd_op"], name="verantw_bundel_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.uuid}"


class Inzageverzoek(Exportopdracht):
    """A person's request to see their data (AVG art. 15), registered by the privacy officer;
    the export answers it, and the officer records to whom and when it was supplied."""

    inburgeraar = models.ForeignKey(
        Inburgeraar,
        on_delete=models.PROTECT,
        related_name="inzageverzoeken",
        verbose_name=_("person"),
    )
    ontvangen_op = models.DateField(_("request received on"), default=timezone.localdate)
    toelichting = models.TextField(_("notes"), blank=True)
    bestand = models.FileField(_("ZIP"), upload_to=_inzage_pad, blank=True)
    verstrekt_aan = models.CharField(
        _("delivered to"),
        max_length=200,
        blank=True,
        help_text=_("Who received the answer (the person, or their authorised representative)."),
    )
    verstrekt_op = models.DateField(_("delivered on"), null=True, blank=True)
    verstrekt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery recorded by"),
    )

    objects: ClassVar[models.Manager[Inzageverzoek]] = ScopedManager(gemeente="gemeente")
    _default_manager: ClassVar[models.Manager[Inzageverzoek]]

    class Meta:
        verbose_name = _("request for access (AVG art. 15)")
        verbose_name_plural = _("requests for access (AVG art. 15)")
        ordering = ["-aangevraagd_op", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OpdrachtStatus.KLAAR) | (~Q(bestand="") & ~Q(sha256="")),
                name="verantwoording_inzage_klaar_heeft_zip",
            ),
            models.CheckConstraint(
                condition=Q(voortgang__lte=100), name="verantwoording_inzage_voortgang"
            ),
            # delivered: to whom and when, both or neither
            models.CheckConstraint(
                condition=(Q(verstrekt_aan="") & Q(verstrekt_op__isnull=True))
                | (~Q(verstrekt_aan="") & Q(verstrekt_op__isnull=False)),
                name="verantwoording_inzage_verstrekt_aan_en_op",
                violation_error_message=_("Say both to whom and on which date it was delivered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.uuid}"
