from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # the hub's own part: the dossier's facts, key dates and history (cases/onderdeel.py);
        # its own timeline event kinds are registered by cases.tijdlijn itself
        from . import onderdeel, policy, tijdlijn, verwerkingen  # noqa: F401

        onderdeel.registreren()
        verwerkingen.registreren()  # changes logged for the person they are about
        policy.registreren()  # this app's actions, with the platform's policy engine
