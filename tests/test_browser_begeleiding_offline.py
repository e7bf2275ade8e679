"""The begeleider's offline app in Chromium at 390×844, in Dutch (issue 12, "Works offline on a
phone"): online the client list loads and is kept in IndexedDB; offline (``set_offline``) the
app still opens from the service worker's cache with that list, a visit is drafted into the
outbox ("1 contact wacht op verzending"); back online it is sent, and exactly one contact exists
with the draft's uuid — also after the same draft is sent again (a lost answer, replayed). A
refusal (400) keeps the draft with its reasons at the fields; a conflict (409) shows the server's
version and is resolved as a correction. Log-out (and another user on the device) wipes the
store. axe-core (WCAG 2.x A/AA) finds nothing on the app, online and offline.

Assertions are on ids and data attributes, not on wording (the Dutch catalogue is merged
separately). The live server runs on ``localhost``: a secure context for service workers."""

from __future__ import annotations

import re
import uuid as uuidlib

import pytest
from django.utils import translation
from django.utils.translation import ngettext
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from begeleiding.constants import STANDAARD_OFFLINE_DAGEN
from begeleiding.models import Aanmelding, Contactmoment, Vervolgactie

from .begeleiding_helpers import contact
from .factories import PASSWORD
from .test_browser_begeleiding import _axe

pytestmark = pytest.mark.browser

TELEFOON = {"width": 390, "height": 844}
APP = "/begeleiding/app/"
DB = "inburgering-begeleiding"

# reads a store of the app's IndexedDB without creating the database when it is not there
LEES_STORE = """async ([naam, store]) => {
  const namen = (await indexedDB.databases()).map(d => d.name);
  if (!namen.includes(naam)) return null;
  return await new Promise((klaar, fout) => {
    const v = indexedDB.open(naam);
    v.onerror = () => fout(v.error);
    v.onsuccess = () => {
      const db = v.result;
      if (!db.objectStoreNames.contains(store)) { db.close(); klaar([]); return; }
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => { db.close(); klaar(r.result); };
      r.onerror = () => { db.close(); fout(r.error); };
    };
  });
}"""

# as if the answer to an earlier send had been lost: the draft is waiting again
OPNIEUW_WACHTEN = """async ([naam, uuid]) => await new Promise((klaar, fout) => {
  const v = indexedDB.open(naam);
  v.onsuccess = () => {
    const db = v.result;
    const tx = db.transaction("outbox", "readwrite");
    const s = tx.objectStore("outbox");
    const r = s.get(uuid);
    r.onsuccess = () => { const item = r.result; item.status = "wacht"; s.put(item); };
    tx.oncomplete = () => { db.close(); klaar(true); };
    tx.onerror = () => fout(tx.error);
  };
})"""


# as if the last contact with the server were this many days ago
SYNC_TERUGZETTEN = """async ([naam, dagen]) => await new Promise((klaar, fout) => {
  const v = indexedDB.open(naam);
  v.onsuccess = () => {
    const db = v.result;
    const tx = db.transaction("meta", "readwrite");
    const op = new Date(Date.now() - dagen * 24 * 60 * 60 * 1000).toISOString();
    tx.objectStore("meta").put({sleutel: "sync", op});
    tx.oncomplete = () => { db.close(); klaar(op); };
    tx.onerror = () => fout(tx.error);
  };
})"""


def _inloggen(context, base: str, username: str) -> Page:
    page = context.new_page()
    page.goto(f"{base}/inloggen/?next={APP}")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{APP}")
    return page


def _context(browser):
    context = browser.new_context(locale="nl-NL", viewport=TELEFOON, service_workers="allow")
    csp: list[str] = []
    context.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    return context, csp


def _klaar(page: Page) -> None:
    """The app has started, synchronised, and the worker controls the page with the shell
    in its cache."""
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-klaar", "1")
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-sync", "klaar")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "async () => !!(await caches.match('/begeleiding/app/'))"
        " && !!(await caches.match('/static/begeleiding/app.js', {ignoreSearch: true}))"
    )


def _store(page: Page, store: str) -> list | None:
    return page.evaluate(LEES_STORE, [DB, store])


