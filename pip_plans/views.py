"""Werkcoach and teamleider screens for the brede intake and the PIP. Reads through
``pip_plans.selectors`` (which start from the access policy), writes through
``pip_plans.services``; dossiers, intakes and PIPs the user may not see are a 404."""

from __future__ import annotations

import logging
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors as case_selectors
from cases.forms import apply_service_errors
from cases.models import Dossier
from inburgering.accounts.models import User
from inburgering.core.access import (
    can_edit_dossier,
    can_view_medical,
    can_view_signalen,
    is_read_only,
)

from . import rules, selectors, services
from .constants import BEWERKBARE_STATUSSEN, MEDISCHE_DOMEINEN, Domein, Leerroute, PipStatus
from .forms import (
    AfrondenForm,
    AfschalenForm,
    DomeinForm,
    GesprekForm,
    IntakeForm,
    KindForm,
    NieuweVersieForm,
    PipForm,
    RouteSwitchForm,
    TerugsturenForm,
    VaststellenForm,
)
from .models import BredeIntake, Pip

logger = logging.getLogger(__name__)

# --- helpers ----------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _dossier_or_404(request: HttpRequest, uuid: Any) -> Dossier:
    try:
        return case_selectors.dossier_voor(_user(request), uuid)
    except Dossier.DoesNotExist as exc:
        raise Http404(_("No dossier found.")) from exc


def _intake_or_404(request: HttpRequest, uuid: Any) -> BredeIntake:
    try:
        return selectors.intakes_for(_user(request)).get(uuid=uuid)
    except BredeIntake.DoesNotExist as exc:
        raise Http404(_("No intake found.")) from exc


def _pip_or_404(request: HttpRequest, uuid: Any) -> Pip:
    try:
        return selectors.pips_for(_user(request)).get(uuid=uuid)
    except Pip.DoesNotExist as exc:
        raise Http404(_("No PIP found.")) from exc


def _ensure_editable(request: HttpRequest, dossier: Dossier) -> None:
    """Auditors, begeleiders and other read-only users get a 403 on every write."""
    if not can_edit_dossier(request.user, dossier):
        raise PermissionDenied(_("You may not change this dossier."))


def _kan_bewerken(user: Any, dossier: Dossier) -> bool:
    return can_edit_dossier(user, dossier) and dossier.is_open


def _flash_service_errors(request: HttpRequest, exc: ValidationError, labels: dict | None = None):
    """Show a service's refusal as messages; each keeps its field's label so the rule is clear."""
    if hasattr(exc, "error_dict"):
        for field, field_messages in exc.message_dict.items():
            label = (labels or {}).get(field)
            for message in field_messages:
                messages.error(request, f"{label}: {message}" if label else message)
    else:
        for message in exc.messages:
            messages.error(request, message)


# --- dossier page section -------------------------------------------------------------------


