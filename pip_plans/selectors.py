"""Reads for the intake and PIP, through the access policy. Medical domains are filtered here,
so every view, API endpoint, export and PDF that lists domains gets the same answer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cases.models import Dossier
from inburgering.core.access import can_view_medical, dossiers_for

from .constants import MEDISCHE_DOMEINEN
from .models import BredeIntake, DomeinBeoordeling, Pip


def intakes_for(user: Any) -> QuerySet[BredeIntake]:
    return BredeIntake.objects.filter(dossier__in=dossiers_for(user)).select_related(
        "dossier__inburgeraar", "dossier__gemeente"
    )


def pips_for(user: Any) -> QuerySet[Pip]:
    return Pip.objects.filter(dossier__in=dossiers_for(user)).select_related(
        "dossier__inburgeraar", "dossier__gemeente", "vorige_versie"
    )


def domeinen_voor(user: Any, intake: BredeIntake) -> QuerySet[DomeinBeoordeling]:
    """The domain assessments this user may read: medical ones only with need-to-know."""
    qs = DomeinBeoordeling.objects.filter(intake=intake)
    if user is not None and not can_view_medical(user, intake.dossier):
        qs = qs.exclude(domein__in=MEDISCHE_DOMEINEN)
    return qs.order_by("id")


def teamleider_wachtrij(user: Any) -> QuerySet[Pip]:
    """PIPs awaiting a teamleider's approval, oldest first."""
    return pips_for(user).filter(status="ter_ondertekening").order_by("gewijzigd_op")


def dossier_intake(dossier: Dossier) -> BredeIntake | None:
    return BredeIntake.objects.filter(dossier=dossier).first()
