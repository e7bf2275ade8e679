"""Demo records of the fine procedure, built through the services (every rule holds as it does
for a werkcoach): for some intake no-shows a procedure — settled with a conversation (most, as
Groningen and HBEL expect), at the rapport, awaiting a zienswijze, a fine awaiting approval, and
a boetebeschikking sent with its letters rendered by the platform task's own function.

Called by ``demo.dossiers`` for each demo dossier after its intake was built.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from cases.models import Dossier
from inburgering.accounts.models import User
from inburgering.documents.tasks import document_renderen

from . import services
from .constants import BriefSoort, GesprekUitkomst, ZienswijzeSoort
from .documenten import code_van
from .models import Brief, Procedure

# how far each demo procedure goes, drawn in this proportion
VERLOOP = ["afgedaan"] * 5 + ["rapport", "zienswijze", "ter_goedkeuring", "opgelegd"]


def _brief_maken(procedure: Procedure, soort: str, actor: User | None) -> None:
    brief = Brief.objects.get(procedure=procedure, soort=soort)
    if document_renderen(code_van(soort), brief.pk, actor.pk if actor else None) != "ok":
        raise RuntimeError(f"demo letter {soort} of procedure {procedure.pk} failed to render")


def handhaving_opbouwen(
    *,
    dossier: Dossier,
    actor: User | None,
    teamleider: User | None,
    vandaag: date,
    rng: random.Random,
) -> str:
    """A procedure for the dossier's latest intake no-show, if it has one and the draw says so;
    returns how far it went ("" for none)."""
    from cases.constants import Regime
    from pip_plans.models import IntakeGesprek

    if dossier.inburgeraar.regime != Regime.WI2021 or not dossier.is_open:
        return ""  # Wi2013 has its own regime: no Wi2021 fine
    gesprek = (
        IntakeGesprek.objects.filter(intake__dossier=dossier, verschenen=False)
        .order_by("-datum")
        .first()
    )
    if gesprek is None or rng.random() > 0.5 or (vandaag - gesprek.datum).days < 3:
        return ""
    verloop = rng.choice(VERLOOP)
    p = services.verzuim_uit_intakegesprek(user=actor, gesprek=gesprek)
    gesprek_datum = min(vandaag, gesprek.datum + timedelta(days=rng.randrange(1, 3)))
    if verloop == "afgedaan":
        services.gesprek_vastleggen(
            user=actor,
            procedure=p,
            datum=gesprek_datum,
            verslag="Uitnodiging niet ontvangen (verhuisd in het AZC); nieuwe afspraak gemaakt.",
            uitkomst=GesprekUitkomst.AFGEDAAN,
            reden="Verschoonbaar: de uitnodiging kwam niet aan. Nieuwe intake gepland.",
        )
        return verloop
    p = services.gesprek_vastleggen(
        user=actor,
        procedure=p,
        datum=gesprek_datum,
        verslag="Geen reden gegeven; wist van de afspraak (bevestigd per WhatsApp).",
        uitkomst=GesprekUitkomst.VERDER,
        tolk=dossier.inburgeraar.tolk_taal,
    )
    if verloop == "rapport":
        return verloop
    p = services.rapport_opmaken(
        user=actor,
        procedure=p,
        datum=gesprek_datum,
        plaats=f"Gemeentehuis {dossier.gemeente.naam}",
        feiten=(
            f"Niet verschenen bij het intakegesprek van {gesprek.datum:%d-%m-%Y}, terwijl de "
            "uitnodiging aantoonbaar was ontvangen en bevestigd."
        ),
    )
    if p.status == "voornemen":
        p = services.voornemen_versturen(user=actor, procedure=p)
        _brief_maken(p, BriefSoort.VOORNEMEN, actor)
        p.refresh_from_db()
    if verloop == "zienswijze":
        return verloop
    if p.status == "zienswijze":
        p = services.zienswijze_vastleggen(
            user=actor,
            procedure=p,
            soort=ZienswijzeSoort.MONDELING,
            datum=vandaag,
            inhoud="Zegt de afspraak vergeten te zijn; geen bijzondere omstandigheden genoemd.",
        )
    p = services.boete_opstellen(
        user=actor,
        procedure=p,
        verwijtbaarheid=(
            "De uitnodiging is ontvangen en bevestigd; er is geen reden gegeven die het "
            "verzuim verschoont."
        ),
        zienswijze_weging="Vergeten is geen reden die de verwijtbaarheid vermindert.",
    )
    p = services.boete_ter_goedkeuring(user=actor, procedure=p)
    if verloop == "ter_goedkeuring":
        return verloop
    p = services.boete_goedkeuren(user=teamleider, procedure=p)
    p = services.boete_versturen(user=actor, procedure=p)
    _brief_maken(p, BriefSoort.BOETEBESCHIKKING, actor)
    return verloop
