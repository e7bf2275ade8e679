"""Shared by the intake and PIP screens: lookups through the access policy, flash messages."""

from __future__ import annotations

import logging
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from cases.models import Dossier
from cases.policy import can_edit_dossier
from inburgering.accounts.models import User

from .. import selectors
from ..models import BredeIntake, Pip

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
