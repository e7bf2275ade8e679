from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerantwoordingConfig(AppConfig):
    """Accountability over the dossier hub: the auditor's evidence bundle, the bulk export,
    the inzageverzoek and the "who looked at this person" page (the platform's log lives in
    ``inburgering.audit``)."""

    name = "verantwoording"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        from . import bulk, policy

        bulk.registreren()
        policy.registreren()