def _aanmelding(dossier) -> Aanmelding:
    with scopes_disabled():
        return Aanmelding.objects.get(dossier=dossier)


def _contacten(uuid: str) -> int:
    with scopes_disabled():
        return Contactmoment.objects.filter(uuid=uuid).count()


def _draft(page: Page, aanmelding: Aanmelding, verslag: str, *, signaal: bool = False) -> str:
    """Fill in "Nieuw contact" for this client and save it; returns the draft's uuid."""
    voor = {i["uuid"] for i in _store(page, "outbox") or []}
    page.locator(
        f"#clienten-lijst li[data-aanmelding='{aanmelding.uuid}'] .app-client__nieuw"
    ).click()
    expect(page.locator("#contact-paneel")).to_be_visible()
    expect(page.locator("#contact-kop")).to_be_focused()
    page.locator("#id_app-soort_0").check()  # huisbezoek
    expect(page.locator("#id_app-tijdstip")).not_to_have_value("")
    page.fill("#id_app-duur_minuten", "45")
    page.locator("#id_app-aanwezig_0").check()  # tolk
    page.locator("#id_app-onderwerpen_0").check()  # wonen
    page.fill("#id_app-verslag", verslag)
    if signaal:
        page.locator("#id_app-signaal_werkcoach").check()
    page.fill("#id_app-actie_1_omschrijving", "Huurtoeslag aanvragen")
    page.select_option("#id_app-actie_1_eigenaar", "begeleider")
    page.fill("#id_app-actie_1_deadline", "2099-01-31")
    page.locator("#contact-bewaren").click()
    expect(page.locator("#contact-paneel")).to_be_hidden()
    nieuw = [i["uuid"] for i in _store(page, "outbox") if i["uuid"] not in voor]
    assert len(nieuw) == 1
    return nieuw[0]


