from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipPlansConfig(AppConfig):
    name = "pip_plans"
    verbose_name = _("Brede intake and PIP")

    def ready(self) -> None:
        # this app's part of the dossier hub: facts, termijn rules, key dates, section, API
        # fields and links, history sources and timeline event kinds (pip_plans/onderdeel.py)
        from . import onderdeel, policy

        onderdeel.registreren()
        policy.registreren()  # this app's actions, with the platform's policy engine
        from . import documenten  # noqa: F401  (registers the beschikking with inburgering.documents)
