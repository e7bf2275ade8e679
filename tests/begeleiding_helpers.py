"""The steps of maatschappelijke begeleiding as the tests take them, each as its own actor in
that actor's scope (as a request would): refer, accept, record a contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from begeleiding import services
from begeleiding.models import Aanmelding, Contactmoment
from cases.models import Dossier
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Organisatie, User
from inburgering.core.access import user_scope

from .factories import DossierFactory, partner, user_met_rol


@dataclass
class Partners:
    """Around the conftest ``world``: partner A's coördinator, a second partner organisation in
    gemeente A (its coördinator and begeleider), and a partner of gemeente B."""

    coordinator_a: User
    partner_b: Organisatie
    coordinator_b: User
    begeleider_b: User
    partner_hogeland: Organisatie
    coordinator_hogeland: User
    begeleider_hogeland: User


def partners(world: Any) -> Partners:
    with scopes_disabled():
        partner_b = partner(world.gemeente_a)
        partner_hogeland = partner(world.gemeente_b)
        return Partners(
            coordinator_a=user_met_rol(Rol.COORDINATOR, world.partner_a, username="coord_a"),
            partner_b=partner_b,
            coordinator_b=user_met_rol(Rol.COORDINATOR, partner_b, username="coord_b"),
            begeleider_b=user_met_rol(Rol.BEGELEIDER, partner_b, username="mb_b"),
            partner_hogeland=partner_hogeland,
            coordinator_hogeland=user_met_rol(
                Rol.COORDINATOR, partner_hogeland, username="coord_hl"
            ),
            begeleider_hogeland=user_met_rol(Rol.BEGELEIDER, partner_hogeland, username="mb_hl"),
        )


def nieuw_dossier(world: Any, **kwargs: Any) -> Dossier:
    """An open dossier of gemeente A with werkcoach A and no begeleiding."""
    with scopes_disabled():
        return DossierFactory(
            gemeente=kwargs.pop("gemeente", world.gemeente_a),
            werkcoach=kwargs.pop("werkcoach", world.werkcoach_a),
            **kwargs,
        )


def aanmelden(world: Any, dossier: Dossier, **kwargs: Any) -> Aanmelding:
    user = kwargs.pop("user", dossier.werkcoach or world.werkcoach_a)
    velden: dict[str, Any] = {
        "organisatie": world.partner_a,
        "afspraken": "Hulp bij wonen, post en geldzaken.",
        "voor_partner": "Spreekt Arabisch; een tolk is nodig.",
        "geinformeerd_op": timezone.localdate(),
        **kwargs,
    }
    with user_scope(user):
        return services.aanmelden(user=user, dossier=dossier, **velden)


def accepteren(
    aanmelding: Aanmelding, coordinator: User, begeleider: User, startdatum: date | None = None
) -> Aanmelding:
    with user_scope(coordinator):
        return services.accepteren(
            user=coordinator, aanmelding=aanmelding, begeleider=begeleider, startdatum=startdatum
        )


def lopend(world: Any, p: Partners, dossier: Dossier | None = None, **kwargs: Any) -> Aanmelding:
    """A begeleiding by begeleider A of partner A, accepted today."""
    dossier = dossier or nieuw_dossier(world)
    aanmelding = aanmelden(world, dossier, **kwargs)
    return accepteren(aanmelding, p.coordinator_a, world.begeleider_a)


def contact_velden(**kwargs: Any) -> dict[str, Any]:
    """A contact an hour ago; any field can be given (``tijdstip=None`` too)."""
    return {
        "tijdstip": timezone.now().replace(microsecond=0) - timedelta(hours=1),
        "soort": "huisbezoek",
        "duur_minuten": 60,
        "aanwezig": ["tolk"],
        "onderwerpen": ["wonen", "geldzaken"],
        "verslag": "Post doorgenomen; de zorgtoeslag is aangevraagd.",
        "signaal_werkcoach": False,
        "signaal_toelichting": "",
        **kwargs,
    }


def contact(
    aanmelding: Aanmelding, user: User, *, vervolgacties: Any = (), **kwargs: Any
) -> Contactmoment:
    uuid = kwargs.pop("uuid", None)
    with user_scope(user):
        gemaakt, _ = services.contact_vastleggen(
            user=user,
            aanmelding=aanmelding,
            uuid=uuid,
            vervolgacties=vervolgacties,
            **contact_velden(**kwargs),
        )
    return gemaakt
