"""The begeleiding screens: the dossier's section (the referral, earlier referrals with their
warm handover, the contacts and follow-up actions, and the forms each role acts with), the
correction of a contact, the begeleider's start page ("Mijn cliënten") and the coördinator's
referrals.

Visibility is ``begeleiding.policy`` (outside it: 404), acting is the service's ``vereis``
(refused: 403; checked up front here as well, so a refused role never sees a form again), a
refusal re-renders the page with status 400, the input kept and the service's messages at their
fields. Success is POST-redirect-GET with a message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors as case_selectors
from cases.forms import apply_service_errors
from cases.models import Dossier
from cases.policy import eigen_signalen
from inburgering.accounts.models import User
from inburgering.core.access import mag, vereis

from . import selectors, services
from .constants import LOPENDE_STATUSSEN, AanmeldingStatus
from .forms import (
    AanmeldenForm,
    AccepterenForm,
    AfsluitenForm,
    AfwijzenForm,
    ContactCorrigerenForm,
    ContactForm,
    EinddatumForm,
    EvaluatieForm,
    IntrekkenForm,
    ToewijzenForm,
)
from .models import Aanmelding, Contactmoment, Vervolgactie
from .policy import (
    aanmeldingen_for,
    contactmomenten_for,
    lopende_begeleidingen,
    vervolgacties_for,
)
from .services import CONTACT_VELDEN, VersieConflict

SECTIE = "begeleiding"
BINNENKORT_DAGEN = 90  # the start page says "ends in N days" below this


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _sectie_url(dossier: Dossier, anker: str = "") -> str:
    url = reverse("cases:dossier-sectie", kwargs={"uuid": dossier.uuid, "sectie": SECTIE})
    return f"{url}#{anker}" if anker else url


def _naar(request: HttpRequest, url: str) -> HttpResponse:
    """After a POST: a redirect; for htmx the same as a full page load (``HX-Redirect``)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# --- the PIP's agreements on begeleiding (theme 4) ---------------------------------------------


