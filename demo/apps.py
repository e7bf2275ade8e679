from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data across every domain (``manage.py demo_data``). The composition root of the
    demo: it may import every app; no app imports it."""

    name = "demo"
    verbose_name = _("Demo data")
