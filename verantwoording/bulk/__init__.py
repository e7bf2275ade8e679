"""The bulk export of a gemeente's change history and decisions for accountants and the privacy
officer (issue 13): ``export`` prepares and streams it, ``bronnen`` says what it reads, ``views``
is its page. ``registreren()`` (from ``VerantwoordingConfig.ready()``) registers its processing
activity and its action with the platform."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def _mag_exporteren(user: Any, gemeente: Any) -> bool:
    """The export permission, for a member of a municipal team (a partner organisation sees
    single dossiers, never a gemeente), and for one of the user's own gemeenten."""
    from inburgering.core.access import gemeente_ids, heeft_leesrecht, is_partner_user

    from .export import RECHT

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_partner_user(user) or not heeft_leesrecht(user, RECHT):
        return False
    return gemeente is None or gemeente.pk in gemeente_ids(user)


def registreren() -> None:
    """Register the activity (AVG art. 30) and the action ``verantwoording.bulkexport``."""
    from inburgering.audit.activiteiten import Verwerkingsactiviteit, registreer
    from inburgering.core.access import actie_registreren

    from .export import ACTIE, ACTIVITEIT

    registreer(
        Verwerkingsactiviteit(
            code=ACTIVITEIT,
            naam=_("Bulk export for accountability"),
            doel=_(
                "A gemeente's change history and issued decisions over a period, for the "
                "accountant's audit and the privacy officer's supervision."
            ),
            grondslag="AVG art. 5 lid 2, art. 6 lid 1 sub c en e; Gemeentewet art. 213",
            apps=("bulk",),
        )
    )
    actie_registreren(
        ACTIE, _mag_exporteren, _("You may not export this gemeente's history and decisions.")
    )
