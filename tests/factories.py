"""factory_boy factories with traits per role and organisation kind."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from cases import rules
from cases.constants import Doelgroep, Fase, Regime
from cases.models import Dossier, Inburgeraar
from inburgering.accounts.constants import OrganisatieSoort, Rol
from inburgering.accounts.models import Gemeente, Organisatie, User

PASSWORD = "test-Wachtwoord-1"


def _valid_bsns():
    for n in itertools.count(100000000):
        if rules.is_valid_bsn(str(n)):
            yield str(n)


_BSNS = _valid_bsns()


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente

    cbs_code = factory.Sequence(lambda n: f"GM{n + 1000:04d}")
    naam = factory.Sequence(lambda n: f"Gemeente {n}")
    adres = "Raadhuisplein 1"
    postcode_plaats = "1234 AB Ergens"


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Organisatie {n}")
    soort = OrganisatieSoort.GEMEENTELIJK_TEAM

    class Params:
        partner = factory.Trait(soort=OrganisatieSoort.PARTNER)

    @factory.post_generation
    def gemeenten(self, create, extracted, **kwargs):
        if create and extracted:
            self.gemeenten.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Sequence(lambda n: f"Medewerker{n}")
    organisatie = factory.SubFactory(OrganisatieFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def rol(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class InburgeraarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inburgeraar

    bsn = factory.LazyFunction(lambda: next(_BSNS))
    voornamen = factory.Faker("first_name")
    # Unique and never a colleague's name: access tests assert a person's name is absent.
    achternaam = factory.Sequence(lambda n: f"Tesfaye{n:05d}")
    geboortedatum = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30 * 365))
    nationaliteit = "Syrisch"
    talen = "Arabisch"
    doelgroep = Doelgroep.ASIELMIGRANT
    regime = Regime.WI2021
    # A postal address: a beschikking is sent to it (Awb 3:41), so vaststellen requires one.
    woonadres_straat = "Kerkstraat"
    woonadres_huisnummer = factory.Sequence(lambda n: n % 999 + 1)
    woonadres_postcode = "1271 VA"
    woonadres_woonplaats = "Huizen"

    class Params:
        zonder_adres = factory.Trait(
            woonadres_straat="",
            woonadres_huisnummer=None,
            woonadres_postcode="",
            woonadres_woonplaats="",
        )


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier; given a ``begeleider``, also the running begeleiding through which that
    begeleider's partner organisation reaches it (``begeleiding.policy.partner_toegang``)."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    inburgeraar = factory.SubFactory(InburgeraarFactory)
    gemeente = factory.SubFactory(GemeenteFactory)
    fase = Fase.GEKOPPELD
    datum_koppeling = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))

    class Params:
        in_intake = factory.Trait(
            fase=Fase.INTAKE,
            datum_huisvesting=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=30)
            ),
            datum_brp_inschrijving=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=20)
            ),
        )

    @factory.post_generation
    def begeleiding(obj, create, extracted, **kwargs):
        if create and obj.begeleider_id:
            lopende_begeleiding(obj, obj.begeleider)


def lopende_begeleiding(dossier: Dossier, begeleider: User) -> Any:
    """A running begeleiding of ``begeleider`` on ``dossier`` (written directly: no clocks are
    recomputed, no timeline event), through which the begeleider's organisation reaches it."""
    from begeleiding.constants import AanmeldingStatus
    from begeleiding.models import Aanmelding

    vandaag = timezone.localdate()
    if dossier.begeleider_id != begeleider.pk:
        Dossier.objects.filter(pk=dossier.pk).update(begeleider=begeleider)
        dossier.begeleider = begeleider
    return Aanmelding.objects.create(
        dossier=dossier,
        organisatie_id=begeleider.organisatie_id,
        status=AanmeldingStatus.LOOPT,
        afspraken="Begeleiding bij wonen, geldzaken en de weg naar instanties.",
        geinformeerd_op=vandaag - timedelta(days=31),
        aangemeld_door=dossier.werkcoach or begeleider,
        begeleider=begeleider,
        startdatum=vandaag - timedelta(days=30),
        einddatum=vandaag + timedelta(days=300),
    )


def team(*gemeenten: Gemeente) -> Organisatie:
    return OrganisatieFactory(gemeenten=list(gemeenten))


def partner(*gemeenten: Gemeente) -> Organisatie:
    return OrganisatieFactory(partner=True, gemeenten=list(gemeenten))


def user_met_rol(rol: str, organisatie: Organisatie, **kwargs) -> User:
    return UserFactory(rol=rol, organisatie=organisatie, **kwargs)


__all__ = [
    "PASSWORD",
    "DossierFactory",
    "GemeenteFactory",
    "InburgeraarFactory",
    "OrganisatieFactory",
    "Rol",
    "UserFactory",
    "date",
    "partner",
    "team",
    "user_met_rol",
]


def geldige_pip_velden(*, ontzorgen_start, **overrides):
    """The fields of a PIP that passes ``pip_controleren`` (B1-route, asielstatushouder on a
    benefit, 6 months of ontzorgen from ``ontzorgen_start``), as the services take them."""
    return {
        "leerroute": "b1",
        "einddoel": "b1",
        "aanbieder": "Taalschool Huizen",
        "uren_per_week": 12,
        "verwachte_duur_maanden": 24,
        "participatie": "Vrijwilligerswerk bij de voedselbank, 8 uur per week.",
        "participatie_uren_per_week": 8,
        "heeft_uitkering": True,
        "ontzorgen_vaste_lasten": ["huur", "energie"],
        "ontzorgen_start": ontzorgen_start,
        "ontzorgen_maanden": 6,
        "voortgangsgesprekken_per_jaar": 4,
        **overrides,
    }
