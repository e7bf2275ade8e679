"""The Celery task that makes the answer to an inzageverzoek, with the evidence bundle's
machinery (``verantwoording.bundel``): each dossier of the person the maker sees, read with the
maker's need-to-know (``bundel.inhoud``), their issued decisions, and who processed or received
the person's data — the log's processing records (``Verwerking``, by the person's pseudonym)
joined to the audit records of the same span (organisation and roles, never a user's name:
AVG art. 15 lid 1 sub c names recipients). Arguments are ids only."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from cases.policy import dossiers_for
from inburgering.audit import logboek, selectors
from inburgering.audit.models import Handeling, Kanaal
from inburgering.core import weergave
from inburgering.core.access import user_scope
from inburgering.core.logging import redact_bsn

from ..bundel.inhoud import (
    HISTORIE_KOLOMMEN,
    dossier_inhoud,
    historie_json,
    historie_rijen,
    velden_van,
)
from ..bundel.pakket import (
    Bestand,
    csv_bytes,
    inpakken,
    json_bytes,
    maker,
    mislukt,
    opslaan,
    voortgang,
)
from ..bundel.tasks import FAILED, OK, SKIPPED, TAAL, documentbestanden, kennis
from ..models import Inzageverzoek, OpdrachtStatus
from . import ACTIVITEIT

logger = logging.getLogger(__name__)

RAPPORT = "verantwoording/inzage/rapport.html"
VERWERKING_KOLOMMEN = (
    "tijdstip",
    "verwerkingsactiviteit",
    "handeling",
    "kanaal",
    "resultaat",
    "organisatie",
    "rollen",
)


def verwerkingen_van(bsn: str) -> list[dict[str, str]]:
    """Who processed this person's data: every processing record (oldest first) with the
    organisation and roles of the span's actor (the system when none), in three queries —
    read as the "who processed" page reads it (``inburgering.audit.selectors``)."""
    regels = selectors.met_actoren(selectors.verwerkingen_van(bsn).order_by("volgnummer"))
    handelingen = dict(Handeling.choices)
    kanalen = dict(Kanaal.choices)
    return [
        {
            "tijdstip": weergave.moment(r.verwerking.tijdstip),
            "verwerkingsactiviteit": r.activiteit,
            "handeling": str(handelingen.get(r.verwerking.handeling, r.verwerking.handeling)),
            "kanaal": str(kanalen.get(r.verwerking.kanaal, r.verwerking.kanaal)),
            "resultaat": r.verwerking.get_resultaat_display(),
            "organisatie": r.organisatie or _("the system (automatic processing)"),
            "rollen": ", ".join(r.rollen),
        }
        for r in regels
    ]


def inzage_bestanden(verzoek: Inzageverzoek) -> tuple[list[Bestand], dict[str, Any], str, bool]:
    user = verzoek.gemaakt_door
    persoon = verzoek.inburgeraar
    dossiers = list(
        dossiers_for(user)
        .filter(inburgeraar_id=persoon.pk)
        .select_related("inburgeraar", "gemeente", "werkcoach", "begeleider")
        .order_by("aangemaakt_op", "id")
    )
    voortgang(verzoek, 10, _("Collecting the person's dossiers"))
    inhouden = [dossier_inhoud(user, d) for d in dossiers]
    medisch = bool(inhouden) and all(i.medisch for i in inhouden)
    voortgang(verzoek, 40, _("Collecting who processed the data"))
    verwerkingen = verwerkingen_van(persoon.bsn)
    gemaakt_op = timezone.now()
    voortgang(verzoek, 55, _("Rendering the report (PDF/A)"))
    from inburgering.documents import pdf  # WeasyPrint: loaded where it renders

    rapport = pdf.render_pdf(
        RAPPORT,
        {
            "verzoek": verzoek,
            "persoon": velden_van(persoon, user=user, dossier=None),
            "naam": persoon.volledige_naam,
            "inhouden": inhouden,
            "verwerkingen": verwerkingen,
            "maker": maker(user),
            "gemaakt_op": gemaakt_op,
            "medisch": medisch,
            "kenmerk": str(verzoek.uuid),
        },
    )
    voortgang(verzoek, 80, _("Adding the decisions and the machine-readable data"))
    documenten = [d for i in inhouden for d in i.documenten]
    gegevens = {
        "persoon": dict(velden_van(persoon, user=user, dossier=None)),
        "dossiers": [
            {
                "dossier": str(i.dossier.uuid),
                "gemeente": i.dossier.gemeente.naam,
                "gegevens": dict(i.gegevens),
                "onderdelen": [
                    {
                        "app": deel.app,
                        "naam": deel.naam,
                        "blokken": [
                            {
                                "titel": str(b.titel),
                                "velden": dict(b.velden),
                                "kolommen": list(b.kolommen),
                                "rijen": [list(r) for r in b.rijen],
                                "weggelaten": b.weggelaten,
                            }
                            for b in deel.blokken
                        ],
                    }
                    for deel in i.delen
                ],
                "tijdlijn": i.gebeurtenissen,
                "historie": historie_json(i.historie),
            }
            for i in inhouden
        ],
        "verwerkingen": verwerkingen,
    }
    bestanden = [
        Bestand("inzage.pdf", rapport),
        *documentbestanden(documenten, "beschikkingen"),
        Bestand("gegevens.json", json_bytes(gegevens)),
        Bestand(
            "historie.csv",
            csv_bytes(
                ("dossier", *HISTORIE_KOLOMMEN),
                [(str(i.dossier.uuid), *r) for i in inhouden for r in historie_rijen(i.historie)],
            ),
        ),
        Bestand(
            "verwerkingen.csv",
            csv_bytes(VERWERKING_KOLOMMEN, [tuple(v.values()) for v in verwerkingen]),
        ),
    ]
    kop = {
        "soort": "inzageverzoek",
        "grondslag": "AVG art. 15",
        "verzoek": str(verzoek.uuid),
        "ontvangen_op": verzoek.ontvangen_op.isoformat(),
        "dossiers": [str(i.dossier.uuid) for i in inhouden],
        "gemaakt_op": gemaakt_op.isoformat(),
        "gemaakt_door": maker(user),
        "need_to_know": kennis(medisch),
    }
    return bestanden, kop, persoon.bsn, medisch


@shared_task(acks_late=True, reject_on_worker_lost=True)
def inzage_maken(verzoek_id: int) -> str:
    with scopes_disabled():
        verzoek = Inzageverzoek.objects.select_related("gemaakt_door__organisatie").get(
            pk=verzoek_id
        )
    if verzoek.status == OpdrachtStatus.KLAAR or verzoek.gemaakt_door is None:
        return SKIPPED
    user = verzoek.gemaakt_door
    try:
        with (
            user_scope(user),
            translation.override(TAAL),
            logboek.verwerking(ACTIVITEIT, kanaal=Kanaal.EXPORT, user=user, pad="inzageverzoek"),
        ):
            bestanden, kop, bsn, medisch = inzage_bestanden(verzoek)
            voortgang(verzoek, 90, _("Packing the ZIP and its manifest"))
            data, _manifest = inpakken(bestanden, kop)
            logboek.betrokkenen([bsn], Handeling.EXPORTEREN)
            opslaan(verzoek, data, _("Ready"), medisch_inbegrepen=medisch)
    except Exception as exc:
        logger.exception("inzageverzoek %s failed", verzoek_id)
        with scopes_disabled():
            mislukt(verzoek, redact_bsn(f"{exc.__class__.__name__}: {exc}"))
        return FAILED
    return OK


# the task's own span (``inburgering.audit.logboek``) is under this activity too
inzage_maken.audit_activiteit = ACTIVITEIT  # type: ignore[attr-defined]
