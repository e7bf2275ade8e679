from django.urls import path

from . import wie_keek
from .bundel import views as bundel
from .inzage import views as inzage

app_name = "verantwoording"

urlpatterns = [
    path("personen/<uuid:uuid>/verwerkingen/", wie_keek.verwerkingen, name="wie-keek"),
    # the evidence bundle of a dossier
    path("dossiers/<uuid:uuid>/bewijsbundels/", bundel.dossier_bundels, name="dossier-bundels"),
    path("bewijsbundels/<uuid:uuid>/", bundel.bundel, name="bundel"),
    path("bewijsbundels/<uuid:uuid>/status/", bundel.bundel_status, name="bundel-status"),
    path("bewijsbundels/<uuid:uuid>/download/", bundel.bundel_download, name="bundel-download"),
    # the answer to an inzageverzoek (AVG art. 15)
    path("inzageverzoeken/", inzage.lijst, name="inzage-lijst"),
    path("inzageverzoeken/<uuid:uuid>/", inzage.verzoek, name="inzage"),
    path("inzageverzoeken/<uuid:uuid>/status/", inzage.verzoek_status, name="inzage-status"),
    path("inzageverzoeken/<uuid:uuid>/download/", inzage.download, name="inzage-download"),
]
