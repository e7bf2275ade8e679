"""Termijn rules owned by maatschappelijke begeleiding (DOMAIN.md §5), on the begeleiding that
runs now (or ran last):

* ``mb_evaluatie``: the review three months before the end — signals werkcoach and begeleider;
* ``mb_contact``: no contact for N weeks (N per gemeente, ``BegeleidingBeleid.contact_weken``),
  one numbered clock per period between contacts, met by the next contact;
* ``mb_afsluiting``: the closing report (afsluitend verslag) on the end date, the warm handover
  to the werkcoach;
* ``mb_signaal``: a begeleider's "signal for the werkcoach", followed up within a week.

The end itself (``mb_einde``, policy months after housing) stays with ``pip_plans``: it is the
date a new referral's end date starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from cases.constants import TermijnSoort
from cases.feiten import Feiten
from cases.models import Dossier
from cases.rules import add_years_months
from cases.termijnregels import Klok, TermijnRegel, Verlengbaar

from .constants import (
    EVALUATIE_MAANDEN_VOOR_EINDE,
    SIGNAAL_OPVOLGEN_DAGEN,
    STANDAARD_CONTACT_WEKEN,
    AanmeldingStatus,
)


@dataclass(frozen=True)
class Signaalfeit:
    nummer: int
    datum: date
    opgevolgd_op: date | None


@dataclass(frozen=True)
class BegeleidingFeit:
    status: str
    startdatum: date
    einddatum: date
    evaluatie_op: date | None
    afgesloten_op: date | None
    contacten: tuple[date, ...]  # the days of its contacts, ascending
    contact_weken: int = STANDAARD_CONTACT_WEKEN


@dataclass(frozen=True)
class BegeleidingFeiten:
    begeleiding: BegeleidingFeit | None = None  # the one running now, else the last one
    signalen: tuple[Signaalfeit, ...] = ()


def begeleiding_feiten(dossier: Dossier) -> BegeleidingFeiten:
    from .selectors import feiten_van

    return feiten_van(dossier)


def _begeleiding(f: Feiten) -> BegeleidingFeit | None:
    b = f.van(BegeleidingFeiten).begeleiding
    if b is None or b.status not in (AanmeldingStatus.LOOPT, AanmeldingStatus.AFGESLOTEN):
        return None  # declined or withdrawn: no clocks
    return b


def evaluatie_datum(einddatum: date) -> date:
    return add_years_months(einddatum, 0, -EVALUATIE_MAANDEN_VOOR_EINDE)


def _evaluatie(f: Feiten) -> list[Klok]:
    b = _begeleiding(f)
    if b is None:
        return []
    uiterste = evaluatie_datum(b.einddatum)
    if uiterste <= b.startdatum:
        return []  # a begeleiding of three months or less has no separate review
    return [
        Klok(
            start=b.startdatum,
            uiterste_datum=uiterste,
            gehaald_op=b.evaluatie_op or b.afgesloten_op,
        )
    ]


def _contact(f: Feiten) -> list[Klok]:
    """Period n runs from the previous contact (or the start) and is met by the next one; the
    last period is open while the begeleiding runs and is not judged beyond its end."""
    b = _begeleiding(f)
    if b is None:
        return []
    termijn = timedelta(weeks=b.contact_weken)
    klokken: list[Klok] = []
    start = b.startdatum
    for contact in (c for c in b.contacten if c >= b.startdatum):
        if contact <= start and klokken:
            continue  # a second contact on the same day
        klokken.append(
            Klok(
                start=start,
                uiterste_datum=start + termijn,
                gehaald_op=contact,
                volgnummer=len(klokken) + 1,
            )
        )
        start = contact
    if b.status == AanmeldingStatus.LOOPT and start + termijn < b.einddatum:
        klokken.append(
            Klok(start=start, uiterste_datum=start + termijn, volgnummer=len(klokken) + 1)
        )
    return klokken


def _afsluiting(f: Feiten) -> list[Klok]:
    b = _begeleiding(f)
    if b is None:
        return []
    return [Klok(start=b.startdatum, uiterste_datum=b.einddatum, gehaald_op=b.afgesloten_op)]


def _signalen(f: Feiten) -> list[Klok]:
    return [
        Klok(
            start=s.datum,
            uiterste_datum=s.datum + timedelta(days=SIGNAAL_OPVOLGEN_DAGEN),
            gehaald_op=s.opgevolgd_op,
            volgnummer=s.nummer,
        )
        for s in f.van(BegeleidingFeiten).signalen
    ]


EVALUATIE = "mb_evaluatie"
CONTACT = "mb_contact"
AFSLUITING = "mb_afsluiting"
SIGNAAL = "mb_signaal"

REGELS = (
    TermijnRegel(
        code=EVALUATIE,
        omschrijving=_("Review of the begeleiding"),
        soort=TermijnSoort.BELEID,
        grondslag=_("Gemeente policy: a review three months before the begeleiding ends"),
        bereken=_evaluatie,
        escaleren=False,
        meldt_begeleider=True,
        app="begeleiding",
    ),
    TermijnRegel(
        code=CONTACT,
        omschrijving=_("Contact with the begeleider"),
        soort=TermijnSoort.BELEID,
        grondslag=_("Gemeente policy: contact at least every few weeks during begeleiding"),
        bereken=_contact,
        escaleren=False,
        herhalend=True,
        meldt_begeleider=True,
        app="begeleiding",
    ),
    TermijnRegel(
        code=AFSLUITING,
        omschrijving=_("Closing report and warm handover"),
        soort=TermijnSoort.BELEID,
        grondslag=_("Gemeente policy: an afsluitend verslag and warm handover at the end"),
        bereken=_afsluiting,
        verlengbaar=Verlengbaar.NEE,
        meldt_begeleider=True,
        app="begeleiding",
    ),
    TermijnRegel(
        code=SIGNAAL,
        omschrijving=_("Follow up the begeleider's signal"),
        soort=TermijnSoort.BELEID,
        grondslag=_("A signal from the maatschappelijk begeleider is followed up within a week"),
        bereken=_signalen,
        herhalend=True,
        app="begeleiding",
    ),
)
