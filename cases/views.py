"""Werkcoach, teamleider, begeleider and auditor screens. Reads through ``selectors`` (which start
from the access policy), writes through ``services``."""

from __future__ import annotations

from collections.abc import Mapping
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
from inburgering.core import sleutels, weergave
from inburgering.core.access import gemeente_ids, mag, vereis

from . import selectors, services, termijnen
from .constants import Doelgroep, Fase, Regime, TermijnFilter
from .dossier_secties import OVERZICHT, overzicht_sectie, tijdlijn_sectie
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
from .hub import hub
from .models import Dossier, Termijn
from .policy import begint_op_eigen_caseload, dossiers_for, zoekterm_voor
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
SECTIE_PAGE_SIZE = 25  # a long list in a dossier section (hub.Sectie.paginering)


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
    # counted up to 10,000 (a team's whole caseload would cost more to count than to show);
    # next and previous by keyset (``positie``), so a deep page costs what page 1 costs
    page, positie_verlopen = sleutels.lijstpagina(qs, request.GET, PAGE_SIZE)
    if positie_verlopen and not request.htmx:  # type: ignore[attr-defined]
        messages.info(request, _("The list has changed since that link; showing the first page."))
    selectors.termijnstatus_labels(page.object_list)
    querystring = urlencode({k: v for k, v in params.items() if v})
    kan_toewijzen = mag(user, "dossier.toewijzen")
    # the gemeente column only for someone who sees more than one (no query: the ids are cached)
    toon_gemeente = len(gemeente_ids(user)) > 1
    context = {
        "page": page,
        "toon_gemeente": toon_gemeente,
        "caseload_kolommen": 5 + kan_toewijzen + toon_gemeente,
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
        "kan_toewijzen": kan_toewijzen,
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


def dossier_detail(request: HttpRequest, uuid: Any, sectie: str = OVERZICHT) -> HttpResponse:
    """The dossier header and one of its sections (``/dossiers/<uuid>/<sectie>/``); htmx gets
    the tabs and the section only, everyone else the whole page."""
    return _dossier_pagina(request, _dossier_or_404(request, uuid), sectie)


def sectie_url(dossier: Dossier, code: str) -> str:
    if code == OVERZICHT:
        return reverse("cases:dossier", kwargs={"uuid": dossier.uuid})
    return reverse("cases:dossier-sectie", kwargs={"uuid": dossier.uuid, "sectie": code})


def _dossier_pagina(
    request: HttpRequest,
    dossier: Dossier,
    code: str = OVERZICHT,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render section ``code`` under the dossier header; ``context`` replaces the section's own
    (a refused form shown again with its input and errors). A section this user is not shown
    is a 404, like a dossier they may not see."""
    user = request.user
    actief = hub.sectie(code)
    if actief is None or not actief.is_zichtbaar(user, dossier):
        raise Http404(_("No such section of this dossier."))
    sectie_context = context if context is not None else actief.context(user, dossier)
    if sectie_context is None:
        raise Http404(_("No such section of this dossier."))
    if actief.paginering:
        page = Paginator(sectie_context[actief.paginering], SECTIE_PAGE_SIZE).get_page(
            request.GET.get("pagina")
        )
        sectie_context = {
            **sectie_context,
            actief.paginering: page.object_list,
            "page": page,
            "url": sectie_url(dossier, code),
        }
    tabs = [
        {
            "code": s.code,
            "titel": s.titel,
            "url": sectie_url(dossier, s.code),
            "actief": s.code == code,
        }
        for s in hub.secties()
        if s.is_zichtbaar(user, dossier)
    ]
    pagina = {
        "dossier": dossier,
        "persoon": dossier.inburgeraar,
        "tabs": tabs,
        "actief": {"code": code, "titel": actief.titel, "template": actief.template},
        "sectie": sectie_context,
    }
    if request.htmx and request.htmx.target == "dossier-inhoud":  # type: ignore[attr-defined]
        return render(request, "cases/_dossier_inhoud.html", pagina, status=status)
    pagina["kop"] = {
        "eerstvolgende": (
            selectors.eerstvolgende_termijn(dossier)
            if mag(user, "termijn.bekijken", dossier)
            else None
        ),
        # only for those with a signal page to go to ("Mijn signalen"): a begeleider is signalled
        # by the begeleiding's clocks but reads no termijnen
        "signalen": (
            selectors.open_signalen_van_dossier(user, dossier)  # type: ignore[arg-type]
            if mag(user, "signaal.bekijken")
            else 0
        ),
        "binnenkort": selectors.binnenkort_grens(),
        "kan_notitie": mag(user, "dossier.notitie", dossier),
        "tijdlijn_url": sectie_url(dossier, "tijdlijn"),
        "termijnen_url": sectie_url(dossier, "termijnen"),
    }
    return render(request, "cases/dossier_detail.html", pagina, status=status)


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
    return redirect(sectie_url(termijn.dossier, "termijnen") + f"#termijn-{termijn.uuid}")


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
                % {"regel": t.omschrijving, "datum": weergave.datum(t.uiterste_datum)},
            )
            return _terug_naar_termijn(t)
    return _dossier_pagina(
        request,
        t.dossier,
        "termijnen",
        termijnen_sectie(request.user, t.dossier, gebonden=GebondenForm(t.pk, "verlengen", form)),
    )


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
    return _dossier_pagina(
        request,
        t.dossier,
        "termijnen",
        termijnen_sectie(request.user, t.dossier, gebonden=GebondenForm(t.pk, "gehaald", form)),
    )


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
    return _dossier_pagina(
        request, dossier, OVERZICHT, overzicht_sectie(request.user, dossier, fase_form=form)
    )


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
    sectie = tijdlijn_sectie(request.user, dossier, notitie_form=form)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/_tijdlijn.html", {"dossier": dossier, "sectie": sectie})
    if form.errors:
        # without JavaScript: the timeline again, the note kept and its error at the field
        return _dossier_pagina(request, dossier, "tijdlijn", sectie, status=400)
    return redirect(sectie_url(dossier, "tijdlijn"))


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
