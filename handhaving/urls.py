from django.urls import path

from . import views

app_name = "handhaving"

_P = "procedures/<uuid:uuid>/"

urlpatterns = [
    path("goedkeuren/", views.wachtrij, name="wachtrij"),
    path("overzicht/", views.overzicht, name="overzicht"),
    path(
        "dossiers/<uuid:dossier_uuid>/verzuim/",
        views.verzuim_vastleggen,
        name="verzuim-vastleggen",
    ),
    path(
        "intakegesprekken/<int:gesprek_id>/starten/",
        views.handhaving_starten,
        name="handhaving-starten",
    ),
    path(_P, views.procedure_detail, name="procedure"),
    path(f"{_P}status/", views.procedure_status, name="procedure-status"),
    path(f"{_P}gesprek/", views.gesprek, name="gesprek"),
    path(f"{_P}rapport/", views.rapport, name="rapport"),
    path(f"{_P}voornemen/", views.voornemen, name="voornemen"),
    path(f"{_P}zienswijze/", views.zienswijze, name="zienswijze"),
    path(f"{_P}geen-boete/", views.geen_boete, name="geen-boete"),
    path(f"{_P}pw-maatregel/", views.pw_maatregel, name="pw-maatregel"),
    path(f"{_P}boete/", views.boete, name="boete"),
    path(f"{_P}ter-goedkeuring/", views.ter_goedkeuring, name="ter-goedkeuring"),
    path(f"{_P}goedkeuren/", views.goedkeuren, name="goedkeuren"),
    path(f"{_P}terugsturen/", views.terugsturen, name="terugsturen"),
    path(f"{_P}versturen/", views.versturen, name="versturen"),
    path(f"{_P}bezwaar/", views.bezwaar, name="bezwaar"),
    path(f"{_P}bezwaar-beslissen/", views.bezwaar_beslissen, name="bezwaar-beslissen"),
    path(f"{_P}betaalstatus/", views.betaalstatus, name="betaalstatus"),
    path(f"{_P}intrekken/", views.intrekken, name="intrekken"),
    path(f"{_P}voorbeeld/<slug:soort>.pdf", views.brief_voorbeeld, name="brief-voorbeeld"),
    path("brieven/<uuid:uuid>.pdf", views.brief_download, name="brief-download"),
    path("brieven/<uuid:uuid>/opnieuw/", views.brief_opnieuw, name="brief-opnieuw"),
]
