"""What the handhaving screens share: the acting user, the next action and clocks of a procedure,
the procedure a user may see (or 404), and the redirect after a POST."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.constants import LOPEND, TermijnStatus
from cases.models import Termijn
from inburgering.accounts.models import User

from .. import selectors
from ..constants import ProcedureStatus
from ..models import Procedure
from ..policy import procedures_for

KLOKKEN = ("boete_zienswijze", "boete_beslistermijn", "boete_verval")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- presentation -----------------------------------------------------------------------------


def volgende_actie(procedure: Procedure) -> str:
    """What happens next, in one short sentence (the section, the queue, the overview)."""
    s = procedure.status
    if s == ProcedureStatus.ZIENSWIJZE and procedure.zienswijze_tot:
        return _("Wait for the zienswijze until %(datum)s") % {
            "datum": procedure.zienswijze_tot.strftime("%d-%m-%Y")
        }
    if s == ProcedureStatus.OPGELEGD and procedure.bezwaar_tot:
        return _("Follow the payment; objection possible until %(datum)s") % {
            "datum": procedure.bezwaar_tot.strftime("%d-%m-%Y")
        }
    return str(VOLGENDE_ACTIE.get(s, ""))


VOLGENDE_ACTIE: dict[str, Promise] = {
    ProcedureStatus.GESPREK: gettext_lazy("Hold the hearing conversation"),
    ProcedureStatus.RAPPORT: gettext_lazy("Draw up the rapport"),
    ProcedureStatus.VOORNEMEN: gettext_lazy("Send the intent letter"),
    ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD: gettext_lazy("The intent letter is being made"),
    ProcedureStatus.ZIENSWIJZE: gettext_lazy("Wait for the zienswijze"),
    ProcedureStatus.BESLUIT: gettext_lazy("Take the decision"),
    ProcedureStatus.BOETE_CONCEPT: gettext_lazy("Complete the fine and submit it"),
    ProcedureStatus.TER_GOEDKEURING: gettext_lazy("Wait for the teamleider's approval"),
    ProcedureStatus.GOEDGEKEURD: gettext_lazy("Send the boetebeschikking"),
    ProcedureStatus.WORDT_VERSTUURD: gettext_lazy("The boetebeschikking is being made"),
    ProcedureStatus.OPGELEGD: gettext_lazy("Follow the payment"),
    ProcedureStatus.BEZWAAR: gettext_lazy("Decide on the objection"),
    ProcedureStatus.AFGEDAAN: gettext_lazy("None: settled with the conversation"),
    ProcedureStatus.GEEN_BOETE: gettext_lazy("None: no fine"),
    ProcedureStatus.PW_MAATREGEL: gettext_lazy("None: a Participatiewet measure"),
    ProcedureStatus.VERNIETIGD: gettext_lazy("None: the fine was annulled"),
    ProcedureStatus.INGETROKKEN: gettext_lazy("None: the fine was withdrawn"),
}


def _volgende_klok(klokken: dict[str, Termijn], vandaag: date) -> dict[str, Any] | None:
    """The nearest clock still running, with whether it is overdue."""
    lopend = [t for t in klokken.values() if t.status in LOPEND]
    if not lopend:
        return None
    t = min(lopend, key=lambda t: t.uiterste_datum)
    verlopen = t.status == TermijnStatus.VERLOPEN or t.uiterste_datum < vandaag
    return {"termijn": t, "verlopen": verlopen, "dagen": (t.uiterste_datum - vandaag).days}


def _verrijk(procedures: list[Procedure]) -> None:
    """Each procedure's clocks (one query for all), its next clock and next action."""
    klokken = selectors.termijnen_van(procedures)
    vandaag = timezone.localdate()
    for p in procedures:
        eigen = klokken.get((p.dossier_id, p.volgnummer), {})
        p.klokken = eigen  # type: ignore[attr-defined]
        p.volgende_klok = _volgende_klok(eigen, vandaag)  # type: ignore[attr-defined]
        p.volgende_actie = volgende_actie(p)  # type: ignore[attr-defined]
        p.beslistermijn = eigen.get("boete_beslistermijn")  # type: ignore[attr-defined]


def _naar(request: HttpRequest, url: str) -> HttpResponse:
    """After a POST: a redirect; for htmx (a button disabled while it posts) the same as a
    full page load (``HX-Redirect``), so the flash message shows."""
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _procedure_or_404(request: HttpRequest, uuid: Any) -> Procedure:
    procedure = (
        procedures_for(request.user)
        .select_related(
            "verzuim",
            "dossier__inburgeraar",
            "dossier__gemeente",
            "dossier__werkcoach",
            "rapport_door",
            "goedgekeurd_door",
        )
        .filter(uuid=uuid)
        .first()
    )
    if procedure is None:
        raise Http404(_("No enforcement procedure found."))
    return procedure


BEHANDELEN = "handhaving.behandelen"
GOEDKEUREN = "handhaving.goedkeuren"
