from django.urls import path

from . import views

app_name = "pip_plans"

urlpatterns = [
    path("goedkeuren/", views.wachtrij, name="wachtrij"),
    path("dossier/<uuid:dossier_uuid>/intake/", views.intake_starten, name="intake-starten"),
    path("dossier/<uuid:dossier_uuid>/nieuw/", views.pip_aanmaken, name="pip-aanmaken"),
    path("intake/<uuid:intake_uuid>/", views.intake_detail, name="intake"),
    path("intake/<uuid:intake_uuid>/gesprek/", views.intake_gesprek, name="intake-gesprek"),
    path("intake/<uuid:intake_uuid>/gegevens/", views.intake_bijwerken, name="intake-bijwerken"),
    path(
        "intake/<uuid:intake_uuid>/domein/<slug:domein>/",
        views.intake_domein,
        name="intake-domein",
    ),
    path("intake/<uuid:intake_uuid>/kind/", views.intake_kind, name="intake-kind"),
    path("intake/<uuid:intake_uuid>/afronden/", views.intake_afronden, name="intake-afronden"),
    path("<uuid:pip_uuid>/", views.pip_detail, name="pip"),
    path("<uuid:pip_uuid>/status/", views.pip_status, name="pip-status"),
    path(
        "<uuid:pip_uuid>/ter-ondertekening/",
        views.pip_ter_ondertekening,
        name="pip-ter-ondertekening",
    ),
    path("<uuid:pip_uuid>/goedkeuren/", views.pip_goedkeuren, name="pip-goedkeuren"),
    path("<uuid:pip_uuid>/terugsturen/", views.pip_terugsturen, name="pip-terugsturen"),
    path("<uuid:pip_uuid>/vaststellen/", views.pip_vaststellen, name="pip-vaststellen"),
    path("<uuid:pip_uuid>/nieuwe-versie/", views.pip_nieuwe_versie, name="pip-nieuwe-versie"),
    path("<uuid:pip_uuid>/route-switch/", views.pip_route_switch, name="pip-route-switch"),
    path("<uuid:pip_uuid>/afschalen/", views.pip_afschalen, name="pip-afschalen"),
    path("<uuid:pip_uuid>/preview.pdf", views.pip_preview, name="pip-preview"),
    path("<uuid:pip_uuid>/beschikking.pdf", views.pip_download, name="pip-download"),
]
