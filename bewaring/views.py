"""The retention pages: the runs (propose, approve or reject, status), the verklaring (page
and PDF), and a dossier's retention and legal holds. Every page starts from the policy layer:
what is outside the user's visibility is a 404, an action they may not take a 403."""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.policy import dossiers_for
from inburgering.accounts.models import Gemeente, User
from inburgering.accounts.tweefactor import herbevestiging_vereist
from inburgering.core.access import gemeente_ids, mag, vereis
from inburgering.documents.pdf import render_pdf
from inburgering.documents.responses import CACHE_CONTROL, safe_filename

from . import services
from .constants import RecordSoort, RegelStatus
from .forms import AfwijzenForm, BlokkadeForm, GoedkeurenForm, OpheffenForm, VoorstelForm
from .models import Vernietigingsregel, Vernietigingsronde
from .policy import blokkades_for, rondes_for, verklaringen_for


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _fouten(request: HttpRequest, exc: ValidationError) -> None:
    for bericht in exc.messages:
        messages.error(request, bericht)


def _ronde(user: User, uuid: Any) -> Vernietigingsronde:
    ronde = (
        rondes_for(user)
        .select_related("gemeente", "voorgesteld_door", "beoordeeld_door")
        .filter(uuid=uuid)
        .first()
    )
    if ronde is None:
        raise Http404(_("No destruction run found."))
    return ronde


# --- the runs -------------------------------------------------------------------------------


