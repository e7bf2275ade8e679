from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("controles/", views.controles, name="controles"),
    path("controles/starten/", views.controle_starten, name="controle-starten"),
    path("controles/<int:pk>/afhandelen/", views.afhandelen, name="afhandelen"),
]
