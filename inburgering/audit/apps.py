from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The accountability log (Logboek Dataverwerkingen): one record per data subject and action
    of every read and write of personal data, a separate audit record of who did it, both
    append-only and hash-chained; trace ids (W3C ``traceparent``) through requests and tasks."""

    name = "inburgering.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from . import activiteiten, logboek, policy

        activiteiten.registreer_platform()
        logboek.koppelen()
        policy.registreren()
