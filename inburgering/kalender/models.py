from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inburgering.core import weergave


class AtwExtraDag(models.Model):
    """A day the government put on a par with the Atw holidays by decree (Atw art. 3 lid 3),
    e.g. the Friday after Hemelvaartsdag. Kept by the functioneel beheerder in /beheer/ when a
    new decree is published; every Atw deadline counts it (``inburgering.kalender.atw``)."""

    datum = models.DateField(_("date"), unique=True)
    omschrijving = models.CharField(
        _("description"), max_length=200, help_text=_("E.g. “Friday after Ascension Day”.")
    )
    besluit = models.CharField(
        _("decree"),
        max_length=300,
        help_text=_("The decree that adds this day (title and Staatscourant/Staatsblad number)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extra day (Algemene termijnenwet art. 3 lid 3)")
        verbose_name_plural = _("extra days (Algemene termijnenwet art. 3 lid 3)")
        ordering = ["datum"]

    def __str__(self) -> str:
        return f"{weergave.datum(self.datum)} {self.omschrijving}"
