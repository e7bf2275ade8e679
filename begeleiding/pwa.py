"""The begeleider's offline app (an installable web app, issue 12): its page (the app shell),
service worker and web app manifest.

The page lists the begeleider's clients from the API (``/api/v1/aanmeldingen?status=loopt``)
and keeps them in IndexedDB with the drafts of new contacts (an outbox); the drafts are posted
to ``/api/v1/contactmomenten`` with a uuid made on the device, so a replay creates a contact once
(``static/begeleiding/app.js``). The service worker (Workbox, served from our own origin)
precaches the shell's static files and keeps the last page it fetched, network first; it never
caches an API answer: the data lives in IndexedDB only, which the page wipes at log-out
(``static/begeleiding/uitloggen.js``), when another user logs in on the device and
``BEGELEIDING_OFFLINE_DAGEN`` days after the last contact with the server.

The page is the begeleider's only (``begeleiding.startpagina``, else 403). The worker and the
manifest carry no personal data and need no log-in: a browser fetches a manifest without
cookies, and a worker's update check must not turn into the log-in page."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from inburgering.core.access import vereis

from .constants import STANDAARD_OFFLINE_DAGEN
from .forms import ContactForm

# the app's own files and the libraries it uses: precached by the service worker
SHELL_STATIC = (
    "vendor/utrecht/index.css",
    "css/theme.css",
    "css/app.css",
    "begeleiding/app.css",
    "vendor/idb/umd.js",
    "begeleiding/app.js",
    "begeleiding/uitloggen.js",
    "begeleiding/icoon-192.png",
    "begeleiding/icoon-512.png",
)
# the Workbox modules the worker uses (workbox-sw loads each by name)
WORKBOX_MODULES = ("workbox-core", "workbox-precaching", "workbox-routing", "workbox-strategies")
THEMA_KLEUR = "#0b4f8a"  # --inburgering-color-primary (static/css/theme.css)
ACHTERGROND = "#ffffff"  # --inburgering-color-bg
# every name in the device's store and the worker's caches starts with this (uitloggen.js)
OPSLAG_PREFIX = "inburgering-begeleiding"


def offline_dagen() -> int:
    return settings.BEGELEIDING_OFFLINE_DAGEN or STANDAARD_OFFLINE_DAGEN


def _scope() -> str:
    return reverse("begeleiding:app")


def _revisie(pad: str) -> str:
    """A hash of a static file's content, so the worker refetches it when it changes (also
    where the URL carries no hash of its own, as in development)."""
    gevonden = finders.find(pad)
    if isinstance(gevonden, list):
        gevonden = gevonden[0] if gevonden else None
    if gevonden:
        with open(gevonden, "rb") as f:
            inhoud = f.read()
    else:
        with staticfiles_storage.open(pad) as f:
            inhoud = f.read()
    return hashlib.sha256(inhoud).hexdigest()[:16]


def _teksten() -> dict[str, Any]:
    """The texts the page's script shows, in the reader's language (the script has no
    catalogue of its own; these travel with the cached page)."""

    return {
        "online": _("Online"),
        "offline": _("Offline: what you record is kept on this device and sent later."),
        "nooitGesynchroniseerd": _("Not yet loaded on this device."),
        "laatstBijgewerkt": _("Last updated from the server: %(tijd)s"),
        "geenClienten": _("No running begeleidingen."),
        "clientenLaden": _("Loading your clients…"),
        "clientenFout": _("The client list could not be loaded: %(reden)s"),
        # a plural as its form for 1 and for more (Dutch and English have two; %(n)s is
        # filled in by the script). Literal in each call, so makemessages finds them.
        "wachtend": {
            "een": ngettext(
                "%(n)s contact is waiting to be sent", "%(n)s contacts are waiting to be sent", 1
            ),
            "meer": ngettext(
                "%(n)s contact is waiting to be sent", "%(n)s contacts are waiting to be sent", 2
            ),
        },
        "nietsWachtend": _("Nothing is waiting to be sent."),
        "status": {
            "wacht": _("waiting"),
            "bezig": _("sending"),
            "verzonden": _("sent"),
            "fout": _("error"),
            "conflict": _("conflict"),
        },
        "foutMelding": _("error: %(reden)s"),
        "conflictUitleg": _(
            "A contact with this identifier already exists on the server with other content. "
            "Nothing was overwritten. Compare, then discard your version or send it as a "
            "correction."
        ),
        "serverVersie": _("On the server (version %(versie)s)"),
        "jouwVersie": _("Your version"),
        "verwerpen": _("Discard my version"),
        "alsCorrectie": _("Send as a correction"),
        "bewerken": _("Edit"),
        "verwijderen": _("Delete draft"),
        "bevestigVerwijderen": _("Delete this draft? It has not been sent."),
        "opgeslagen": _("Saved on this device. It is sent when there is a connection."),
        "verzondenMelding": _("Sent: %(naam)s, %(tijd)s"),
        "inloggenNodig": _("Your session has ended: log in again to send what is waiting."),
        "inloggen": _("Log in again"),
        "geenVerbinding": _("No connection to the server: sending again later."),
        "serverFout": _("The server could not take it now (%(status)s): sending again later."),
        "nietGevonden": _("This begeleiding is no longer available to you."),
        "verplicht": _("This field is required."),  # Django's own catalogue has it
        "nieuwContactMet": _("New contact with %(naam)s"),
        "bewerkContactMet": _("Edit the draft for %(naam)s"),
        "minuten": {
            "een": ngettext("%(n)s minute", "%(n)s minutes", 1),
            "meer": ngettext("%(n)s minute", "%(n)s minutes", 2),
        },
        "openActies": {
            "een": ngettext("%(n)s open action", "%(n)s open actions", 1),
            "meer": ngettext("%(n)s open action", "%(n)s open actions", 2),
        },
        "contactUiterlijk": _("Next contact due: %(datum)s"),
        "laatsteContact": _("Last contact: %(datum)s"),
        "einde": _("End: %(datum)s"),
        "tolk": _("Interpreter needed: %(taal)s"),
        "taal": _("Language: %(taal)s"),
        "gewist": _("The data on this device was deleted (%(reden)s)."),
        "redenVerlopen": _("not synchronised for too long"),
        "redenAndereGebruiker": _("another user logged in"),
    }


@require_GET
def app(request: HttpRequest) -> HttpResponse:
    """The app shell: the page the worker keeps for offline use. Nothing personal besides the
    user's name and uuid (to wipe the device's store for another user): the clients come from
    the API into IndexedDB."""
    user = request.user
    vereis(user, "begeleiding.startpagina")
    form = ContactForm(id_prefix="app")
    velden = form.contact_velden
    actie = form.actie_rijen[0][1]
    return render(
        request,
        "begeleiding/app/app.html",
        {
            "form": form,
            "velden": velden,
            "actie_velden": actie,
            "config": {
                "gebruiker": str(user.uuid),  # type: ignore[union-attr]
                "offlineDagen": offline_dagen(),
                "csrf": get_token(request),
                "opslag": OPSLAG_PREFIX,
                "scope": _scope(),
                "sw": reverse("begeleiding:sw"),
                "aanmeldingen": "/api/v1/aanmeldingen?status=loopt",
                "contactmomenten": "/api/v1/contactmomenten",
                "inloggen": reverse("login"),
            },
            "teksten": _teksten(),
            "offline_dagen": offline_dagen(),
        },
    )


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker script, scoped to the app (``/begeleiding/app/``). Its precache list names
    each static file with a hash of its content, so a new release replaces the cached shell."""
    precache = [{"url": static(pad), "revision": _revisie(pad)} for pad in SHELL_STATIC]
    modules = {naam: static(f"vendor/workbox/{naam}.prod.js") for naam in WORKBOX_MODULES}
    inhoud = render_to_string(
        "begeleiding/app/sw.js",
        {
            "config": {"scope": _scope()},
            # a JavaScript object literal (JSON is one; a file, not HTML: nothing to escape)
            "config_json": json.dumps(
                {
                    "workboxSw": static("vendor/workbox/workbox-sw.js"),
                    "precache": precache,
                    "modules": modules,
                    "scope": _scope(),
                    "prefix": OPSLAG_PREFIX,
                }
            ),
        },
    )
    response = HttpResponse(inhoud, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = _scope()
    # always asked again, so an update reaches the device on its next visit
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    scope = _scope()
    data = {
        "name": _("Inburgering — visits"),
        "short_name": _("Visits"),
        "description": _(
            "Your clients and the contacts you record, also without a connection "
            "(maatschappelijke begeleiding)."
        ),
        "lang": request.LANGUAGE_CODE,
        "dir": "ltr",
        "id": scope,
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEMA_KLEUR,
        "background_color": ACHTERGROND,
        "icons": [
            *(
                {
                    "src": static(f"begeleiding/icoon-{maat}.png"),
                    "sizes": f"{maat}x{maat}",
                    "type": "image/png",
                    "purpose": "any",
                }
                for maat in (192, 512)
            ),
            # the house sits inside the central 80%: it survives a round or squircle mask
            {
                "src": static("begeleiding/icoon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
