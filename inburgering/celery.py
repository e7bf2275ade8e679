"""The Celery application: Redis broker and result backend, tasks autodiscovered per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inburgering.settings.dev")

app = Celery("inburgering")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