@require_GET
def overzicht(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    vereis(user, "bewaring.bekijken")
    rondes = (
        rondes_for(user)
        .select_related("gemeente", "voorgesteld_door", "beoordeeld_door")
        .annotate(
            n_voorgesteld=Count("regels", filter=Q(regels__status=RegelStatus.VOORGESTELD)),
            n_uitgesloten=Count("regels", filter=~Q(regels__status=RegelStatus.VOORGESTELD)),
        )
    )
    form = None
    if mag(user, "bewaring.voorstellen"):
        form = VoorstelForm(gemeenten=Gemeente.objects.filter(pk__in=gemeente_ids(user)))
    return render(request, "bewaring/overzicht.html", {"rondes": rondes, "voorstel_form": form})


@require_POST
def voorstellen(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    vereis(user, "bewaring.voorstellen")
    form = VoorstelForm(request.POST, gemeenten=Gemeente.objects.filter(pk__in=gemeente_ids(user)))
    if not form.is_valid():
        for bericht in form.errors.as_data().values():
            for fout in bericht:
                messages.error(request, " ".join(fout.messages))
        return redirect("bewaring:overzicht")
    try:
        ronde = services.ronde_voorstellen(
            user=user,
            gemeente=form.cleaned_data["gemeente"],
            peildatum=form.cleaned_data["peildatum"],
        )
    except ValidationError as exc:
        _fouten(request, exc)
        return redirect("bewaring:overzicht")
    messages.success(request, _("Destruction run %(kenmerk)s proposed.") % {"kenmerk": ronde})
    return redirect("bewaring:ronde", ronde.uuid)


def _regels(user: User, ronde: Vernietigingsronde) -> list[Vernietigingsregel]:
    """The run's dossiers; the person's name only for whoever may see the dossier."""
    regels = list(ronde.regels.select_related("dossier"))
    zichtbaar = {
        d.pk: d
        for d in dossiers_for(user)
        .filter(pk__in=[r.dossier_id for r in regels])
        .select_related("inburgeraar")
    }
    for r in regels:
        r.zichtbaar_dossier = zichtbaar.get(r.dossier_id)  # type: ignore[attr-defined]
        labels = dict(RecordSoort.choices)
        r.soort_labels = [str(labels.get(s, s)) for s in r.soorten]  # type: ignore[attr-defined]
    return regels


@require_GET
def ronde_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    ronde = _ronde(user, uuid)
    kan_beoordelen = ronde.status == "voorgesteld" and mag(user, "bewaring.beoordelen", ronde)
    return render(
        request,
        "bewaring/ronde.html",
        {
            "ronde": ronde,
            "regels": _regels(user, ronde),
            "kan_beoordelen": kan_beoordelen,
            "goedkeuren_form": GoedkeurenForm() if kan_beoordelen else None,
            "afwijzen_form": AfwijzenForm() if kan_beoordelen else None,
            "verklaring": verklaringen_for(user).filter(ronde=ronde).first(),
        },
    )


@require_POST
@herbevestiging_vereist
def goedkeuren(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    ronde = _ronde(user, uuid)
    vereis(user, "bewaring.beoordelen", ronde)
    form = GoedkeurenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Confirm that you checked the list."))
        return redirect("bewaring:ronde", ronde.uuid)
    try:
        services.ronde_goedkeuren(user=user, ronde=ronde)
    except ValidationError as exc:
        _fouten(request, exc)
    else:
        messages.success(request, _("Approved: the dossiers are being destroyed."))
    return redirect("bewaring:ronde", ronde.uuid)


@require_POST
def afwijzen(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    ronde = _ronde(user, uuid)
    vereis(user, "bewaring.beoordelen", ronde)
    form = AfwijzenForm(request.POST)
    try:
        services.ronde_afwijzen(
            user=user,
            ronde=ronde,
            reden=form.data.get("afwijzing_reden", ""),
        )
    except ValidationError as exc:
        _fouten(request, exc)
    else:
        messages.success(request, _("The destruction run was rejected."))
    return redirect("bewaring:ronde", ronde.uuid)


# --- the verklaring -------------------------------------------------------------------------


def _verklaring_context(user: User, uuid: Any) -> dict[str, Any]:
    ronde = _ronde(user, uuid)
    verklaring = (
        verklaringen_for(user)
        .filter(ronde=ronde)
        .select_related("gemeente", "voorgesteld_door", "goedgekeurd_door")
        .first()
    )
    if verklaring is None:
        raise Http404(_("This run has no statement of destruction (yet)."))
    aantallen = []
    for label, n in verklaring.aantallen.items():
        try:
            naam = str(apps.get_model(label)._meta.verbose_name_plural)
        except LookupError:
            naam = label
        aantallen.append({"naam": naam, "aantal": n})
    labels = dict(RecordSoort.choices)
    regels = [
        {**r, "soort_label": str(labels.get(r["soort"], r["soort"]))} for r in verklaring.regels
    ]
    return {"ronde": ronde, "verklaring": verklaring, "aantallen": aantallen, "regels": regels}


@require_GET
def verklaring(request: HttpRequest, uuid: Any) -> HttpResponse:
    return render(request, "bewaring/verklaring.html", _verklaring_context(_user(request), uuid))


@require_GET
def verklaring_pdf(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The verklaring as a PDF/A download, rendered from its stored (immutable) counts."""
    context = _verklaring_context(_user(request), uuid)
    pdf = render_pdf("bewaring/verklaring_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    naam = safe_filename(f"verklaring-van-vernietiging-{context['verklaring'].kenmerk}")
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


# --- a dossier's retention and legal holds ------------------------------------------------------


def _dossier(user: User, uuid: Any) -> Any:
    vereis(user, "bewaring.blokkades_bekijken")
    dossier = dossiers_for(user).select_related("inburgeraar", "gemeente").filter(uuid=uuid).first()
    if dossier is None:
        raise Http404(_("No dossier found."))
    return dossier


@require_http_methods(["GET", "POST"])
def dossier(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    d = _dossier(user, uuid)
    form = BlokkadeForm()
    if request.method == "POST":
        vereis(user, "bewaring.blokkeren", d)
        form = BlokkadeForm(request.POST)
        if form.is_valid():
            try:
                services.blokkade_instellen(
                    user=user,
                    dossier=d,
                    reden=form.cleaned_data["reden"],
                    toelichting=form.cleaned_data["toelichting"],
                    sinds=form.cleaned_data["sinds"],
                )
            except ValidationError as exc:
                for veld, berichten in exc.message_dict.items():
                    for bericht in berichten:
                        form.add_error(veld if veld in form.fields else None, bericht)
            else:
                messages.success(request, _("Legal hold placed: this dossier is not destroyed."))
                return redirect("bewaring:dossier", d.uuid)
    return render(
        request,
        "bewaring/dossier.html",
        {
            "dossier": d,
            "oordeel": services.dossier_beoordelen(d),
            "blokkades": blokkades_for(user)
            .filter(dossier=d)
            .select_related("ingesteld_door", "opgeheven_door"),
            "blokkade_form": form if mag(user, "bewaring.blokkeren", d) else None,
            "kan_opheffen": mag(user, "bewaring.blokkade_opheffen", d),
            "opheffen_form": OpheffenForm(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def opheffen(request: HttpRequest, uuid: Any, blokkade_uuid: Any) -> HttpResponse:
    user = _user(request)
    d = _dossier(user, uuid)
    blokkade = blokkades_for(user).filter(dossier=d, uuid=blokkade_uuid).first()
    if blokkade is None:
        raise Http404(_("No legal hold found."))
    vereis(user, "bewaring.blokkade_opheffen", d)
    try:
        services.blokkade_opheffen(
            user=user, blokkade=blokkade, toelichting=request.POST.get("opheffing_toelichting", "")
        )
    except ValidationError as exc:
        _fouten(request, exc)
    else:
        messages.success(request, _("The legal hold was lifted."))
    return redirect(reverse("bewaring:dossier", args=[d.uuid]))
