"""Who processed this person's data: the privacy officer's and the teamleider's page over the
Logboek Dataverwerkingen (AVG art. 5 lid 2, 38–39). One person at a time, found through the
policy layer (a person outside the user's gemeenten is a 404); the page's own read of the
person is on record too, under the supervision activity."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.policy import dossiers_for, inburgeraars_for
from inburgering.audit.models import Handeling
from inburgering.audit.selectors import met_actoren, verwerkingen_van
from inburgering.core.access import mask_bsn, vereis

ACTIE = "audit.verwerkingen_bekijken"
ACTIVITEIT = "audit.toezicht"
PAGE_SIZE = 25


@require_GET
def verwerkingen(request: HttpRequest, uuid: str) -> HttpResponse:
    user = request.user
    vereis(user, ACTIE)
    request.audit_activiteit = ACTIVITEIT  # type: ignore[attr-defined]
    persoon = inburgeraars_for(user).filter(uuid=uuid).first()
    if persoon is None:
        raise Http404(_("No person found."))
    handeling = request.GET.get("handeling", "")
    qs = verwerkingen_van(persoon.bsn)
    if handeling in Handeling.values:
        qs = qs.filter(handeling=handeling)
    else:
        handeling = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = met_actoren(page.object_list)  # type: ignore[assignment]
    dossier = dossiers_for(user).filter(inburgeraar=persoon).order_by("-pk").only("uuid").first()
    return render(
        request,
        "verantwoording/wie_keek.html",
        {
            "persoon": persoon,
            # who looked is the question here, not the number: masked (data minimisation)
            "bsn": mask_bsn(persoon.bsn),
            "dossier": dossier,
            "page": page,
            "handelingen": Handeling.choices,
            "handeling": handeling,
            "querystring": f"handeling={handeling}" if handeling else "",
            "base_url": request.path,
        },
    )
