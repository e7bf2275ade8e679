from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """No models: an app so Celery's autodiscovery finds ``documents.tasks``."""

    name = "inburgering.documents"
    label = "documents"
    verbose_name = _("Decision documents")