def test_offline_draft_is_sent_once_when_the_connection_returns(live_server, world, browser):
    base = live_server.url
    assert base.startswith("http://localhost:"), "a service worker needs a secure context"
    aanmelding = _aanmelding(world.dossier_a)
    andere = _aanmelding(world.dossier_a2)  # begeleider A2's client
    context, csp = _context(browser)
    page = _inloggen(context, base, world.begeleider_a.username)
    schendingen: list[dict] = []

    # 1. online: the client list loads and is kept on the device
    _klaar(page)
    expect(page.locator("#verbinding")).to_have_attribute("data-online", "1")
    kaart = page.locator(f"#clienten-lijst li[data-aanmelding='{aanmelding.uuid}']")
    expect(kaart).to_be_visible()
    expect(page.locator(f"#clienten-lijst li[data-aanmelding='{andere.uuid}']")).to_have_count(0)
    expect(page.locator("#gesynchroniseerd")).not_to_have_attribute("data-op", "")
    clienten = _store(page, "clienten")
    assert [c["uuid"] for c in clienten] == [str(aanmelding.uuid)]
    # only what the list shows: no BSN, nothing medical
    persoon = world.dossier_a.inburgeraar
    assert set(clienten[0]) == {
        "uuid", "status", "dossier", "persoon", "organisatie", "begeleider", "startdatum",
        "einddatum", "afspraken", "voorPartner", "laatsteContact", "contactUiterlijk",
        "openVervolgacties",
    }  # fmt: skip
    assert set(clienten[0]["persoon"]) == {
        "naam", "telefoonnummer", "taal", "tolkNodig", "tolkTaal", "woonadres",
    }  # fmt: skip
    assert persoon.bsn not in page.evaluate("() => JSON.stringify(localStorage)")
    assert persoon.bsn not in str(clienten)
    assert {m["sleutel"]: m for m in _store(page, "meta")}["eigenaar"]["gebruiker"] == str(
        world.begeleider_a.uuid
    )
    schendingen += _axe(page, "app-online")

    # 2. offline: the app opens from the worker's cache, the list from IndexedDB
    context.set_offline(True)
    antwoord = page.reload()
    assert antwoord is not None and antwoord.from_service_worker
    # really offline, through the worker too: the API cannot be reached and nothing is cached
    assert (
        page.evaluate(
            "() => fetch('/api/v1/aanmeldingen?status=loopt')"
            ".then(() => 'bereikt', () => 'offline')"
        )
        == "offline"
    )
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-klaar", "1")
    expect(page.locator("#verbinding")).to_have_attribute("data-online", "0")
    expect(kaart).to_be_visible()

    # 3. a visit drafted offline waits in the outbox
    draft = _draft(page, aanmelding, "Brief van de woningcorporatie doorgenomen.")
    expect(page.locator("#outbox")).to_have_attribute("data-wachtend", "1")
    with translation.override("nl"):  # "1 contact wacht op verzending", once merged
        een = ngettext(
            "%(n)s contact is waiting to be sent", "%(n)s contacts are waiting to be sent", 1
        ) % {"n": 1}
    expect(page.locator("#outbox-samenvatting")).to_have_text(een)
    item = page.locator(f"#outbox-lijst li[data-uuid='{draft}']")
    expect(item).to_have_attribute("data-status", "wacht")
    rondes = page.locator("#begeleiding-app").get_attribute("data-rondes")
    page.locator("#nu-verzenden").click()  # offline: nothing is sent, it stays waiting
    expect(page.locator("#begeleiding-app")).not_to_have_attribute("data-rondes", rondes)
    expect(item).to_have_attribute("data-status", "wacht")
    assert _contacten(draft) == 0
    schendingen += _axe(page, "app-offline-wachtend")

    # 4. back online: sent by itself, exactly once
    context.set_offline(False)
    expect(item).to_have_attribute("data-status", "verzonden")
    expect(page.locator("#outbox")).to_have_attribute("data-wachtend", "0")
    expect(page.locator("#verbinding")).to_have_attribute("data-online", "1")
    assert _contacten(draft) == 1
    with scopes_disabled():
        gemaakt = Contactmoment.objects.get(uuid=draft)
        assert gemaakt.aanmelding_id == aanmelding.pk
        assert gemaakt.auteur_id == world.begeleider_a.pk
        assert gemaakt.soort == "huisbezoek" and gemaakt.duur_minuten == 45
        assert gemaakt.aanwezig == ["tolk"] and gemaakt.onderwerpen == ["wonen"]
        assert Vervolgactie.objects.filter(contactmoment=gemaakt).count() == 1

    # 5. the same draft sent again (its answer lost): still one contact, one action
    page.evaluate(OPNIEUW_WACHTEN, [DB, draft])
    page.reload()  # syncs on load
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-sync", "klaar")
    expect(item).to_have_attribute("data-status", "verzonden")
    page.evaluate(OPNIEUW_WACHTEN, [DB, draft])
    rondes = page.locator("#begeleiding-app").get_attribute("data-rondes")
    page.locator("#nu-verzenden").click()
    expect(page.locator("#begeleiding-app")).not_to_have_attribute("data-rondes", rondes)
    expect(item).to_have_attribute("data-status", "verzonden")
    assert _contacten(draft) == 1
    with scopes_disabled():
        assert Vervolgactie.objects.filter(contactmoment__uuid=draft).count() == 1
        assert Contactmoment.objects.filter(aanmelding=aanmelding).count() == 1
    # the client list now shows the new last contact
    assert _store(page, "clienten")[0]["laatsteContact"]

    assert schendingen == [], schendingen
    assert csp == [], csp
    context.close()


