"""The export page: a form, and on submit the download (CSV streamed, XLSX from a temporary
file). Access through the action engine (``verantwoording.bulkexport``): a 403 for anyone
without the export permission, whatever they may see otherwise."""

from __future__ import annotations

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from inburgering.accounts.tweefactor import herbevestiging_vereist
from inburgering.core.access import vereis

from .export import ACTIE, ACTIVITEIT, csv_stroom, export_voorbereiden, xlsx_bestand
from .forms import ExportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
@herbevestiging_vereist
def export(request: HttpRequest) -> HttpResponseBase:
    vereis(request.user, ACTIE)
    request.audit_activiteit = ACTIVITEIT  # type: ignore[attr-defined]
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        voorbereid = export_voorbereiden(
            user=request.user,
            gemeente=data["gemeente"],
            van=data["van"],
            tot=data["tot"],
            soort=data["soort"],
        )
        ouder = getattr(request, "audit_span", None)
        if ouder is not None:
            ouder.altijd = True  # the request for an export is always on record
        if data["formaat"] == "xlsx":
            # built inside the request's span: the export's span is its child
            bestand = xlsx_bestand(voorbereid)
            response: HttpResponseBase = FileResponse(
                bestand,
                as_attachment=True,
                filename=voorbereid.bestandsnaam("xlsx"),
                content_type=XLSX,
            )
        else:
            # streamed after the request's span has ended: a child span in the same trace
            response = StreamingHttpResponse(
                csv_stroom(voorbereid, span_context=ouder.context.kind() if ouder else None),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="{voorbereid.bestandsnaam("csv")}"'
            )
        response["Cache-Control"] = "no-store"
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "verantwoording/bulk/export.html", {"form": form}, status=status)
