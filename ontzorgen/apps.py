from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OntzorgenConfig(AppConfig):
    name = "ontzorgen"
    verbose_name = _("Ontzorgen")

    def ready(self) -> None:
        from cases.hub import Onderdeel, hub

        from .termijnregels import ONTZORGEN

        hub.registreer(Onderdeel(app="ontzorgen", termijnregels=(ONTZORGEN,)))
