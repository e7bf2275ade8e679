from django.urls import path

from . import pwa, views

app_name = "begeleiding"

_A = "aanmeldingen/<uuid:uuid>/"

urlpatterns = [
    # the begeleider's start page ("Mijn cliënten") and the coördinator's referrals
    path("", views.start, name="start"),
    path("aanmeldingen/", views.aanmeldingen, name="aanmeldingen"),
    # the dossier section's forms (each posts to its own URL and calls one service)
    path("dossiers/<uuid:dossier_uuid>/aanmelden/", views.aanmelden, name="aanmelden"),
    path(f"{_A}accepteren/", views.accepteren, name="accepteren"),
    path(f"{_A}afwijzen/", views.afwijzen, name="afwijzen"),
    path(f"{_A}toewijzen/", views.toewijzen, name="toewijzen"),
    path(f"{_A}intrekken/", views.intrekken, name="intrekken"),
    path(f"{_A}einddatum/", views.einddatum, name="einddatum"),
    path(f"{_A}evaluatie/", views.evaluatie, name="evaluatie"),
    path(f"{_A}contact/", views.contact_vastleggen, name="contact-vastleggen"),
    path(f"{_A}afsluiten/", views.afsluiten, name="afsluiten"),
    path(
        "contactmomenten/<uuid:uuid>/corrigeren/",
        views.contact_corrigeren,
        name="contact-corrigeren",
    ),
    path(
        "contactmomenten/<uuid:uuid>/signaal-opgevolgd/",
        views.signaal_opvolgen,
        name="signaal-opvolgen",
    ),
    path(
        "vervolgacties/<uuid:uuid>/afgerond/",
        views.vervolgactie_afronden,
        name="vervolgactie-afronden",
    ),
    # the offline app (PWA): its shell, service worker and manifest
    path("app/", pwa.app, name="app"),
    path("app/sw.js", pwa.service_worker, name="sw"),
    path("app/manifest.webmanifest", pwa.manifest, name="manifest"),
]
