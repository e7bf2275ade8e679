"""Termijnen and signalen screens: the dossier page's termijnen section, the "Mijn signalen"
inbox and the teamleider's overview. Reads through ``selectors`` (which start from the access
policy), writes through ``cases.termijnen``. The extend and mark-met forms post to
``cases.views`` because a refusal re-renders the dossier page."""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from inburgering.accounts.models import User
from inburgering.core.access import mag, vereis

from . import presentatie, selectors, termijnen
from .bewaking import laatste_run
from .constants import BINNENKORT_DAGEN, LOPEND, SignaalSoort, TermijnStatus
from .feiten import Feiten
from .forms import TermijnGehaaldForm, TermijnVerlengenForm
from .historie import HistorieRegel, termijnen_historie
from .hub import hub
from .models import Dossier, Termijn, Verlenging
from .policy import signalen_om_af_te_handelen
from .termijnregels import TermijnRegel, Verlengbaar, registry

SIGNALEN_PAGE_SIZE = 25


def kan_termijnen_beheren(user: Any, dossier: Dossier) -> bool:
    """May extend a dossier's termijnen or mark them met (werkcoach, teamleider)."""
    return mag(user, "termijn.beheren", dossier)


@dataclass
class TermijnItem:
    """One termijn as the dossier page shows it: table row, history and the forms allowed."""

    termijn: Termijn
    regel: TermijnRegel | None
    verlengingen: list[Verlenging]
    historie: list[HistorieRegel]
    binnenkort: bool
    max_tot: date | None = None
    verlengen_form: TermijnVerlengenForm | None = None
    gehaald_form: TermijnGehaaldForm | None = None
    open: bool = False  # a form of this termijn was refused: show it unfolded


@dataclass
class GebondenForm:
    """A posted form that was refused, to show again with what was typed."""

    termijn_id: int
    soort: str  # "verlengen" or "gehaald"
    form: TermijnVerlengenForm | TermijnGehaaldForm


def termijnen_sectie(
    user: Any, dossier: Dossier, *, gebonden: GebondenForm | None = None
) -> dict[str, Any] | None:
    """Context for ``cases/_termijnen.html``, or ``None`` when the user may not see termijnen.
    A fixed number of queries: the clocks, their extensions, their history, and — only when an
    extension is capped — the dossier's facts once for every clock."""
    if not mag(user, "termijn.bekijken", dossier):
        return None
    lijst = selectors.dossier_termijnen(dossier)
    historie = termijnen_historie(lijst)
    beheren = kan_termijnen_beheren(user, dossier)
    grens = selectors.binnenkort_grens()
    feiten: Feiten | None = None
    items = []
    for t in lijst:
        regel = registry.get(t.code)
        item = TermijnItem(
            termijn=t,
            regel=regel,
            verlengingen=list(t.verlengingen.all()),
            historie=historie.get(t.pk, []),
            binnenkort=t.status == TermijnStatus.OPEN and t.uiterste_datum <= grens,
        )
        lopend = beheren and regel is not None and t.status in LOPEND
        if lopend and regel is not None and regel.verlengbaar is not Verlengbaar.NEE:
            if regel.verlengbaar is Verlengbaar.BEPERKT:
                feiten = feiten if feiten is not None else hub.feiten(dossier)
                item.max_tot = termijnen.max_verlengd_tot(t, feiten)
            item.verlengen_form = TermijnVerlengenForm(termijn=t, max_tot=item.max_tot)
        if lopend and regel is not None and regel.handmatig_gehaald:
            item.gehaald_form = TermijnGehaaldForm(
                termijn=t, initial={"datum": timezone.localdate()}
            )
        if gebonden is not None and gebonden.termijn_id == t.pk:
            item.open = True
            if gebonden.soort == "verlengen":
                item.verlengen_form = cast(TermijnVerlengenForm, gebonden.form)
            else:
                item.gehaald_form = cast(TermijnGehaaldForm, gebonden.form)
        items.append(item)
    return {
        "items": items,
        "tijdlijn": presentatie.termijn_tijdlijn(lijst),
        "kan_beheren": beheren,
        "binnenkort_dagen": BINNENKORT_DAGEN,
    }


# --- Mijn signalen ----------------------------------------------------------------------------


def _ensure_signalen(user: Any) -> None:
    vereis(user, "signaal.bekijken")


def signalen(request: HttpRequest) -> HttpResponse:
    """The current user's own signals, newest first; open ones unless asked otherwise."""
    user = cast(User, request.user)
    _ensure_signalen(user)
    status = request.GET.get("status", "open")
    if status not in selectors.SIGNAAL_STATUSSEN:
        status = "open"
    soort = request.GET.get("soort", "")
    if soort not in SignaalSoort.values:
        soort = ""
    qs = selectors.signalen_voor(user, status=status, soort=soort)
    page = Paginator(qs, SIGNALEN_PAGE_SIZE).get_page(request.GET.get("pagina"))
    querystring = urlencode({k: v for k, v in (("status", status), ("soort", soort)) if v})
    context = {
        "page": page,
        "status": status,
        "soort": soort,
        "querystring": querystring,
        "statussen": [
            ("open", _("Open")),
            ("afgehandeld", _("Handled")),
            ("alle", _("All")),
        ],
        "soorten": SignaalSoort.choices,
        "kan_afhandelen": mag(user, "signaal.afhandelen"),
    }
    return render(request, "cases/signalen.html", context)


