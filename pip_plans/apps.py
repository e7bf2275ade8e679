from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipPlansConfig(AppConfig):
    name = "pip_plans"
    verbose_name = _("Brede intake and PIP")

    def ready(self) -> None:
        from . import termijnregels  # noqa: F401  (registers this app's termijn rules)
