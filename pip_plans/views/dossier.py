"""The section of the dossier page (registered on the hub) and the actions it offers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Dossier
from inburgering.core.access import is_read_only, mag

from .. import selectors, services
from ._gemeen import (
    _dossier_or_404,
    _ensure_editable,
    _flash_service_errors,
    _kan_bewerken,
    _user,
)

# --- dossier page section -------------------------------------------------------------------


def intake_sectie(user: Any, dossier: Dossier) -> dict[str, Any]:
    """Context for the dossier's intake section (``pip_plans/_intake_sectie.html``)."""
    intake = (
        selectors.intakes_for(user)
        .filter(dossier=dossier)
        .annotate(aantal_gesprekken=Count("gesprekken"), laatste_gesprek=Max("gesprekken__datum"))
        .first()
    )
    return {
        "intake": intake,
        "kan_intake_starten": intake is None
        and _kan_bewerken(user, dossier)
        and not is_read_only(user)
        and mag(user, "intake.starten", dossier),
    }


def pip_sectie(user: Any, dossier: Dossier) -> dict[str, Any]:
    """Context for the dossier's PIP section (``pip_plans/_pip_sectie.html``)."""
    pips = list(selectors.pips_for(user).filter(dossier=dossier).order_by("-versie"))
    return {
        "pips": pips,
        "kan_pip_aanmaken": not pips
        and _kan_bewerken(user, dossier)
        and not is_read_only(user)
        and mag(user, "pip.aanmaken", dossier),
    }


@require_POST
def intake_starten(request: HttpRequest, dossier_uuid: Any) -> HttpResponse:
    dossier = _dossier_or_404(request, dossier_uuid)
    _ensure_editable(request, dossier)
    try:
        intake = services.intake_starten(user=_user(request), dossier=dossier)
    except ValidationError as exc:
        _flash_service_errors(request, exc)
        return redirect("cases:dossier", uuid=dossier.uuid)
    messages.success(request, _("Brede intake started."))
    return redirect("pip_plans:intake", intake_uuid=intake.uuid)


@require_POST
def pip_aanmaken(request: HttpRequest, dossier_uuid: Any) -> HttpResponse:
    dossier = _dossier_or_404(request, dossier_uuid)
    _ensure_editable(request, dossier)
    try:
        pip = services.pip_aanmaken(user=_user(request), dossier=dossier)
    except ValidationError as exc:
        _flash_service_errors(request, exc)
        return redirect("cases:dossier", uuid=dossier.uuid)
    messages.success(request, _("PIP drafted."))
    return redirect("pip_plans:pip", pip_uuid=pip.uuid)
