"""The part pip_plans contributes to the dossier hub (``cases.hub``): its facts, its termijn
rules, its key dates, its section on the dossier page, its fields and links in the dossier API,
and the history of the intake, its domains, conversations and children, the PIP and its route
changes — each history source with its own need-to-know filter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.feiten import FeitBron, Feiten
from cases.hub import (
    ApiLink,
    ApiVeld,
    HistorieBron,
    Onderdeel,
    RapportBlok,
    Sectie,
    Sleuteldatum,
    UitgegevenDocument,
    hub,
)
from cases.models import Dossier, Termijn
from cases.policy import can_view_medical, can_view_signalen
from inburgering.core import weergave
from inburgering.core.access import heeft_leesrecht

from .constants import MEDISCHE_DOMEINEN, PipStatus
from .models import BredeIntake, DomeinBeoordeling, IntakeGesprek, Kind, Pip, RouteWijziging
from .termijnregels import REGELS, PipFeiten, pip_feiten
from .tijdlijn import SOORTEN


def _sleuteldata(feiten: Feiten) -> list[Sleuteldatum]:
    p = feiten.van(PipFeiten)
    return [
        Sleuteldatum(
            "intake",
            _("Brede intake"),
            p.intake_afgerond,
            _("due 4 weeks after BRP registration"),
            feit="intake_afgerond",
        ),
        Sleuteldatum(
            "pip",
            _("PIP"),
            p.pip_vastgesteld,
            _("due 10 weeks after BRP registration"),
            feit="pip_vastgesteld",
        ),
    ]


def _intake_sectie(user: Any, dossier: Dossier) -> dict[str, Any]:
    from .views import intake_sectie

    return intake_sectie(user, dossier)


def _pip_sectie(user: Any, dossier: Dossier) -> dict[str, Any]:
    from .views import pip_sectie

    return pip_sectie(user, dossier)


# --- the dossier API: the inburgeringstermijn in force -----------------------------------------


def _termijn_annoteren(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The inburgeringstermijn of the vastgestelde PIP, in the list's own query."""
    vastgesteld = Pip.objects.filter(dossier=OuterRef("pk"), status=PipStatus.VASTGESTELD).order_by(
        "-versie"
    )
    return qs.annotate(
        inburgeringstermijn_start=Subquery(vastgesteld.values("termijn_start")[:1]),
        # the end in force: the clock's due date, moved by any extension
        inburgeringstermijn_eind=Coalesce(
            Subquery(
                Termijn.objects.filter(
                    dossier=OuterRef("pk"),
                    code="inburgeringstermijn",
                    volgnummer=1,
                    startdatum=OuterRef("inburgeringstermijn_start"),
                ).values("uiterste_datum")[:1]
            ),
            Subquery(vastgesteld.values("termijn_eind")[:1]),
        ),
    )


def _termijn(dossier: Dossier, veld: str) -> date | None:
    """From the list's annotation (one query for the whole list); a dossier fresh from a write
    is looked up once."""
    annotated = f"inburgeringstermijn_{veld}"
    if hasattr(dossier, annotated):
        return getattr(dossier, annotated)  # type: ignore[no-any-return]
    from .selectors import inburgeringstermijn_voor

    pip = (
        Pip.objects.filter(dossier=dossier, status=PipStatus.VASTGESTELD)
        .order_by("-versie")
        .first()
    )
    termijn = inburgeringstermijn_voor(pip) if pip else None
    if termijn is None:
        return None
    return termijn.start if veld == "start" else termijn.eind


def _termijn_start(dossier: Dossier) -> date | None:
    return _termijn(dossier, "start")


def _termijn_eind(dossier: Dossier) -> date | None:
    return _termijn(dossier, "eind")


def _start_veld() -> serializers.Field:
    return serializers.DateField(
        allow_null=True,
        help_text=_("First day of the inburgeringstermijn (from the vastgestelde PIP)."),
    )


def _eind_veld() -> serializers.Field:
    return serializers.DateField(
        allow_null=True,
        help_text=_(
            "Last day of the inburgeringstermijn in force (from the vastgestelde PIP, moved by "
            "any extension)."
        ),
    )


def _api_pad(naam: str, dossier: Dossier) -> str:
    return f"{reverse(naam)}?dossier={dossier.uuid}"


