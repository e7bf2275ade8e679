"""Mounted at ``/verantwoording/export/`` (namespace ``bulk``) by ``inburgering/urls.py``."""

from django.urls import path

from . import views

app_name = "bulk"

urlpatterns = [
    path("", views.export, name="export"),
]
