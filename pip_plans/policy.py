"""The brede intake and PIP actions, registered with the platform's engine
(``inburgering.core.access``) from ``PipPlansConfig.ready()``.

Visibility is ``pip_plans.selectors.intakes_for``/``pips_for`` (through
``cases.policy.dossiers_for``): an intake or PIP outside it is a 404. Each action here adds the
role and the dossier's write rule on top: a refusal is a 403 in UI and API alike. The services
refuse with the same rules (``ensure_has_perm`` + ``ensure_can_edit_dossier``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from cases.policy import (
    DOSSIER_WIJZIGEN,
    can_view_medical,
    dossier_van,
    recht_op_dossier,
)
from inburgering.core.access import GEEN_ROL, actie_registreren

MEDISCH = gettext_lazy("Physical and mental health are need-to-know (AVG art. 9).")


def _medisch_bekijken(user: Any, obj: Any) -> bool:
    dossier = dossier_van(obj)
    if user is None:
        return True
    return dossier is not None and can_view_medical(user, dossier)


def _zichtbaar(user: Any, obj: Any) -> bool:
    """Whoever reaches the object (its visibility queryset) may do this."""
    return True


ACTIES: tuple[tuple[str, Any, Any], ...] = (
    ("intake.starten", recht_op_dossier("pip_plans.add_bredeintake"), GEEN_ROL),
    ("intake.bewerken", recht_op_dossier("pip_plans.change_bredeintake"), DOSSIER_WIJZIGEN),
    ("intake.afronden", recht_op_dossier("pip_plans.change_bredeintake"), DOSSIER_WIJZIGEN),
    ("intake.medisch_bekijken", _medisch_bekijken, MEDISCH),
    ("pip.aanmaken", recht_op_dossier("pip_plans.add_pip"), GEEN_ROL),
    ("pip.bewerken", recht_op_dossier("pip_plans.change_pip"), DOSSIER_WIJZIGEN),
    ("pip.ter_ondertekening", recht_op_dossier("pip_plans.change_pip"), DOSSIER_WIJZIGEN),
    ("pip.goedkeuren", recht_op_dossier("pip_plans.goedkeuren_pip"), GEEN_ROL),
    ("pip.terugsturen", recht_op_dossier("pip_plans.goedkeuren_pip"), GEEN_ROL),
    ("pip.wachtrij", recht_op_dossier("pip_plans.goedkeuren_pip"), GEEN_ROL),
    ("pip.vaststellen", recht_op_dossier("pip_plans.change_pip"), DOSSIER_WIJZIGEN),
    ("pip.nieuwe_versie", recht_op_dossier("pip_plans.add_pip"), GEEN_ROL),
    ("pip.route_wijzigen", recht_op_dossier("pip_plans.add_pip"), GEEN_ROL),
    ("pip.afschalen", recht_op_dossier("pip_plans.add_pip"), GEEN_ROL),
    ("pip.downloaden", _zichtbaar, GEEN_ROL),
)


def registreren() -> None:
    """Register the intake and PIP actions with the platform's engine (idempotent)."""
    for naam, predikaat, weigering in ACTIES:
        actie_registreren(naam, predikaat, weigering)
