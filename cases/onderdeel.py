"""The part ``cases`` itself contributes to the dossier hub: the dossier's own facts and key
dates, and the history of the dossier, its person and its termijnen."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inburgering.core.access import mask_bsn

from .dossier_secties import SECTIES
from .feiten import DossierFeiten, FeitBron, Feiten, dossier_feiten
from .historie import TERMIJN_HISTORIE_VELDEN
from .hub import HistorieBron, Onderdeel, RapportBlok, Sleuteldatum, hub
from .models import Dossier, Inburgeraar, Termijn
from .policy import can_view_full_bsn


def _sleuteldata(feiten: Feiten) -> list[Sleuteldatum]:
    d = feiten.dossier
    return [
        Sleuteldatum("koppeling", _("Koppeling"), d.koppeling),
        Sleuteldatum("huisvesting", _("Housing"), d.huisvesting),
        Sleuteldatum("brp", _("BRP registration"), d.brp),
    ]


def _dossier_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        dossier.history.select_related("history_user", "werkcoach", "begeleider", "gemeente").all()  # type: ignore[attr-defined]
    )


def _persoon_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        Inburgeraar.history.filter(id=dossier.inburgeraar_id)  # type: ignore[attr-defined]
        .select_related("history_user")
        .all()
    )


def _bsn_maskeren(user: Any, dossier: Dossier) -> Mapping[str, Callable[[str], str]]:
    return {} if user is None or can_view_full_bsn(user, dossier) else {"bsn": mask_bsn}


def _termijn_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        Termijn.history.filter(dossier_id=dossier.pk)  # type: ignore[attr-defined]
        .select_related("history_user")
        .all()
    )


def _termijn_label(record: Any) -> str:
    return f"{gettext('Deadline')}: {record.instance.omschrijving}"


def _datum(waarde: Any) -> str:
    return waarde.strftime("%d-%m-%Y") if waarde else "—"


def _rapport(user: Any, dossier: Dossier) -> list[RapportBlok]:
    """The dossier's termijnen, each with its extensions (who, when, from, to, why)."""
    termijnen = list(
        Termijn.objects.filter(dossier=dossier).prefetch_related("verlengingen__actor")
    )
    if not termijnen:
        return []
    blokken = [
        RapportBlok(
            _("Deadlines"),
            kolommen=(
                gettext("Deadline"),
                gettext("Start"),
                gettext("Due date by the rule"),
                gettext("Due date"),
                gettext("Status"),
                gettext("Met on"),
            ),
            rijen=tuple(
                (
                    t.omschrijving,
                    _datum(t.startdatum),
                    _datum(t.berekende_datum),
                    _datum(t.uiterste_datum),
                    t.get_status_display(),
                    _datum(t.gehaald_op),
                )
                for t in termijnen
            ),
        )
    ]
    verlengingen = [(t, v) for t in termijnen for v in t.verlengingen.all()]
    if verlengingen:
        blokken.append(
            RapportBlok(
                _("Extensions"),
                kolommen=(
                    gettext("Deadline"),
                    gettext("From"),
                    gettext("To"),
                    gettext("Reason"),
                    gettext("By"),
                    gettext("Time"),
                ),
                rijen=tuple(
                    (
                        t.omschrijving,
                        _datum(v.van_datum),
                        _datum(v.tot_datum),
                        v.reden,
                        str(v.actor) if v.actor else gettext("system"),
                        v.tijdstip.strftime("%d-%m-%Y %H:%M"),
                    )
                    for t, v in verlengingen
                ),
            )
        )
    return blokken


ONDERDEEL = Onderdeel(
    app="cases",
    feitbron=FeitBron(DossierFeiten, dossier_feiten),
    sleuteldata=_sleuteldata,
    secties=SECTIES,
    historie=(
        HistorieBron(_("Dossier"), _dossier_records, volgorde=10),
        HistorieBron(_("Person"), _persoon_records, maskeren=_bsn_maskeren, volgorde=20),
        # extensions are append-only records of their own, shown with each termijn
        HistorieBron(
            _("Deadline"),
            _termijn_records,
            label_van=_termijn_label,
            velden=TERMIJN_HISTORIE_VELDEN,
            volgorde=70,
        ),
    ),
    rapport=_rapport,
)


def registreren() -> None:
    hub.registreer(ONDERDEEL)
