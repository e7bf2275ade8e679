"""Sessions that end when they should (issue 14, the session part): the absolute maximum age, a
deactivated user's and a changed user's sessions ending at once, signing out everywhere else (the
user) and everywhere (the functioneel beheerder), the key rotated at sign-in, and every sign-in,
failure, sign-out and session end in the audit log without secrets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from inburgering.accounts import sessies
from inburgering.accounts.constants import Rol
from inburgering.accounts.models import Sessie
from inburgering.audit.models import AuditRecord

from .factories import PASSWORD

CASELOAD = "/dossiers/"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/140.0 Mobile Safari/537.36"
)


def _aanmelden(user, *, ua: str = FIREFOX) -> Client:
    client = Client(HTTP_USER_AGENT=ua)
    response = client.post("/inloggen/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def _aangemeld(client: Client) -> bool:
    return client.get(CASELOAD).status_code == 200


def _gebeurtenissen() -> list[AuditRecord]:
    return list(AuditRecord.objects.exclude(gebeurtenis="").order_by("volgnummer"))


def test_aanmelden_roteert_de_sleutel_en_legt_de_sessie_vast(world):
    client = Client(HTTP_USER_AGENT=ANDROID)
    client.get("/inloggen/")
    sessie = client.session
    sessie["voor"] = "aanmelden"
    sessie.save()
    voor = sessie.session_key
    response = client.post(
        "/inloggen/", {"username": world.werkcoach_a.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    na = client.session.session_key
    assert na and na != voor  # a new key at sign-in: a planted one is worth nothing
    assert not Session.objects.filter(session_key=voor).exists()
    rij = Sessie.objects.get(sessie_sleutel=na)
    assert rij.user == world.werkcoach_a
    assert rij.apparaat == "Chrome / Android"
    assert ANDROID not in rij.apparaat


def test_de_absolute_leeftijd_houdt(world, settings):
    settings.SESSION_MAX_AGE_HOURS = 10
    client = _aanmelden(world.werkcoach_a)
    sessie = client.session
    sessie[sessies.AANGEMELD_OP] = (timezone.now() - timedelta(hours=9, minutes=59)).isoformat()
    sessie.save()
    assert _aangemeld(client)  # active, and within the ten hours
    sessie = client.session
    sessie[sessies.AANGEMELD_OP] = (timezone.now() - timedelta(hours=10, minutes=1)).isoformat()
    sessie.save()
    response = client.get(CASELOAD, follow=True)
    assert response.redirect_chain[-1][0].startswith("/inloggen/")
    assert "at most 10 hours" in response.content.decode()
    assert not _aangemeld(client)  # and it stays ended
    assert not Sessie.objects.filter(user=world.werkcoach_a).exists()
    verlopen = [r for r in _gebeurtenissen() if r.gebeurtenis == "sessie.verlopen"]
    assert len(verlopen) == 1
    assert verlopen[0].actor == world.werkcoach_a.username


def test_api_met_token_heeft_geen_sessie(world, api):
    """The API's token clients have no session to age: the rule does not touch them."""
    client = api(world.werkcoach_a)
    assert client.get("/api/v1/dossiers").status_code == 200


def test_gedeactiveerde_gebruiker_is_meteen_overal_afgemeld(world):
    laptop = _aanmelden(world.werkcoach_a)
    telefoon = _aanmelden(world.werkcoach_a, ua=ANDROID)
    assert Sessie.objects.filter(user=world.werkcoach_a).count() == 2
    world.werkcoach_a.is_active = False
    world.werkcoach_a.save()
    assert not Session.objects.filter(
        session_key__in=[laptop.session.session_key, telefoon.session.session_key]
    ).exists()
    assert not _aangemeld(laptop)
    assert not _aangemeld(telefoon)
    assert not Sessie.objects.filter(user=world.werkcoach_a).exists()


