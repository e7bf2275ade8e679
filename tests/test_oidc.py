"""OpenID Connect sign-in (issue 14) against a local provider started by the test
(tests/oidc_provider.py), over real HTTP: the code flow with PKCE signs in, maps the
organisation (and, when configured, the roles), finds the user again by ``sub``, refuses an
unknown organisation, and a user who exists only through OIDC cannot use a password."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client, override_settings

from inburgering.accounts.constants import Rol
from inburgering.accounts.models import User
from inburgering.core.access import may_set_password

from .oidc_provider import Provider

CASELOAD = "/dossiers/"


@pytest.fixture
def provider(world) -> Iterator[Provider]:
    p = Provider().start()
    p.claims = {
        "sub": "idp-0001",
        "preferred_username": "j.jansen",
        "given_name": "Jet",
        "family_name": "Jansen",
        "email": "j.jansen@gemeente.example",
        "organisatie": world.team_a.naam,
    }
    backends = [*settings.AUTHENTICATION_BACKENDS, "inburgering.accounts.oidc.OIDCBackend"]
    with override_settings(
        **p.settings(), AUTHENTICATION_BACKENDS=backends, TWEEDE_FACTOR_VERPLICHT=True
    ):
        yield p
    p.stop()


def inloggen(client: Client, volgende: str = CASELOAD) -> object:
    """The whole round trip: our start → the provider's authorize → our callback."""
    begin = client.get("/oidc/authenticate/", {"next": volgende})
    assert begin.status_code == 302
    naar_provider = begin["Location"]
    assert "code_challenge=" in naar_provider and "nonce=" in naar_provider
    terug = requests.get(naar_provider, allow_redirects=False, timeout=10)
    assert terug.status_code == 302
    deel = urlsplit(terug.headers["Location"])
    assert deel.path == "/oidc/callback/"
    return client.get(deel.path + "?" + deel.query)


def test_de_knop_staat_op_de_inlogpagina_alleen_wanneer_ingesteld(provider, client):
    assert b'id="oidc-inloggen"' in client.get("/inloggen/").content
    with override_settings(OIDC_RP_CLIENT_ID=""):
        assert b'id="oidc-inloggen"' not in client.get("/inloggen/").content
        assert client.get("/oidc/authenticate/").status_code == 404


def test_oidc_meldt_aan_en_koppelt_de_organisatie(provider, world, client):
    antwoord = inloggen(client)
    assert antwoord.status_code == 302 and antwoord["Location"] == CASELOAD
    user = User.objects.get(oidc_subject="idp-0001")
    assert user.organisatie == world.team_a
    assert (user.username, user.first_name, user.email) == (
        "j.jansen",
        "Jet",
        "j.jansen@gemeente.example",
    )
    assert not user.has_usable_password()
    assert not user.groups.exists()  # roles stay managed here
    # the provider's second factor counts: the caseload opens without one here
    assert client.get(CASELOAD).status_code in (200, 403)
    assert not client.get(CASELOAD).get("Location", "").startswith("/account/tweede-factor/")

    # the same sub again is the same user, with the provider's new name
    provider.claims["family_name"] = "de Vries"
    client.logout()
    inloggen(client)
    assert User.objects.filter(oidc_subject="idp-0001").count() == 1
    assert User.objects.get(oidc_subject="idp-0001").last_name == "de Vries"


def test_een_onbekende_organisatie_meldt_niemand_aan(provider, client):
    provider.claims["organisatie"] = "Gemeente Nergenshuizen"
    antwoord = inloggen(client)
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith("/inloggen/")
    assert not User.objects.filter(oidc_subject="idp-0001").exists()
    pagina = client.get("/inloggen/")
    assert b"Your organisation is not known here" in pagina.content


def test_rollen_uit_de_claim_wanneer_ingesteld(provider, world, client):
    provider.claims["rollen"] = [Rol.WERKCOACH, Rol.BEGELEIDER, "niet-bestaand"]
    with override_settings(OIDC_CLAIM_ROLLEN="rollen"):
        inloggen(client)
    user = User.objects.get(oidc_subject="idp-0001")
    # only the roles that fit a gemeentelijk team: no begeleider, nothing unknown
    assert user.rollen == {Rol.WERKCOACH}
    assert client.get(CASELOAD).status_code == 200


def test_een_oidc_gebruiker_heeft_geen_wachtwoord(provider, world, client):
    inloggen(client)
    user = User.objects.get(oidc_subject="idp-0001")
    user.set_password("een-lang-geldig-wachtwoord")  # as if someone managed to set one
    user.save()
    ander = Client()
    poging = ander.post(
        "/inloggen/", {"username": user.username, "password": "een-lang-geldig-wachtwoord"}
    )
    assert poging.status_code == 200  # the form again: refused
    assert ander.get(CASELOAD)["Location"].startswith("/inloggen/")
    assert not may_set_password(world.beheerder_a, user)
    pagina = client.get("/account/wachtwoord/")
    assert pagina.status_code == 302  # nothing to change here


def test_zonder_vertrouwen_in_de_idp_ook_hier_een_tweede_factor(provider, client):
    with override_settings(OIDC_IDP_TWEEDE_FACTOR=False):
        inloggen(client)
        antwoord = client.get(CASELOAD)
    assert antwoord["Location"].startswith("/account/tweede-factor/instellen/")


def test_herbevestiging_en_logboek_via_de_provider(provider, world, client, settings):
    """Signed in through the provider, a sensitive action past HERBEVESTIGEN_MINUTEN sends the
    user through the provider again; sign-in and a refused sign-in are on record."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from inburgering.audit.models import AuditRecord

    inloggen(client)
    with time_machine.travel(
        timezone.now() + timedelta(minutes=settings.HERBEVESTIGEN_MINUTEN + 1)
    ):
        export = client.get("/verantwoording/export/")
        assert export["Location"].startswith("/account/tweede-factor/bevestigen/")
        opnieuw = client.get(export["Location"])
    assert opnieuw.status_code == 302
    assert opnieuw["Location"].startswith("/oidc/authenticate/?next=")

    provider.claims["organisatie"] = ""
    inloggen(Client())
    gebeurtenissen = list(
        AuditRecord.objects.exclude(gebeurtenis="")
        .order_by("volgnummer")
        .values_list("gebeurtenis", flat=True)
    )
    assert "aanmelden" in gebeurtenissen
    assert gebeurtenissen[-1] == "aanmelden.mislukt"
