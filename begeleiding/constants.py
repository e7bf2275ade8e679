"""The choices of maatschappelijke begeleiding (DOMAIN.md §1, §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AanmeldingStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("referred, awaiting the partner")
    LOOPT = "loopt", _("running")
    AFGEWEZEN = "afgewezen", _("declined by the partner")
    INGETROKKEN = "ingetrokken", _("withdrawn by the gemeente")
    AFGESLOTEN = "afgesloten", _("closed with a closing report")


# the statuses in which a referral holds the dossier's one place (uniq_mb_aanmelding_lopend)
LOPENDE_STATUSSEN = (AanmeldingStatus.AANGEMELD, AanmeldingStatus.LOOPT)


class ContactSoort(models.TextChoices):
    HUISBEZOEK = "huisbezoek", _("home visit")
    SPREEKUUR = "spreekuur", _("consultation hour")
    TELEFONISCH = "telefonisch", _("by telephone")
    VIDEO = "video", _("video call")
    BEGELEIDING_AFSPRAAK = "afspraak", _("accompanying to an appointment")
    GROEP = "groep", _("group activity")


class Aanwezige(models.TextChoices):
    TOLK = "tolk", _("interpreter")
    PARTNER = "partner", _("partner")
    KINDEREN = "kinderen", _("children")
    FAMILIE = "familie", _("other family")
    ANDERS = "anders", _("someone else")


class Onderwerp(models.TextChoices):
    """The topics of a contact: a list, not free text, so nothing medical is written down
    ("gezondheid" is a topic without details)."""

    WONEN = "wonen", _("housing")
    GELDZAKEN = "geldzaken", _("money matters")
    GEZONDHEID = "gezondheid", _("health (no details)")
    KINDEREN_SCHOOL = "kinderen_school", _("children and school")
    WERK = "werk", _("work and participation")
    TAAL = "taal", _("language")
    INSTANTIES = "instanties", _("care and agencies")
    PVT = "pvt", _("PVT (participation statement)")


class ActieEigenaar(models.TextChoices):
    BEGELEIDER = "begeleider", _("begeleider")
    WERKCOACH = "werkcoach", _("werkcoach")
    INBURGERAAR = "inburgeraar", _("the person")


STANDAARD_CONTACT_WEKEN = 4
STANDAARD_MAANDEN = 12  # Vught; Landsmeer 14 (TermijnBeleid.mb_maanden wins when set)
STANDAARD_OFFLINE_DAGEN = 7
EVALUATIE_MAANDEN_VOOR_EINDE = 3  # "review 3 months before the end" (DOMAIN.md §5)
SIGNAAL_OPVOLGEN_DAGEN = 7  # a begeleider's signal is followed up within a week
VERSLAG_MAX = 2000
