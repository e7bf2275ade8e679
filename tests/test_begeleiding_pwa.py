"""The offline app's three views (begeleiding/pwa.py): the page only for begeleiders, the
service worker scoped to the app and never kept stale, the manifest for installing it. What
the worker precaches exists, and nothing personal leaves in the worker or the manifest."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from begeleiding import pwa
from begeleiding.constants import STANDAARD_OFFLINE_DAGEN

APP = "/begeleiding/app/"
SW = "/begeleiding/app/sw.js"
MANIFEST = "/begeleiding/app/manifest.webmanifest"


def _config(response) -> dict:
    gevonden = re.search(
        r'<script id="app-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert gevonden, "the page carries its configuration as JSON"
    return json.loads(gevonden.group(1))


def test_the_begeleider_gets_the_app_shell(world, login):
    client = login(world.begeleider_a)
    response = client.get(APP, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="manifest" href="/begeleiding/app/manifest.webmanifest"' in html
    assert 'id="uitloggen-form"' in html
    assert 'id="app-contact-form"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    for doel in re.findall(r'\sfor="([^"]+)"', html):
        assert doel in ids, f"label for={doel} points at nothing"
    # the fields of a contact (the same form as in the dossier), one follow-up action
    for veld in ("soort_0", "tijdstip", "duur_minuten", "aanwezig_0", "onderwerpen_0", "verslag"):
        assert f'id="id_app-{veld}"' in html
    assert 'id="id_app-actie_1_omschrijving"' in html
    assert 'id="id_app-actie_2_omschrijving"' not in html
    config = _config(response)
    assert config["gebruiker"] == str(world.begeleider_a.uuid)
    assert config["offlineDagen"] == STANDAARD_OFFLINE_DAGEN
    assert config["scope"] == APP
    assert config["aanmeldingen"] == "/api/v1/aanmeldingen?status=loopt"
    assert f'data-offline-dagen="{STANDAARD_OFFLINE_DAGEN}"' in html
    # the page is built by the script from the API: no client's data in the shell
    assert world.dossier_a.inburgeraar.achternaam not in html
    assert world.dossier_a.inburgeraar.bsn not in html
    # personal page: no shared cache may keep it
    assert "no-store" in response["Cache-Control"]


@override_settings(BEGELEIDING_OFFLINE_DAGEN=3)
def test_the_number_of_offline_days_comes_from_the_settings(world, login):
    response = login(world.begeleider_a).get(APP)
    assert _config(response)["offlineDagen"] == 3
    assert 'data-offline-dagen="3"' in response.content.decode()


@pytest.mark.parametrize(
    "wie", ["werkcoach_a", "teamleider_a", "auditor_a", "partner_auditor_a", "beheerder_a"]
)
def test_only_a_begeleider_gets_the_app(world, login, wie):
    response = login(getattr(world, wie)).get(APP)
    assert response.status_code == 403


def test_the_app_asks_an_anonymous_visitor_to_log_in(world, client):
    response = client.get(APP)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_the_service_worker_is_scoped_to_the_app_and_never_kept_stale(world, login):
    response = login(world.begeleider_a).get(SW)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == APP
    assert "no-cache" in response["Cache-Control"]
    js = response.content.decode()
    config = json.loads(re.search(r"^const CONFIG = (\{.*\});$", js, re.M).group(1))
    assert config["workboxSw"] == "/static/vendor/workbox/workbox-sw.js"
    assert "importScripts(CONFIG.workboxSw)" in js
    assert config["scope"] == APP
    # every precached file and every Workbox module is served from our own origin
    urls = [config["workboxSw"], *(p["url"] for p in config["precache"])]
    urls += config["modules"].values()
    assert "/static/begeleiding/app.js" in urls and "/static/vendor/idb/umd.js" in urls
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"
    assert all(len(p["revision"]) == 16 for p in config["precache"])
    # the API is never cached by the worker
    assert "NetworkOnly" in js and "/api/" in js
    assert "storage.googleapis.com" not in js


def test_the_worker_and_the_manifest_need_no_log_in(world, client):
    # a browser fetches a manifest without cookies; an update check must not become a log-in
    assert client.get(SW).status_code == 200
    assert client.get(MANIFEST).status_code == 200
    assert client.post(SW).status_code == 405


def test_the_manifest_makes_the_app_installable(world, client):
    response = client.get(MANIFEST, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == APP
    assert data["scope"] == APP
    assert data["id"] == APP
    assert data["display"] == "standalone"
    assert data["name"] and data["short_name"]
    assert data["theme_color"] == pwa.THEMA_KLEUR
    assert data["background_color"] == pwa.ACHTERGROND
    assert data["lang"] == "nl"
    maten = {i["sizes"] for i in data["icons"] if i["purpose"] == "any"}
    assert maten == {"192x192", "512x512"}
    assert any(i["purpose"] == "maskable" for i in data["icons"])
    for icoon in data["icons"]:
        pad = finders.find(icoon["src"].removeprefix("/static/"))
        assert pad, icoon["src"]
        with open(pad, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_theme_colour_is_the_themes_primary():
    pad = finders.find("css/theme.css")
    with open(pad, encoding="utf-8") as f:
        thema = f.read()
    assert f"--inburgering-color-primary: {pwa.THEMA_KLEUR};" in thema
    assert f"--inburgering-color-bg: {pwa.ACHTERGROND};" in thema
