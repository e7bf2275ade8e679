from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("zoeken/", views.zoeken, name="zoeken"),
    path("zoeken/wissen/", views.zoeken_wissen, name="zoeken-wissen"),
    path("toewijzen/", views.toewijzen, name="toewijzen"),
    path("nieuw/", views.dossier_nieuw, name="nieuw"),
    path("<uuid:uuid>/", views.dossier_detail, name="dossier"),
    path("<uuid:uuid>/bewerken/", views.dossier_bewerken, name="bewerken"),
    path("<uuid:uuid>/persoon/", views.persoon_bewerken, name="persoon-bewerken"),
    path("<uuid:uuid>/fase/", views.dossier_fase, name="fase"),
    path("<uuid:uuid>/verhuizen/", views.dossier_verhuizen, name="verhuizen"),
    path("<uuid:uuid>/notitie/", views.dossier_notitie, name="notitie"),
]