def _intakes_pad(dossier: Dossier) -> str:
    return _api_pad("intake-list", dossier)


def _pips_pad(dossier: Dossier) -> str:
    return _api_pad("pip-list", dossier)


# --- history sources ----------------------------------------------------------------------------


def _intake_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        BredeIntake.history.filter(dossier_id=dossier.pk).select_related("history_user")  # type: ignore[attr-defined]
    )


def _intake_verborgen(user: Any, dossier: Dossier) -> tuple[str, ...]:
    """Signals of trauma and referrals are need-to-know (AVG art. 9)."""
    return () if user is None or can_view_signalen(user, dossier) else ("signalen",)


def _domein_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    """The domain assessments; the medical domains only with need-to-know."""
    qs = DomeinBeoordeling.history.filter(intake__dossier_id=dossier.pk)  # type: ignore[attr-defined]
    if user is not None and not can_view_medical(user, dossier):
        qs = qs.exclude(domein__in=MEDISCHE_DOMEINEN)
    return list(qs.select_related("history_user"))


def _domein_label(record: Any) -> str:
    return f"{gettext('Brede intake')}: {record.get_domein_display()}"


def _gesprek_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        IntakeGesprek.history.filter(intake__dossier_id=dossier.pk).select_related(  # type: ignore[attr-defined]
            "history_user", "werkcoach"
        )
    )


def _kind_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        Kind.history.filter(intake__dossier_id=dossier.pk).select_related("history_user")  # type: ignore[attr-defined]
    )


def _pip_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        Pip.history.filter(dossier_id=dossier.pk).select_related(  # type: ignore[attr-defined]
            "history_user", "goedgekeurd_door", "teruggestuurd_door"
        )
    )


def _pip_label(record: Any) -> str:
    return gettext("PIP version %(versie)s") % {"versie": record.versie}


def _route_records(user: Any, dossier: Dossier) -> Sequence[Any]:
    return list(
        RouteWijziging.history.filter(pip__dossier_id=dossier.pk).select_related(  # type: ignore[attr-defined]
            "history_user", "actor"
        )
    )


# --- the accountability report and the issued beschikkingen -------------------------------------


def _datum(waarde: date | None) -> str:
    return waarde.strftime("%d-%m-%Y") if waarde else weergave.LEEG


def _medisch_weggelaten(aantal: int) -> str:
    return gettext(
        "Medical intake domains (%(aantal)s) exist and are not included: you may not see "
        "medical data. The werkcoach supplies them."
    ) % {"aantal": aantal}


def _rapport(user: Any, dossier: Dossier) -> list[RapportBlok]:
    """The intake (its medical domains and signals only with need-to-know; otherwise the report
    says they exist and that the werkcoach supplies them) and the PIP versions."""
    blokken: list[RapportBlok] = []
    intake = BredeIntake.objects.filter(dossier=dossier).first()
    if intake is not None:
        if not heeft_leesrecht(user, "pip_plans.view_bredeintake"):
            weg = gettext(
                "A brede intake exists; your role does not include it. The werkcoach supplies it."
            )
            medische = intake.domeinen.filter(domein__in=MEDISCHE_DOMEINEN).count()
            if medische and not can_view_medical(user, dossier):
                weg += " " + _medisch_weggelaten(medische)
            blokken.append(RapportBlok(_("Brede intake"), weggelaten=weg))
        else:
            medisch = user is None or can_view_medical(user, dossier)
            signalen = user is None or can_view_signalen(user, dossier)
            velden = [
                (gettext("Date completed"), _datum(intake.datum_afgerond)),
                (gettext("Learnability test date"), _datum(intake.leerbaarheid_datum)),
                (gettext("Instrument"), intake.leerbaarheid_instrument or weergave.LEEG),
                (gettext("Score / outcome"), intake.leerbaarheid_score or weergave.LEEG),
            ]
            if signalen and intake.signalen:
                velden.append((gettext("Signals and referrals"), intake.signalen))
            domeinen = list(intake.domeinen.all().order_by("domein"))
            verborgen = [d for d in domeinen if not medisch and d.domein in MEDISCHE_DOMEINEN]
            weggelaten = []
            if verborgen:
                weggelaten.append(_medisch_weggelaten(len(verborgen)))
            if not signalen and intake.signalen:
                weggelaten.append(
                    gettext(
                        "Signals of trauma or domestic violence exist and are not included. The "
                        "werkcoach supplies them."
                    )
                )
            blokken.append(
                RapportBlok(
                    _("Brede intake"),
                    velden=tuple(velden),
                    kolommen=(gettext("Domain"), gettext("Assessment"), gettext("Notes")),
                    rijen=tuple(
                        (d.get_domein_display(), d.get_beoordeling_display(), d.toelichting)
                        for d in domeinen
                        if d not in verborgen
                    ),
                    weggelaten=" ".join(weggelaten),
                )
            )
    pips = list(Pip.objects.filter(dossier=dossier).order_by("versie"))
    if pips and not heeft_leesrecht(user, "pip_plans.view_pip"):
        blokken.append(
            RapportBlok(
                _("PIP"),
                weggelaten=gettext(
                    "PIP versions (%(aantal)s) and their beschikkingen exist; your role does not "
                    "include them. The werkcoach supplies them."
                )
                % {"aantal": len(pips)},
            )
        )
    elif pips:
        blokken.append(
            RapportBlok(
                _("PIP"),
                kolommen=(
                    gettext("Version"),
                    gettext("Status"),
                    gettext("Reference"),
                    gettext("Date issued"),
                ),
                rijen=tuple(
                    (
                        str(p.versie),
                        p.get_status_display(),
                        p.kenmerk or weergave.LEEG,
                        _datum(p.datum_vastgesteld),
                    )
                    for p in pips
                ),
            )
        )
    return blokken


