"""Demo records of the brede intake and the PIP, built through the services (so every rule holds
as it does for a werkcoach): completed intakes with all 14 domains, a leerbaarheidstoets and an
attended conversation; no-shows; PIPs in draft, awaiting approval, returned, and vastgesteld
with their beschikking rendered by the same function the Celery task runs.

Called by ``demo.dossiers`` for each demo dossier, with a plan of dates relative to today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cases.models import Dossier
from cases.rules import add_years_months
from inburgering.accounts.models import User
from inburgering.documents.tasks import document_renderen

from . import rules, services
from .constants import Beoordeling, Domein, GesprekLocatie, Leerroute, PipStatus
from .documenten import BESCHIKKING


@dataclass
class IntakePlan:
    """What happened in one dossier's intake and PIP, in dates (all on or before today)."""

    gesprekken: list[tuple[date, bool]] = field(default_factory=list)  # (date, appeared)
    domeinen: int = 0  # how many of the 14 domains are assessed
    toets: date | None = None  # leerbaarheidstoets
    afgerond: date | None = None  # brede intake completed
    pip: str = ""  # "", "concept", "ter_ondertekening", "teruggestuurd", "vastgesteld"
    pip_datum: date | None = None  # vaststelling


BEOORDELINGEN = [Beoordeling.VOLDOENDE] * 6 + [
    Beoordeling.STERK,
    Beoordeling.STERK,
    Beoordeling.AANDACHT,
    Beoordeling.AANDACHT,
    Beoordeling.BELEMMEREND,
]
TOELICHTING = {
    Domein.TAALNIVEAU: "Spreekt een paar woorden Nederlands; Engels redelijk.",
    Domein.WERKERVARING: "Werkte in het land van herkomst in de bouw en de horeca.",
    Domein.GEZINSSITUATIE: "Woont met partner en twee kinderen.",
    Domein.MOTIVATIE: "Wil graag snel aan het werk en de taal leren.",
}


def intake_opbouwen(
    *, dossier: Dossier, plan: IntakePlan, actor: User | None, rng: random.Random
) -> None:
    """The brede intake as far as the plan goes (completing it moves the phase itself)."""
    if not plan.gesprekken:
        return
    intake = services.intake_starten(user=actor, dossier=dossier)
    for datum, verschenen in plan.gesprekken:
        services.intake_gesprek_toevoegen(
            user=actor,
            intake=intake,
            datum=datum,
            locatie=rng.choice([GesprekLocatie.GEMEENTEHUIS, GesprekLocatie.AZC]),
            werkcoach=actor,
            tolk_taal=dossier.inburgeraar.tolk_taal,
            verschenen=verschenen,
            meegewerkt=verschenen,
            notities="" if verschenen else "Niet verschenen; nieuwe uitnodiging verstuurd.",
        )
    for domein in list(Domein)[: plan.domeinen]:
        services.intake_domein_opslaan(
            user=actor,
            intake=intake,
            domein=domein,
            beoordeling=rng.choice(BEOORDELINGEN),
            toelichting=TOELICHTING.get(domein, ""),
        )
    if plan.toets:
        laag = rng.random() < 0.2
        services.intake_bijwerken(
            user=actor,
            intake=intake,
            leerbaarheid_datum=plan.toets,
            leerbaarheid_instrument="Leerbaarheidstoets (LBT)",
            leerbaarheid_score="laag" if laag else rng.choice(["gemiddeld", "hoog"]),
            leerbaarheid_laag=laag,
            leerbaarheid_advies="Z-route overwegen" if laag else "B1-route haalbaar",
        )
    if plan.afgerond:
        services.intake_afronden(user=actor, intake=intake, datum=plan.afgerond)


