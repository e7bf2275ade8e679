from django.urls import path

from . import views

app_name = "bewaring"

urlpatterns = [
    path("", views.overzicht, name="overzicht"),
    path("voorstellen/", views.voorstellen, name="voorstellen"),
    path("rondes/<uuid:uuid>/", views.ronde_detail, name="ronde"),
    path("rondes/<uuid:uuid>/goedkeuren/", views.goedkeuren, name="goedkeuren"),
    path("rondes/<uuid:uuid>/afwijzen/", views.afwijzen, name="afwijzen"),
    path("rondes/<uuid:uuid>/verklaring/", views.verklaring, name="verklaring"),
    path("rondes/<uuid:uuid>/verklaring.pdf", views.verklaring_pdf, name="verklaring-pdf"),
    path("dossiers/<uuid:uuid>/", views.dossier, name="dossier"),
    path(
        "dossiers/<uuid:uuid>/blokkades/<uuid:blokkade_uuid>/opheffen/",
        views.opheffen,
        name="opheffen",
    ),
]