def _pip_afspraken(user: Any, dossier: Dossier) -> str:
    """The current PIP's theme 4 as text, to prefill a referral: the vastgestelde version,
    else the newest one being worked on."""
    from pip_plans.constants import PipStatus
    from pip_plans.models import Pip
    from pip_plans.selectors import pips_for

    pip = (
        pips_for(user)
        .filter(dossier=dossier)
        .exclude(status__in=(PipStatus.GEWIJZIGD, PipStatus.INGETROKKEN))
        .annotate(
            voorrang=Case(
                When(status=PipStatus.VASTGESTELD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("voorrang", "-versie")
        .first()
    )
    if pip is None:
        return ""

    def label(naam: str) -> str:
        return str(capfirst(Pip._meta.get_field(naam).verbose_name))  # type: ignore[union-attr]

    regels = []
    if pip.voortgangsgesprekken_per_jaar:
        regels.append(
            f"{label('voortgangsgesprekken_per_jaar')}: {pip.voortgangsgesprekken_per_jaar}"
        )
    regels.append(
        f"{label('maatschappelijke_begeleiding')}: "
        f"{_('yes') if pip.maatschappelijke_begeleiding else _('no')}"
    )
    for naam in ("workshops", "kinderopvang", "vve"):
        waarde = (getattr(pip, naam) or "").strip()
        if waarde:
            regels.append(f"{label(naam)}: {waarde}")
    return "\n".join(regels)


# --- the dossier section -------------------------------------------------------------------------


def begeleiding_sectie(
    user: Any, dossier: Dossier, *, formulieren: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """The section's context (``begeleiding/_sectie.html``); ``formulieren`` replaces a form by
    a refused one (its input and errors). ``None`` (a 404) for who reads no begeleiding."""
    if not mag(user, "begeleiding.bekijken"):
        return None
    formulieren = formulieren or {}
    aanmeldingen = list(
        aanmeldingen_for(user)
        .filter(dossier=dossier)
        .select_related("organisatie", "begeleider", "aangemeld_door", "afgesloten_door")
        .order_by("-aangemeld_op", "-id")
    )
    huidige = next((a for a in aanmeldingen if a.status in LOPENDE_STATUSSEN), None)
    eerdere = [a for a in aanmeldingen if a is not huidige]
    for a in aanmeldingen:
        a.dossier = dossier  # the policy's checks read it; no query per referral

    contacten = list(
        contactmomenten_for(user)
        .filter(dossier=dossier)
        .select_related("auteur", "aanmelding")
        .prefetch_related("vervolgacties")
        .order_by("-tijdstip", "-id")
    )
    acties: list[Vervolgactie] = []
    per_pk = {a.pk: a for a in aanmeldingen}
    for c in contacten:
        c.dossier = dossier
        if c.aanmelding_id in per_pk:
            c.aanmelding = per_pk[c.aanmelding_id]
        else:
            c.aanmelding.dossier = dossier
        for actie in c.vervolgacties.all():
            actie.dossier = dossier
            actie.contactmoment = c
            acties.append(actie)
    acties.sort(key=lambda a: (a.afgerond_op is not None, a.deadline, a.pk))

    kan_beheren = dossier.is_open and mag(user, "begeleiding.beheren", dossier)
    kan_aanmelden = (
        huidige is None and dossier.is_open and mag(user, "begeleiding.aanmelden", dossier)
    )
    loopt = huidige is not None and huidige.status == AanmeldingStatus.LOOPT
    kan_contact = loopt and mag(user, "begeleiding.contact_vastleggen", huidige)
    kan_afsluiten = loopt and mag(user, "begeleiding.afsluiten", huidige)
    toestemming_vereist = selectors.beleid_van(dossier.gemeente_id).toestemming_vereist

    context: dict[str, Any] = {
        "huidige": huidige,
        "loopt": loopt,
        "eerdere": eerdere,
        "contacten": contacten,
        "acties": acties,
        "open_acties": sum(1 for a in acties if a.afgerond_op is None),
        "kan_beheren": kan_beheren,
        "kan_aanmelden": kan_aanmelden,
        "kan_contact": kan_contact,
        "kan_afsluiten": kan_afsluiten,
        "kan_evalueren": loopt and (kan_beheren or kan_afsluiten),
        "toestemming_vereist": toestemming_vereist,
        "vandaag": timezone.localdate(),
    }
    if kan_aanmelden:
        context["aanmelden_form"] = formulieren.get("aanmelden") or AanmeldenForm(
            organisaties=selectors.partnerorganisaties(dossier),
            toestemming_vereist=toestemming_vereist,
            initial={
                "afspraken": _pip_afspraken(user, dossier),
                "einddatum": selectors.standaard_einddatum(dossier),
            },
        )
    if huidige is not None and kan_beheren:
        context["intrekken_form"] = formulieren.get("intrekken") or IntrekkenForm()
        context["einddatum_form"] = formulieren.get("einddatum") or EinddatumForm(
            initial={"einddatum": huidige.einddatum}
        )
    if context["kan_evalueren"]:
        context["evaluatie_form"] = formulieren.get("evaluatie") or EvaluatieForm(
            initial={"evaluatie_op": huidige.evaluatie_op} if huidige else None
        )
    if kan_contact:
        context["contact_form"] = formulieren.get("contact") or ContactForm()
    if kan_afsluiten:
        context["afsluiten_form"] = formulieren.get("afsluiten") or AfsluitenForm()
    return context


def _dossier_or_404(user: User, uuid: Any) -> Dossier:
    try:
        return case_selectors.dossier_voor(user, uuid)
    except Dossier.DoesNotExist as exc:
        raise Http404(_("No dossier found.")) from exc


def _sectie_opnieuw(request: HttpRequest, dossier: Dossier, naam: str, form: Any) -> HttpResponse:
    """The dossier page with this section and the refused form (status 400)."""
    from cases.views import _dossier_pagina

    dossier = _dossier_or_404(_user(request), dossier.uuid)
    context = begeleiding_sectie(request.user, dossier, formulieren={naam: form})
    if context is None:
        raise Http404(_("No such section of this dossier."))
    return _dossier_pagina(request, dossier, SECTIE, context, status=400)


def _aanmelding_or_404(user: User, uuid: Any) -> Aanmelding:
    return get_object_or_404(
        aanmeldingen_for(user).select_related(
            "dossier__inburgeraar", "dossier__gemeente", "organisatie", "begeleider"
        ),
        uuid=uuid,
    )


def _verwerken(
    request: HttpRequest,
    form: Any,
    uitvoeren: Callable[[], Any],
    *,
    bericht: Callable[[Any], str],
    naar: Callable[[Any], str],
    opnieuw: Callable[[], HttpResponse],
) -> HttpResponse:
    """One form, one service: valid input calls ``uitvoeren()``; a refusal lands on the form's
    fields and ``opnieuw()`` shows the form again with what was typed (400); success shows
    ``bericht(result)`` and redirects to ``naar(result)``."""
    if form.is_valid():
        try:
            resultaat = uitvoeren()
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, bericht(resultaat))
            return _naar(request, naar(resultaat))
    return opnieuw()


@require_POST
def aanmelden(request: HttpRequest, dossier_uuid: Any) -> HttpResponse:
    """The werkcoach refers the dossier to a partner organisation."""
    user = _user(request)
    dossier = _dossier_or_404(user, dossier_uuid)
    vereis(user, "begeleiding.aanmelden", dossier)
    form = AanmeldenForm(
        request.POST,
        organisaties=selectors.partnerorganisaties(dossier),
        toestemming_vereist=selectors.beleid_van(dossier.gemeente_id).toestemming_vereist,
    )
    return _verwerken(
        request,
        form,
        lambda: services.aanmelden(user=user, dossier=dossier, **form.voor_service()),
        bericht=lambda aanmelding: (
            _("Referred to %(organisatie)s; their coördinator accepts or declines.")
            % {"organisatie": aanmelding.organisatie}
        ),
        naar=lambda _a: _sectie_url(dossier, "begeleiding-huidig"),
        opnieuw=lambda: _sectie_opnieuw(request, dossier, "aanmelden", form),
    )


@require_POST
def intrekken(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    aanmelding = _aanmelding_or_404(user, uuid)
    vereis(user, "begeleiding.beheren", aanmelding)
    form = IntrekkenForm(request.POST)
    return _verwerken(
        request,
        form,
        lambda: services.intrekken(
            user=user, aanmelding=aanmelding, reden=form.tekst("ingetrokken_reden")
        ),
        bericht=lambda _a: _("Referral withdrawn; the partner's access has ended."),
        naar=lambda _a: _sectie_url(aanmelding.dossier),
        opnieuw=lambda: _sectie_opnieuw(request, aanmelding.dossier, "intrekken", form),
    )


@require_POST
def einddatum(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    aanmelding = _aanmelding_or_404(user, uuid)
    vereis(user, "begeleiding.beheren", aanmelding)
    form = EinddatumForm(request.POST)
    return _verwerken(
        request,
        form,
        lambda: services.einddatum_wijzigen(
            user=user,
            aanmelding=aanmelding,
            einddatum=form.cleaned_data.get("einddatum"),
            reden=form.tekst("reden"),
        ),
        bericht=lambda _a: _("End of the begeleiding changed."),
        naar=lambda _a: _sectie_url(aanmelding.dossier, "begeleiding-huidig"),
        opnieuw=lambda: _sectie_opnieuw(request, aanmelding.dossier, "einddatum", form),
    )


@require_POST
def evaluatie(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    aanmelding = _aanmelding_or_404(user, uuid)
    if not mag(user, "begeleiding.beheren", aanmelding):
        vereis(user, "begeleiding.afsluiten", aanmelding)
    form = EvaluatieForm(request.POST)
    return _verwerken(
        request,
        form,
        lambda: services.evaluatie_vastleggen(
            user=user,
            aanmelding=aanmelding,
            datum=form.cleaned_data.get("evaluatie_op"),
            verslag=form.tekst("evaluatie_verslag"),
        ),
        bericht=lambda _a: _("Review recorded."),
        naar=lambda _a: _sectie_url(aanmelding.dossier, "begeleiding-huidig"),
        opnieuw=lambda: _sectie_opnieuw(request, aanmelding.dossier, "evaluatie", form),
    )


@require_POST
def contact_vastleggen(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The begeleider records a contact; the form's own UUID makes a double submit one row."""
    user = _user(request)
    aanmelding = _aanmelding_or_404(user, uuid)
    vereis(user, "begeleiding.contact_vastleggen", aanmelding)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact, nieuw = services.contact_vastleggen(
                user=user,
                aanmelding=aanmelding,
                uuid=form.cleaned_data.get("uuid"),
                vervolgacties=form.vervolgacties(),
                **form.velden(),
            )
        except VersieConflict as exc:
            form.add_error(None, exc.bericht)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if nieuw:
                messages.success(request, _("Contact recorded."))
            else:
                messages.info(request, _("This contact was already recorded (sent twice)."))
            return _naar(request, _sectie_url(aanmelding.dossier, f"contact-{contact.uuid}"))
    return _sectie_opnieuw(request, aanmelding.dossier, "contact", form)


@require_POST
def afsluiten(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    aanmelding = _aanmelding_or_404(user, uuid)
    vereis(user, "begeleiding.afsluiten", aanmelding)
    form = AfsluitenForm(request.POST)
    return _verwerken(
        request,
        form,
        lambda: services.afsluiten(
            user=user,
            aanmelding=aanmelding,
            verslag=form.tekst("afsluitend_verslag"),
            open_punten=form.tekst("open_punten"),
        ),
        bericht=lambda _a: _("Begeleiding closed; the werkcoach gets the warm handover."),
        naar=lambda _a: reverse("begeleiding:start"),
        opnieuw=lambda: _sectie_opnieuw(request, aanmelding.dossier, "afsluiten", form),
    )


@require_POST
def signaal_opvolgen(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    contact = get_object_or_404(
        contactmomenten_for(user).select_related("dossier__gemeente"), uuid=uuid
    )
    vereis(user, "begeleiding.beheren", contact.dossier)
    try:
        services.signaal_opvolgen(user=user, contact=contact)
    except ValidationError as exc:
        for bericht in exc.messages:
            messages.error(request, bericht)
    else:
        messages.success(request, _("Signal recorded as followed up."))
    return _naar(request, _sectie_url(contact.dossier, f"contact-{contact.uuid}"))


@require_POST
def vervolgactie_afronden(request: HttpRequest, uuid: Any) -> HttpResponse:
    user = _user(request)
    actie = get_object_or_404(
        vervolgacties_for(user).select_related("contactmoment__aanmelding", "dossier"), uuid=uuid
    )
    vereis(user, "begeleiding.vervolgactie_afronden", actie)
    try:
        services.vervolgactie_afronden(user=user, actie=actie)
    except ValidationError as exc:
        for bericht in exc.messages:
            messages.error(request, bericht)
    else:
        messages.success(request, _("Follow-up action done."))
    if request.POST.get("terug") == "start":
        return _naar(request, reverse("begeleiding:start"))
    return _naar(request, _sectie_url(actie.dossier, "begeleiding-acties"))


# --- correcting a contact --------------------------------------------------------------------


def _corrigeren_initial(contact: Contactmoment) -> dict[str, Any]:
    initial: dict[str, Any] = {k: getattr(contact, k) for k in CONTACT_VELDEN}
    initial["tijdstip"] = timezone.localtime(contact.tijdstip).replace(second=0, microsecond=0)
    initial["versie"] = contact.versie
    return initial


@require_http_methods(["GET", "POST"])
def contact_corrigeren(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A correction is a new version. If the server has a newer one meanwhile, the page shows
    it next to the user's input (kept), and the form now names that version: the user
    compares, corrects and sends again — never a silent overwrite."""
    user = _user(request)
    contact = get_object_or_404(
        contactmomenten_for(user).select_related(
            "aanmelding", "auteur", "dossier__inburgeraar", "dossier__gemeente"
        ),
        uuid=uuid,
    )
    vereis(user, "begeleiding.contact_corrigeren", contact.aanmelding)
    conflict: VersieConflict | None = None
    status = 200
    if request.method == "POST":
        form = ContactCorrigerenForm(request.POST)
        if form.is_valid():
            try:
                contact = services.contact_corrigeren(
                    user=user,
                    contact=contact,
                    versie=form.cleaned_data.get("versie"),
                    **form.velden(),
                )
            except VersieConflict as exc:
                conflict = exc
                status = 409
                data = request.POST.copy()
                data["versie"] = str(exc.huidige.versie)
                form = ContactCorrigerenForm(data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("Contact corrected (now version %(versie)d).") % {"versie": contact.versie},
                )
                return _naar(request, _sectie_url(contact.dossier, f"contact-{contact.uuid}"))
        else:
            status = 400
    else:
        form = ContactCorrigerenForm(initial=_corrigeren_initial(contact))
    vergelijking = []
    if conflict is not None:
        huidige = conflict.huidige
        invoer = request.POST
        for naam in CONTACT_VELDEN:
            veld = form.fields[naam]
            if naam == "tijdstip":
                server = timezone.localtime(huidige.tijdstip).strftime("%d-%m-%Y %H:%M")
                jij = invoer.get(naam, "").replace("T", " ")
            elif naam in ("aanwezig", "onderwerpen"):
                keuzes = dict(veld.choices)  # type: ignore[attr-defined]
                server = ", ".join(str(keuzes.get(w, w)) for w in getattr(huidige, naam))
                jij = ", ".join(str(keuzes.get(w, w)) for w in invoer.getlist(naam))
            elif naam == "soort":
                keuzes = dict(veld.choices)  # type: ignore[attr-defined]
                server = str(keuzes.get(huidige.soort, huidige.soort))
                jij = str(keuzes.get(invoer.get(naam, ""), invoer.get(naam, "")))
            elif naam == "signaal_werkcoach":
                server = _("yes") if huidige.signaal_werkcoach else _("no")
                jij = _("yes") if invoer.get(naam) else _("no")
            else:
                server = str(getattr(huidige, naam) or "")
                jij = invoer.get(naam, "")
            vergelijking.append(
                {
                    "naam": naam,
                    "label": veld.label,
                    "server": server,
                    "jij": jij,
                    "anders": server.strip() != str(jij).strip(),
                }
            )
    return render(
        request,
        "begeleiding/contact_corrigeren.html",
        {
            "contact": contact,
            "dossier": contact.dossier,
            "form": form,
            "conflict": conflict,
            "vergelijking": vergelijking,
            "sectie_url": _sectie_url(contact.dossier),
        },
        status=status,
    )


# --- the begeleider's start page ---------------------------------------------------------------


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """ "Mijn cliënten": each running begeleiding with its last and next contact, open
    follow-up actions, end, and the referral's agreements in short; the begeleider's open
    follow-up actions and signals. A fixed number of queries, however many clients."""
    user = _user(request)
    vereis(user, "begeleiding.startpagina")
    vandaag = timezone.localdate()
    clienten = list(
        selectors.met_contactgegevens(lopende_begeleidingen(user)).order_by(
            "einddatum", "dossier__inburgeraar__achternaam", "pk"
        )
    )
    for a in clienten:
        a.dagen_tot_einde = (a.einddatum - vandaag).days  # type: ignore[attr-defined]
        a.eindigt_binnenkort = a.dagen_tot_einde < BINNENKORT_DAGEN  # type: ignore[attr-defined]
    acties = list(selectors.open_vervolgacties(vervolgacties_for(user))[:100])
    signalen = list(
        eigen_signalen(user)
        .filter(afgehandeld_op__isnull=True)
        .select_related("termijn", "dossier__inburgeraar")
        .order_by("uiterste_datum", "id")[:100]
    )
    return render(
        request,
        "begeleiding/start.html",
        {
            "clienten": clienten,
            "acties": acties,
            "signalen": signalen,
            "vandaag": vandaag,
            "binnenkort_dagen": BINNENKORT_DAGEN,
        },
    )


# --- the coördinator's referrals ---------------------------------------------------------------


def _aanmeldingen_pagina(
    request: HttpRequest,
    formulieren: Mapping[tuple[str, int], Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    formulieren = formulieren or {}
    # the coördinator's: every referral to their own organisation
    wachtend = list(
        aanmeldingen_for(user)
        .filter(status=AanmeldingStatus.AANGEMELD)
        .select_related("dossier__inburgeraar", "dossier__gemeente", "aangemeld_door")
        .order_by("aangemeld_op", "id")
    )
    lopend = list(
        selectors.met_contactgegevens(lopende_begeleidingen(user)).order_by(
            "dossier__inburgeraar__achternaam", "pk"
        )
    )
    begeleiders = list(selectors.begeleiders_van(user.organisatie_id))  # type: ignore[arg-type]
    for a in wachtend:
        a.accepteren_form = formulieren.get(("accepteren", a.pk)) or AccepterenForm(  # type: ignore[attr-defined]
            begeleiders=begeleiders,
            id_prefix=f"accepteren-{a.pk}",
            initial={"startdatum": timezone.localdate()},
        )
        a.afwijzen_form = formulieren.get(("afwijzen", a.pk)) or AfwijzenForm(  # type: ignore[attr-defined]
            id_prefix=f"afwijzen-{a.pk}"
        )
    for a in lopend:
        a.toewijzen_form = formulieren.get(("toewijzen", a.pk)) or ToewijzenForm(  # type: ignore[attr-defined]
            begeleiders=begeleiders,
            id_prefix=f"toewijzen-{a.pk}",
        )
    return render(
        request,
        "begeleiding/aanmeldingen.html",
        {"wachtend": wachtend, "lopend": lopend, "begeleiders": begeleiders},
        status=status,
    )


@require_GET
def aanmeldingen(request: HttpRequest) -> HttpResponse:
    """The coördinator's page: referrals awaiting a decision, and the running begeleidingen
    with their begeleider. A fixed number of queries."""
    vereis(request.user, "begeleiding.wachtrij")
    return _aanmeldingen_pagina(request)


def _coordinator_aanmelding(request: HttpRequest, uuid: Any, actie: str) -> Aanmelding:
    user = _user(request)
    vereis(user, "begeleiding.wachtrij")
    aanmelding = _aanmelding_or_404(user, uuid)
    vereis(user, actie, aanmelding)
    return aanmelding


def _coordinator_verwerken(
    request: HttpRequest,
    aanmelding: Aanmelding,
    naam: str,
    form: Any,
    uitvoeren: Callable[[], Any],
    bericht: str,
) -> HttpResponse:
    """A coördinator's form: success back to the referrals page, a refusal on it (400)."""
    return _verwerken(
        request,
        form,
        uitvoeren,
        bericht=lambda _a: bericht % {"naam": aanmelding.dossier.inburgeraar.volledige_naam},
        naar=lambda _a: reverse("begeleiding:aanmeldingen"),
        opnieuw=lambda: _aanmeldingen_pagina(request, {(naam, aanmelding.pk): form}, status=400),
    )


@require_POST
def accepteren(request: HttpRequest, uuid: Any) -> HttpResponse:
    aanmelding = _coordinator_aanmelding(request, uuid, "begeleiding.beoordelen")
    begeleiders = list(selectors.begeleiders_van(aanmelding.organisatie_id))
    form = AccepterenForm(
        request.POST, begeleiders=begeleiders, id_prefix=f"accepteren-{aanmelding.pk}"
    )
    return _coordinator_verwerken(
        request,
        aanmelding,
        "accepteren",
        form,
        lambda: services.accepteren(
            user=_user(request),
            aanmelding=aanmelding,
            begeleider=form.cleaned_data.get("begeleider"),
            startdatum=form.cleaned_data.get("startdatum"),
        ),
        _("Referral of %(naam)s accepted and assigned."),
    )


@require_POST
def afwijzen(request: HttpRequest, uuid: Any) -> HttpResponse:
    aanmelding = _coordinator_aanmelding(request, uuid, "begeleiding.beoordelen")
    form = AfwijzenForm(request.POST, id_prefix=f"afwijzen-{aanmelding.pk}")
    return _coordinator_verwerken(
        request,
        aanmelding,
        "afwijzen",
        form,
        lambda: services.afwijzen(
            user=_user(request), aanmelding=aanmelding, reden=form.tekst("afwijsreden")
        ),
        _("Referral of %(naam)s declined; the werkcoach sees the reason."),
    )


@require_POST
def toewijzen(request: HttpRequest, uuid: Any) -> HttpResponse:
    aanmelding = _coordinator_aanmelding(request, uuid, "begeleiding.toewijzen")
    begeleiders = list(selectors.begeleiders_van(aanmelding.organisatie_id))
    form = ToewijzenForm(
        request.POST, begeleiders=begeleiders, id_prefix=f"toewijzen-{aanmelding.pk}"
    )
    return _coordinator_verwerken(
        request,
        aanmelding,
        "toewijzen",
        form,
        lambda: services.toewijzen(
            user=_user(request),
            aanmelding=aanmelding,
            begeleider=form.cleaned_data.get("begeleider"),
        ),
        _("The begeleiding of %(naam)s is assigned."),
    )
