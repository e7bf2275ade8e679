"""Demo data: gemeenten, teams, a user for every role, and a few hundred dossiers.

Idempotent: running it twice changes nothing the second time. Used by ``manage.py demo_data``
(``make run``) and by the browser tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from inburgering.accounts.constants import OrganisatieSoort, Rol
from inburgering.accounts.models import Gemeente, Organisatie, User

from . import rules, services
from .constants import ASIEL_DOELGROEPEN, FASE_VOLGORDE, ContactKanaal, Doelgroep, Fase, Regime
from .models import Inburgeraar, TermijnBeleid

DEMO_PASSWORD = "demo-Inburgering-2026"  # noqa: S105 — printed for demo log-ins only

GEMEENTEN = [
    # cbs, naam, adres, postcode/plaats, ondertekenaar
    ("GM0406", "Huizen", "Graaf Wichmanlaan 75", "1275 AA Huizen", "J. de Vries"),
    ("GM0376", "Blaricum", "Torenlaan 26", "1261 GD Blaricum", "J. de Vries"),
    ("GM0317", "Eemnes", "Raadhuisplein 1", "3755 EZ Eemnes", "J. de Vries"),
    ("GM0417", "Laren", "Eemnesserweg 1", "1251 NA Laren", "J. de Vries"),
    ("GM1966", "Het Hogeland", "Hoofdstraat W 12", "9981 AB Uithuizen", "A. Bakker"),
]

ORGANISATIES = [
    (
        "Team Inburgering Huizen, Blaricum, Eemnes en Laren",
        OrganisatieSoort.GEMEENTELIJK_TEAM,
        ["Huizen", "Blaricum", "Eemnes", "Laren"],
    ),
    ("Team Inburgering Het Hogeland", OrganisatieSoort.GEMEENTELIJK_TEAM, ["Het Hogeland"]),
    (
        "VluchtelingenWerk Midden-Nederland",
        OrganisatieSoort.PARTNER,
        ["Huizen", "Blaricum", "Eemnes", "Laren"],
    ),
    ("Humanitas Noord", OrganisatieSoort.PARTNER, ["Het Hogeland"]),
    (
        "Taalcentrum 't Gooi",
        OrganisatieSoort.TAALAANBIEDER,
        ["Huizen", "Blaricum", "Eemnes", "Laren"],
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    rol: str
    organisatie: str


HBEL = ORGANISATIES[0][0]
HOGELAND = ORGANISATIES[1][0]
VWN = ORGANISATIES[2][0]
HUMANITAS = ORGANISATIES[3][0]

USERS = [
    DemoUser("werkcoach", "Fatima", "El Amrani", Rol.WERKCOACH, HBEL),
    DemoUser("werkcoach2", "Pieter", "Jansen", Rol.WERKCOACH, HBEL),
    DemoUser("teamleider", "Marloes", "Visser", Rol.TEAMLEIDER, HBEL),
    DemoUser("auditor", "Henk", "Smit", Rol.AUDITOR, HBEL),
    DemoUser("beheerder", "Sanne", "de Boer", Rol.FUNCTIONEEL_BEHEERDER, HBEL),
    DemoUser("werkcoach.hogeland", "Jan", "Dijkstra", Rol.WERKCOACH, HOGELAND),
    DemoUser("teamleider.hogeland", "Grietje", "Mulder", Rol.TEAMLEIDER, HOGELAND),
    DemoUser("begeleider", "Yusuf", "Demir", Rol.BEGELEIDER, VWN),
    DemoUser("begeleider2", "Eva", "Koster", Rol.BEGELEIDER, VWN),
    DemoUser("begeleider.hogeland", "Tom", "Hoekstra", Rol.BEGELEIDER, HUMANITAS),
]

VOORNAMEN = [
    "Ahmad",
    "Amal",
    "Yonas",
    "Semhar",
    "Mohammed",
    "Rania",
    "Dawit",
    "Helen",
    "Omar",
    "Lina",
    "Abdi",
    "Hana",
    "Tesfay",
    "Nour",
    "Khaled",
    "Selam",
    "Ali",
    "Mariam",
    "Yared",
    "Fatuma",
    "Olena",
    "Sergiy",
    "Hassan",
    "Aisha",
    "Bilal",
    "Zainab",
    "Mehmet",
    "Leyla",
    "Samuel",
    "Ruth",
]
ACHTERNAMEN = [
    "Haddad",
    "Tesfaye",
    "Alkhatib",
    "Gebremedhin",
    "Yousef",
    "Ahmadi",
    "Kidane",
    "Nasser",
    "Mohammadi",
    "Berhane",
    "Al-Sayed",
    "Hailu",
    "Hussein",
    "Ghebremariam",
    "Rahimi",
    "Tekle",
    "Abdullah",
    "Shevchenko",
    "Karimi",
    "Osman",
    "Mengistu",
    "Darwish",
    "Yilmaz",
    "Bakr",
]
NATIONALITEITEN = ["Syrisch", "Eritrees", "Afghaans", "Turks", "Jemenitisch", "Iraaks", "Oekraïens"]
TALEN = {
    "Syrisch": "Arabisch",
    "Eritrees": "Tigrinya",
    "Afghaans": "Dari",
    "Turks": "Turks",
    "Jemenitisch": "Arabisch",
    "Iraaks": "Arabisch, Koerdisch",
    "Oekraïens": "Oekraïens, Russisch",
}


def demo_bsns(count: int, seed: int = 2021) -> list[str]:
    """Valid BSNs from the 99999xxxx test range (never issued to real people)."""
    rng = random.Random(seed)
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < count:
        candidate = f"99999{rng.randrange(10000):04d}"
        if candidate not in seen and rules.is_valid_bsn(candidate):
            found.append(candidate)
        seen.add(candidate)
        if len(seen) >= 10000:
            break
    return found


@transaction.atomic
def load(aantal: int = 220) -> dict[str, int]:
    with scopes_disabled():
        return _load(aantal)


def _load(aantal: int) -> dict[str, int]:
    gemeenten = {}
    for cbs, naam, adres, pc, ondertekenaar in GEMEENTEN:
        gemeenten[naam], _ = Gemeente.objects.get_or_create(
            cbs_code=cbs,
            defaults={
                "naam": naam,
                "adres": adres,
                "postcode_plaats": pc,
                "telefoon": "14 035",
                "email": f"inburgering@{naam.lower().replace(' ', '')}.nl",
                "ondertekenaar_naam": ondertekenaar,
                "ondertekenaar_functie": "teamleider Inburgering, namens het college van B&W",
            },
        )
    for naam, gemeente in gemeenten.items():
        # HBEL's policy: the PIP within 4 weeks of the intake, the termijn extended by at most
        # 6 months (3.5 years in total); Het Hogeland uses the statutory clocks only.
        hbel = naam != "Het Hogeland"
        TermijnBeleid.objects.get_or_create(
            gemeente=gemeente,
            defaults={
                "pip_na_intake_weken": 4 if hbel else None,
                "max_verlenging_inburgeringstermijn_maanden": 6,
                "waarschuwingsdagen": [14, 0],
            },
        )
    organisaties = {}
    created: int  # a get_or_create flag below, a counter further on
    for naam, soort, bediend in ORGANISATIES:
        org, created = Organisatie.objects.get_or_create(naam=naam, defaults={"soort": soort})
        if created:
            org.gemeenten.set([gemeenten[g] for g in bediend])
        organisaties[naam] = org
    users = {}
    for demo in USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "organisatie": organisaties[demo.organisatie],
                "is_staff": demo.rol == Rol.FUNCTIONEEL_BEHEERDER,
                "email": f"{demo.username}@example.org",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=demo.rol))
        users[demo.username] = user

    bestaand = Inburgeraar.objects.filter(bsn__startswith="99999").count()
    if bestaand >= aantal:
        return {"gemeenten": len(gemeenten), "users": len(users), "dossiers_nieuw": 0}

    rng = random.Random(7)
    today = timezone.localdate()
    coaches: dict[str, list[User | None]] = {
        HBEL: [users["werkcoach"], users["werkcoach2"], None],
        HOGELAND: [users["werkcoach.hogeland"]],
    }
    begeleiders = {
        HBEL: [users["begeleider"], users["begeleider2"]],
        HOGELAND: [users["begeleider.hogeland"]],
    }
    open_fasen = [f for f in FASE_VOLGORDE if f != Fase.AFGEROND]
    created = 0
    for index, bsn in enumerate(demo_bsns(aantal)):
        if Inburgeraar.objects.filter(bsn=bsn).exists():
            continue
        team = HOGELAND if index % 5 == 4 else HBEL
        gemeente = (
            gemeenten["Het Hogeland"]
            if team == HOGELAND
            else gemeenten[["Huizen", "Blaricum", "Eemnes", "Laren"][index % 4]]
        )
        doelgroep = rng.choices(
            [
                Doelgroep.ASIELMIGRANT,
                Doelgroep.NAREIZIGER,
                Doelgroep.GEZINSMIGRANT,
                Doelgroep.OVERIGE_MIGRANT,
            ],
            weights=[60, 15, 20, 5],
        )[0]
        fase = open_fasen[index % len(open_fasen)]
        nationaliteit = rng.choice(NATIONALITEITEN)
        koppeling: date | None
        huisvesting: date | None
        koppeling = today - timedelta(days=rng.randrange(60, 900))
        huisvesting = koppeling + timedelta(days=rng.randrange(20, 120))
        brp = koppeling + timedelta(days=rng.randrange(0, 30))
        if doelgroep not in ASIEL_DOELGROEPEN:
            koppeling = huisvesting = None
        huisvesting = min(huisvesting, today) if huisvesting else None
        brp = min(brp, today)
        persoon = {
            "bsn": bsn,
            "voornamen": rng.choice(VOORNAMEN),
            "achternaam": rng.choice(ACHTERNAMEN),
            "geboortedatum": date(
                today.year - rng.randrange(18, 60), rng.randrange(1, 13), rng.randrange(1, 29)
            ),
            "nationaliteit": nationaliteit,
            "talen": TALEN[nationaliteit],
            "tolk_nodig": rng.random() < 0.6,
            "contactkanalen": rng.sample([c.value for c in ContactKanaal], k=rng.randrange(1, 3)),
            "telefoonnummer": f"06{rng.randrange(10000000, 99999999)}",
            "doelgroep": doelgroep,
            "regime": Regime.WI2021
            if rng.random() < 0.85
            else rng.choice([Regime.WI2013_ONDERTUSSEN, Regime.WI2013_ELIP]),
        }
        persoon["tolk_taal"] = TALEN[nationaliteit].split(",")[0] if persoon["tolk_nodig"] else ""
        dossier = {
            "gemeente": gemeente,
            "fase": fase,
            "werkcoach": rng.choice(coaches[team]),
            "begeleider": rng.choice(begeleiders[team])
            if doelgroep in ASIEL_DOELGROEPEN and rng.random() < 0.7
            else None,
            "datum_koppeling": koppeling,
            "datum_huisvesting": huisvesting if fase != Fase.AANGEMELD else None,
            "datum_brp_inschrijving": brp,
            "coa_referentie": f"TVS-{rng.randrange(100000, 999999)}" if koppeling else "",
        }
        services.inburgeraar_aanmelden(user=None, persoon=persoon, dossier=dossier)
        created += 1
    return {"gemeenten": len(gemeenten), "users": len(users), "dossiers_nieuw": created}
