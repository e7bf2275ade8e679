"""The Celery task that makes a dossier's evidence bundle. Arguments are ids only (never a BSN).

It runs as its maker: inside the maker's tenancy scope, the dossier looked up through
``dossiers_for(maker)`` and every part read with the maker's need-to-know, so a bundle never
holds more than its maker may see. The making is logged: a span of its own processing activity
(``ACTIVITEIT``, channel ``export``, actor the maker) that marks the person as exported."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from cases.policy import dossiers_for
from inburgering.audit import logboek
from inburgering.audit.models import Handeling, Kanaal
from inburgering.core.access import user_scope, vereis
from inburgering.core.logging import redact_bsn
from inburgering.documents.responses import safe_filename

from ..models import Bewijsbundel, OpdrachtStatus
from . import ACTIE_MAKEN, ACTIVITEIT
from .inhoud import HISTORIE_KOLOMMEN, dossier_inhoud, historie_json, historie_rijen
from .pakket import Bestand, csv_bytes, inpakken, json_bytes, maker, mislukt, opslaan, voortgang

logger = logging.getLogger(__name__)

OK = "ok"
SKIPPED = "skipped"
FAILED = "failed"

RAPPORT = "verantwoording/bundel/rapport.html"
TAAL = "nl"  # the report is written in Dutch, like the decisions (``inburgering.documents.pdf``)


def documentbestanden(documenten: list[Any], map_: str) -> list[Bestand]:
    """Every issued document byte for byte, under a unique safe name."""
    bestanden: list[Bestand] = []
    gebruikt: set[str] = set()
    for doc in documenten:
        stam = safe_filename(doc.kenmerk or doc.soort, default="document").removesuffix(".pdf")
        naam, n = f"{map_}/{stam}.pdf", 1
        while naam in gebruikt:
            n += 1
            naam = f"{map_}/{stam}-{n}.pdf"
        gebruikt.add(naam)
        with doc.bestand.open("rb") as fh:
            bestanden.append(Bestand(naam, fh.read(), bij_uitgifte=doc.sha256))
    return bestanden


def kennis(medisch: bool) -> dict[str, Any]:
    """The need-to-know a file was made under, as the manifest states it."""
    return {
        "medisch_en_trauma_inbegrepen": medisch,
        "toelichting": (
            _("Medical intake domains and signals of trauma or domestic violence are included.")
            if medisch
            else _(
                "Medical intake domains and signals of trauma or domestic violence are not "
                "included: the maker may not see them."
            )
        ),
    }


def bundel_bestanden(bundel: Bewijsbundel) -> tuple[list[Bestand], dict[str, Any], str, bool]:
    """The bundle's files, the manifest's head, the person's BSN (to log) and whether medical
    data are in it. Runs inside the maker's scope and span."""
    user = bundel.gemaakt_door
    dossier = (
        dossiers_for(user)
        .select_related("inburgeraar", "gemeente", "werkcoach", "begeleider")
        .get(pk=bundel.dossier_id)
    )
    vereis(user, ACTIE_MAKEN, dossier)
    voortgang(bundel, 10, _("Collecting the dossier and its history"))
    inhoud = dossier_inhoud(user, dossier)
    gemaakt_op = timezone.now()
    voortgang(bundel, 40, _("Rendering the report (PDF/A)"))
    from inburgering.documents import pdf  # WeasyPrint: loaded where it renders

    rapport = pdf.render_pdf(
        RAPPORT,
        {
            "inhoud": inhoud,
            "maker": maker(user),
            "gemaakt_op": gemaakt_op,
            "kenmerk": str(bundel.uuid),
        },
    )
    voortgang(bundel, 75, _("Adding the issued decisions and the history"))
    bestanden = [
        Bestand("rapport.pdf", rapport),
        *documentbestanden(inhoud.documenten, "beschikkingen"),
        Bestand("historie.json", json_bytes(historie_json(inhoud.historie))),
        Bestand("historie.csv", csv_bytes(HISTORIE_KOLOMMEN, historie_rijen(inhoud.historie))),
    ]
    kop = {
        "soort": "bewijsbundel",
        "bundel": str(bundel.uuid),
        "dossier": str(dossier.uuid),
        "gemeente": dossier.gemeente.naam,
        "gemaakt_op": gemaakt_op.isoformat(),
        "gemaakt_door": maker(user),
        "need_to_know": kennis(inhoud.medisch),
    }
    return bestanden, kop, dossier.inburgeraar.bsn, inhoud.medisch


@shared_task(acks_late=True, reject_on_worker_lost=True)
def bewijsbundel_maken(bundel_id: int) -> str:
    with scopes_disabled():
        bundel = Bewijsbundel.objects.select_related("gemaakt_door__organisatie").get(pk=bundel_id)
    if bundel.status == OpdrachtStatus.KLAAR or bundel.gemaakt_door is None:
        return SKIPPED  # a redelivered message
    user = bundel.gemaakt_door
    try:
        with (
            user_scope(user),
            translation.override(TAAL),
            logboek.verwerking(ACTIVITEIT, kanaal=Kanaal.EXPORT, user=user, pad="bewijsbundel"),
        ):
            bestanden, kop, bsn, medisch = bundel_bestanden(bundel)
            voortgang(bundel, 90, _("Packing the ZIP and its manifest"))
            data, _manifest = inpakken(bestanden, kop)
            logboek.betrokkenen([bsn], Handeling.EXPORTEREN)
            opslaan(bundel, data, _("Ready"), medisch_inbegrepen=medisch)
    except Exception as exc:  # any failure: the bundle says why, and the user may retry
        logger.exception("evidence bundle %s failed", bundel_id)
        with scopes_disabled():
            mislukt(bundel, redact_bsn(f"{exc.__class__.__name__}: {exc}"))
        return FAILED
    return OK


# the task's own span (``inburgering.audit.logboek``) is under this activity too
bewijsbundel_maken.audit_activiteit = ACTIVITEIT  # type: ignore[attr-defined]
