from django.urls import path

from . import termijn_views, views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("zoeken/", views.zoeken, name="zoeken"),
    path("zoeken/wissen/", views.zoeken_wissen, name="zoeken-wissen"),
    path("toewijzen/", views.toewijzen, name="toewijzen"),
    path("nieuw/", views.dossier_nieuw, name="nieuw"),
    path("signalen/", termijn_views.signalen, name="signalen"),
    path("signalen/afhandelen/", termijn_views.signalen_afhandelen, name="signalen-afhandelen"),
    path("termijnen/", termijn_views.termijnen_overzicht, name="termijnen-overzicht"),
    path("<uuid:uuid>/", views.dossier_detail, name="dossier"),
    path("<uuid:uuid>/bewerken/", views.dossier_bewerken, name="bewerken"),
    path("<uuid:uuid>/persoon/", views.persoon_bewerken, name="persoon-bewerken"),
    path("<uuid:uuid>/fase/", views.dossier_fase, name="fase"),
    path("<uuid:uuid>/verhuizen/", views.dossier_verhuizen, name="verhuizen"),
    path("<uuid:uuid>/notitie/", views.dossier_notitie, name="notitie"),
    path(
        "<uuid:uuid>/termijnen/<uuid:termijn>/verlengen/",
        views.termijn_verlengen,
        name="termijn-verlengen",
    ),
    path(
        "<uuid:uuid>/termijnen/<uuid:termijn>/gehaald/",
        views.termijn_gehaald,
        name="termijn-gehaald",
    ),
    # a section of the dossier (hub.Sectie.code); after the fixed paths above, whose names the
    # hub keeps free (hub.GERESERVEERDE_PADEN)
    path("<uuid:uuid>/<slug:sectie>/", views.dossier_detail, name="dossier-sectie"),
]
