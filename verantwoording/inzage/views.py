"""The privacy officer's pages for inzageverzoeken: the list with the form that registers one,
a request's page (status polled while its export is made, the download, the delivery form) and
the download. Visibility through ``inzageverzoeken_for`` (a 404 outside it), actions through the
engine (a 403 naming the rule); every request is logged under the inzage activity."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from inburgering.accounts.tweefactor import herbevestiging_vereist
from inburgering.audit import logboek
from inburgering.audit.models import Handeling
from inburgering.core.access import mag, vereis

from ..bundel.pakket import zip_response
from ..models import Inzageverzoek, OpdrachtStatus
from ..policy import inzageverzoeken_for
from . import ACTIE_DOWNLOADEN, ACTIE_REGISTREREN, ACTIE_VERSTREKKEN, ACTIVITEIT
from .forms import RegistrerenForm, VerstrekkenForm
from .services import inzageverzoek_registreren, inzageverzoek_verstrekken


def _activiteit(request: HttpRequest) -> None:
    request.audit_activiteit = ACTIVITEIT  # type: ignore[attr-defined]


def _verzoek_or_404(request: HttpRequest, uuid: Any) -> Inzageverzoek:
    return get_object_or_404(
        inzageverzoeken_for(request.user).select_related(
            "gemaakt_door", "verstrekt_door", "inburgeraar"
        ),
        uuid=uuid,
    )


@require_http_methods(["GET", "POST"])
def lijst(request: HttpRequest) -> HttpResponse:
    _activiteit(request)
    vereis(request.user, "inzageverzoek.bekijken")
    kan_registreren = mag(request.user, ACTIE_REGISTREREN)
    form = RegistrerenForm(request.POST or None, user=request.user)
    if request.method == "POST":
        vereis(request.user, ACTIE_REGISTREREN)
        if form.is_valid():
            verzoek = inzageverzoek_registreren(
                user=request.user,
                inburgeraar=form.inburgeraar,
                ontvangen_op=form.cleaned_data["ontvangen_op"],
                toelichting=form.cleaned_data["toelichting"],
            )
            return redirect("verantwoording:inzage", uuid=verzoek.uuid)
    verzoeken = list(
        inzageverzoeken_for(request.user)
        .select_related("gemaakt_door", "inburgeraar")
        .order_by("-aangevraagd_op", "-id")[:100]
    )
    return render(
        request,
        "verantwoording/inzage/lijst.html",
        {"verzoeken": verzoeken, "form": form, "kan_registreren": kan_registreren},
        status=400 if request.method == "POST" else 200,
    )


def _context(request: HttpRequest, verzoek: Inzageverzoek, **extra: Any) -> dict[str, Any]:
    return {
        "verzoek": verzoek,
        "kan_downloaden": verzoek.status == OpdrachtStatus.KLAAR
        and mag(request.user, ACTIE_DOWNLOADEN, verzoek),
        "kan_verstrekken": verzoek.status == OpdrachtStatus.KLAAR
        and mag(request.user, ACTIE_VERSTREKKEN, verzoek),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def verzoek(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The request: its export's status and download; POST records the delivery."""
    _activiteit(request)
    v = _verzoek_or_404(request, uuid)
    form = VerstrekkenForm(request.POST or None, verzoek=v)
    if request.method == "POST":
        vereis(request.user, ACTIE_VERSTREKKEN, v)
        if form.is_valid():
            inzageverzoek_verstrekken(
                user=request.user,
                verzoek=v,
                verstrekt_aan=form.cleaned_data["verstrekt_aan"],
                verstrekt_op=form.cleaned_data["verstrekt_op"],
            )
            return redirect("verantwoording:inzage", uuid=v.uuid)
        return render(
            request,
            "verantwoording/inzage/verzoek.html",
            _context(request, v, form=form),
            status=400,
        )
    return render(request, "verantwoording/inzage/verzoek.html", _context(request, v, form=form))


@require_GET
def verzoek_status(request: HttpRequest, uuid: Any) -> HttpResponse:
    _activiteit(request)
    v = _verzoek_or_404(request, uuid)
    return render(request, "verantwoording/inzage/_status.html", _context(request, v))


@require_GET
@herbevestiging_vereist
def download(request: HttpRequest, uuid: Any) -> FileResponse:
    _activiteit(request)
    v = _verzoek_or_404(request, uuid)
    vereis(request.user, ACTIE_DOWNLOADEN, v)
    if v.status != OpdrachtStatus.KLAAR or not v.bestand:
        raise Http404
    logboek.betrokkenen([v.inburgeraar.bsn], Handeling.EXPORTEREN)  # it leaves the system
    return zip_response(v, f"inzageverzoek-{v.uuid}.zip")
