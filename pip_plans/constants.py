from django.db import models
from django.utils.translation import gettext_lazy as _


class Domein(models.TextChoices):
    """The 14 statutory life domains of the brede intake (Besluit inburgering 2021)."""

    LEERBAARHEID = "leerbaarheid", _("learnability")
    OPLEIDING = "opleiding", _("education")
    WERKERVARING = "werkervaring", _("work experience / volunteering")
    PRAKTISCHE_COMPETENTIES = "praktische_competenties", _("practical competences")
    WERKNEMERSVAARDIGHEDEN = "werknemersvaardigheden", _("employee skills")
    TAALNIVEAU = "taalniveau", _("language level")
    MOTIVATIE = "motivatie", _("motivation / interests")
    ZELFREDZAAMHEID = "zelfredzaamheid", _("self-reliance")
    DIGITALE_VAARDIGHEDEN = "digitale_vaardigheden", _("digital skills")
    GEZINSSITUATIE = "gezinssituatie", _("family situation")
    FYSIEKE_GEZONDHEID = "fysieke_gezondheid", _("physical health")
    MENTALE_GEZONDHEID = "mentale_gezondheid", _("mental health")
    SOCIAAL_NETWERK = "sociaal_netwerk", _("social network")
    RECHTEN_PLICHTEN = "rechten_plichten", _("rights and duties")


# Special-category personal data: need-to-know (see cases.policy.can_view_medical).
MEDISCHE_DOMEINEN = {Domein.FYSIEKE_GEZONDHEID, Domein.MENTALE_GEZONDHEID}


class Beoordeling(models.TextChoices):
    """One scale for every domain: how much this domain supports or hinders integration."""

    STERK = "sterk", _("strength")
    VOLDOENDE = "voldoende", _("sufficient")
    AANDACHT = "aandacht", _("needs attention")
    BELEMMEREND = "belemmerend", _("hindering")
    ONBEKEND = "onbekend", _("not assessable")


class GesprekLocatie(models.TextChoices):
    AZC = "azc", _("AZC")
    GEMEENTEHUIS = "gemeentehuis", _("town hall")
    THUIS = "thuis", _("at home")
    VIDEO = "video", _("video call")


class Leersnelheid(models.TextChoices):
    SNEL = "snel", _("fast")
    GEMIDDELD = "gemiddeld", _("average")
    LANGZAAM = "langzaam", _("slow")


class Leerroute(models.TextChoices):
    B1 = "b1", _("B1-route")
    ONDERWIJS = "onderwijs", _("onderwijsroute")
    Z = "z", _("Z-route")
    EIGEN_KOSTEN = "eigen_kosten", _("purchased route at own cost")


class Einddoel(models.TextChoices):
    B1 = "b1", _("B1")
    A2_DELEN = "a2_delen", _("A2 on one or more exam parts")
    ONDERWIJS = "onderwijs", _("taalschakeltraject (onderwijs)")
    Z = "z", _("Z-route hours and effort")


class Examendeel(models.TextChoices):
    LEZEN = "lezen", _("reading")
    LUISTEREN = "luisteren", _("listening")
    SCHRIJVEN = "schrijven", _("writing")
    SPREKEN = "spreken", _("speaking")


class VasteLast(models.TextChoices):
    HUUR = "huur", _("rent")
    ENERGIE = "energie", _("energy (gas, electricity)")
    WATER = "water", _("water")
    ZORGVERZEKERING = "zorgverzekering", _("health-insurance premium")
    VERZEKERINGEN = "verzekeringen", _("other insurance")


class PipStatus(models.TextChoices):
    CONCEPT = "concept", _("draft")
    TER_ONDERTEKENING = "ter_ondertekening", _("awaiting approval")
    GOEDGEKEURD = "goedgekeurd", _("approved")
    WORDT_VASTGESTELD = "wordt_vastgesteld", _("being issued")
    VASTGESTELD = "vastgesteld", _("issued (beschikking)")
    GEWIJZIGD = "gewijzigd", _("superseded by a new version")
    INGETROKKEN = "ingetrokken", _("withdrawn")


BEWERKBARE_STATUSSEN = {PipStatus.CONCEPT}
DEFINITIEVE_STATUSSEN = {PipStatus.VASTGESTELD, PipStatus.GEWIJZIGD, PipStatus.INGETROKKEN}


class RouteWijzigingSoort(models.TextChoices):
    SWITCH = "switch", _("switch of leerroute")
    AFSCHALEN = "afschalen", _("afschalen B1 → A2 on an exam part")


# The intake fields a werkcoach fills in besides conversations, domains and children.
INTAKE_VELDEN = (
    "leerbaarheid_datum",
    "leerbaarheid_instrument",
    "leerbaarheid_score",
    "leerbaarheid_laag",
    "leerbaarheid_advies",
    "taalstart_taalniveau",
    "taalstart_geletterd",
    "taalstart_leersnelheid",
    "taalstart_studievaardigheden",
    "taalstart_zelfsturing",
    "taalstart_digitaal",
    "taalstart_route_advies",
    "diploma_erkenning",
    "signalen",
)

# The PIP agreements by theme, editable while the PIP is a draft (forms, API and services).
PIP_VELDEN = (
    "leerroute",
    "route_motivatie",
    "onderwijsroute_overwogen",
    "einddoel",
    "a2_examendelen",
    "aanbieder",
    "uren_per_week",
    "verwachte_duur_maanden",
    "knm",
    "map_vrijgesteld",
    "map_vrijstelling_grond",
    "pvt",
    "participatie",
    "participatie_uren_per_week",
    "heeft_uitkering",
    "ontzorgen_vaste_lasten",
    "ontzorgen_start",
    "ontzorgen_maanden",
    "ontzorgen_motivatie",
    "financiele_training",
    "voortgangsgesprekken_per_jaar",
    "maatschappelijke_begeleiding",
    "workshops",
    "kinderopvang",
    "vve",
)