def _documenten(user: Any, dossier: Dossier) -> list[UitgegevenDocument]:
    """Every issued PIP beschikking (the stored PDF/A)."""
    if not heeft_leesrecht(user, "pip_plans.view_pip"):
        return []
    return [
        UitgegevenDocument(
            soort="pip.beschikking",
            titel=_("PIP decision (beschikking)"),
            kenmerk=p.kenmerk,
            datum=p.datum_vastgesteld,
            bestand=p.pdf,
            sha256=p.pdf_sha256,
        )
        for p in Pip.objects.filter(dossier=dossier).exclude(pdf="").order_by("versie")
    ]


ONDERDEEL = Onderdeel(
    app="pip_plans",
    feitbron=FeitBron(PipFeiten, pip_feiten),
    termijnregels=REGELS,
    sleuteldata=_sleuteldata,
    secties=(
        # a tab only for who reads intakes and PIPs (not a partner's coördinator, say)
        Sectie(
            "intake",
            "pip_plans/_intake_sectie.html",
            _intake_sectie,
            volgorde=40,
            titel=_("Brede intake"),
            zichtbaar=lambda user, dossier: user.has_perm("pip_plans.view_bredeintake"),
        ),
        Sectie(
            "pip",
            "pip_plans/_pip_sectie.html",
            _pip_sectie,
            volgorde=50,
            titel=_("PIP"),
            zichtbaar=lambda user, dossier: user.has_perm("pip_plans.view_pip"),
        ),
    ),
    api_velden=(
        ApiVeld(
            "inburgeringstermijn_start", _start_veld, _termijn_start, annoteer=_termijn_annoteren
        ),
        ApiVeld("inburgeringstermijn_eind", _eind_veld, _termijn_eind, annoteer=_termijn_annoteren),
    ),
    api_links=(
        ApiLink("intakes", _intakes_pad, _("The dossier's brede intake.")),
        ApiLink("pips", _pips_pad, _("The dossier's PIP versions.")),
    ),
    gebeurtenissoorten=SOORTEN,
    historie=(
        HistorieBron(_("Brede intake"), _intake_records, verborgen=_intake_verborgen, volgorde=30),
        HistorieBron(_("Brede intake"), _domein_records, label_van=_domein_label, volgorde=31),
        HistorieBron(_("Intake conversation"), _gesprek_records, volgorde=32),
        HistorieBron(_("Child"), _kind_records, volgorde=33),
        HistorieBron(_("PIP"), _pip_records, label_van=_pip_label, volgorde=40),
        HistorieBron(_("Route change"), _route_records, volgorde=41),
    ),
    rapport=_rapport,
    documenten=_documenten,
)


def registreren() -> None:
    hub.registreer(ONDERDEEL)
