"""The teamleider's pages: the approval queue and the overview of open procedures."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.constants import LOPEND, TermijnStatus
from inburgering.accounts.models import User
from inburgering.core.access import vereis

from .. import selectors
from ..forms import LegeForm
from ..models import Procedure
from ..policy import mag_handhaving_zien, procedures_for
from ._gemeen import _user, _verrijk

# --- the teamleider's pages -------------------------------------------------------------------


def _teamleider(request: HttpRequest) -> User:
    user = _user(request)
    if not mag_handhaving_zien(user):
        raise PermissionDenied(_("Only a teamleider approves a fine."))
    vereis(user, "handhaving.wachtrij")
    return user


@require_GET
def wachtrij(request: HttpRequest) -> HttpResponse:
    """Fines awaiting approval, oldest first."""
    user = _teamleider(request)
    procedures = list(selectors.wachtrij(procedures_for(user)))
    nu = timezone.now()
    for p in procedures:
        p.dagen_wachtend = (nu - p.gewijzigd_op).days  # type: ignore[attr-defined]
    return render(
        request,
        "handhaving/wachtrij.html",
        {"procedures": procedures, "goedkeuren_form": LegeForm(id_prefix="goedkeuren")},
    )


@require_GET
def overzicht(request: HttpRequest) -> HttpResponse:
    """Open procedures per werkcoach, and each with its 13-week decision term (Awb 5:51),
    the nearest first: overdue ones on top."""
    user = _teamleider(request)
    qs = procedures_for(user)
    procedures = list(
        selectors.open_procedures(qs).select_related(
            "verzuim", "dossier__inburgeraar", "dossier__werkcoach", "dossier__gemeente"
        )
    )
    _verrijk(procedures)

    def sleutel(p: Procedure) -> tuple[int, date, int]:
        t = p.beslistermijn  # type: ignore[attr-defined]
        if t is not None and t.status in LOPEND:
            return (0, t.uiterste_datum, p.pk)
        return (1, date.max, p.pk)

    procedures.sort(key=sleutel)
    vandaag = timezone.localdate()
    for p in procedures:
        t = p.beslistermijn  # type: ignore[attr-defined]
        p.beslistermijn_lopend = t is not None and t.status in LOPEND  # type: ignore[attr-defined]
        p.beslistermijn_verlopen = (  # type: ignore[attr-defined]
            p.beslistermijn_lopend  # type: ignore[attr-defined]
            and (t.status == TermijnStatus.VERLOPEN or t.uiterste_datum < vandaag)
        )
    return render(
        request,
        "handhaving/overzicht.html",
        {"per_werkcoach": selectors.open_per_werkcoach(qs), "procedures": procedures},
    )
