"""The procedure page: its seven steps, its status block, and one POST view per step that calls
one service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.forms import apply_service_errors
from inburgering.core.access import mag, vereis

from .. import selectors, services
from ..constants import AFGESLOTEN, BriefSoort, BriefStatus, ProcedureStatus
from ..forms import (
    BetaalstatusForm,
    BezwaarBeslissenForm,
    BezwaarForm,
    BoeteForm,
    GeenBoeteForm,
    GesprekForm,
    IntrekkenForm,
    LegeForm,
    PwMaatregelForm,
    RapportForm,
    TerugsturenForm,
    ZienswijzeForm,
)
from ..models import Brief, Procedure
from ._gemeen import (
    BEHANDELEN,
    GOEDKEUREN,
    _naar,
    _procedure_or_404,
    _user,
    _verrijk,
    volgende_actie,
)

# --- the procedure page -----------------------------------------------------------------------


@dataclass(frozen=True)
class StapInfo:
    code: str
    titel: Promise
    later: Promise  # what a later step will hold, for the greyed-out list


STAPPEN = (
    StapInfo(
        "gesprek",
        gettext_lazy("Hearing conversation"),
        gettext_lazy("Always first: hoor en wederhoor with the person."),
    ),
    StapInfo(
        "rapport",
        gettext_lazy("Rapport"),
        gettext_lazy(
            "A dated rapport of the facts (Awb 5:48); the decision follows within 13 weeks."
        ),
    ),
    StapInfo(
        "voornemen",
        gettext_lazy("Intent letter"),
        gettext_lazy("The intent to fine, with the rapport, inviting a zienswijze (Awb 5:50)."),
    ),
    StapInfo(
        "zienswijze",
        gettext_lazy("Zienswijze"),
        gettext_lazy("The person's view, written or oral, or none within the term."),
    ),
    StapInfo(
        "besluit",
        gettext_lazy("Decision"),
        gettext_lazy(
            "A fine (approved by a teamleider where required), no fine, or a Participatiewet "
            "measure."
        ),
    ),
    StapInfo(
        "boetebeschikking",
        gettext_lazy("Boetebeschikking"),
        gettext_lazy("The fine as a decision with its objection clause, sent to the person."),
    ),
    StapInfo(
        "na",
        gettext_lazy("After the decision"),
        gettext_lazy("Payment, objection, withdrawal."),
    ),
)
STAP_VAN: dict[str, str] = {
    ProcedureStatus.GESPREK: "gesprek",
    ProcedureStatus.AFGEDAAN: "gesprek",
    ProcedureStatus.RAPPORT: "rapport",
    ProcedureStatus.VOORNEMEN: "voornemen",
    ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD: "voornemen",
    ProcedureStatus.ZIENSWIJZE: "zienswijze",
    ProcedureStatus.BESLUIT: "besluit",
    ProcedureStatus.BOETE_CONCEPT: "besluit",
    ProcedureStatus.TER_GOEDKEURING: "besluit",
    ProcedureStatus.GEEN_BOETE: "besluit",
    ProcedureStatus.PW_MAATREGEL: "besluit",
    ProcedureStatus.GOEDGEKEURD: "boetebeschikking",
    ProcedureStatus.WORDT_VERSTUURD: "boetebeschikking",
    ProcedureStatus.OPGELEGD: "na",
    ProcedureStatus.BEZWAAR: "na",
    ProcedureStatus.VERNIETIGD: "na",
    ProcedureStatus.INGETROKKEN: "na",
}
STAAT_TEKST: dict[str, Promise] = {
    "gedaan": gettext_lazy("done"),
    "huidig": gettext_lazy("current step"),
    "later": gettext_lazy("later"),
    "overgeslagen": gettext_lazy("not taken"),
    "vervalt": gettext_lazy("not applicable"),
}


def _gedaan(code: str, p: Procedure) -> bool:
    return {
        "gesprek": p.gesprek_datum is not None,
        "rapport": p.rapport_datum is not None,
        "voornemen": p.voornemen_datum is not None,
        "zienswijze": bool(p.zienswijze_soort),
        "besluit": p.besluit_datum is not None,
        "boetebeschikking": p.status
        in (
            ProcedureStatus.OPGELEGD,
            ProcedureStatus.BEZWAAR,
            ProcedureStatus.VERNIETIGD,
            ProcedureStatus.INGETROKKEN,
        ),
        "na": True,
    }[code]


def stappen_van(procedure: Procedure) -> list[dict[str, Any]]:
    """The seven steps with their state: done (or not taken), the current one, later ones —
    or, once the procedure ended, those it no longer reaches."""
    codes = [s.code for s in STAPPEN]
    huidig = codes.index(STAP_VAN[procedure.status])
    afgesloten = procedure.status in AFGESLOTEN
    result = []
    for i, stap in enumerate(STAPPEN):
        if i < huidig:
            staat = "gedaan" if _gedaan(stap.code, procedure) else "overgeslagen"
        elif i == huidig:
            staat = "gedaan" if afgesloten else "huidig"
        else:
            staat = "vervalt" if afgesloten else "later"
        result.append(
            {
                "nummer": i + 1,
                "code": stap.code,
                "titel": stap.titel,
                "later": stap.later,
                "staat": staat,
                "staat_tekst": STAAT_TEKST[staat],
            }
        )
    return result


def _formulieren(procedure: Procedure, tarief: Any) -> dict[str, forms.Form]:
    """A fresh form for each step (only the current step's are shown)."""
    vandaag = timezone.localdate()
    boete_initial: dict[str, Any] = {}
    if procedure.status == ProcedureStatus.BOETE_CONCEPT:  # drafted before: edit it
        boete_initial = {
            "verwijtbaarheid": procedure.verwijtbaarheid,
            "zienswijze_weging": procedure.zienswijze_weging,
            "bedrag": procedure.bedrag,
            "verlaging_grond": procedure.verlaging_grond,
            "verlaging_motivering": procedure.verlaging_motivering,
        }
    elif tarief is not None:
        boete_initial = {"bedrag": tarief.maximum}
    return {
        "gesprek_form": GesprekForm(initial={"datum": vandaag, "tolk": procedure.taal}),
        "rapport_form": RapportForm(initial={"datum": vandaag}),
        "zienswijze_form": ZienswijzeForm(initial={"datum": vandaag}),
        "geen_boete_form": GeenBoeteForm(),
        "pw_form": PwMaatregelForm(initial={"datum": vandaag}),
        "boete_form": BoeteForm(initial=boete_initial),
        "terugsturen_form": TerugsturenForm(),
        "bezwaar_form": BezwaarForm(initial={"ontvangen_op": vandaag}),
        "bezwaar_beslissen_form": BezwaarBeslissenForm(initial={"datum": vandaag}),
        "betaalstatus_form": BetaalstatusForm(initial={"betaalstatus": procedure.betaalstatus}),
        "intrekken_form": IntrekkenForm(),
        **{f"{naam}_form": LegeForm(id_prefix=naam.replace("_", "-")) for naam in LEGE_STAPPEN},
    }


LEGE_STAPPEN = ("voornemen", "ter_goedkeuring", "goedkeuren", "versturen")


def _brieven(procedure: Procedure) -> dict[str, Brief]:
    return {b.soort: b for b in procedure.brieven.all()}


def _bezig(procedure: Procedure, brieven: dict[str, Brief]) -> bool:
    """A letter is being made: the status block polls."""
    return procedure.status in (
        ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD,
        ProcedureStatus.WORDT_VERSTUURD,
    ) or any(b.status == BriefStatus.WORDT_GEMAAKT for b in brieven.values())


def _status_context(procedure: Procedure, brieven: dict[str, Brief]) -> dict[str, Any]:
    return {
        "procedure": procedure,
        "brieven": sorted(brieven.values(), key=lambda b: (b.aangemaakt_op, b.pk)),
        "bezig": _bezig(procedure, brieven),
        "volgende_actie": volgende_actie(procedure),
    }


def _procedure_context(
    request: HttpRequest, procedure: Procedure, gebonden: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = _user(request)
    status = procedure.status
    brieven = _brieven(procedure)
    beleid = selectors.beleid_van(procedure.dossier.gemeente_id)
    vandaag = timezone.localdate()
    tarief = (
        selectors.tarief_op(procedure.categorie, vandaag)
        if status in (ProcedureStatus.BESLUIT, ProcedureStatus.BOETE_CONCEPT)
        else None
    )
    _verrijk([procedure])
    kan = procedure.dossier.is_open and mag(user, "handhaving.behandelen", procedure)
    beslisbaar = kan and status in services.BESLISBAAR
    voornemen = brieven.get(BriefSoort.VOORNEMEN)
    return {
        "procedure": procedure,
        "verzuim": procedure.verzuim,
        "dossier": procedure.dossier,
        "persoon": procedure.dossier.inburgeraar,
        "stappen": stappen_van(procedure),
        "beleid": beleid,
        "tarief": tarief,
        "brieven_per_soort": brieven,
        "kan_behandelen": kan,
        "kan_goedkeuren": status == ProcedureStatus.TER_GOEDKEURING
        and mag(user, "handhaving.goedkeuren", procedure),
        "kan_beslissen": beslisbaar,
        # a voornemen not required may still be sent, as long as none was
        "kan_voornemen": kan
        and (
            status == ProcedureStatus.VOORNEMEN
            or (
                status == ProcedureStatus.BESLUIT
                and not procedure.zienswijze_soort
                and (voornemen is None or voornemen.status == BriefStatus.MISLUKT)
            )
        ),
        "voornemen_brief": voornemen,
        "boete_brief": brieven.get(BriefSoort.BOETEBESCHIKKING),
        **_status_context(procedure, brieven),
        **_formulieren(procedure, tarief),
        **(gebonden or {}),
    }


def _procedure_pagina(
    request: HttpRequest,
    procedure: Procedure,
    gebonden: dict[str, forms.Form] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "handhaving/procedure.html",
        _procedure_context(request, procedure, gebonden),
        status=status,
    )


@require_GET
def procedure_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _procedure_pagina(request, _procedure_or_404(request, uuid))


@require_GET
def procedure_status(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The status block, polled by htmx every 2 s while a letter is being made; once it is
    made (or failed) the whole page reloads, so the next step's form is there."""
    procedure = _procedure_or_404(request, uuid)
    brieven = _brieven(procedure)
    response = render(
        request, "handhaving/_procedure_status.html", _status_context(procedure, brieven)
    )
    if request.htmx and not _bezig(procedure, brieven):  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


@dataclass(frozen=True)
class Stap:
    """One step's POST: its form, the policy action, the one service it calls."""

    naam: str
    form: type[forms.Form] | None
    actie: str
    service: Callable[..., Any]
    gelukt: Promise
    argumenten: Callable[[dict[str, Any]], dict[str, Any]] = dict


def _stap_view(stap: Stap) -> Callable[[HttpRequest, Any], HttpResponse]:
    @require_POST
    def view(request: HttpRequest, uuid: Any) -> HttpResponse:
        procedure = _procedure_or_404(request, uuid)  # 404 before 403
        vereis(request.user, stap.actie, procedure)
        form: forms.Form = (
            stap.form(request.POST)
            if stap.form is not None
            else LegeForm(request.POST, id_prefix=stap.naam.replace("_", "-"))
        )
        if form.is_valid():
            data = form.voor_service() if hasattr(form, "voor_service") else {}
            try:
                stap.service(user=_user(request), procedure=procedure, **stap.argumenten(data))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, str(stap.gelukt))
                return _verder(request, procedure)
        procedure = _procedure_or_404(request, uuid)  # as it is now, not as the form left it
        # htmx does not swap a 4xx: it gets the page with the refusal as a 200
        status = 200 if request.htmx else 400  # type: ignore[attr-defined]
        gebonden: dict[str, Any] = {f"{stap.naam}_form": form}
        if stap.form is None:  # a step without fields: its refusal heads the steps
            gebonden["stap_fout_form"] = form
        return _procedure_pagina(request, procedure, gebonden, status=status)

    view.__name__ = f"stap_{stap.naam}"
    return view


def _verder(request: HttpRequest, procedure: Procedure) -> HttpResponse:
    url = (
        reverse("handhaving:wachtrij")
        if request.POST.get("terug") == "wachtrij"
        else reverse("handhaving:procedure", kwargs={"uuid": procedure.uuid})
    )
    return _naar(request, url)


def _betaalstatus(data: dict[str, Any]) -> dict[str, Any]:
    return {"status": data["betaalstatus"]}


gesprek = _stap_view(
    Stap(
        "gesprek",
        GesprekForm,
        BEHANDELEN,
        services.gesprek_vastleggen,
        gettext_lazy("Hearing conversation recorded."),
    )
)
rapport = _stap_view(
    Stap(
        "rapport",
        RapportForm,
        BEHANDELEN,
        services.rapport_opmaken,
        gettext_lazy("Rapport drawn up."),
    )
)
voornemen = _stap_view(
    Stap(
        "voornemen",
        None,
        BEHANDELEN,
        services.voornemen_versturen,
        gettext_lazy("The intent letter is being made; it is sent once its PDF exists."),
    )
)
zienswijze = _stap_view(
    Stap(
        "zienswijze",
        ZienswijzeForm,
        BEHANDELEN,
        services.zienswijze_vastleggen,
        gettext_lazy("Zienswijze recorded."),
    )
)
geen_boete = _stap_view(
    Stap(
        "geen_boete",
        GeenBoeteForm,
        BEHANDELEN,
        services.geen_boete_besluiten,
        gettext_lazy("No fine: the notice is being made."),
    )
)
pw_maatregel = _stap_view(
    Stap(
        "pw",
        PwMaatregelForm,
        BEHANDELEN,
        services.pw_maatregel_vastleggen,
        gettext_lazy("Participatiewet measure recorded."),
    )
)
boete = _stap_view(
    Stap("boete", BoeteForm, BEHANDELEN, services.boete_opstellen, gettext_lazy("Fine drafted."))
)
ter_goedkeuring = _stap_view(
    Stap(
        "ter_goedkeuring",
        None,
        BEHANDELEN,
        services.boete_ter_goedkeuring,
        gettext_lazy("Fine submitted for the teamleider's approval."),
    )
)
goedkeuren = _stap_view(
    Stap("goedkeuren", None, GOEDKEUREN, services.boete_goedkeuren, gettext_lazy("Fine approved."))
)
terugsturen = _stap_view(
    Stap(
        "terugsturen",
        TerugsturenForm,
        GOEDKEUREN,
        services.boete_terugsturen,
        gettext_lazy("Fine returned to the werkcoach with your comment."),
    )
)
versturen = _stap_view(
    Stap(
        "versturen",
        None,
        BEHANDELEN,
        services.boete_versturen,
        gettext_lazy("The boetebeschikking is being made; it is sent once its PDF exists."),
    )
)
bezwaar = _stap_view(
    Stap(
        "bezwaar",
        BezwaarForm,
        BEHANDELEN,
        services.bezwaar_registreren,
        gettext_lazy("Objection registered."),
    )
)
bezwaar_beslissen = _stap_view(
    Stap(
        "bezwaar_beslissen",
        BezwaarBeslissenForm,
        BEHANDELEN,
        services.bezwaar_beslissen,
        gettext_lazy("Objection decided."),
    )
)
betaalstatus = _stap_view(
    Stap(
        "betaalstatus",
        BetaalstatusForm,
        BEHANDELEN,
        services.betaalstatus_wijzigen,
        gettext_lazy("Payment status changed."),
        _betaalstatus,
    )
)
intrekken = _stap_view(
    Stap(
        "intrekken",
        IntrekkenForm,
        BEHANDELEN,
        services.boete_intrekken,
        gettext_lazy("Fine withdrawn: the withdrawal letter is being made."),
    )
)
