"""Demo data: gemeenten, teams, a user for every role, and a few hundred dossiers, each with
the records of the domains its phase calls for (every domain app builds its own, in its
``demo`` module; this module plans the dates and calls them).

Idempotent: running it twice changes nothing the second time. Used by ``manage.py demo_data``
(``make run``) and by the browser tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from begeleiding import demo as begeleiding_demo
from begeleiding.models import BegeleidingBeleid
from cases import rules, services
from cases.constants import (
    ASIEL_DOELGROEPEN,
    FASE_VOLGORDE,
    PERSOON_VELDEN,
    ContactKanaal,
    Doelgroep,
    Fase,
    Regime,
)
from cases.models import Inburgeraar, TermijnBeleid
from handhaving import demo as handhaving_demo
from inburgering.accounts.constants import OrganisatieSoort, Rol
from inburgering.accounts.models import Gemeente, Organisatie, User
from pip_plans import demo as pip_demo  # the intake and PIP records: their own app builds them
from pip_plans.demo import IntakePlan

DEMO_PASSWORD = "demo-Inburgering-2026"  # noqa: S105 — printed for demo log-ins only
# The second factor of every demo user: this key in an authenticator app, or `make totp`
# for the code of this moment (README). Demo data only, never a real installation's.
DEMO_TOTP_SLEUTEL = "DEMOINBURGERING2"


def demo_sleutel_hex() -> str:
    from base64 import b32decode

    return b32decode(DEMO_TOTP_SLEUTEL).hex()


def demo_tweede_factor(user: User) -> None:
    """The demo user's authenticator app, with the documented demo key (idempotent)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get_or_create(
        user=user,
        confirmed=True,
        defaults={"name": "Demo", "key": demo_sleutel_hex()},
    )