@require_POST
def signalen_afhandelen(request: HttpRequest) -> HttpResponse:
    """Mark one signal (``signaal``) or the selected ones (``signalen``) handled. Someone else's
    signal is refused (403); one the user does not reach is not found (404), as in the API."""
    user = cast(User, request.user)
    _ensure_signalen(user)
    vereis(user, "signaal.afhandelen")  # a read-only role, before any lookup
    gekozen = (
        [request.POST["signaal"]]
        if request.POST.get("signaal")
        else request.POST.getlist("signalen")
    )
    back = request.POST.get("terug", "")
    target = reverse("cases:signalen") + (f"?{back}" if back else "")
    try:
        uuids = {uuid_lib.UUID(value) for value in gekozen}
    except ValueError as exc:
        raise Http404(_("No signal found.")) from exc
    if not uuids:
        messages.error(request, _("Select at least one signal."))
        return redirect(target)
    ids = signalen_om_af_te_handelen(user, uuids)  # 404 not reached, 403 someone else's
    count = termijnen.signalen_afhandelen(user=user, signaal_ids=ids)
    messages.success(
        request,
        ngettext("%(count)d signal marked handled.", "%(count)d signals marked handled.", count)
        % {"count": count},
    )
    return redirect(target)


# --- The teamleider's overview ------------------------------------------------------------------


@dataclass
class Snede:
    """The slice of the overview's matrix the drill-down shows (validated parameters)."""

    werkcoach: str  # a werkcoach's uuid, "geen" or "" (every werkcoach)
    regel: str  # a rule code or "" (every rule)
    status: str  # "verlopen", "binnenkort" or "" (both)
    werkcoach_naam: str
    regel_naam: str

    @property
    def querystring(self) -> str:
        return selectors.snede_querystring(self.werkcoach, self.regel, self.status)

    @property
    def cel(self) -> str:
        """The matrix cell (or total) this slice is, to mark it chosen."""
        return selectors.snede_querystring(self.werkcoach, self.regel)


def _snede(params: Any, overzicht: selectors.Overzicht) -> tuple[Snede | None, str, bool]:
    """The slice asked for in the query string: (slice or None, message, malformed). No
    parameter means no slice. A werkcoach is known by the matrix itself, so a uuid of a
    werkcoach outside the user's dossiers gives the same answer as one without deadlines."""
    werkcoach = params.get("werkcoach", "").strip()
    regel = params.get("regel", "").strip()
    status = params.get("status", "").strip()
    if not (werkcoach or regel or status):
        return None, "", False
    if regel and regel not in registry.codes() and regel not in dict(overzicht.regels):
        return None, _("Unknown rule in the link; showing the whole overview."), True
    if status and status not in selectors.SNEDE_STATUSSEN:
        return None, _("Unknown status in the link; showing the whole overview."), True
    if werkcoach == "alle":
        werkcoach = ""
    if werkcoach and werkcoach != "geen":
        try:
            werkcoach = str(uuid_lib.UUID(werkcoach))
        except ValueError:
            return None, _("Unknown werkcoach in the link; showing the whole overview."), True
        if werkcoach not in overzicht.namen:
            return (
                None,
                _(
                    "No overdue or soon-due deadlines of this werkcoach in the dossiers you may "
                    "see; showing the whole overview."
                ),
                False,
            )
    naam = overzicht.namen.get(werkcoach, _("Unassigned")) if werkcoach else _("all werkcoaches")
    snede = Snede(
        werkcoach=werkcoach,
        regel=regel,
        status=status,
        werkcoach_naam=naam,
        regel_naam=overzicht.omschrijving(regel) if regel else _("all rules"),
    )
    return snede, "", False


def termijnen_overzicht(request: HttpRequest) -> HttpResponse:
    """Overdue and soon-due termijnen of the team's dossiers, counted per werkcoach and rule;
    a count links to its slice (``?werkcoach=&regel=&status=``), listed below it by due date,
    a page at a time. Without a chosen slice no list: the page never lists every row. A fixed
    number of queries: the matrix (from the kept counts), the last run and — with a slice — one
    page, counted by the matrix."""
    user = cast(User, request.user)
    vereis(user, "termijnen.overzicht")
    overzicht = selectors.termijnen_overzicht(user)
    snede, melding, fout = _snede(request.GET, overzicht)
    page = None
    if snede is not None:
        qs = selectors.overzicht_termijnen(
            user, werkcoach=snede.werkcoach, regel=snede.regel, status=snede.status
        )
        paginator = Paginator(qs, selectors.OVERZICHT_PAGE_SIZE)
        # the matrix has counted the slice already: no second count over the clocks
        paginator.count = overzicht.aantal(snede.werkcoach, snede.regel, snede.status)
        page = paginator.get_page(request.GET.get("pagina"))
    context = {
        "overzicht": overzicht,
        "snede": snede,
        "melding": melding,
        "page": page,
        "querystring": snede.querystring if snede else "",
        "gekozen_cel": snede.cel if snede else "",
        "run": laatste_run(),
        "binnenkort_dagen": BINNENKORT_DAGEN,
        "grafiek_label": presentatie.GRAFIEK_LABEL,
    }
    return render(request, "cases/termijnen_overzicht.html", context, status=400 if fout else 200)
