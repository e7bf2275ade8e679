"""The PIP screens: the editor, its life cycle, route changes, the beschikking preview and PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms import apply_service_errors
from inburgering.core.access import is_read_only, mag, vereis
from inburgering.documents.responses import document_response, pdf_response

from .. import rules, selectors, services
from ..constants import BEWERKBARE_STATUSSEN, PipStatus
from ..forms import (
    AfschalenForm,
    NieuweVersieForm,
    PipForm,
    RouteSwitchForm,
    TerugsturenForm,
    VaststellenForm,
)
from ..models import Pip
from ._gemeen import (
    _ensure_editable,
    _flash_service_errors,
    _kan_bewerken,
    _pip_or_404,
    _user,
    logger,
)

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
    vaststelbaar = rules.vaststelbare_statussen(vereist)
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
        and mag(user, "pip.goedkeuren", pip),
        "kan_vaststellen": kan_schrijven and pip.status in vaststelbaar,
        "kan_nieuwe_versie": kan_schrijven
        and pip.status == PipStatus.VASTGESTELD
        and mag(user, "pip.nieuwe_versie", pip),
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
    vereis(request.user, "pip.goedkeuren", _pip_or_404(request, pip_uuid))  # 404 before 403
    return _pip_actie(
        request,
        pip_uuid,
        lambda pip: services.pip_goedkeuren(user=_user(request), pip=pip),
        _("PIP approved."),
    )


@require_POST
def pip_terugsturen(request: HttpRequest, pip_uuid: Any) -> HttpResponse:
    """Teamleider: back to the werkcoach with a comment; a refusal shows at the field."""
    pip = _pip_or_404(request, pip_uuid)  # 404 before 403
    vereis(request.user, "pip.terugsturen", pip)
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
    from ..pdf import render_beschikking  # written separately; imported when needed

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
    return pdf_response(pdf_bytes, f"preview-pip-v{pip.versie}.pdf")


@require_GET
def pip_download(request: HttpRequest, pip_uuid: Any) -> FileResponse:
    """The stored beschikking, only for users who may see the dossier."""
    pip = _pip_or_404(request, pip_uuid)
    if not pip.pdf:
        raise Http404(_("This PIP has no beschikking yet."))
    # the kenmerk names the gemeente, the PIP and its version — never the person
    return document_response(pip.pdf, f"{pip.kenmerk or f'pip-v{pip.versie}'}.pdf")