def _pip_velden(dossier: Dossier, plan: IntakePlan, rng: random.Random) -> dict[str, Any]:
    persoon = dossier.inburgeraar
    hogeland = dossier.gemeente.naam == "Het Hogeland"
    velden: dict[str, Any] = {
        "participatie": rng.choice(
            [
                "Vrijwilligerswerk bij de voedselbank, 8 uur per week.",
                "Werkervaringsplaats in de groenvoorziening.",
                "Taalmaatje via de bibliotheek en een sportvereniging.",
            ]
        ),
        "participatie_uren_per_week": 8,
        # Het Hogeland's policy asks at least 2 a year; HBEL agrees 2 to 4.
        "voortgangsgesprekken_per_jaar": 2 if hogeland else rng.choice([2, 3, 4]),
    }
    if not rules.heeft_municipaal_aanbod(persoon.doelgroep, persoon.regime):
        # Gezinsmigrant, overige migrant or Wi2013: a purchased route at own cost, no ontzorgen.
        velden.update(
            leerroute=Leerroute.EIGEN_KOSTEN,
            einddoel="b1",
            aanbieder="Taalschool naar eigen keuze (DUO-lening)",
        )
        return velden
    datum = plan.pip_datum or plan.afgerond or timezone.localdate()
    laag = rng.random() < 0.15
    onder_28 = rules.onderwijsroute_moet_overwogen(persoon.geboortedatum, datum)
    if onder_28 and rng.random() < 0.3:
        velden.update(leerroute=Leerroute.ONDERWIJS, einddoel="onderwijs")
    elif laag:
        velden.update(
            leerroute=Leerroute.Z,
            einddoel="z",
            route_motivatie="Leerbaarheidstoets laag; B1 binnen drie jaar niet haalbaar.",
        )
    else:
        velden.update(leerroute=Leerroute.B1, einddoel="b1")
    if velden["leerroute"] != Leerroute.ONDERWIJS:
        velden["onderwijsroute_overwogen"] = "Geen vooropleiding die aansluit op het mbo."
    velden.update(
        aanbieder="Alfa-college Noord" if hogeland else "Taalcentrum 't Gooi",
        uren_per_week=rng.choice([12, 14, 16]),
        verwachte_duur_maanden=rng.choice([24, 30, 36]),
        heeft_uitkering=True,
        ontzorgen_vaste_lasten=["huur", "energie", "zorgverzekering"],
        ontzorgen_start=datum,
        ontzorgen_maanden=rng.choice([6, 6, 12]),
        maatschappelijke_begeleiding=bool(dossier.begeleider_id),
    )
    return velden


def pip_opbouwen(
    *,
    dossier: Dossier,
    plan: IntakePlan,
    actor: User | None,
    teamleider: User | None,
    rng: random.Random,
) -> None:
    """The PIP as far as the plan goes; a vastgestelde one gets its beschikking rendered now by
    the task's own function (so the demo has real PDFs without waiting for a worker)."""
    if not plan.pip:
        return
    pip = services.pip_aanmaken(user=actor, dossier=dossier)
    pip = services.pip_bijwerken(user=actor, pip=pip, **_pip_velden(dossier, plan, rng))
    if plan.pip == "concept":
        return
    if dossier.gemeente.pip_goedkeuring_vereist:
        pip = services.pip_ter_ondertekening(user=actor, pip=pip)
        if plan.pip == "ter_ondertekening":
            return
        if plan.pip == "teruggestuurd":
            services.pip_terugsturen(
                user=teamleider,
                pip=pip,
                opmerking="Graag de participatieafspraken concreter maken: uren en plek.",
            )
            return
        pip = services.pip_goedkeuren(user=teamleider, pip=pip)
    elif plan.pip != "vastgesteld":
        return  # no approval step in this gemeente: it stays a draft
    pip = services.pip_vaststellen(user=actor, pip=pip, datum=plan.pip_datum)
    assert pip.status == PipStatus.WORDT_VASTGESTELD
    if document_renderen(BESCHIKKING, pip.pk, actor.pk if actor else None) != "ok":
        raise RuntimeError(f"demo beschikking of PIP {pip.pk} failed to render")


def voortgang_bijhouden(
    *, dossier: Dossier, actor: User, vandaag: date, rng: random.Random, achterstand: bool
) -> None:
    """What the werkcoach recorded since the PIP: every past voortgangsgesprek held, the
    decision at the end of ontzorgen. With ``achterstand`` the latest one was missed (the
    realistic few overdue)."""
    from cases import termijnen
    from cases.constants import TermijnStatus
    from cases.models import Termijn

    lopend = list(
        Termijn.objects.filter(
            dossier=dossier,
            code__in=["voortgangsgesprek", "ontzorgen"],
            status__in=[TermijnStatus.OPEN, TermijnStatus.VERLOPEN],
            uiterste_datum__lt=vandaag + timedelta(days=3),
        ).order_by("uiterste_datum")
    )
    if achterstand and lopend:
        lopend = lopend[:-1]
    for termijn in lopend:
        dag = termijn.uiterste_datum - timedelta(days=rng.randrange(0, 20))
        dag = min(max(dag, termijn.startdatum), vandaag)
        termijnen.termijn_gehaald_markeren(
            user=actor,
            termijn=termijn,
            datum=dag,
            toelichting=(
                "Voortgangsgesprek gevoerd; afspraken in het PIP lopen."
                if termijn.code == "voortgangsgesprek"
                else "Ontzorgen afgebouwd: huur en energie weer zelf betaald."
            ),
        )


def termijn_verlengen(
    *, dossier: Dossier, code: str, actor: User, maanden: int, reden: str
) -> None:
    """An extension as a werkcoach records it (the demo's few extended clocks)."""
    from cases import termijnen
    from cases.models import Termijn

    termijn = Termijn.objects.filter(dossier=dossier, code=code).first()
    if termijn is None:
        return
    termijnen.termijn_verlengen(
        user=actor,
        termijn=termijn,
        tot=add_years_months(termijn.uiterste_datum, 0, maanden)
        if maanden
        else termijn.uiterste_datum + timedelta(weeks=3),
        reden=reden,
    )
