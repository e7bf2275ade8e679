"""Reads of maatschappelijke begeleiding. Visibility starts from ``policy`` (``aanmeldingen_for``,
``contactmomenten_for``); these functions take what it allows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from cases.models import Dossier, Termijn
from cases.rules import add_years_months
from inburgering.accounts.constants import OrganisatieSoort, Rol
from inburgering.accounts.models import Gemeente, Organisatie, User

from .constants import LOPENDE_STATUSSEN, AanmeldingStatus
from .models import Aanmelding, BegeleidingBeleid, Contactmoment, Vervolgactie
from .termijnregels import CONTACT, BegeleidingFeit, BegeleidingFeiten, Signaalfeit


def beleid_van(gemeente: Gemeente | int) -> BegeleidingBeleid:
    """The gemeente's settings, or the defaults (an unsaved row) when it has none."""
    gemeente_id = gemeente if isinstance(gemeente, int) else gemeente.pk
    beleid = BegeleidingBeleid.objects.filter(gemeente_id=gemeente_id).first()
    return beleid or BegeleidingBeleid(gemeente_id=gemeente_id)


def lopende_aanmelding(dossier: Dossier) -> Aanmelding | None:
    """The dossier's referral awaiting the partner, or its running begeleiding."""
    return (
        Aanmelding.objects.filter(dossier=dossier, status__in=LOPENDE_STATUSSEN)
        .select_related("organisatie", "begeleider")
        .first()
    )


def standaard_einddatum(dossier: Dossier, start: date | None = None) -> date:
    """Where a new begeleiding ends: the policy months after housing (the ``mb_einde`` clock's
    date, ``TermijnBeleid.mb_maanden``), else the gemeente's default length from ``start``."""
    termijnbeleid = getattr(dossier.gemeente, "termijnbeleid", None)
    maanden = termijnbeleid.mb_maanden if termijnbeleid else None
    vandaag = timezone.localdate()
    if maanden and dossier.datum_huisvesting:
        einde = add_years_months(dossier.datum_huisvesting, 0, maanden)
        if einde > vandaag:
            return einde
    return add_years_months(start or vandaag, 0, beleid_van(dossier.gemeente_id).standaard_maanden)


def partnerorganisaties(dossier: Dossier) -> QuerySet[Organisatie]:
    """The partner organisations working in the dossier's gemeente."""
    return Organisatie.objects.filter(
        soort=OrganisatieSoort.PARTNER, gemeenten=dossier.gemeente_id
    ).order_by("naam")


def begeleiders_van(organisatie: Organisatie | int) -> QuerySet[User]:
    organisatie_id = organisatie if isinstance(organisatie, int) else organisatie.pk
    return User.objects.filter(
        organisatie_id=organisatie_id, groups__name=Rol.BEGELEIDER, is_active=True
    ).order_by("last_name", "first_name")


def feiten_van(dossier: Dossier) -> BegeleidingFeiten:
    """The facts the termijn rules read: the running (else the last started) begeleiding with
    its contact days, and the begeleider's signals."""
    aanmelding = (
        Aanmelding.objects.filter(dossier=dossier, startdatum__isnull=False)
        .annotate(
            loopt=ExpressionWrapper(Q(status=AanmeldingStatus.LOOPT), output_field=BooleanField())
        )
        .order_by("-loopt", "-startdatum", "-id")  # the running one, else the latest
        .first()
    )
    if aanmelding is None:
        return BegeleidingFeiten()  # contacts and signals need a begeleiding
    # the dossier's contacts in one query: the days of this begeleiding's, and the signals
    contacten = list(
        Contactmoment.objects.filter(dossier=dossier)
        .order_by("signaalnummer", "tijdstip")
        .values_list("aanmelding_id", "tijdstip", "signaalnummer", "signaal_opgevolgd_op")
    )
    begeleiding = BegeleidingFeit(
        status=aanmelding.status,
        startdatum=aanmelding.startdatum,  # type: ignore[arg-type]  # filtered: not null
        einddatum=aanmelding.einddatum,
        evaluatie_op=aanmelding.evaluatie_op,
        afgesloten_op=aanmelding.afgesloten_op,
        contacten=tuple(
            sorted(
                {timezone.localtime(t).date() for a, t, _n, _o in contacten if a == aanmelding.pk}
            )
        ),
        contact_weken=beleid_van(dossier.gemeente_id).contact_weken,
    )
    signalen = tuple(
        Signaalfeit(
            nummer=nummer, datum=timezone.localtime(tijdstip).date(), opgevolgd_op=opgevolgd
        )
        for _a, tijdstip, nummer, opgevolgd in contacten
        if nummer is not None
    )
    return BegeleidingFeiten(begeleiding=begeleiding, signalen=signalen)


def met_contactgegevens(qs: QuerySet[Aanmelding]) -> QuerySet[Aanmelding]:
    """A referral list with its last and next contact, open follow-up actions and the next
    contact deadline — in the list's own query (no query per row)."""
    volgende = Termijn.objects.filter(
        dossier_id=OuterRef("dossier_id"), code=CONTACT, status="open"
    ).order_by("uiterste_datum")
    return qs.select_related(
        "dossier__inburgeraar",
        "dossier__gemeente",
        "dossier__werkcoach",
        "organisatie",
        "begeleider",
    ).annotate(
        laatste_contact=Max("contactmomenten__tijdstip"),
        contacten=Count("contactmomenten", distinct=True),
        open_acties=Count(
            "contactmomenten__vervolgacties",
            filter=Q(contactmomenten__vervolgacties__afgerond_op__isnull=True),
            distinct=True,
        ),
        eerste_deadline=Min(
            "contactmomenten__vervolgacties__deadline",
            filter=Q(contactmomenten__vervolgacties__afgerond_op__isnull=True),
        ),
        contact_uiterlijk=Subquery(volgende.values("uiterste_datum")[:1]),
    )


def contactmomenten_van(aanmelding: Aanmelding, zichtbaar: QuerySet[Contactmoment]) -> Any:
    return (
        zichtbaar.filter(aanmelding=aanmelding)
        .select_related("auteur")
        .prefetch_related(Prefetch("vervolgacties", queryset=Vervolgactie.objects.order_by("id")))
    )


def open_vervolgacties(zichtbaar: QuerySet[Vervolgactie]) -> QuerySet[Vervolgactie]:
    return (
        zichtbaar.filter(afgerond_op__isnull=True)
        .select_related("contactmoment__aanmelding", "dossier__inburgeraar")
        .order_by("deadline", "id")
    )