def test_a_draft_saved_while_a_round_runs_is_sent_by_the_next_round(live_server, world, browser):
    """A sync round is running (the client list held back on its way from the server) when a
    draft is saved or the connection comes back: the request is not swallowed by the running
    round, one more round follows and sends the draft (CI, 2026-12-07: a draft saved offline
    stayed waiting because "online" came while the offline save's round was finishing)."""
    base = live_server.url
    aanmelding = _aanmelding(world.dossier_a)
    context, csp = _context(browser)
    page = _inloggen(context, base, world.begeleider_a.username)
    _klaar(page)
    vastgehouden: list = []
    # fetched by the service worker, so held by the context's route
    lijst = re.compile(r"/api/v1/aanmeldingen\?")
    context.route(lijst, lambda route: vastgehouden.append(route))
    page.locator("#nu-verzenden").click()  # a round starts and waits for the client list
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-sync", "bezig")
    for _ in range(100):  # the handler runs while Playwright waits
        if vastgehouden:
            break
        page.wait_for_timeout(50)
    assert len(vastgehouden) == 1
    draft = _draft(page, aanmelding, "Bewaard terwijl er al werd gesynchroniseerd.")
    assert _contacten(draft) == 0, "the running round had read the outbox before the draft"
    vastgehouden.pop().continue_()
    context.unroute(lijst)
    item = page.locator(f"#outbox-lijst li[data-uuid='{draft}']")
    expect(item).to_have_attribute("data-status", "verzonden")
    expect(page.locator("#outbox")).to_have_attribute("data-wachtend", "0")
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-sync", "klaar")
    assert _contacten(draft) == 1
    assert csp == [], csp
    context.close()


