"""Choices of retention and destruction."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordSoort(models.TextChoices):
    """The kinds of records a retention period is set for. A dossier is destroyed as a whole:
    its period is the longest of the kinds it holds (``DOSSIER`` always, the others when the
    dossier has records of that app)."""

    DOSSIER = "dossier", _("dossier as a whole")
    PIP = "pip", _("brede intake and PIP (beschikkingen)")
    HANDHAVING = "handhaving", _("enforcement (fines)")
    BEGELEIDING = "begeleiding", _("maatschappelijke begeleiding")


# The app whose records make a kind present in a dossier (the dossier kind is always present).
SOORT_APPS: dict[str, str] = {
    RecordSoort.PIP: "pip_plans",
    RecordSoort.HANDHAVING: "handhaving",
    RecordSoort.BEGELEIDING: "begeleiding",
}


class BlokkadeReden(models.TextChoices):
    BEZWAAR = "bezwaar", _("objection (bezwaar)")
    BEROEP = "beroep", _("appeal (beroep)")
    AUDIT = "audit", _("audit or investigation")
    OVERIG = "overig", _("other")


class RondeStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("proposed")
    GOEDGEKEURD = "goedgekeurd", _("approved")
    UITGEVOERD = "uitgevoerd", _("carried out")
    AFGEWEZEN = "afgewezen", _("rejected")


class RegelStatus(models.TextChoices):
    """One dossier in a run: proposed for destruction, excluded at the proposal (a legal hold),
    or skipped when the run was carried out (a hold added, or the period extended, after
    approval). A destroyed dossier's row is destroyed with it: the verklaring keeps the counts."""

    VOORGESTELD = "voorgesteld", _("proposed for destruction")
    UITGESLOTEN = "uitgesloten", _("excluded")
    OVERGESLAGEN = "overgeslagen", _("skipped when carried out")
