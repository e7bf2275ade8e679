from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KalenderConfig(AppConfig):
    name = "inburgering.kalender"
    label = "kalender"
    verbose_name = _("Calendar (Algemene termijnenwet)")