def test_a_refusal_keeps_the_draft_and_a_conflict_becomes_a_correction(live_server, world, browser):
    base = live_server.url
    aanmelding = _aanmelding(world.dossier_a)
    context, csp = _context(browser)
    page = _inloggen(context, base, world.begeleider_a.username)
    _klaar(page)
    schendingen: list[dict] = []

    # 400: a signal without its explanation — the reasons shown, the draft kept for editing
    context.set_offline(True)
    fout = _draft(page, aanmelding, "Zorgen over de huur.", signaal=True)
    context.set_offline(False)
    item = page.locator(f"#outbox-lijst li[data-uuid='{fout}']")
    expect(item).to_have_attribute("data-status", "fout")
    expect(item.locator(".outbox__fouten li")).to_have_count(1)
    assert _contacten(fout) == 0
    schendingen += _axe(page, "app-fout")
    item.locator("[data-actie=bewerken]").click()
    expect(page.locator("#contact-paneel")).to_be_visible()
    expect(page.locator("#id_app-verslag")).to_have_value("Zorgen over de huur.")
    expect(page.locator("#id_app-signaal_toelichting")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_app-signaal_toelichting_apperror")).to_be_visible()
    page.fill("#id_app-signaal_toelichting", "Huurachterstand: graag bellen met de corporatie.")
    page.locator("#contact-bewaren").click()
    expect(item).to_have_attribute("data-status", "verzonden")
    assert _contacten(fout) == 1

    # 409: the server already has a contact with this uuid and other content
    context.set_offline(True)
    botsing = _draft(page, aanmelding, "Mijn versie van het bezoek.")
    with scopes_disabled():
        contact(
            aanmelding, world.begeleider_a, uuid=uuidlib.UUID(botsing), verslag="Die van de server."
        )
    context.set_offline(False)
    item = page.locator(f"#outbox-lijst li[data-uuid='{botsing}']")
    expect(item).to_have_attribute("data-status", "conflict")
    expect(item.locator(".outbox__vergelijking")).to_contain_text("Die van de server.")
    expect(item.locator(".outbox__vergelijking")).to_contain_text("Mijn versie van het bezoek.")
    with scopes_disabled():
        assert Contactmoment.objects.get(uuid=botsing).verslag == "Die van de server."
    schendingen += _axe(page, "app-conflict")
    item.locator("[data-actie=correctie]").click()
    expect(item).to_have_attribute("data-status", "verzonden")
    with scopes_disabled():
        gecorrigeerd = Contactmoment.objects.get(uuid=botsing)
        assert gecorrigeerd.verslag == "Mijn versie van het bezoek."
        assert gecorrigeerd.versie == 2
    assert _contacten(botsing) == 1

    # a conflict can also be discarded: the server's version stays
    context.set_offline(True)
    weg = _draft(page, aanmelding, "Nog een versie.")
    with scopes_disabled():
        contact(aanmelding, world.begeleider_a, uuid=uuidlib.UUID(weg), verslag="Blijft staan.")
    context.set_offline(False)
    item = page.locator(f"#outbox-lijst li[data-uuid='{weg}']")
    expect(item).to_have_attribute("data-status", "conflict")
    item.locator("[data-actie=verwerpen]").click()
    expect(item).to_have_count(0)
    with scopes_disabled():
        assert Contactmoment.objects.get(uuid=weg).verslag == "Blijft staan."

    assert schendingen == [], schendingen
    assert csp == [], csp
    context.close()


def test_log_out_and_another_user_wipe_the_device(live_server, world, browser):
    base = live_server.url
    context, csp = _context(browser)
    page = _inloggen(context, base, world.begeleider_a.username)
    _klaar(page)
    assert _store(page, "clienten")
    registratie = "async () => (await navigator.serviceWorker.getRegistration()).scope"
    assert page.evaluate(registratie) == f"{base}{APP}"

    # no contact with the server for longer than BEGELEIDING_OFFLINE_DAGEN: wiped on opening
    dagen = int(page.locator("#begeleiding-app").get_attribute("data-offline-dagen"))
    assert dagen == STANDAARD_OFFLINE_DAGEN
    context.set_offline(True)
    _draft(page, _aanmelding(world.dossier_a), "Te lang niet verzonden.")
    page.evaluate(SYNC_TERUGZETTEN, [DB, dagen - 1])
    page.reload()
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-klaar", "1")
    assert len(_store(page, "outbox")) == 1, "within the term nothing is wiped"
    page.evaluate(SYNC_TERUGZETTEN, [DB, dagen + 1])
    page.reload()
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-klaar", "1")
    assert _store(page, "clienten") == [] and _store(page, "outbox") == []
    expect(page.locator("#clienten-lijst li[data-aanmelding]")).to_have_count(0)
    expect(page.locator("#outbox")).to_have_attribute("data-wachtend", "0")
    context.set_offline(False)  # back online: the list is loaded again
    expect(page.locator("#clienten-lijst li[data-aanmelding]")).to_have_count(1)
    # a draft made offline and sent, then log-out: everything on the device goes
    context.set_offline(True)
    _draft(page, _aanmelding(world.dossier_a), "Wacht nog.")
    context.set_offline(False)
    expect(page.locator("#outbox")).to_have_attribute("data-wachtend", "0")
    page.locator("#uitloggen-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/inloggen/"))
    assert _store(page, "clienten") is None, "the database is deleted"
    assert (
        page.evaluate(
            "async () => (await caches.keys()).filter(n => n.startsWith('inburgering-begeleiding'))"
        )
        == []
    )
    assert (
        page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0
    )
    page.close()

    # user A again, the session simply ends (no log-out): their data stays on the device …
    page = _inloggen(context, base, world.begeleider_a.username)
    _klaar(page)
    context.set_offline(True)
    _draft(page, _aanmelding(world.dossier_a), "Van gebruiker A.")
    context.clear_cookies()
    context.set_offline(False)
    page.close()
    # … until another user logs in on this device and opens the app: wiped, then B's own list
    page = _inloggen(context, base, world.begeleider_a2.username)
    expect(page.locator("#begeleiding-app")).to_have_attribute("data-sync", "klaar")
    page.wait_for_function(
        "() => document.querySelectorAll('#clienten-lijst li[data-aanmelding]').length === 1"
    )
    assert [c["uuid"] for c in _store(page, "clienten")] == [
        str(_aanmelding(world.dossier_a2).uuid)
    ]
    assert _store(page, "outbox") == []
    meta = {m["sleutel"]: m for m in _store(page, "meta")}
    assert meta["eigenaar"]["gebruiker"] == str(world.begeleider_a2.uuid)
    # the worker's copy of the page is B's (A's name is gone from the device)
    page.wait_for_function(
        "async (wie) => { const r = await caches.match('/begeleiding/app/');"
        " return !!r && (await r.text()).includes(wie); }",
        arg=f'data-gebruiker="{world.begeleider_a2.uuid}"',
    )

    # log-out from any other page (templates/base.html, the menu on a phone) wipes it too
    page.goto(f"{base}/begeleiding/")
    page.locator(".site-menu__toggle").click()
    page.locator("#uitloggen-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/inloggen/"))
    assert _store(page, "clienten") is None
    assert (
        page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0
    )
    assert csp == [], csp
    context.close()
