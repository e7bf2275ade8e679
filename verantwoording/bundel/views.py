"""The evidence bundle's pages: a dossier's bundles (and the button that queues a new one), a
bundle's status page (polled by htmx while the task runs), and the download. Every one starts
from the policy's visibility (``dossiers_for``, ``bundels_for``: a 404 outside it) and asks the
action engine (a 403 naming the rule); each request is logged under the bundle's activity."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Dossier
from cases.policy import dossiers_for
from inburgering.accounts.tweefactor import herbevestiging_vereist
from inburgering.audit import logboek
from inburgering.audit.models import Handeling
from inburgering.core.access import vereis

from ..models import Bewijsbundel, OpdrachtStatus
from ..policy import bundels_for
from . import ACTIE_DOWNLOADEN, ACTIVITEIT
from .pakket import zip_response
from .sectie import bundels_context
from .services import bewijsbundel_aanvragen


def _activiteit(request: HttpRequest) -> None:
    request.audit_activiteit = ACTIVITEIT  # type: ignore[attr-defined]


def _dossier_or_404(request: HttpRequest, uuid: Any) -> Dossier:
    return get_object_or_404(dossiers_for(request.user).select_related("inburgeraar"), uuid=uuid)


def _bundel_or_404(request: HttpRequest, uuid: Any) -> Bewijsbundel:
    return get_object_or_404(
        bundels_for(request.user).select_related("gemaakt_door", "dossier__inburgeraar"),
        uuid=uuid,
    )


@require_http_methods(["GET", "POST"])
def dossier_bundels(request: HttpRequest, uuid: Any) -> HttpResponse:
    """GET: the dossier's bundles; POST: queue a new one and go to its status page."""
    _activiteit(request)
    dossier = _dossier_or_404(request, uuid)
    vereis(request.user, "bewijsbundel.bekijken", dossier)
    if request.method == "POST":
        bundel = bewijsbundel_aanvragen(user=request.user, dossier=dossier)
        return redirect("verantwoording:bundel", uuid=bundel.uuid)
    return render(
        request,
        "verantwoording/bundel/lijst.html",
        {"dossier": dossier, "sectie": bundels_context(request.user, dossier)},
    )


@require_GET
def bundel(request: HttpRequest, uuid: Any) -> HttpResponse:
    _activiteit(request)
    b = _bundel_or_404(request, uuid)
    return render(request, "verantwoording/bundel/status.html", _status_context(request, b))


@require_GET
def bundel_status(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The status block the page polls every 2 s while the bundle is made."""
    _activiteit(request)
    b = _bundel_or_404(request, uuid)
    return render(request, "verantwoording/bundel/_status.html", _status_context(request, b))


def _status_context(request: HttpRequest, b: Bewijsbundel) -> dict[str, Any]:
    from inburgering.core.access import mag

    return {
        "bundel": b,
        "dossier": b.dossier,
        "kan_downloaden": b.status == OpdrachtStatus.KLAAR
        and mag(request.user, ACTIE_DOWNLOADEN, b),
    }


@require_GET
@herbevestiging_vereist
def bundel_download(request: HttpRequest, uuid: Any) -> FileResponse:
    _activiteit(request)
    b = _bundel_or_404(request, uuid)
    vereis(request.user, ACTIE_DOWNLOADEN, b)
    if b.status != OpdrachtStatus.KLAAR or not b.bestand:
        raise Http404
    logboek.betrokkenen([b.dossier.inburgeraar.bsn], Handeling.EXPORTEREN)  # it leaves the system
    return zip_response(b, f"bewijsbundel-{b.uuid}.zip")
