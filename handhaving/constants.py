"""Choices of the fine procedure (DOMAIN.md §8; Awb title 5.4)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# Awb art. 5:53: for a fine that can exceed this amount a rapport and a zienswijze are always
# required, the decision term is 13 weeks (5:51) and the power lapses after 5 years (5:45 lid 2).
ZWARE_BOETE_GRENS = Decimal("340.00")


class BoeteCategorie(models.TextChoices):
    """The two fines the gemeente imposes; the amount per category is in ``Boetetarief``."""

    INTAKE = "intake", _("brede intake (incl. leerbaarheidstoets)")
    PIP = "pip", _("complying with the PIP")


class VerzuimSoort(models.TextChoices):
    """The obligation broken."""

    INTAKE_NIET_VERSCHENEN = "intake_niet_verschenen", _("did not appear for the brede intake")
    INTAKE_NIET_MEEGEWERKT = "intake_niet_meegewerkt", _("did not cooperate with the brede intake")
    LEERBAARHEIDSTOETS = "leerbaarheidstoets", _("did not take part in the leerbaarheidstoets")
    VOORTGANGSGESPREK = "voortgangsgesprek", _("did not attend a voortgangsgesprek")
    PVT = "pvt", _("did not take part in the PVT")
    MAP = "map", _("did not take part in the MAP")
    LESSEN = "lessen", _("did not attend the inburgering lessons")

    @property
    def categorie(self) -> str:
        return CATEGORIE_VAN[self.value]


CATEGORIE_VAN: dict[str, str] = {
    VerzuimSoort.INTAKE_NIET_VERSCHENEN: BoeteCategorie.INTAKE,
    VerzuimSoort.INTAKE_NIET_MEEGEWERKT: BoeteCategorie.INTAKE,
    VerzuimSoort.LEERBAARHEIDSTOETS: BoeteCategorie.INTAKE,
    VerzuimSoort.VOORTGANGSGESPREK: BoeteCategorie.PIP,
    VerzuimSoort.PVT: BoeteCategorie.PIP,
    VerzuimSoort.MAP: BoeteCategorie.PIP,
    VerzuimSoort.LESSEN: BoeteCategorie.PIP,
}


class VerzuimBron(models.TextChoices):
    HANDMATIG = "handmatig", _("recorded by hand")
    INTAKE_GESPREK = "intake_gesprek", _("intake conversation")


class ProcedureStatus(models.TextChoices):
    """The step a procedure is at; the last six end it."""

    GESPREK = "gesprek", _("hearing conversation to be held")
    RAPPORT = "rapport", _("rapport to be drawn up")
    VOORNEMEN = "voornemen", _("intent letter to be sent")
    VOORNEMEN_WORDT_VERSTUURD = "voornemen_wordt_verstuurd", _("intent letter being made")
    ZIENSWIJZE = "zienswijze", _("awaiting the zienswijze")
    BESLUIT = "besluit", _("decision to be taken")
    BOETE_CONCEPT = "boete_concept", _("fine drafted")
    TER_GOEDKEURING = "ter_goedkeuring", _("fine awaiting approval")
    GOEDGEKEURD = "goedgekeurd", _("fine approved")
    WORDT_VERSTUURD = "wordt_verstuurd", _("decision being made")
    OPGELEGD = "opgelegd", _("fine imposed")
    BEZWAAR = "bezwaar", _("objection pending")
    AFGEDAAN = "afgedaan", _("settled with a conversation")
    GEEN_BOETE = "geen_boete", _("no fine (final)")
    PW_MAATREGEL = "pw_maatregel", _("Participatiewet measure instead")
    VERNIETIGD = "vernietigd", _("fine annulled on objection")
    INGETROKKEN = "ingetrokken", _("fine withdrawn")


AFGESLOTEN = frozenset(
    {
        ProcedureStatus.AFGEDAAN,
        ProcedureStatus.GEEN_BOETE,
        ProcedureStatus.PW_MAATREGEL,
        ProcedureStatus.VERNIETIGD,
        ProcedureStatus.INGETROKKEN,
    }
)
# a decision on the verzuim exists (meets the decision term and the lapse clock)
BESLOTEN = frozenset(
    {
        ProcedureStatus.OPGELEGD,
        ProcedureStatus.BEZWAAR,
        ProcedureStatus.GEEN_BOETE,
        ProcedureStatus.PW_MAATREGEL,
        ProcedureStatus.VERNIETIGD,
        ProcedureStatus.INGETROKKEN,
        ProcedureStatus.AFGEDAAN,
    }
)
# where the fine itself is being drafted, approved or made
BOETE_IN_BEHANDELING = frozenset(
    {
        ProcedureStatus.BOETE_CONCEPT,
        ProcedureStatus.TER_GOEDKEURING,
        ProcedureStatus.GOEDGEKEURD,
        ProcedureStatus.WORDT_VERSTUURD,
    }
)


class GesprekUitkomst(models.TextChoices):
    AFGEDAAN = "afgedaan", _("settled with the conversation")
    VERDER = "verder", _("continue the procedure (rapport)")


class ZienswijzeSoort(models.TextChoices):
    SCHRIFTELIJK = "schriftelijk", _("written")
    MONDELING = "mondeling", _("oral (with a verslag)")
    GEEN = "geen", _("none within the term")


class Verlagingsgrond(models.TextChoices):
    """Awb art. 5:46: the only grounds for a lower amount."""

    GEEN_GROVE_SCHULD = "geen_grove_schuld", _("no gross intent or gross fault")
    VERMINDERDE_VERWIJTBAARHEID = "verminderde_verwijtbaarheid", _("reduced culpability")
    BIJZONDERE_OMSTANDIGHEDEN = "bijzondere_omstandigheden", _("special circumstances")


class BezwaarUitkomst(models.TextChoices):
    ONGEGROND = "ongegrond", _("unfounded: the fine stands")
    GEGROND = "gegrond", _("founded: the fine is annulled")
    GEDEELTELIJK = "gedeeltelijk", _("partly founded: a new amount")


class Betaalstatus(models.TextChoices):
    OPEN = "open", _("open")
    BETAALD = "betaald", _("paid")
    BETALINGSREGELING = "betalingsregeling", _("payment arrangement")
    KWIJTGESCHOLDEN = "kwijtgescholden", _("remitted")


class BriefSoort(models.TextChoices):
    """The letters of the procedure; each at most once per procedure."""

    VOORNEMEN = "voornemen", _("intent letter (voornemen)")
    BOETEBESCHIKKING = "boetebeschikking", _("boetebeschikking")
    GEEN_BOETE = "geen_boete", _("notice: no fine")
    INTREKKING = "intrekking", _("withdrawal of the fine")


class BriefStatus(models.TextChoices):
    WORDT_GEMAAKT = "wordt_gemaakt", _("being made")
    VERZONDEN = "verzonden", _("sent")
    MISLUKT = "mislukt", _("could not be made")
