"""Maatschappelijke begeleiding end to end on the services: refer, accept, log a contact with a
signal and a follow-up action, replay it, correct it (and lose a race), close."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from begeleiding import services
from begeleiding.constants import AanmeldingStatus
from begeleiding.models import Contactmoment
from begeleiding.policy import aanmeldingen_for, contactmomenten_for
from cases.models import Signaal, Termijn
from cases.policy import dossiers_for
from inburgering.accounts.constants import Rol

from .factories import DossierFactory, user_met_rol

pytestmark = pytest.mark.django_db


def test_referral_to_closing_report(world):
    with scopes_disabled():
        coordinator = user_met_rol(Rol.COORDINATOR, world.partner_a, username="coord_a")
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        vandaag = timezone.localdate()
        aanmelding = services.aanmelden(
            user=world.werkcoach_a,
            dossier=dossier,
            organisatie=world.partner_a,
            afspraken="Hulp bij wonen en geldzaken.",
            geinformeerd_op=vandaag,
        )
        assert not dossiers_for(world.begeleider_a).filter(pk=dossier.pk).exists()
        assert aanmeldingen_for(coordinator).filter(pk=aanmelding.pk).exists()
        assert not dossiers_for(coordinator).filter(pk=dossier.pk).exists()

        services.accepteren(user=coordinator, aanmelding=aanmelding, begeleider=world.begeleider_a)
        assert dossiers_for(world.begeleider_a).filter(pk=dossier.pk).exists()
        assert not dossiers_for(world.begeleider_a2).filter(pk=dossier.pk).exists()
        dossier.refresh_from_db()
        assert dossier.begeleider == world.begeleider_a

        sleutel = uuid.uuid4()
        velden = {
            # an hour ago, but not before today's start (the begeleiding starts today: just
            # after midnight an hour ago is yesterday, before it)
            "tijdstip": max(
                timezone.now() - timedelta(hours=1),
                timezone.make_aware(datetime.combine(vandaag, time.min)),
            ),
            "soort": "huisbezoek",
            "duur_minuten": 60,
            "aanwezig": ["tolk"],
            "onderwerpen": ["wonen", "geldzaken"],
            "verslag": "Post doorgenomen.",
            "signaal_werkcoach": True,
            "signaal_toelichting": "Huurachterstand dreigt.",
        }
        acties = [
            services.NieuweActie(
                "Belastingdienst bellen", "begeleider", vandaag + timedelta(days=7)
            )
        ]
        for i in range(3):
            contact, nieuw = services.contact_vastleggen(
                user=world.begeleider_a,
                aanmelding=aanmelding,
                uuid=sleutel,
                vervolgacties=acties,
                **velden,
            )
            assert nieuw is (i == 0)
        assert Contactmoment.objects.filter(uuid=sleutel).count() == 1
        assert contact.vervolgacties.count() == 1
        signaal = Signaal.objects.get(ontvanger=world.werkcoach_a, dossier=dossier)
        assert signaal.termijn.code == "mb_signaal"
        assert Termijn.objects.filter(dossier=dossier, code="mb_contact").exists()
        assert contactmomenten_for(world.begeleider_a).filter(pk=contact.pk).exists()
        assert not contactmomenten_for(world.begeleider_a2).filter(pk=contact.pk).exists()

        services.contact_corrigeren(
            user=world.begeleider_a, contact=contact, versie=1, verslag="Post en huur doorgenomen."
        )
        with pytest.raises(services.VersieConflict) as conflict:
            services.contact_corrigeren(
                user=world.begeleider_a, contact=contact, versie=1, verslag="Oude versie."
            )
        assert conflict.value.huidige.versie == 2
        assert contact.history.count() >= 2

        services.afsluiten(user=world.begeleider_a, aanmelding=aanmelding, verslag="Zelfstandig.")
        aanmelding.refresh_from_db()
        assert aanmelding.status == AanmeldingStatus.AFGESLOTEN
        assert not dossiers_for(world.begeleider_a).filter(pk=dossier.pk).exists()