def dossier_sectie(user: Any, dossier: Dossier) -> dict[str, Any]:
    """Context for ``pip_plans/_dossier_sectie.html`` on the dossier page."""
    intake = selectors.intakes_for(user).filter(dossier=dossier).first()
    pips = list(selectors.pips_for(user).filter(dossier=dossier).order_by("-versie"))
    kan_bewerken = _kan_bewerken(user, dossier) and not is_read_only(user)
    return {
        "intake": intake,
        "pips": pips,
        "kan_intake_starten": kan_bewerken
        and intake is None
        and user.has_perm("pip_plans.add_bredeintake"),
        "kan_pip_aanmaken": kan_bewerken and not pips and user.has_perm("pip_plans.add_pip"),
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
    advies = rules.route_advies(
        geboortedatum=persoon.geboortedatum,
        peildatum=peildatum,
        doelgroep=persoon.doelgroep,
        leerbaarheid_laag=intake.leerbaarheid_laag,
        leersnelheid=intake.taalstart_leersnelheid,
        geletterd=intake.taalstart_geletterd,
        regime=persoon.regime,
    )
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


# --- PIP ------------------------------------------------------------------------------------


def _pip_labels() -> dict[str, str]:
    labels = {f.name: str(f.verbose_name) for f in Pip._meta.fields}
    labels.update(
        {name: str(field.label) for name, field in PipForm.base_fields.items() if field.label}
    )
    # refusals about what the PIP rests on rather than one of its own fields
    labels.update({"brede_intake": str(_("Brede intake")), "datum": str(_("Date issued"))})
    labels["woonadres"] = str(_("Residential address"))  # the addressee's (Awb 3:41)
    return labels


def _pip_context(
    request: HttpRequest, pip: Pip, form: PipForm | None = None, **forms: Any
) -> dict[str, Any]:
    user = _user(request)
    kan_schrijven = _kan_bewerken(user, pip.dossier) and not is_read_only(user)
    bewerkbaar = kan_schrijven and pip.status in BEWERKBARE_STATUSSEN
    if form is None:
        form = PipForm(instance=pip, alleen_lezen=not bewerkbaar)
    labels = _pip_labels()
    blokkades = []
    if pip.status not in (
        PipStatus.VASTGESTELD,
        PipStatus.GEWIJZIGD,
        PipStatus.INGETROKKEN,
        PipStatus.WORDT_VASTGESTELD,
    ):
        for field, field_messages in services.pip_controleren(pip).items():
            for message in field_messages:
                blokkades.append(
                    {"veld": field, "label": labels.get(field, field), "regel": message}
                )
    vereist = pip.dossier.gemeente.pip_goedkeuring_vereist
    vaststelbaar = (
        {PipStatus.GOEDGEKEURD} if vereist else {PipStatus.CONCEPT, PipStatus.GOEDGEKEURD}
    )
    return {
        "pip": pip,
        "dossier": pip.dossier,
        "persoon": pip.dossier.inburgeraar,
        "form": form,
        "bewerkbaar": bewerkbaar,
        "blokkades": blokkades,
        "goedkeuring_vereist": vereist,
        "kan_ter_ondertekening": bewerkbaar and vereist,
        "kan_goedkeuren": kan_schrijven
        and pip.status == PipStatus.TER_ONDERTEKENING
        and user.has_perm("pip_plans.goedkeuren_pip"),
        "kan_vaststellen": kan_schrijven and pip.status in vaststelbaar,
        "kan_nieuwe_versie": kan_schrijven
        and pip.status == PipStatus.VASTGESTELD
        and user.has_perm("pip_plans.add_pip"),
        "terugsturen_form": TerugsturenForm(),
        "vaststellen_form": VaststellenForm(),
        "nieuwe_versie_form": NieuweVersieForm(),
        "route_switch_form": RouteSwitchForm(initial={"datum": timezone.localdate()}),
        "afschalen_form": AfschalenForm(initial={"datum": timezone.localdate()}),
        "versies": selectors.pips_for(user).filter(dossier=pip.dossier).order_by("-versie"),
        "termijn": selectors.inburgeringstermijn_voor(pip),
        **forms,  # a bound route-switch or afschalen form with its refusal at the fields
    }


@require_http_methods(["GET", "POST"])
def pip_detail(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    pip = _pip_or_404(request, pip_uuid)
    if request.method == "POST":
        _ensure_editable(request, pip.dossier)
        form = PipForm(request.POST, instance=pip)
        if form.is_valid():
            try:
                services.pip_bijwerken(user=_user(request), pip=pip, **form.data_voor_service())
            except ValidationError as exc:
                apply_service_errors(form, exc)
                pip.refresh_from_db()
            else:
                messages.success(request, _("PIP saved."))
                return redirect("pip_plans:pip", pip_uuid=pip.uuid)
        return render(request, "pip_plans/pip.html", _pip_context(request, pip, form), status=400)
    return render(request, "pip_plans/pip.html", _pip_context(request, pip))


def _pip_actie(request: HttpRequest, pip_uuid: Any, actie: Any, gelukt: str) -> HttpResponse:
    pip = _pip_or_404(request, pip_uuid)
    _ensure_editable(request, pip.dossier)
    try:
        actie(pip)
    except ValidationError as exc:
        _flash_service_errors(request, exc, _pip_labels())
    else:
        messages.success(request, gelukt)
    if request.POST.get("terug") == "wachtrij":
        return redirect("pip_plans:wachtrij")
    return redirect("pip_plans:pip", pip_uuid=pip.uuid)


@require_POST
def pip_ter_ondertekening(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    return _pip_actie(
        request,
        pip_uuid,
        lambda pip: services.pip_ter_ondertekening(user=_user(request), pip=pip),
        _("PIP submitted for the teamleider's approval."),
    )


@require_POST
def pip_goedkeuren(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    if not request.user.has_perm("pip_plans.goedkeuren_pip") or is_read_only(request.user):
        raise PermissionDenied(_("Your role does not allow this action."))
    return _pip_actie(
        request,
        pip_uuid,
        lambda pip: services.pip_goedkeuren(user=_user(request), pip=pip),
        _("PIP approved."),
    )


@require_POST
def pip_terugsturen(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    """Teamleider: back to the werkcoach with a comment; a refusal shows at the field."""
    if not request.user.has_perm("pip_plans.goedkeuren_pip") or is_read_only(request.user):
        raise PermissionDenied(_("Your role does not allow this action."))
    pip = _pip_or_404(request, pip_uuid)
    _ensure_editable(request, pip.dossier)
    form = TerugsturenForm(request.POST)
    if form.is_valid():
        try:
            services.pip_terugsturen(
                user=_user(request), pip=pip, opmerking=form.cleaned_data["opmerking"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("PIP returned to the werkcoach with your comment."))
            if request.POST.get("terug") == "wachtrij":
                return redirect("pip_plans:wachtrij")
            return redirect("pip_plans:pip", pip_uuid=pip.uuid)
    pip.refresh_from_db()
    return render(
        request,
        "pip_plans/pip.html",
        _pip_context(request, pip, terugsturen_form=form),
        status=400,
    )


@require_POST
def pip_vaststellen(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    """Issue the beschikking after an explicit confirmation. Posted from the PIP page, the
    request carries the editor's fields: edits that were not saved refuse vaststelling (the
    decision is issued on what was saved and checked) and are shown again, not dropped."""
    pip = _pip_or_404(request, pip_uuid)
    _ensure_editable(request, pip.dossier)
    bevestiging = VaststellenForm(request.POST)
    if request.POST.get("pip_form"):
        editor = PipForm(
            request.POST, instance=pip, alleen_lezen=pip.status not in BEWERKBARE_STATUSSEN
        )
        if editor.has_changed():
            messages.error(
                request,
                _(
                    "The PIP has changes that are not saved; nothing was issued. Save the PIP, "
                    "check what still blocks vaststelling, then issue it."
                ),
            )
            return render(
                request,
                "pip_plans/pip.html",
                _pip_context(request, pip, editor, vaststellen_form=bevestiging),
                status=400,
            )
    if not bevestiging.is_valid():
        return render(
            request,
            "pip_plans/pip.html",
            _pip_context(request, pip, vaststellen_form=bevestiging),
            status=400,
        )
    return _pip_actie(
        request,
        pip_uuid,
        lambda pip: services.pip_vaststellen(user=_user(request), pip=pip),
        _("The beschikking is being produced; the PIP is issued once its PDF exists."),
    )


@require_POST
def pip_nieuwe_versie(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    pip = _pip_or_404(request, pip_uuid)
    _ensure_editable(request, pip.dossier)
    form = NieuweVersieForm(request.POST)
    reden = form.cleaned_data["reden"] if form.is_valid() else ""
    try:
        nieuw = services.pip_nieuwe_versie(user=_user(request), pip=pip, reden=reden)
    except ValidationError as exc:
        _flash_service_errors(request, exc)
        return redirect("pip_plans:pip", pip_uuid=pip.uuid)
    messages.success(request, _("Version %(v)d drafted.") % {"v": nieuw.versie})
    return redirect("pip_plans:pip", pip_uuid=nieuw.uuid)


def _route_actie(request: HttpRequest, pip_uuid: Any, form_class: Any, actie: Any) -> HttpResponse:
    """Route switch or afschalen on a vastgestelde PIP: a new draft version, or the refusal
    naming each unmet statutory condition."""
    pip = _pip_or_404(request, pip_uuid)
    _ensure_editable(request, pip.dossier)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            nieuw = actie(user=_user(request), pip=pip, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)  # each refusal at the field it is about
        else:
            messages.success(request, _("Version %(v)d drafted.") % {"v": nieuw.versie})
            return redirect("pip_plans:pip", pip_uuid=nieuw.uuid)
    context_naam = "afschalen_form" if form_class is AfschalenForm else "route_switch_form"
    return render(
        request,
        "pip_plans/pip.html",
        _pip_context(request, pip, **{context_naam: form}),
        status=400,
    )


@require_POST
def pip_route_switch(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    return _route_actie(request, pip_uuid, RouteSwitchForm, services.route_switchen)


@require_POST
def pip_afschalen(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    return _route_actie(request, pip_uuid, AfschalenForm, services.afschalen)


@require_GET
def pip_status(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    """The small status block polled by htmx every 2 s while the beschikking is rendered."""
    pip = _pip_or_404(request, pip_uuid)
    termijn = selectors.inburgeringstermijn_voor(pip)
    return render(request, "pip_plans/_pip_status.html", {"pip": pip, "termijn": termijn})


@require_GET
def pip_preview(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    """The beschikking as it would be sent, rendered now and not stored."""
    pip = _pip_or_404(request, pip_uuid)
    from .pdf import render_beschikking  # written separately; imported when needed

    if pip.datum_vastgesteld is None:  # a draft: show it as if issued today (never saved)
        pip.datum_vastgesteld = timezone.localdate()
    pip.kenmerk = pip.kenmerk or _("DRAFT")
    try:
        pdf_bytes = render_beschikking(pip)
    except Exception as exc:  # show why instead of a server error; nothing is stored
        logger.exception("preview of PIP %s failed to render", pip.pk)
        messages.error(
            request,
            _("The preview could not be produced: %(fout)s")
            % {"fout": f"{exc.__class__.__name__}: {exc}"},
        )
        return redirect("pip_plans:pip", pip_uuid=pip.uuid)
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-pip-v{pip.versie}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def pip_download(request: HttpRequest, pip_uuid: Any) -> FileResponse:
    """The stored beschikking, only for users who may see the dossier."""
    pip = _pip_or_404(request, pip_uuid)
    if not pip.pdf:
        raise Http404(_("This PIP has no beschikking yet."))
    filename = f"{pip.kenmerk or f'pip-v{pip.versie}'}.pdf"
    response = FileResponse(
        pip.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def wachtrij(request: HttpRequest) -> HttpResponse:
    """Teamleider: PIPs awaiting approval."""
    user = _user(request)
    if not user.has_perm("pip_plans.goedkeuren_pip") or is_read_only(user):
        raise PermissionDenied(_("Your role does not allow this action."))
    pips = selectors.teamleider_wachtrij(user).select_related("dossier__werkcoach")
    return render(request, "pip_plans/wachtrij.html", {"pips": pips})
