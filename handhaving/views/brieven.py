"""The letters on screen: the preview, the download of a sent letter, a failed notice made again."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inburgering.core.access import vereis
from inburgering.documents.responses import document_response, pdf_response

from .. import services
from ..constants import BriefSoort
from ..policy import brieven_for
from ._gemeen import BEHANDELEN, _procedure_or_404, _user

logger = logging.getLogger(__name__)


# --- letters ----------------------------------------------------------------------------------


@require_GET
def brief_voorbeeld(request: HttpRequest, uuid: Any, soort: str) -> HttpResponse:
    """The letter as it would be sent, rendered now and not stored."""
    procedure = _procedure_or_404(request, uuid)
    if soort not in BriefSoort.values:
        raise Http404(_("No such letter."))
    from ..brieven import voorbeeld_pdf  # renders a PDF: imported where one is made

    try:
        pdf_bytes = voorbeeld_pdf(procedure, soort)
    except Exception as exc:  # show why instead of a server error; nothing is stored
        logger.exception("preview of letter %s of procedure %s failed", soort, procedure.pk)
        messages.error(
            request,
            _("The preview could not be produced: %(fout)s")
            % {"fout": f"{exc.__class__.__name__}: {exc}"},
        )
        return redirect("handhaving:procedure", uuid=procedure.uuid)
    return pdf_response(pdf_bytes, f"voorbeeld-{soort}-{procedure.dossier.gemeente.cbs_code}.pdf")


@require_GET
def brief_download(request: HttpRequest, uuid: Any) -> FileResponse:
    """A sent letter, only for users who may see the procedure."""
    brief = brieven_for(request.user).filter(uuid=uuid).first()
    if brief is None or not brief.pdf:
        raise Http404(_("No such letter."))
    return document_response(brief.pdf, f"{brief.kenmerk}.pdf")


@require_POST
def brief_opnieuw(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A notice (no fine, withdrawal) that could not be made, made again."""
    brief = brieven_for(request.user).select_related("procedure__dossier").filter(uuid=uuid).first()
    if brief is None:
        raise Http404(_("No such letter."))
    vereis(request.user, BEHANDELEN, brief)
    try:
        services.brief_opnieuw_maken(user=_user(request), brief=brief)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The letter is being made again."))
    return redirect("handhaving:procedure", uuid=brief.procedure.uuid)
