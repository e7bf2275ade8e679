from django.db import models
from django.utils.translation import gettext_lazy as _


class Doelgroep(models.TextChoices):
    ASIELMIGRANT = "asielmigrant", _("asielmigrant (statushouder)")
    NAREIZIGER = "nareiziger", _("asielmigrant — nareiziger")
    GEZINSMIGRANT = "gezinsmigrant", _("gezinsmigrant")
    OVERIGE_MIGRANT = "overige_migrant", _("overige migrant")


ASIEL_DOELGROEPEN = {Doelgroep.ASIELMIGRANT, Doelgroep.NAREIZIGER}


class Regime(models.TextChoices):
    WI2021 = "wi2021", _("Wi2021")
    WI2013_ONDERTUSSEN = "wi2013_ondertussen", _("Wi2013 — ondertussengroep")
    WI2013_ELIP = "wi2013_elip", _("Wi2013 — ELIP (loan exhausted)")


class Fase(models.TextChoices):
    AANGEMELD = "aangemeld", _("registered")
    GEKOPPELD = "gekoppeld", _("coupled")
    GEHUISVEST = "gehuisvest", _("housed")
    INTAKE = "intake", _("brede intake")
    PIP = "pip", _("PIP")
    INBURGERING = "inburgering", _("integrating")
    AFGEROND = "afgerond", _("completed")
    VERHUISD = "verhuisd", _("relocated")
    BEEINDIGD = "beeindigd", _("ended")


# The normal order of an open dossier's phases (a phase may be skipped, never reversed).
FASE_VOLGORDE = [
    Fase.AANGEMELD,
    Fase.GEKOPPELD,
    Fase.GEHUISVEST,
    Fase.INTAKE,
    Fase.PIP,
    Fase.INBURGERING,
    Fase.AFGEROND,
]
GESLOTEN_FASEN = [Fase.AFGEROND, Fase.VERHUISD, Fase.BEEINDIGD]
OPEN_FASEN = [f for f in Fase if f not in GESLOTEN_FASEN]


class ContactKanaal(models.TextChoices):
    TELEFOON = "telefoon", _("telephone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


# Timeline event kinds are an open registry of codes: cases/tijdlijn.py.


# A new dossier starts in (and the API offers) only open phases.
OPEN_FASE_CHOICES = [(f.value, f.label) for f in OPEN_FASEN]


# A person's addresses: the woonadres and an optional correspondentieadres (where letters go
# when recorded), each in the parts of a Dutch address (BAG/BRP).
ADRES_SOORTEN = ("woonadres", "correspondentieadres")
ADRES_DELEN = ("straat", "huisnummer", "huisletter", "toevoeging", "postcode", "woonplaats")
ADRES_VERPLICHTE_DELEN = ("straat", "huisnummer", "postcode", "woonplaats")
ADRES_VELDEN = tuple(f"{soort}_{deel}" for soort in ADRES_SOORTEN for deel in ADRES_DELEN)

# The person fields a werkcoach records, in form order (forms, API and services share them).
PERSOON_VELDEN = (
    "bsn",
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "nationaliteit",
    "talen",
    "tolk_nodig",
    "tolk_taal",
    "contactkanalen",
    "telefoonnummer",
    "email",
    "doelgroep",
    "regime",
    *ADRES_VELDEN,
)


class TermijnStatus(models.TextChoices):
    OPEN = "open", _("open")
    GEHAALD = "gehaald", _("met")
    TE_LAAT_GEHAALD = "te_laat_gehaald", _("met late")
    VERLOPEN = "verlopen", _("overdue")
    VERVALLEN = "vervallen", _("lapsed")


# a clock still running: due, or past due and not yet met
LOPEND = (TermijnStatus.OPEN, TermijnStatus.VERLOPEN)


class TermijnSoort(models.TextChoices):
    WETTELIJK = "wettelijk", _("statutory")
    BELEID = "beleid", _("policy")


class SignaalSoort(models.TextChoices):
    WAARSCHUWING = "waarschuwing", _("due soon")
    VERLOPEN = "verlopen", _("overdue")
    ESCALATIE = "escalatie", _("escalation")


# Caseload filter on deadline status.
class TermijnFilter(models.TextChoices):
    BINNEN_14 = "binnen_14", _("due within 14 days")
    VERLOPEN = "verlopen", _("overdue")


BINNENKORT_DAGEN = 14  # "verloopt binnenkort": the caseload filter and the teamleider overview
