"""The brede intake screens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.forms import apply_service_errors
from cases.policy import can_view_medical, can_view_signalen

from .. import rules, selectors, services
from ..constants import MEDISCHE_DOMEINEN, Domein, Leerroute
from ..forms import (
    AfrondenForm,
    DomeinForm,
    GesprekForm,
    IntakeForm,
    KindForm,
)
from ..models import BredeIntake
from ._gemeen import (
    _ensure_editable,
    _flash_service_errors,
    _intake_or_404,
    _kan_bewerken,
    _user,
)

# --- brede intake ---------------------------------------------------------------------------


def _domein_items(
    user: Any, intake: BredeIntake, forms_override: dict[str, DomeinForm] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """One item per domain the user may see; medical domains only with need-to-know."""
    medisch = can_view_medical(user, intake.dossier)
    bestaand = {d.domein: d for d in selectors.domeinen_voor(user, intake)}
    items, verborgen = [], 0
    for domein in Domein:
        if domein in MEDISCHE_DOMEINEN and not medisch:
            verborgen += 1
            continue
        form = (forms_override or {}).get(domein.value)
        if form is None:
            obj = bestaand.get(domein.value)
            initial = (
                {"beoordeling": obj.beoordeling, "toelichting": obj.toelichting} if obj else {}
            )
            form = DomeinForm(prefix=domein.value, initial=initial)
        items.append(
            {
                "code": domein.value,
                "label": domein.label,
                "form": form,
                "beoordeeld": domein.value in bestaand,
                "medisch": domein in MEDISCHE_DOMEINEN,
            }
        )
    return items, verborgen


def _route_advies(intake: BredeIntake) -> dict[str, Any]:
    persoon = intake.dossier.inburgeraar
    peildatum = timezone.localdate()
    advies = selectors.route_advies_voor(intake, peildatum)
    municipaal = rules.heeft_municipaal_aanbod(persoon.doelgroep, persoon.regime)
    return {
        "route": Leerroute(advies).label,
        "code": advies,
        "onderwijsroute_overwegen": municipaal
        and rules.onderwijsroute_moet_overwogen(persoon.geboortedatum, peildatum),
        "municipaal": municipaal,
        "wi2013": rules.is_wi2013(persoon.regime),
    }


def _intake_context(request: HttpRequest, intake: BredeIntake, **overrides: Any) -> dict[str, Any]:
    user = _user(request)
    dossier = intake.dossier
    kan_bewerken = _kan_bewerken(user, dossier) and not intake.datum_afgerond
    domeinen, verborgen = _domein_items(user, intake, overrides.pop("domein_forms", None))
    signalen_zichtbaar = can_view_signalen(user, dossier)
    context = {
        "intake": intake,
        "dossier": dossier,
        "persoon": dossier.inburgeraar,
        "gesprekken": intake.gesprekken.select_related("werkcoach"),
        "kinderen": intake.kinderen.all(),
        "domeinen": domeinen,
        "verborgen_domeinen": verborgen,
        "aantal_beoordeeld": sum(1 for d in domeinen if d["beoordeeld"]),
        "advies": _route_advies(intake),
        "kan_bewerken": kan_bewerken,
        "gesprek_form": GesprekForm(initial={"datum": timezone.localdate()}),
        "intake_form": IntakeForm(instance=intake, toon_signalen=signalen_zichtbaar),
        "signalen_verborgen": not signalen_zichtbaar,
        "kind_form": KindForm(),
        "afronden_form": AfrondenForm(),
        "pip": selectors.pips_for(user).filter(dossier=dossier).order_by("-versie").first(),
    }
    context.update(overrides)
    return context


def _render_intake(request: HttpRequest, intake: BredeIntake, **overrides: Any) -> HttpResponse:
    forms_ = [*overrides.values(), *overrides.get("domein_forms", {}).values()]
    status = 400 if any(getattr(f, "errors", None) for f in forms_) else 200
    return render(
        request,
        "pip_plans/intake.html",
        _intake_context(request, intake, **overrides),
        status=status,
    )


@require_GET
def intake_detail(request: HttpRequest, intake_uuid: Any) -> HttpResponse:
    intake = _intake_or_404(request, intake_uuid)
    return _render_intake(request, intake)


def _intake_formulier(
    request: HttpRequest,
    intake_uuid: Any,
    *,
    form_class: Any,
    actie: Any,
    gelukt: str,
    context_key: str,
    form_kwargs: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One intake form posted to one service: back to the page on success, or the page again
    with the refusal on the form's fields (and the input kept)."""
    intake = _intake_or_404(request, intake_uuid)
    _ensure_editable(request, intake.dossier)
    form = form_class(request.POST, **(form_kwargs or {}))
    if form.is_valid():
        try:
            actie(user=_user(request), intake=intake, **(extra or {}), **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            intake.refresh_from_db()
        else:
            messages.success(request, gelukt)
            return redirect("pip_plans:intake", intake_uuid=intake.uuid)
    return _render_intake(request, intake, **{context_key: form})


@require_POST
def intake_gesprek(request: HttpRequest, intake_uuid: Any) -> HttpResponse:
    return _intake_formulier(
        request,
        intake_uuid,
        form_class=GesprekForm,
        actie=services.intake_gesprek_toevoegen,
        gelukt=_("Conversation recorded."),
        context_key="gesprek_form",
        extra={"werkcoach": _user(request)},
    )


@require_POST
def intake_bijwerken(request: HttpRequest, intake_uuid: Any) -> HttpResponse:
    intake = _intake_or_404(request, intake_uuid)
    return _intake_formulier(
        request,
        intake_uuid,
        form_class=IntakeForm,
        actie=services.intake_bijwerken,
        gelukt=_("Intake saved."),
        context_key="intake_form",
        form_kwargs={
            "instance": intake,
            "toon_signalen": can_view_signalen(request.user, intake.dossier),
        },
    )


@require_POST
def intake_domein(request: HttpRequest, intake_uuid: Any, domein: str) -> HttpResponse:
    """Save one domain as you go: htmx gets that domain's partial back (with its input on error)."""
    intake = _intake_or_404(request, intake_uuid)
    if domein not in Domein.values:
        raise Http404(_("Unknown life domain."))
    user = _user(request)
    _ensure_editable(request, intake.dossier)
    if domein in MEDISCHE_DOMEINEN and not can_view_medical(user, intake.dossier):
        raise PermissionDenied(_("Physical and mental health are need-to-know (AVG art. 9)."))
    form = DomeinForm(request.POST, prefix=domein)
    opgeslagen = False
    if form.is_valid():
        try:
            services.intake_domein_opslaan(
                user=user,
                intake=intake,
                domein=domein,
                beoordeling=form.cleaned_data["beoordeling"],
                toelichting=form.cleaned_data["toelichting"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            opgeslagen = True
    if request.htmx:  # type: ignore[attr-defined]
        item = {
            "code": domein,
            "label": Domein(domein).label,
            "form": form,
            "beoordeeld": opgeslagen
            or selectors.domeinen_voor(user, intake).filter(domein=domein).exists(),
            "medisch": domein in MEDISCHE_DOMEINEN,
        }
        context = {
            "intake": intake,
            "item": item,
            "kan_bewerken": True,
            "opgeslagen": opgeslagen,
            "tijdstip": timezone.localtime(),
        }
        # htmx swaps 2xx responses only: an invalid domain still comes back with status 200
        return render(request, "pip_plans/_domein.html", context)
    if opgeslagen:
        messages.success(request, _("%(domein)s saved.") % {"domein": Domein(domein).label})
        url = reverse("pip_plans:intake", kwargs={"intake_uuid": intake.uuid})
        return redirect(f"{url}#domein-{domein}")
    return _render_intake(request, intake, domein_forms={domein: form})


@require_POST
def intake_kind(request: HttpRequest, intake_uuid: Any) -> HttpResponse:
    return _intake_formulier(
        request,
        intake_uuid,
        form_class=KindForm,
        actie=services.kind_toevoegen,
        gelukt=_("Child added."),
        context_key="kind_form",
    )


@require_POST
def intake_afronden(request: HttpRequest, intake_uuid: Any) -> HttpResponse:
    intake = _intake_or_404(request, intake_uuid)
    _ensure_editable(request, intake.dossier)
    form = AfrondenForm(request.POST)
    if not form.is_valid():
        return _render_intake(request, intake, afronden_form=form)
    try:
        services.intake_afronden(
            user=_user(request), intake=intake, datum=form.cleaned_data.get("datum")
        )
    except ValidationError as exc:
        if "datum" in getattr(exc, "error_dict", {}):  # a refused date: at the field, input kept
            apply_service_errors(form, exc)
            return _render_intake(request, intake, afronden_form=form)
        _flash_service_errors(request, exc)
    else:
        messages.success(request, _("Brede intake completed."))
    return redirect("pip_plans:intake", intake_uuid=intake.uuid)
