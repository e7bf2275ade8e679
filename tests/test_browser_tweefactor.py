"""The second factor in a real browser, in Dutch (issue 14): a werkcoach without one signs in
with the password, sets up the authenticator app (the code computed here from the key the page
shows, as the app does), keeps the recovery codes, and later signs in with password and code.
axe-core runs over the set-up, recovery-code and verification pages, at laptop and phone size."""

from __future__ import annotations

import os
import time
from base64 import b32decode

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from .factories import PASSWORD
from .test_browser_axe import _meten

pytestmark = pytest.mark.browser


def _code(sleutel: str, stap: int = 0) -> str:
    totp = TOTP(b32decode(sleutel.replace(" ", "") + "=" * (-len(sleutel.replace(" ", "")) % 8)))
    totp.time = time.time() + stap * 30
    return f"{totp.token():06d}"


def _wachtwoord(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def _toets(page: Page, naam: str, metingen: dict) -> None:
    for breedte, hoogte in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": breedte, "height": hoogte})
        meting = _meten(page)
        metingen[f"{naam}-{breedte}"] = meting
        assert meting["breedte"] <= meting["venster"], (naam, breedte, meting)
        schermen = os.environ.get("UI_SCREENSHOTS")
        if schermen:
            page.screenshot(path=f"{schermen}/{naam}-{breedte}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


@override_settings(TWEEDE_FACTOR_VERPLICHT=True)
def test_inloggen_met_totp_in_het_nederlands(live_server, page, world):
    base = live_server.url
    metingen: dict[str, dict] = {}
    _wachtwoord(page, base, world.werkcoach_a.username)

    # first log-in: the set-up page, and nothing else
    page.wait_for_url(f"{base}/account/tweede-factor/instellen/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor instellen")
    expect(page.locator("figure.qr svg")).to_be_visible()
    _toets(page, "tweefactor-instellen", metingen)
    page.get_by_text("Kunt u niet scannen?").click()
    sleutel = page.locator("#totp-geheim").inner_text()
    page.get_by_label("Code uit de app").fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator(".field__error, .utrecht-form-field-error-message").first).to_contain_text(
        "niet juist"
    )
    # django-otp waits a second after a wrong code
    time.sleep(1.2)
    page.get_by_label("Code uit de app").fill(_code(sleutel))
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw herstelcodes")
    codes = page.locator("#herstelcodes code").all_inner_texts()
    assert len(codes) == 10
    _toets(page, "tweefactor-herstelcodes", metingen)
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    page.wait_for_url(f"{base}/dossiers/**")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # the next log-in: password, then the code of the app
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{base}/inloggen/**")
    _wachtwoord(page, base, world.werkcoach_a.username)
    page.wait_for_url(f"{base}/account/tweede-factor/verifieren/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede factor")
    _toets(page, "tweefactor-verifieren", metingen)
    page.get_by_label("Code").fill(_code(sleutel, 1))
    page.get_by_role("button", name="Doorgaan").click()
    page.wait_for_url(f"{base}/dossiers/**")
    expect(page.locator("#nav-account")).to_have_text("Mijn account")

    schendingen = {k: m["schendingen"] for k, m in metingen.items() if m["schendingen"]}
    assert not schendingen, schendingen
    assert not page.csp_violations  # type: ignore[attr-defined]


@override_settings(TWEEDE_FACTOR_VERPLICHT=True)
def test_passkey_als_tweede_optie(live_server, browser, world, settings):
    """A passkey (Chromium's virtual authenticator, through the DevTools protocol: the real
    WebAuthn ceremony in the browser and django-otp-webauthn's checks on the server) is added on
    the page of the second factor and then gives the second factor at log-in instead of a code."""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    assert live_server.url.startswith("http://localhost:")
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    user = world.werkcoach_a
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    base = live_server.url
    _wachtwoord(page, base, user.username)
    page.wait_for_url(f"{base}/account/tweede-factor/verifieren/**")
    sleutel = b32encode_key(device.bin_key)
    page.get_by_label("Code").fill(_code(sleutel, 1))
    page.get_by_role("button", name="Doorgaan").click()
    page.wait_for_url(f"{base}/dossiers/**")

    page.goto(f"{base}/account/tweede-factor/")
    expect(page.get_by_text("Nog geen passkey.")).to_be_visible()
    page.get_by_role("button", name="Passkey toevoegen").click()
    expect(page.locator(".passkeys li")).to_have_count(1)  # the page reloads with the list
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{base}/inloggen/**")
    _wachtwoord(page, base, user.username)
    page.wait_for_url(f"{base}/account/tweede-factor/verifieren/**")
    page.get_by_role("button", name="Passkey gebruiken").click()
    page.wait_for_url(f"{base}/dossiers/**")
    expect(page.locator("#nav-account")).to_have_text("Mijn account")
    from inburgering.audit.models import AuditRecord

    gebeurtenissen = set(AuditRecord.objects.values_list("gebeurtenis", flat=True))
    assert {"tweede_factor.passkey_toegevoegd", "tweede_factor.gegeven"} <= gebeurtenissen
    context.close()


def b32encode_key(sleutel: bytes) -> str:
    from base64 import b32encode

    return b32encode(sleutel).decode().rstrip("=")
