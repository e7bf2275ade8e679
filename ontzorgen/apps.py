from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OntzorgenConfig(AppConfig):
    name = "ontzorgen"
    verbose_name = _("Ontzorgen")

    def ready(self) -> None:
        from . import termijnregels  # noqa: F401  (registers this app's termijn rules)