@pytest.mark.parametrize("wijziging", ["rol erbij", "rol eraf", "recht erbij", "recht eraf"])
def test_gewijzigde_rechten_beeindigen_de_sessies(world, wijziging):
    from django.contrib.auth.models import Permission

    user = world.werkcoach_a
    client = _aanmelden(user)
    ander = _aanmelden(world.teamleider_a)
    if wijziging == "rol erbij":
        user.groups.add(Group.objects.get(name=Rol.TEAMLEIDER))
    elif wijziging == "rol eraf":
        user.groups.remove(Group.objects.get(name=Rol.WERKCOACH))
    elif wijziging == "recht erbij":
        user.user_permissions.add(Permission.objects.get(codename="bulkexport_maken"))
    else:
        user.user_permissions.clear()
    assert not _aangemeld(client)  # signs in again, with what they now may do
    assert _aangemeld(ander)  # nobody else's session is touched


def test_overal_anders_afmelden(world):
    laptop = _aanmelden(world.werkcoach_a)
    telefoon = _aanmelden(world.werkcoach_a, ua=ANDROID)
    collega = _aanmelden(world.werkcoach_b)
    verlopen = _aanmelden(world.werkcoach_a, ua="Mozilla/5.0 (Windows NT 10.0) Edg/140.0")
    Session.objects.filter(session_key=verlopen.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )  # timed out without a log-out: not listed, its record gone
    pagina = laptop.get("/account/sessies/")
    tekst = pagina.content.decode()
    assert "Edge" not in tekst
    assert pagina.status_code == 200
    assert "Firefox / Linux" in tekst and "Chrome / Android" in tekst
    assert tekst.count("this session") == 1
    assert laptop.session.session_key not in tekst  # no session key on the page
    response = laptop.post("/account/sessies/", follow=True)
    assert "1 other session was ended." in response.content.decode()
    assert _aangemeld(laptop)  # this one stays
    assert not _aangemeld(telefoon)
    assert _aangemeld(collega)
    assert list(
        Sessie.objects.filter(user=world.werkcoach_a).values_list("apparaat", flat=True)
    ) == ["Firefox / Linux"]
    assert "You are logged in nowhere else." in laptop.get("/account/sessies/").content.decode()
    assert "sessies.beeindigd" in {r.gebeurtenis for r in _gebeurtenissen()}


def test_functioneel_beheerder_meldt_iemand_overal_af(world):
    from inburgering.accounts.models import User

    User.objects.filter(pk=world.beheerder_a.pk).update(is_staff=True)  # the admin's door
    telefoon = _aanmelden(world.werkcoach_a, ua=ANDROID)
    beheerder = _aanmelden(world.beheerder_a)
    response = beheerder.post(
        "/beheer/accounts/user/",
        {"action": "sessies_beeindigen", "_selected_action": [world.werkcoach_a.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 sessions of 1 users ended." in response.content.decode()
    assert not _aangemeld(telefoon)
    assert _aangemeld(beheerder)
    einde = [r for r in _gebeurtenissen() if r.gebeurtenis == "sessies.beeindigd"]
    assert einde and einde[-1].actor == world.beheerder_a.username


def test_aanmelden_en_afmelden_in_het_logboek_zonder_geheimen(world):
    fout = Client()
    fout.post("/inloggen/", {"username": world.werkcoach_a.username, "password": "f0ut-Wachtwoord"})
    client = _aanmelden(world.werkcoach_a)
    client.post("/uitloggen/")
    records = _gebeurtenissen()
    soorten = [r.gebeurtenis for r in records]
    assert soorten[-3:] == ["aanmelden.mislukt", "aanmelden", "afmelden"]
    mislukt, aan, af = records[-3:]
    assert mislukt.actor == "" and mislukt.actor_id is None  # not what was typed
    assert aan.actor == af.actor == world.werkcoach_a.username
    for record in records:
        assert PASSWORD not in record.inhoud
        assert "f0ut-Wachtwoord" not in record.inhoud
        assert world.werkcoach_a.username not in record.pad
