"""Demo records of maatschappelijke begeleiding, built through the services (every rule holds as
it does for a werkcoach, coördinator and begeleider): the werkcoach's referral, the partner
coördinator's acceptance with a begeleider, and the begeleider's contacts since — one with a
follow-up action, a recent one with a signal for the werkcoach; a few referrals still await the
coördinator (a dossier not yet housed, or housed only days ago).

A service dates a referral "now"; the demo moves that one date back to just before the
begeleiding started (the person was informed first), so the start, the contacts and their clocks
lie where a real caseload has them. Called by ``demo.dossiers`` for each demo dossier to which
the draw gave a begeleider.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cases.models import Dossier
from inburgering.accounts.models import User

from . import services
from .constants import Aanwezige, ActieEigenaar, ContactSoort, Onderwerp
from .models import Aanmelding
from .selectors import standaard_einddatum

AFSPRAKEN = [
    "Hulp bij wonen, post en geldzaken; samen de weg naar de huisarts en de school vinden.",
    "Ondersteuning bij de inrichting van de woning, toeslagen aanvragen en het eerste "
    "contact met de buurt.",
    "Wegwijs in Huizen: gemeente, bank, zorgverzekering; begeleiden naar de eerste afspraken.",
]
VOOR_PARTNER = [
    "Spreekt nog weinig Nederlands; een tolk helpt bij de eerste bezoeken.",
    "Gezin met twee kinderen op de basisschool.",
    "",
]
VERSLAGEN = [
    "Post doorgenomen; de zorgtoeslag is aangevraagd.",
    "Samen naar het gemeentehuis voor het afvalpasje en de parkeervergunning.",
    "Huurcontract en energierekening uitgelegd; automatische betaling ingesteld.",
    "Kennisgemaakt met de buurvrouw; het taalcafé in de bibliotheek bezocht.",
    "Inschrijving van de kinderen op school besproken; formulier samen ingevuld.",
    "Gesprek over vrijwilligerswerk bij de voedselbank; afspraak voor een kennismaking.",
]
ACTIES = [
    ("Belastingdienst bellen over de voorlopige toeslag", ActieEigenaar.BEGELEIDER),
    ("Afspraak bij de huisarts maken", ActieEigenaar.INBURGERAAR),
    ("Bijzondere bijstand voor de inrichting nagaan", ActieEigenaar.WERKCOACH),
]
SIGNALEN = [
    "Huurachterstand dreigt: twee maanden niet betaald.",
    "Maakt zich zorgen over de kinderen op school; graag contact met de werkcoach.",
]

WACHT_OP_COORDINATOR = 0.25  # of the referrals of dossiers not yet (or only just) housed


def _moment(dag: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(dag, time(rng.randrange(9, 17), 0)))


def begeleiding_opbouwen(
    *,
    dossier: Dossier,
    werkcoach: User,
    coordinator: User,
    begeleider: User,
    vandaag: date,
    rng: random.Random,
) -> str:
    """The referral to the begeleider's organisation and how far it went: "" (none), "aangemeld"
    (awaiting the coördinator) or "loopt" (accepted, with contacts)."""
    if not dossier.is_open:
        return ""
    huisvesting = dossier.datum_huisvesting
    # the begeleiding starts at housing (DOMAIN.md §5): before it, or days after it, the
    # referral may still wait for the coördinator
    net_gehuisvest = huisvesting is None or (vandaag - huisvesting).days < 3
    if net_gehuisvest and rng.random() > WACHT_OP_COORDINATOR:
        return ""
    start = None
    if not net_gehuisvest:
        assert huisvesting is not None
        start = min(
            vandaag - timedelta(days=1),
            max(
                huisvesting + timedelta(days=rng.randrange(2, 8)),
                vandaag - timedelta(days=rng.randrange(20, 110)),
            ),
        )
    geinformeerd = (start or vandaag) - timedelta(days=rng.randrange(1, 4))
    aanmelding = services.aanmelden(
        user=werkcoach,
        dossier=dossier,
        organisatie=begeleider.organisatie,
        afspraken=rng.choice(AFSPRAKEN),
        voor_partner=rng.choice(VOOR_PARTNER),
        geinformeerd_op=geinformeerd,
        toestemming_op=geinformeerd,  # Het Hogeland asks consent; asked everywhere in the demo
        einddatum=standaard_einddatum(dossier, start),
    )
    if start is None:
        return "aangemeld"
    Aanmelding.objects.filter(pk=aanmelding.pk).update(
        aangemeld_op=timezone.make_aware(datetime.combine(geinformeerd, time(11, 0)))
    )
    aanmelding.refresh_from_db()
    aanmelding = services.accepteren(
        user=coordinator, aanmelding=aanmelding, begeleider=begeleider, startdatum=start
    )
    _contacten(aanmelding, werkcoach=werkcoach, begeleider=begeleider, vandaag=vandaag, rng=rng)
    return "loopt"


def _contacten(
    aanmelding: Aanmelding,
    *,
    werkcoach: User,
    begeleider: User,
    vandaag: date,
    rng: random.Random,
) -> None:
    """A contact every two or three weeks (within the four — Het Hogeland three — weeks of the
    contact clock), the last one recent."""
    assert aanmelding.startdatum is not None
    dagen: list[date] = []
    dag = aanmelding.startdatum + timedelta(days=rng.randrange(1, 6))
    while dag < vandaag:
        dagen.append(dag)
        dag += timedelta(days=rng.randrange(9, 19))
    tolk = aanmelding.dossier.inburgeraar.tolk_nodig
    actie_bij = rng.randrange(len(dagen)) if dagen else -1
    for i, dag in enumerate(dagen):
        laatste = i == len(dagen) - 1
        signaal = laatste and (vandaag - dag).days <= 5 and rng.random() < 0.5
        acties = []
        if i == actie_bij:
            omschrijving, eigenaar = rng.choice(ACTIES)
            acties.append(services.NieuweActie(omschrijving, eigenaar, dag + timedelta(days=14)))
        contact, _ = services.contact_vastleggen(
            user=begeleider,
            aanmelding=aanmelding,
            vervolgacties=acties,
            tijdstip=_moment(dag, rng),
            soort=ContactSoort.HUISBEZOEK
            if i == 0
            else rng.choice([c.value for c in ContactSoort]),
            duur_minuten=rng.choice([30, 45, 60, 90]),
            aanwezig=[Aanwezige.TOLK] if tolk and rng.random() < 0.7 else [],
            onderwerpen=rng.sample([o.value for o in Onderwerp], k=rng.randrange(1, 4)),
            verslag=rng.choice(VERSLAGEN),
            signaal_werkcoach=signaal,
            signaal_toelichting=rng.choice(SIGNALEN) if signaal else "",
        )
        afgerond = dag + timedelta(days=rng.randrange(2, 10))
        for actie in contact.vervolgacties.all():
            if afgerond < vandaag and not laatste:
                door = werkcoach if actie.eigenaar == ActieEigenaar.WERKCOACH else begeleider
                services.vervolgactie_afronden(user=door, actie=actie, datum=afgerond)
