"""The part handhaving contributes to the dossier hub (``cases.hub``): its facts and termijn
rules (one numbered clock per procedure), its section on the dossier page, a link in the
dossier API, the history of its verzuimen, procedures and letters, and its timeline event
kinds — all need-to-know: nobody without ``handhaving.view_procedure`` sees any of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.feiten import FeitBron
from cases.hub import (
    ApiLink,
    HistorieBron,
    Onderdeel,
    RapportBlok,
    Sectie,
    UitgegevenDocument,
    hub,
)
from cases.models import Dossier
from inburgering.core import weergave

from .models import Brief, Procedure, Verzuim
from .policy import mag_handhaving_zien
from .termijnregels import REGELS, HandhavingFeiten, handhaving_feiten
from .tijdlijn import SOORTEN


def _zichtbaar(user: Any, dossier: Dossier) -> bool:
    return mag_handhaving_zien(user)


def _sectie(user: Any, dossier: Dossier) -> dict[str, Any] | None:
    from .views import handhaving_sectie

    return handhaving_sectie(user, dossier)


def _procedures_pad(dossier: Dossier) -> str:
    return f"{reverse('procedure-list')}?dossier={dossier.uuid}"


def _alleen_met_inzage(records: Any, user: Any) -> Sequence[Any]:
    if user is not None and not mag_handhaving_zien(user):
        return []
    return list(records.select_related("history_user"))


def _verzuim_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return _alleen_met_inzage(Verzuim.history.filter(dossier_id=dossier.pk), user)  # type: ignore[attr-defined]


def _procedure_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return _alleen_met_inzage(Procedure.history.filter(dossier_id=dossier.pk), user)  # type: ignore[attr-defined]


def _brief_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return _alleen_met_inzage(
        Brief.history.filter(procedure__dossier_id=dossier.pk),  # type: ignore[attr-defined]
        user,
    )


def _procedure_label(record: Any) -> str:
    return gettext("Enforcement procedure %(nummer)s") % {"nummer": record.volgnummer}


def _rapport(user: Any, dossier: Dossier) -> list[RapportBlok]:
    """The enforcement procedures; for a reader without the right, only that they exist."""
    procedures = list(
        Procedure.objects.filter(dossier=dossier).select_related("verzuim").order_by("volgnummer")
    )
    if not procedures:
        return []
    if user is not None and not mag_handhaving_zien(user):
        return [
            RapportBlok(
                _("Handhaving"),
                weggelaten=gettext(
                    "Enforcement procedures (%(aantal)s) exist; your role does not include them. "
                    "The teamleider supplies them."
                )
                % {"aantal": len(procedures)},
            )
        ]
    return [
        RapportBlok(
            _("Handhaving"),
            kolommen=(
                gettext("Number"),
                gettext("Failure"),
                gettext("Date"),
                gettext("Step"),
                gettext("Fine"),
            ),
            rijen=tuple(
                (
                    str(p.volgnummer),
                    p.verzuim.get_soort_display(),
                    p.verzuim.datum.strftime("%d-%m-%Y"),
                    p.get_status_display(),
                    f"€ {p.bedrag}" if p.bedrag is not None else weergave.LEEG,
                )
                for p in procedures
            ),
        )
    ]


def _documenten(user: Any, dossier: Dossier) -> list[UitgegevenDocument]:
    """Every letter of the procedures that was made (the stored PDF/A)."""
    if user is not None and not mag_handhaving_zien(user):
        return []
    return [
        UitgegevenDocument(
            soort=f"handhaving.{b.soort}",
            titel=b.get_soort_display(),
            kenmerk=b.kenmerk,
            datum=b.dagtekening,
            bestand=b.pdf,
            sha256=b.pdf_sha256,
        )
        for b in Brief.objects.filter(procedure__dossier=dossier).exclude(pdf="")
    ]


ONDERDEEL = Onderdeel(
    app="handhaving",
    feitbron=FeitBron(HandhavingFeiten, handhaving_feiten),
    termijnregels=REGELS,
    secties=(
        Sectie(
            "handhaving",
            "handhaving/_sectie.html",
            _sectie,
            volgorde=70,
            titel=_("Handhaving"),
            zichtbaar=_zichtbaar,
        ),
    ),
    api_links=(ApiLink("procedures", _procedures_pad, _("The dossier's enforcement procedures.")),),
    gebeurtenissoorten=SOORTEN,
    historie=(
        HistorieBron(_("Recorded failure"), _verzuim_records, volgorde=70),
        HistorieBron(
            _("Enforcement procedure"), _procedure_records, label_van=_procedure_label, volgorde=71
        ),
        HistorieBron(_("Enforcement letter"), _brief_records, volgorde=72),
    ),
    rapport=_rapport,
    documenten=_documenten,
)


def registreren() -> None:
    hub.registreer(ONDERDEEL)
