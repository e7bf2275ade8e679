"""The dossier's handhaving section: its context, recording a verzuim, starting from an intake
conversation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.forms import apply_service_errors
from cases.models import Dossier
from inburgering.core.access import mag, vereis

from .. import selectors, services
from ..forms import VerzuimForm
from ..policy import mag_handhaving_zien, procedures_for
from ._gemeen import _naar, _user, _verrijk

# --- the dossier section ----------------------------------------------------------------------


def handhaving_sectie(
    user: Any, dossier: Dossier, *, verzuim_form: VerzuimForm | None = None
) -> dict[str, Any] | None:
    if not mag_handhaving_zien(user):
        return None
    procedures = list(
        procedures_for(user)
        .filter(dossier=dossier)
        .select_related("verzuim")
        .order_by("-volgnummer")
    )
    _verrijk(procedures)
    kan_vastleggen = dossier.is_open and mag(user, "handhaving.verzuim_vastleggen", dossier)
    return {
        "procedures": procedures,
        "duo_risicos": selectors.duo_risicos(dossier, vandaag=timezone.localdate()),
        "kan_vastleggen": kan_vastleggen,
        "verzuim_form": verzuim_form
        or (VerzuimForm(initial={"datum": timezone.localdate()}) if kan_vastleggen else None),
    }


def _dossier_or_404(request: HttpRequest, uuid: Any) -> Dossier:
    try:
        return case_selectors.dossier_voor(_user(request), uuid)
    except Dossier.DoesNotExist as exc:
        raise Http404(_("No dossier found.")) from exc


@require_POST
def verzuim_vastleggen(request: HttpRequest, dossier_uuid: Any) -> HttpResponse:
    """From the dossier's section: record a failure; its procedure opens at the conversation."""
    from cases.views import _dossier_pagina  # the hub renders its section with the refusal

    dossier = _dossier_or_404(request, dossier_uuid)
    if not mag_handhaving_zien(request.user):
        raise Http404(_("No such section of this dossier."))
    vereis(request.user, "handhaving.verzuim_vastleggen", dossier)
    form = VerzuimForm(request.POST)
    if form.is_valid():
        try:
            procedure = services.verzuim_vastleggen(
                user=_user(request), dossier=dossier, **form.voor_service()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Failure recorded; the procedure starts with a conversation.")
            )
            return redirect("handhaving:procedure", uuid=procedure.uuid)
    context = handhaving_sectie(request.user, dossier, verzuim_form=form)
    return _dossier_pagina(request, dossier, "handhaving", context, status=400)


@require_POST
def handhaving_starten(request: HttpRequest, gesprek_id: int) -> HttpResponse:
    """From an intake conversation not appeared or not cooperated: its verzuim and procedure.
    Posted twice (a double click, a second werkcoach) it finds the procedure it started."""
    from pip_plans.models import IntakeGesprek
    from pip_plans.selectors import intakes_for

    user = _user(request)
    gesprek = (
        IntakeGesprek.objects.filter(intake__in=intakes_for(user))
        .select_related("intake__dossier__inburgeraar", "intake__dossier__gemeente")
        .filter(pk=gesprek_id)
        .first()
    )
    if gesprek is None:
        raise Http404(_("No intake conversation found."))
    try:
        procedure = services.verzuim_uit_intakegesprek(user=user, gesprek=gesprek)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _naar(
            request, reverse("pip_plans:intake", kwargs={"intake_uuid": gesprek.intake.uuid})
        )
    return _naar(request, reverse("handhaving:procedure", kwargs={"uuid": procedure.uuid}))
