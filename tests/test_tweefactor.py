"""The second factor (issue 14): required for every role when ``TWEEDE_FACTOR_VERPLICHT`` is on,
set up at first log-in, given with the authenticator app (codes computed here from the device's
key, as the app does), a recovery code (once each) or a passkey; asked again before the most
sensitive actions; reset by the functioneel beheerder; the API's token clients unaffected and
the browsable API's session no way around it; every event on record without the code."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inburgering.accounts import tweefactor
from inburgering.accounts.constants import Rol
from inburgering.audit.models import AuditRecord

from .factories import PASSWORD

CASELOAD = "/dossiers/"
API_LIJST = "/api/v1/dossiers"

verplicht = override_settings(TWEEDE_FACTOR_VERPLICHT=True)


def code(device: TOTPDevice, stap: int = 0) -> str:
    """What the authenticator app shows (``stap`` steps of 30 s later: django-otp accepts the
    next step too, and never a step it has seen)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + stap * device.step
    return f"{totp.token():0{device.digits}d}"


def met_email(user):
    user.email = f"{user.username}@gemeente.example"
    user.save(update_fields=["email"])
    return user


def met_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def wachtwoord(user) -> Client:
    """Signed in with the password only (as someone who stole it)."""
    client = Client()
    response = client.post("/inloggen/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def gegeven(user, device: TOTPDevice | None = None) -> Client:
    """Signed in with both factors, through the real pages."""
    device = device or TOTPDevice.objects.filter(user=user, confirmed=True).first() or met_app(user)
    client = wachtwoord(user)
    response = client.post("/account/tweede-factor/verifieren/", {"code": code(device, 1)})
    assert response.status_code == 302, response.content[:400]
    return client


def gebeurtenissen() -> list[str]:
    return list(
        AuditRecord.objects.exclude(gebeurtenis="")
        .order_by("volgnummer")
        .values_list("gebeurtenis", flat=True)
    )


@verplicht
def test_zonder_tweede_factor_alleen_de_instelpagina(world):
    """A user without a second factor reaches nothing but its set-up page: every page sends them
    there, the API answers 403, the admin too is closed; log-out still works."""
    client = wachtwoord(world.beheerder_a)
    for pad in (CASELOAD, f"/dossiers/{world.dossier_a.uuid}/", "/beheer/", "/account/sessies/"):
        response = client.get(pad)
        assert response.status_code == 302, pad
        assert response["Location"].startswith("/account/tweede-factor/instellen/"), pad
    api = client.get(API_LIJST)
    assert api.status_code == 403
    assert "second factor" in api.json()["detail"]
    pagina = client.get("/account/tweede-factor/instellen/")
    assert pagina.status_code == 200
    assert b"<svg" in pagina.content  # the QR code
    assert b"nav-account" not in pagina.content  # no navigation to pages it cannot reach
    assert client.post("/uitloggen/").status_code == 302
    assert client.get(CASELOAD)["Location"].startswith("/inloggen/")


@verplicht
def test_een_gestolen_wachtwoord_alleen_meldt_niemand_aan(world):
    """The password alone: every page asks for the code, a wrong code is refused (and throttled),
    the browsable API refuses the session; the right code opens everything, with a new key."""
    device = met_app(world.werkcoach_a)
    client = wachtwoord(world.werkcoach_a)
    response = client.get(CASELOAD)
    assert response["Location"].startswith("/account/tweede-factor/verifieren/")
    assert client.get(API_LIJST, HTTP_ACCEPT="text/html").status_code == 403

    fout = client.post("/account/tweede-factor/verifieren/", {"code": "000000"})
    assert fout.status_code == 200
    assert b"not correct" in fout.content
    # django-otp throttles after a failure: the right code right away is refused too
    te_snel = client.post("/account/tweede-factor/verifieren/", {"code": code(device)})
    assert b"Too many wrong codes" in te_snel.content
    assert client.get(CASELOAD).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    voor = client.session.session_key
    goed = client.post(
        "/account/tweede-factor/verifieren/", {"code": code(device), "next": CASELOAD}
    )
    assert goed.status_code == 302 and goed["Location"] == CASELOAD
    assert client.session.session_key != voor  # rotated: the session now holds more
    assert client.get(CASELOAD).status_code == 200
    assert client.get(API_LIJST).status_code == 200
    assert {"tweede_factor.mislukt", "tweede_factor.gegeven"} <= set(gebeurtenissen())


@verplicht
def test_instellen_bij_de_eerste_aanmelding_met_herstelcodes_die_eenmaal_werken(
    world, django_capture_on_commit_callbacks
):
    user = met_email(world.werkcoach_a)
    client = wachtwoord(user)
    client.get("/account/tweede-factor/instellen/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    fout = client.post("/account/tweede-factor/instellen/", {"code": "123456"})
    assert b"not correct" in fout.content
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles after the wrong code

    with django_capture_on_commit_callbacks(execute=True):
        klaar = client.post("/account/tweede-factor/instellen/", {"code": code(device)})
    assert klaar.status_code == 200
    codes = list(klaar.context["codes"])
    assert len(codes) == tweefactor.HERSTELCODES == len(set(codes))
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(CASELOAD).status_code == 200
    assert mail.outbox[-1].subject == "Your second factor was changed"
    assert codes[0] not in mail.outbox[-1].body

    # a recovery code works once (typed in capitals, without the dash)
    eerste = wachtwoord(user)
    antwoord = eerste.post(
        "/account/tweede-factor/verifieren/", {"code": codes[0].replace("-", "").upper()}
    )
    assert antwoord.status_code == 302
    assert eerste.get(CASELOAD).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == tweefactor.HERSTELCODES - 1
    tweede = wachtwoord(user)
    opnieuw = tweede.post("/account/tweede-factor/verifieren/", {"code": codes[0]})
    assert opnieuw.status_code == 200
    assert tweede.get(CASELOAD).status_code == 302
    # no code in the log, ever
    for record in AuditRecord.objects.all():
        tekst = " ".join(str(v) for v in record.__dict__.values())
        assert codes[0] not in tekst and codes[0].replace("-", "") not in tekst.lower()
    assert "tweede_factor.herstelcode" in gebeurtenissen()
    assert "tweede_factor.ingesteld" in gebeurtenissen()


@verplicht
def test_api_tokens_blijven_werken(world, api):
    """Token clients have no session and no second factor to give: unaffected."""
    assert api(world.werkcoach_a).get(API_LIJST).status_code == 200


@verplicht
def test_gevoelige_handelingen_vragen_de_tweede_factor_opnieuw(world, settings):
    """Exporting, destroying and changing roles: the second factor again when it was given
    longer than HERBEVESTIGEN_MINUTEN ago; a stale POST does nothing and goes back."""
    beheerder = world.beheerder_a
    beheerder.is_staff = True
    beheerder.save()
    client = gegeven(beheerder)
    wijzig = f"/beheer/accounts/user/{world.werkcoach_a.pk}/change/"
    assert client.get(wijzig).status_code == 200
    with time_machine.travel(
        timezone.now() + timedelta(minutes=settings.HERBEVESTIGEN_MINUTEN + 1)
    ):
        oud = client.get(wijzig)
        assert oud.status_code == 302
        assert oud["Location"].startswith("/account/tweede-factor/bevestigen/")
        groepen = set(world.werkcoach_a.groups.values_list("name", flat=True))
        post = client.post(wijzig, {"username": "overgenomen"}, HTTP_REFERER=wijzig)
        assert post.status_code == 302
        assert post["Location"].startswith("/account/tweede-factor/bevestigen/")
        world.werkcoach_a.refresh_from_db()
        assert world.werkcoach_a.username != "overgenomen"
        assert set(world.werkcoach_a.groups.values_list("name", flat=True)) == groepen

        device = TOTPDevice.objects.get(user=beheerder)
        bevestigd = client.post(
            "/account/tweede-factor/bevestigen/", {"code": code(device), "next": wijzig}
        )
        assert bevestigd.status_code == 302 and bevestigd["Location"] == wijzig
        assert client.get(wijzig).status_code == 200


@verplicht
@pytest.mark.parametrize(
    "pad",
    [
        "/verantwoording/export/",
        "/verantwoording/bewijsbundels/{uuid}/download/",
        "/verantwoording/inzageverzoeken/{uuid}/download/",
        "/bewaring/rondes/{uuid}/goedkeuren/",
    ],
)
def test_export_en_vernietiging_vragen_herbevestiging(world, settings, pad):
    """Before the view's own checks: even the page is not shown on a stale second factor."""
    import uuid

    client = gegeven(world.auditor_a)
    pad = pad.format(uuid=uuid.uuid4())
    with time_machine.travel(
        timezone.now() + timedelta(minutes=settings.HERBEVESTIGEN_MINUTEN + 1)
    ):
        response = client.post(pad, {}) if "goedkeuren" in pad else client.get(pad)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/tweede-factor/bevestigen/")
    # just given: the view's own answer (a 403 or 404 for this user and this made-up record)
    vers = client.post(pad, {}) if "goedkeuren" in pad else client.get(pad)
    assert not vers.get("Location", "").startswith("/account/tweede-factor/")
    assert vers.status_code in (200, 403, 404)


@verplicht
def test_beheerder_reset_de_tweede_factor(world, django_capture_on_commit_callbacks):
    """A lost phone: the functioneel beheerder resets the user's second factor; the user's
    sessions end, they set up a new one at their next log-in; on record, and e-mailed."""
    user = met_email(world.werkcoach_a)
    met_app(user)
    tweefactor.nieuwe_herstelcodes(user)
    sessie = gegeven(user)
    world.beheerder_a.is_staff = True
    world.beheerder_a.save()
    beheerder = gegeven(world.beheerder_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = beheerder.post(
            "/beheer/accounts/user/",
            {
                "action": "tweede_factor_resetten",
                "_selected_action": [user.pk, world.beheerder_a.pk],
            },
        )
    assert response.status_code == 302
    assert not tweefactor.ingesteld(user)
    assert tweefactor.ingesteld(world.beheerder_a)  # not one's own
    assert sessie.get(CASELOAD)["Location"].startswith("/inloggen/")
    opnieuw = wachtwoord(user)
    assert opnieuw.get(CASELOAD)["Location"].startswith("/account/tweede-factor/instellen/")
    assert "tweede_factor.gereset" in gebeurtenissen()
    assert [m.subject for m in mail.outbox] == ["Your second factor was reset"]
    assert mail.outbox[0].to == [user.email]


def test_wachtwoord_wijzigen_lengte_boven_complexiteit_en_melding(
    world, client, django_capture_on_commit_callbacks
):
    """Django's validators: a long minimum and the common-password list; a change is e-mailed,
    other sessions end, this one goes on."""
    user = met_email(world.werkcoach_a)
    ander = wachtwoord(user)
    client.post("/inloggen/", {"username": user.username, "password": PASSWORD})
    kort = client.post(
        "/account/wachtwoord/",
        {"old_password": PASSWORD, "new_password1": "Kort-1a", "new_password2": "Kort-1a"},
    )
    assert kort.status_code == 200
    assert "new_password2" in kort.context["form"].errors
    assert "at least 12 characters" in str(kort.context["form"].errors)
    gewoon = client.post(
        "/account/wachtwoord/",
        {
            "old_password": PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )
    assert "too common" in str(gewoon.context["form"].errors)
    mail.outbox.clear()
    nieuw = "vier woorden zonder regels"
    with django_capture_on_commit_callbacks(execute=True):
        goed = client.post(
            "/account/wachtwoord/",
            {"old_password": PASSWORD, "new_password1": nieuw, "new_password2": nieuw},
        )
    assert goed.status_code == 302
    assert client.get(CASELOAD).status_code == 200
    assert ander.get(CASELOAD).status_code == 302
    assert [m.subject for m in mail.outbox] == ["Your password was changed"]
    assert nieuw not in mail.outbox[0].body


def test_rollen_gewijzigd_wordt_gemeld(world, django_capture_on_commit_callbacks):
    user = met_email(world.werkcoach_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        user.groups.add(Group.objects.get(name=Rol.TEAMLEIDER))
    assert [m.subject for m in mail.outbox] == ["Your roles were changed"]


@verplicht
def test_mijn_tweede_factor_nieuwe_herstelcodes_vervangen_de_oude(world):
    user = world.werkcoach_a
    oude = tweefactor.nieuwe_herstelcodes(user)
    client = gegeven(user)
    pagina = client.get("/account/tweede-factor/")
    assert pagina.status_code == 200
    assert b"10 recovery codes left" in pagina.content
    nieuw = client.post("/account/tweede-factor/herstelcodes/")
    assert nieuw.status_code == 200
    nieuwe = nieuw.context["codes"]
    assert not set(oude) & set(nieuwe)
    assert tweefactor.controleren(user, oude[0]).device is None
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.get(user=user).throttle_reset()
    assert tweefactor.controleren(user, nieuwe[0]).device is not None


@verplicht
def test_uitgeschakelde_sessie_na_verificatie_blijft_verificatie_kwijt(world):
    """A verified session's device record points at a device: removed by a reset, the session
    (were it left) is no longer verified — django-otp checks the device on every request."""
    user = world.werkcoach_a
    client = gegeven(user)
    sessie = Session.objects.get(session_key=client.session.session_key)
    assert sessie.get_decoded()[DEVICE_ID_SESSION_KEY]
    TOTPDevice.objects.filter(user=user).delete()
    assert client.get(CASELOAD).status_code == 302


def test_productie_weigert_zonder_tweede_factor():
    from .test_security import _manage, _production_env

    result = _manage("check", env=_production_env(TWEEDE_FACTOR_VERPLICHT="false"))
    assert result.returncode != 0
    assert "TWEEDE_FACTOR_VERPLICHT" in result.stderr


@verplicht
@pytest.mark.django_db
def test_demo_gebruikers_loggen_in_met_de_gedocumenteerde_sleutel():
    """`make run` stays usable with the second factor on: every demo user has the demo key,
    and `make totp`'s code (``demo_code``) signs them in."""
    from django.core.management import call_command

    from demo.dossiers import DEMO_PASSWORD, USERS, demo_code

    call_command("demo_data", aantal=10, verbosity=0)
    for demo in USERS:
        device = TOTPDevice.objects.get(user__username=demo.username, confirmed=True)
        assert code(device) == demo_code()
    client = Client()
    client.post("/inloggen/", {"username": "werkcoach", "password": DEMO_PASSWORD})
    assert client.get(CASELOAD).status_code == 302
    client.post("/account/tweede-factor/verifieren/", {"code": demo_code()})
    assert client.get(CASELOAD).status_code == 200


def test_geen_sleutels_in_de_beheeromgeving(world, client):
    """The devices' admin pages (TOTP keys, recovery codes) are not there, even for a
    superuser: a reset goes through the action on the user list."""
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp_webauthn.models import WebAuthnCredential

    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        assert not admin.site.is_registered(model)
    world.beheerder_a.is_staff = world.beheerder_a.is_superuser = True
    world.beheerder_a.save()
    client.force_login(world.beheerder_a)
    assert client.get("/beheer/otp_totp/totpdevice/").status_code == 404
    assert b"tweede_factor_resetten" in client.get("/beheer/accounts/user/").content