def demo_code() -> str:
    """The code an authenticator app with the demo key shows now."""
    from binascii import unhexlify

    from django_otp.oath import TOTP

    return f"{TOTP(unhexlify(demo_sleutel_hex())).token():06d}"


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
    DemoUser("privacy", "Lotte", "Bakker", Rol.PRIVACY_OFFICER, HBEL),
    DemoUser("werkcoach.hogeland", "Jan", "Dijkstra", Rol.WERKCOACH, HOGELAND),
    DemoUser("teamleider.hogeland", "Grietje", "Mulder", Rol.TEAMLEIDER, HOGELAND),
    DemoUser("begeleider", "Yusuf", "Demir", Rol.BEGELEIDER, VWN),
    DemoUser("begeleider2", "Eva", "Koster", Rol.BEGELEIDER, VWN),
    DemoUser("begeleider.hogeland", "Tom", "Hoekstra", Rol.BEGELEIDER, HUMANITAS),
    DemoUser("coordinator", "Noor", "van Dam", Rol.COORDINATOR, VWN),
    DemoUser("coordinator.hogeland", "Bauke", "Wiersma", Rol.COORDINATOR, HUMANITAS),
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
                # Het Hogeland has its teamleider approve each PIP before it is issued
                "pip_goedkeuring_vereist": naam == "Het Hogeland",
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
                # Het Hogeland: at least 2 voortgangsgesprekken a year (policy)
                "min_voortgangsgesprekken_per_jaar": 1 if hbel else 2,
            },
        )
        # Het Hogeland shares with Humanitas only with the person's consent and wants a
        # contact at least every three weeks; HBEL uses the defaults (informed, four weeks)
        if not hbel:
            BegeleidingBeleid.objects.get_or_create(
                gemeente=gemeente, defaults={"toestemming_vereist": True, "contact_weken": 3}
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
        demo_tweede_factor(user)
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
    teamleiders = {HBEL: users["teamleider"], HOGELAND: users["teamleider.hogeland"]}
    begeleiders = {
        HBEL: [users["begeleider"], users["begeleider2"]],
        HOGELAND: [users["begeleider.hogeland"]],
    }
    coordinatoren = {HBEL: users["coordinator"], HOGELAND: users["coordinator.hogeland"]}
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
        asiel = doelgroep in ASIEL_DOELGROEPEN
        fase = open_fasen[index % len(open_fasen)]
        if not asiel and fase in (Fase.GEKOPPELD, Fase.GEHUISVEST):
            fase = Fase.AANGEMELD  # COA couples and houses asielmigranten only
        plan = _plan(fase, asiel=asiel, rng=rng, today=today, hogeland=team == HOGELAND)
        nationaliteit = rng.choice(NATIONALITEITEN)
        persoon: dict[str, Any] = {
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
        if plan.brp and "woonadres_straat" in PERSOON_VELDEN:
            # registered in the BRP: a home address in the gemeente (letters need one)
            persoon.update(
                woonadres_straat=rng.choice(STRATEN),
                woonadres_huisnummer=rng.randrange(1, 180),
                woonadres_postcode=f"{POSTCODES[gemeente.naam]} "
                + "".join(rng.choice("BCGHJKLNPRTVWXZ") for _ in range(2)),
                woonadres_woonplaats=WOONPLAATSEN.get(gemeente.naam, gemeente.naam),
            )
        werkcoach = rng.choice(coaches[team])
        # who will accompany the person: referred to the partner below, through the services
        begeleider = (
            rng.choice(begeleiders[team])
            if asiel and fase != Fase.AANGEMELD and rng.random() < 0.7
            else None
        )
        dossier = services.inburgeraar_aanmelden(
            user=None,
            persoon=persoon,
            dossier={
                "gemeente": gemeente,
                "fase": plan.start_fase,
                "werkcoach": werkcoach,
                "datum_koppeling": plan.koppeling,
                "datum_huisvesting": plan.huisvesting,
                "datum_brp_inschrijving": plan.brp,
                "coa_referentie": f"TVS-{rng.randrange(100000, 999999)}" if plan.koppeling else "",
            },
        )
        # What the werkcoach did since, through the same services (the phase follows the facts).
        actor = werkcoach or teamleiders[team]
        pip_demo.intake_opbouwen(dossier=dossier, plan=plan.intake, actor=actor, rng=rng)
        pip_demo.pip_opbouwen(
            dossier=dossier,
            plan=plan.intake,
            actor=actor,
            teamleider=teamleiders[team],
            rng=rng,
        )
        if plan.intake.pip == "vastgesteld":
            pip_demo.voortgang_bijhouden(
                dossier=dossier, actor=actor, vandaag=today, rng=rng, achterstand=plan.achterstand
            )
        handhaving_demo.handhaving_opbouwen(
            dossier=dossier,
            actor=actor,
            teamleider=teamleiders[team],
            vandaag=today,
            rng=random.Random(f"handhaving-{index}"),  # its own draws: the rest stays as it was
        )
        if begeleider is not None:
            begeleiding_demo.begeleiding_opbouwen(
                dossier=dossier,
                werkcoach=actor,
                coordinator=coordinatoren[team],
                begeleider=begeleider,
                vandaag=today,
                rng=random.Random(f"begeleiding-{index}"),  # its own draws, like handhaving's
            )
        for code, maanden, reden in plan.verlengingen:
            pip_demo.termijn_verlengen(
                dossier=dossier, code=code, actor=actor, maanden=maanden, reden=reden
            )
        dossier.refresh_from_db()
        if dossier.fase != fase:
            raise RuntimeError(f"demo dossier {index} ended in {dossier.fase}, planned {fase}")
        created += 1
    return {"gemeenten": len(gemeenten), "users": len(users), "dossiers_nieuw": created}


STRATEN = [
    "Kerkstraat",
    "Molenweg",
    "Dorpsstraat",
    "Stationsweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixstraat",
    "Eikenlaan",
    "Zuiderweg",
    "Havenstraat",
]
POSTCODES = {
    "Huizen": "1271",
    "Blaricum": "1261",
    "Eemnes": "3755",
    "Laren": "1251",
    "Het Hogeland": "9981",
}
WOONPLAATSEN = {"Het Hogeland": "Uithuizen"}


@dataclass
class Plan:
    """One demo dossier's dates, relative to today, consistent with its phase."""

    start_fase: str
    koppeling: date | None
    huisvesting: date | None
    brp: date | None
    intake: IntakePlan
    achterstand: bool = False  # a voortgangsgesprek was missed (one of the few overdue)
    verlengingen: list[tuple[str, int, str]] = field(default_factory=list)


def _plan(fase: str, *, asiel: bool, rng: random.Random, today: date, hogeland: bool) -> Plan:
    """Dates for a dossier in ``fase``: most clocks on time, some due soon, a few overdue
    (``laat``), some extended, a few no-shows. Every date lies on or before today."""

    def dagen(lo: int, hi: int) -> timedelta:
        return timedelta(days=rng.randrange(lo, hi + 1))

    laat = rng.random() < 0.08
    koppeling = huisvesting = brp = None
    intake = IntakePlan()
    start_fase = fase
    verlengingen: list[tuple[str, int, str]] = []

    def gesprekken(laatste: date, *, compleet: bool) -> None:
        if rng.random() < 0.15:  # did not appear the first time
            intake.gesprekken.append((laatste - dagen(5, 8), False))
        intake.gesprekken.append((laatste, True))
        intake.domeinen = 14 if compleet else rng.randrange(3, 14)
        if compleet:
            intake.toets = laatste

    if fase == Fase.AANGEMELD:
        if not asiel:  # a gezinsmigrant registers in the BRP on arrival
            brp = today - dagen(0, 20)
    elif fase == Fase.GEKOPPELD:
        koppeling = today - dagen(5, 120)
    elif fase == Fase.GEHUISVEST:
        huisvesting = today - (dagen(29, 40) if laat else dagen(0, 24))
        brp = min(huisvesting + dagen(0, 3), today)
    elif fase == Fase.INTAKE:
        brp = today - (dagen(29, 38) if laat else dagen(6, 24))
        eerste = min(brp + dagen(2, 5), today)
        if rng.random() < 0.25:  # the only conversation so far was a no-show
            intake.gesprekken.append((eerste, False))
        else:
            gesprekken(
                eerste + timedelta(days=5) if eerste + timedelta(days=5) <= today else eerste,
                compleet=False,
            )
    elif fase in (Fase.PIP, Fase.INBURGERING):
        start_fase = Fase.INTAKE  # completing the intake and issuing the PIP move it on
        if fase == Fase.PIP:
            afgerond = today - (dagen(30, 40) if laat else dagen(1, 24))
            if hogeland:  # Het Hogeland approves PIPs: some wait in the queue, one came back
                intake.pip = rng.choice(["concept", "ter_ondertekening", "teruggestuurd"])
            else:
                intake.pip = "concept"
            if laat and not hogeland and rng.random() < 0.5:
                verlengingen.append(
                    ("pip_na_intake", 0, "Wacht op de diplomawaardering (IDW) voor de route.")
                )
        else:
            intake.pip_datum = today - dagen(20, 420)
            intake.pip = "vastgesteld"
            afgerond = intake.pip_datum - dagen(7, 25)
            if rng.random() < 0.1:
                verlengingen.append(
                    ("inburgeringstermijn", 6, "Alfabetisering: meer tijd nodig (art. 7 lid 2).")
                )
        brp = afgerond - dagen(10, 26)
        gesprekken(afgerond - dagen(0, 4), compleet=True)
        intake.afgerond = afgerond
    if asiel and brp:
        huisvesting = huisvesting or brp - dagen(0, 3)
    if asiel and huisvesting:
        koppeling = huisvesting - dagen(30, 200)
    return Plan(
        start_fase=start_fase,
        koppeling=koppeling,
        huisvesting=huisvesting,
        brp=brp,
        intake=intake,
        achterstand=fase == Fase.INBURGERING and laat,
        verlengingen=verlengingen,
    )
