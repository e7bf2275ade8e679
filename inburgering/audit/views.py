"""The functioneel beheerder's page of the log's chain verifications (BIO 8.15): every check,
newest first; a broken chain is an open incident until it is handled with an explanation.
A new check can be started here (it runs in Celery, like the nightly one)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from inburgering.core.access import mag, vereis

from . import logboek
from .models import Ketencontrole
from .tasks import keten_controleren

PAGE_SIZE = 25


class AfhandelForm(forms.Form):
    toelichting = forms.CharField(
        label=gettext_lazy("How was it handled?"),
        help_text=gettext_lazy(
            "What was found, who was informed (the security officer, the privacy officer) and "
            "what was done. Required: the incident stays on record with this explanation."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


@require_GET
def controles(request: HttpRequest) -> HttpResponse:
    vereis(request.user, "audit.incidenten_bekijken")
    qs = Ketencontrole.objects.select_related("afgehandeld_door")
    open_incidenten = list(qs.filter(in_orde=False, afgehandeld_op__isnull=True))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/controles.html",
        {
            "page": page,
            "open_incidenten": open_incidenten,
            "kan_afhandelen": mag(request.user, "audit.incident_afhandelen"),
            "form": AfhandelForm(),
            "base_url": request.path,
        },
    )


@require_POST
def controle_starten(request: HttpRequest) -> HttpResponse:
    vereis(request.user, "audit.incidenten_bekijken")
    keten_controleren.delay()
    messages.success(request, _("The verification has been started; it appears here when done."))
    return redirect("audit:controles")


@require_POST
def afhandelen(request: HttpRequest, pk: int) -> HttpResponse:
    vereis(request.user, "audit.incident_afhandelen")
    form = AfhandelForm(request.POST)
    with transaction.atomic():
        controle = (
            Ketencontrole.objects.select_for_update()
            .filter(pk=pk, in_orde=False, afgehandeld_op__isnull=True)
            .first()
        )
        if controle is None:
            raise Http404(_("No open incident found."))
        if not form.is_valid():
            qs = Ketencontrole.objects.select_related("afgehandeld_door")
            return render(
                request,
                "audit/controles.html",
                {
                    "page": Paginator(qs, PAGE_SIZE).get_page(1),
                    "open_incidenten": list(qs.filter(in_orde=False, afgehandeld_op__isnull=True)),
                    "kan_afhandelen": True,
                    "form": form,
                    "form_voor": controle.pk,
                    "base_url": request.path,
                },
                status=400,
            )
        controle.afgehandeld_door = request.user  # type: ignore[assignment]
        controle.afgehandeld_op = timezone.now()
        controle.toelichting = form.cleaned_data["toelichting"]
        controle.save(update_fields=["afgehandeld_door", "afgehandeld_op", "toelichting"])
    logboek.gebeurtenis("keten_incident_afgehandeld", user=request.user)
    messages.success(request, _("The incident is recorded as handled."))
    return redirect("audit:controles")
