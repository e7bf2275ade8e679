from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandhavingConfig(AppConfig):
    name = "handhaving"
    verbose_name = _("Handhaving")
