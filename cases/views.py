"""Werkcoach, teamleider, begeleider and auditor screens. Reads through ``selectors`` (which start
from the access policy), writes through ``services``."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from inburgering.accounts.models import User
from inburgering.core.access import mag, vereis

from . import selectors, services, termijnen
from .constants import Doelgroep, Fase, Regime, TermijnFilter
from .forms import (
    AanmeldForm,
    DossierBewerkenForm,
    FaseForm,
    NotitieForm,
    PersoonBewerkenForm,
    TermijnGehaaldForm,
    TermijnVerlengenForm,
    ToewijzenForm,
    VerhuizenForm,
    ZoekForm,
    apply_service_errors,
)
from .historie import dossier_historie
from .hub import hub
from .models import Dossier, Termijn
from .policy import begint_op_eigen_caseload, bsn_voor, dossiers_for, zoekterm_voor
from .termijn_views import GebondenForm, termijnen_sectie
from .termijnregels import Verlengbaar

ZOEK_SESSIE_KEY = "caseload_zoekterm"
FILTERS = (
    "fase",
    "doelgroep",
    "regime",
    "gemeente",
    "werkcoach",
    "termijn",
    "sortering",
    "gesloten",
)
PAGE_SIZE = 25


def _dossier_or_404(request: HttpRequest, uuid: Any) -> Dossier:
    try:
        return selectors.dossier_voor(request.user, uuid)  # type: ignore[arg-type]
    except Dossier.DoesNotExist as exc:
        raise Http404(_("No dossier found.")) from exc


def _form_messages(form: Any) -> list[str]:
    # ErrorList yields each error as a (rendered) string
    return [message for errors in form.errors.values() for message in cast("list[str]", errors)]


def _flash_errors(request: HttpRequest, errors: list[str]) -> None:
    """For forms posted from the dossier page: show the refusal there, after the redirect."""
    for message in errors:
        messages.error(request, message)


def _ensure_editable(request: HttpRequest, dossier: Dossier) -> None:
    vereis(request.user, "dossier.bewerken", dossier)


def caseload(request: HttpRequest) -> HttpResponse:
    user = request.user
    params = {k: request.GET.get(k, "") for k in FILTERS}
    if not params["werkcoach"]:
        # a werkcoach starts on their own caseload; "alle" is the explicit "everyone"
        params["werkcoach"] = "mij" if begint_op_eigen_caseload(user) else "alle"
    zoekterm = request.session.get(ZOEK_SESSIE_KEY, "")
    qs = selectors.caseload(
        user=user,  # type: ignore[arg-type]
        fase=params["fase"],
        doelgroep=params["doelgroep"],
        regime=params["regime"],
        gemeente=params["gemeente"],
        werkcoach=params["werkcoach"],
        alleen_open=not params["gesloten"],
        zoekterm=zoekterm,
        sortering=params["sortering"] or "naam",
        termijn=params["termijn"] if params["termijn"] in TermijnFilter.values else "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    selectors.termijnstatus_labels(page.object_list)
    querystring = urlencode({k: v for k, v in params.items() if v})
    context = {
        "page": page,
        "params": params,
        # filters chosen in this request (not the sort order): the phone shows them unfolded
        "filters_actief": sum(1 for k in FILTERS if k != "sortering" and request.GET.get(k)),
        "querystring": querystring,
        "zoekterm": zoekterm_voor(user, zoekterm),
        "zoek_form": ZoekForm(initial={"zoekterm": ""}),
        "fasen": Fase.choices,
        "doelgroepen": Doelgroep.choices,
        "regimes": Regime.choices,
        "termijn_filters": TermijnFilter.choices,
        "gemeenten": selectors.gemeenten_voor(user),  # type: ignore[arg-type]
        "werkcoaches": selectors.werkcoaches_voor(user),  # type: ignore[arg-type]
        "kan_toewijzen": mag(user, "dossier.toewijzen"),
        "kan_aanmaken": mag(user, "dossier.aanmaken"),
        "sorteringen": [
            ("naam", _("Name A–Z")),
            ("-naam", _("Name Z–A")),
            ("brp", _("BRP registration, oldest first")),
            ("-brp", _("BRP registration, newest first")),
            ("-gewijzigd", _("Recently changed")),
            ("gemeente", _("Gemeente")),
            ("termijn", _("Nearest deadline first")),
        ],
    }
    template = "cases/_caseload_table.html" if request.htmx else "cases/caseload.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@sensitive_post_parameters("zoekterm")
@require_POST
def zoeken(request: HttpRequest) -> HttpResponse:
    """Search is a POST so a BSN never lands in a URL, a log line or the browser history."""
    form = ZoekForm(request.POST)
    if form.is_valid() and form.cleaned_data["zoekterm"].strip():
        request.session[ZOEK_SESSIE_KEY] = form.cleaned_data["zoekterm"].strip()
    else:
        request.session.pop(ZOEK_SESSIE_KEY, None)
    query = {k: request.POST.get(k, "") for k in FILTERS if request.POST.get(k)}
    target = "cases:caseload"
    response = redirect(target)
    if query:
        response["Location"] += "?" + urlencode(query)
    return response


@require_POST
def zoeken_wissen(request: HttpRequest) -> HttpResponse:
    request.session.pop(ZOEK_SESSIE_KEY, None)
    return redirect("cases:caseload")


def dossier_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _dossier_pagina(request, _dossier_or_404(request, uuid))


def _dossier_pagina(
    request: HttpRequest,
    dossier: Dossier,
    *,
    gebonden: GebondenForm | None = None,
    fase_form: FaseForm | None = None,
) -> HttpResponse:
    """The dossier page; ``gebonden`` shows a refused termijn form again with its input, and
    ``fase_form`` a refused phase change with its errors at the fields."""
    user = request.user
    context = {
        "dossier": dossier,
        "persoon": dossier.inburgeraar,
        "bsn": bsn_voor(user, dossier.inburgeraar, dossier),
        "gebeurtenissen": dossier.gebeurtenissen.select_related("actor")[:100],
        "historie": (
            dossier_historie(dossier, user)
            if mag(user, "dossier.historie_bekijken", dossier)
            else None
        ),
        "kan_bewerken": mag(user, "dossier.bewerken", dossier) and dossier.is_open,
        "kan_notitie": mag(user, "dossier.notitie", dossier),
        "kan_verhuizen": mag(user, "dossier.verhuizen", dossier) and dossier.is_open,
        "notitie_form": NotitieForm(),
        "fase_form": fase_form or FaseForm(dossier=dossier),
        "sleuteldata": hub.sleuteldata(hub.feiten(dossier)),
        "volgend_dossier": (
            dossiers_for(user).filter(vorig_dossier=dossier).select_related("gemeente").first()
        ),
        "termijnen_sectie": termijnen_sectie(user, dossier, gebonden=gebonden),
        # the sections the domain apps register on the hub, in their order
        "secties": [
            {"code": sectie.code, "template": sectie.template, "context": ctx}
            for sectie in hub.secties()
            if (ctx := sectie.context(user, dossier)) is not None
        ],
    }
    return render(request, "cases/dossier_detail.html", context)


def _termijn_voor_beheer(request: HttpRequest, uuid: Any, termijn_uuid: Any) -> Termijn:
    """A termijn of a dossier the user may see (else 404) and may manage (else 403)."""
    dossier = _dossier_or_404(request, uuid)
    try:
        termijn = dossier.termijnen.get(uuid=termijn_uuid)
    except Termijn.DoesNotExist as exc:
        raise Http404(_("No termijn found.")) from exc
    vereis(request.user, "termijn.beheren", dossier)
    return termijn


def _terug_naar_termijn(termijn: Termijn) -> HttpResponse:
    return redirect(
        reverse("cases:dossier", kwargs={"uuid": termijn.dossier.uuid}) + f"#termijn-{termijn.uuid}"
    )


@require_POST
def termijn_verlengen(request: HttpRequest, uuid: Any, termijn: Any) -> HttpResponse:
    """Extend a termijn (new due date and a reason). A refusal shows the dossier page again
    with the service's message at the field and what was typed kept."""
    t = _termijn_voor_beheer(request, uuid, termijn)
    regel = t.regel
    max_tot = (
        termijnen.max_verlengd_tot(t)
        if regel is not None and regel.verlengbaar is Verlengbaar.BEPERKT
        else None
    )
    form = TermijnVerlengenForm(request.POST, termijn=t, max_tot=max_tot)
    if form.is_valid():
        try:
            t = termijnen.termijn_verlengen(
                user=cast(User, request.user),
                termijn=t,
                tot=form.cleaned_data["tot"],
                reden=form.cleaned_data["reden"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Termijn “%(regel)s” extended to %(datum)s.")
                % {"regel": t.omschrijving, "datum": t.uiterste_datum.strftime("%d-%m-%Y")},
            )
            return _terug_naar_termijn(t)
    return _dossier_pagina(request, t.dossier, gebonden=GebondenForm(t.pk, "verlengen", form))


@require_POST
def termijn_gehaald(request: HttpRequest, uuid: Any, termijn: Any) -> HttpResponse:
    """Record by hand that a termijn was met (date and explanation)."""
    t = _termijn_voor_beheer(request, uuid, termijn)
    form = TermijnGehaaldForm(request.POST, termijn=t)
    if form.is_valid():
        try:
            t = termijnen.termijn_gehaald_markeren(
                user=cast(User, request.user),
                termijn=t,
                datum=form.cleaned_data["datum"],
                toelichting=form.cleaned_data["toelichting"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Termijn “%(regel)s” recorded as %(status)s.")
                % {"regel": t.omschrijving, "status": t.get_status_display()},
            )
            return _terug_naar_termijn(t)
    return _dossier_pagina(request, t.dossier, gebonden=GebondenForm(t.pk, "gehaald", form))


@sensitive_post_parameters("bsn")
@require_http_methods(["GET", "POST"])
def dossier_nieuw(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    vereis(user, "dossier.aanmaken")
    form = AanmeldForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        persoon, dossier_data = form.split()
        try:
            dossier = services.inburgeraar_aanmelden(
                user=user, persoon=persoon, dossier=dossier_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Dossier created."))
            return redirect("cases:dossier", uuid=dossier.uuid)
    return render(request, "cases/dossier_form.html", {"form": form, "titel": _("New dossier")})


@require_http_methods(["GET", "POST"])
def dossier_bewerken(request: HttpRequest, uuid: Any) -> HttpResponse:
    dossier = _dossier_or_404(request, uuid)
    _ensure_editable(request, dossier)
    initial = {f: getattr(dossier, f) for f in services.DOSSIER_UPDATE_FIELDS}
    form = DossierBewerkenForm(
        request.POST or None, initial=initial, user=cast(User, request.user), dossier=dossier
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reden = data.pop("reden", "")
        data["coa_referentie"] = data.get("coa_referentie") or ""
        try:
            services.dossier_update(user=request.user, dossier=dossier, reden=reden, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
            dossier.refresh_from_db()
        else:
            messages.success(request, _("Dossier saved."))
            return redirect("cases:dossier", uuid=dossier.uuid)
    return render(
        request,
        "cases/dossier_form.html",
        {"form": form, "dossier": dossier, "titel": _("Edit dossier")},
    )


@sensitive_post_parameters("bsn")
@require_http_methods(["GET", "POST"])
def persoon_bewerken(request: HttpRequest, uuid: Any) -> HttpResponse:
    dossier = _dossier_or_404(request, uuid)
    _ensure_editable(request, dossier)
    persoon = dossier.inburgeraar
    form = PersoonBewerkenForm(request.POST or None, instance=persoon)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reden = data.pop("reden", "")
        try:
            services.inburgeraar_update(user=request.user, inburgeraar=persoon, reden=reden, **data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Personal details saved."))
            return redirect("cases:dossier", uuid=dossier.uuid)
    return render(
        request,
        "cases/dossier_form.html",
        {"form": form, "dossier": dossier, "titel": _("Edit personal details")},
    )


@require_POST
def dossier_fase(request: HttpRequest, uuid: Any) -> HttpResponse:
    dossier = _dossier_or_404(request, uuid)
    _ensure_editable(request, dossier)
    form = FaseForm(request.POST, dossier=dossier)
    if form.is_valid():
        try:
            services.dossier_fase_wijzigen(
                user=request.user,  # type: ignore[arg-type]
                dossier=dossier,
                fase=form.cleaned_data["fase"],
                reden=form.cleaned_data["reden"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)  # the dates it needs show in the summary
        else:
            messages.success(request, _("Phase changed."))
            return redirect("cases:dossier", uuid=dossier.uuid)
    dossier.refresh_from_db()
    return _dossier_pagina(request, dossier, fase_form=form)


@require_http_methods(["GET", "POST"])
def dossier_verhuizen(request: HttpRequest, uuid: Any) -> HttpResponse:
    dossier = _dossier_or_404(request, uuid)
    _ensure_editable(request, dossier)
    form = VerhuizenForm(request.POST or None, dossier=dossier)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_verhuizen(user=request.user, dossier=dossier, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Dossier relocated to %(gemeente)s; that gemeente's team takes it over.")
                % {"gemeente": form.cleaned_data["nieuwe_gemeente"]},
            )
            return redirect("cases:dossier", uuid=dossier.uuid)
    return render(
        request,
        "cases/dossier_form.html",
        {"form": form, "dossier": dossier, "titel": _("Relocate to another gemeente")},
    )


@require_POST
def dossier_notitie(request: HttpRequest, uuid: Any) -> HttpResponse:
    dossier = _dossier_or_404(request, uuid)
    vereis(request.user, "dossier.notitie", dossier)
    form = NotitieForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_notitie_toevoegen(
                user=cast(User, request.user),
                dossier=dossier,
                tekst=form.cleaned_data["tekst"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = NotitieForm()
    context = {
        "dossier": dossier,
        "notitie_form": form,
        "kan_notitie": True,
        "gebeurtenissen": dossier.gebeurtenissen.select_related("actor")[:100],
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/_tijdlijn.html", context)
    if form.errors:
        _flash_errors(request, _form_messages(form))
    return redirect("cases:dossier", uuid=dossier.uuid)


@require_POST
def toewijzen(request: HttpRequest) -> HttpResponse:
    """Teamleider: (bulk) reassign the selected dossiers to one werkcoach."""
    user = request.user
    vereis(user, "dossier.toewijzen")
    form = ToewijzenForm(request.POST, user=user, dossiers=dossiers_for(user))  # type: ignore[arg-type]
    if form.is_valid():
        try:
            count = services.dossiers_toewijzen(
                user=user,  # type: ignore[arg-type]
                dossiers=form.cleaned_data["dossiers"].select_related("gemeente", "inburgeraar"),
                werkcoach=form.cleaned_data["werkcoach"],
                reden=form.cleaned_data["reden"],
            )
        except ValidationError as exc:
            _flash_errors(request, exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d dossier assigned to %(naam)s.",
                    "%(count)d dossiers assigned to %(naam)s.",
                    count,
                )
                % {"count": count, "naam": form.cleaned_data["werkcoach"]},
            )
    else:
        _flash_errors(request, _form_messages(form))
    back = request.POST.get("terug", "")
    return redirect(reverse("cases:caseload") + (f"?{back}" if back else ""))
