"""Defect 6 of issue 8: a beschikking must reach its addressee (Awb 3:41). The person's woonadres
(Dutch postcode, huisnummer with letter and addition) and an optional correspondence address are
recorded with history through form, API and service; the letter prints the postal address (the
correspondence address when present) inside the window of a NEN 1026 window envelope; no PIP is
vastgesteld without a postal address."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from pypdf import PdfReader

from cases import rules, services
from cases.models import Inburgeraar
from inburgering.core.access import user_scope
from pip_plans import services as pip_services
from pip_plans.constants import Einddoel, Leerroute, PipStatus
from pip_plans.models import Pip
from pip_plans.pdf import render_beschikking

from .factories import DossierFactory, InburgeraarFactory

PROBLEM = "application/problem+json"
MM = 72 / 25.4  # PDF points per millimetre
A4_HOOGTE_MM = 297
# NEN 1026 / PostNL window of a C5/DL window envelope, in mm from the page's top-left corner
VENSTER = {"links": 20, "rechts": 110, "boven": 45, "onder": 85}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the pure rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("invoer", "verwacht"),
    [
        ("1271VA", "1271 VA"),
        ("1271 va", "1271 VA"),
        (" 1271  va ", "1271 VA"),
        ("9999ZZ", "9999 ZZ"),
    ],
)
def test_postcode_wordt_genormaliseerd(invoer, verwacht):
    assert rules.normalise_postcode(invoer) == verwacht
    assert rules.is_valid_postcode(rules.normalise_postcode(invoer))


@pytest.mark.parametrize(
    "postcode",
    [
        "0123 AB",
        "123 AB",
        "12345 AB",
        "1234 A",
        "1234 SA",
        "1234 SD",
        "1234 SS",
        "1234-AB",
        "١٢٣٤ AB",
        "1234 ÄB",
        "",
    ],
)
def test_ongeldige_postcodes(postcode):
    assert not rules.is_valid_postcode(rules.normalise_postcode(postcode))


def test_adresregels():
    adres = rules.Adres(
        straat="Kerkstraat",
        huisnummer=12,
        huisletter="A",
        toevoeging="2",
        postcode="1271 VA",
        woonplaats="Huizen",
    )
    assert adres.regels == ("Kerkstraat 12A-2", "1271 VA  HUIZEN")


# --- service: validation, normalisation, history --------------------------------------------


def _aanmelden(world, **adres):
    persoon = {
        "bsn": "111222333",
        "voornamen": "Amal",
        "achternaam": "Haddad",
        "geboortedatum": date(1990, 1, 1),
        "doelgroep": "asielmigrant",
        **adres,
    }
    with user_scope(world.werkcoach_a):
        return services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon,
            dossier={"gemeente": world.gemeente_a, "werkcoach": world.werkcoach_a},
        )


WOONADRES = {
    "woonadres_straat": "Kerkstraat",
    "woonadres_huisnummer": 12,
    "woonadres_huisletter": "a",
    "woonadres_toevoeging": "2",
    "woonadres_postcode": "1271va",
    "woonadres_woonplaats": "Huizen",
}


def test_service_normaliseert_en_bewaart_het_woonadres(world):
    dossier = _aanmelden(world, **WOONADRES)
    with scopes_disabled():
        p = Inburgeraar.objects.get(pk=dossier.inburgeraar_id)
    assert p.woonadres_postcode == "1271 VA"
    assert p.woonadres_huisletter == "A"
    assert p.postadres == p.woonadres
    assert p.woonadres is not None and p.woonadres.regels[0] == "Kerkstraat 12A-2"


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("woonadres_postcode", "1234 SS"),
        ("woonadres_postcode", "0123 AB"),
        ("woonadres_postcode", "12345"),
        ("woonadres_huisnummer", 0),
        ("woonadres_huisletter", "AB"),
        ("woonadres_toevoeging", "12345"),
    ],
)
def test_service_weigert_een_ongeldig_adresdeel_bij_het_veld(world, veld, waarde):
    with pytest.raises(ValidationError) as exc:
        _aanmelden(world, **{**WOONADRES, veld: waarde})
    assert veld in exc.value.message_dict
    with scopes_disabled():
        assert not Inburgeraar.objects.filter(bsn="111222333").exists()


def test_een_half_adres_noemt_de_ontbrekende_delen(world):
    with pytest.raises(ValidationError) as exc:
        _aanmelden(
            world, correspondentieadres_straat="Postbus", correspondentieadres_woonplaats="Huizen"
        )
    assert {"correspondentieadres_huisnummer", "correspondentieadres_postcode"} <= set(
        exc.value.message_dict
    )


def test_adreswijziging_staat_in_de_historie(world):
    dossier = world.dossier_a
    with user_scope(world.werkcoach_a):
        services.inburgeraar_update(
            user=world.werkcoach_a,
            inburgeraar=dossier.inburgeraar,
            reden="Verhuisd binnen de gemeente",
            woonadres_straat="Dorpsstraat",
            woonadres_huisnummer=3,
            woonadres_postcode="1271 AB",
            woonadres_woonplaats="Huizen",
        )
    with scopes_disabled():
        laatste = Inburgeraar.history.filter(id=dossier.inburgeraar_id).first()
        assert laatste is not None
        assert laatste.woonadres_straat == "Dorpsstraat"
        assert laatste.history_change_reason == "Verhuisd binnen de gemeente"
        assert laatste.history_user == world.werkcoach_a


def test_correspondentieadres_gaat_voor(world):
    with scopes_disabled():
        p = InburgeraarFactory(
            correspondentieadres_straat="Postbus",
            correspondentieadres_huisnummer=100,
            correspondentieadres_postcode="1270 AA",
            correspondentieadres_woonplaats="Huizen",
        )
    assert p.postadres == p.correspondentieadres
    assert p.postadres is not None and p.postadres.regels == ("Postbus 100", "1270 AA  HUIZEN")


# --- form and API ---------------------------------------------------------------------------


def test_formulier_weigert_postcode_bij_het_veld_en_bewaart_genormaliseerd(world, login):
    client = login(world.werkcoach_a)
    url = f"/dossiers/{world.dossier_a.uuid}/persoon/"
    with scopes_disabled():
        p = world.dossier_a.inburgeraar
        data = {
            "bsn": p.bsn,
            "voornamen": p.voornamen,
            "achternaam": p.achternaam,
            "geboortedatum": p.geboortedatum.isoformat(),
            "doelgroep": p.doelgroep,
            "regime": p.regime,
            "woonadres_straat": "Kerkstraat",
            "woonadres_huisnummer": "7",
            "woonadres_postcode": "1234 SA",
            "woonadres_woonplaats": "Huizen",
        }
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "woonadres_postcode" in form.errors
    response = client.post(url, {**data, "woonadres_postcode": "1271va"})
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        p.refresh_from_db()
    assert p.woonadres_postcode == "1271 VA"
    html = client.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert "Kerkstraat 7" in html and "1271 VA" in html


def test_api_weigert_postcode_met_veldnaam_en_toont_het_adres(world, api):
    c = api(world.werkcoach_a)
    with scopes_disabled():
        uuid = world.dossier_a.inburgeraar.uuid
    r = c.patch(f"/api/v1/inburgeraars/{uuid}", {"woonadresPostcode": "1234 SD"}, format="json")
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith(PROBLEM)
    assert "woonadresPostcode" in {p["name"] for p in r.json()["invalidParams"]}
    r = c.patch(
        f"/api/v1/inburgeraars/{uuid}",
        {
            "correspondentieadresStraat": "Postbus",
            "correspondentieadresHuisnummer": 100,
            "correspondentieadresPostcode": "1270aa",
            "correspondentieadresWoonplaats": "Huizen",
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["correspondentieadresPostcode"] == "1270 AA"
    assert r.json()["woonadresStraat"] == "Kerkstraat"


# --- vaststellen needs a postal address ----------------------------------------------------


def test_geen_vaststelling_zonder_postadres(world):
    with scopes_disabled():
        dossier = DossierFactory(
            in_intake=True,
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            inburgeraar=InburgeraarFactory(zonder_adres=True),
        )
    with user_scope(world.werkcoach_a):
        pip = pip_services.pip_aanmaken(user=world.werkcoach_a, dossier=dossier)
        fouten = pip_services.pip_controleren(pip)
    assert "woonadres" in fouten
    assert "Awb art. 3:40 and 3:41" in fouten["woonadres"][0]


# --- the letter -----------------------------------------------------------------------------


def _pip(dossier) -> Pip:
    with scopes_disabled():
        pip = Pip.objects.create(
            dossier=dossier,
            status=PipStatus.WORDT_VASTGESTELD,
            leerroute=Leerroute.B1,
            einddoel=Einddoel.B1,
            participatie="Stage",
            voortgangsgesprekken_per_jaar=2,
            kenmerk="PIP-TEST-000001-v1",
            datum_vastgesteld=date(2026, 11, 23),
        )
        return Pip.objects.select_related("dossier__inburgeraar", "dossier__gemeente").get(
            pk=pip.pk
        )


def woorden_met_positie(pdf_bytes: bytes) -> list[tuple[str, float, float]]:
    """Each text fragment of page 1 with its origin in mm from the page's top-left corner."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    fragmenten: list[tuple[str, float, float]] = []

    def visitor(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        # user space = text matrix × current transformation matrix
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        fragmenten.append((text.strip(), x / MM, A4_HOOGTE_MM - y / MM))

    reader.pages[0].extract_text(visitor_text=visitor)
    return fragmenten


def _in_venster(fragmenten, tekst) -> bool:
    gevonden = [(x, y) for t, x, y in fragmenten if t.startswith(tekst)]
    assert gevonden, (tekst, fragmenten[:40])
    return all(
        VENSTER["links"] <= x <= VENSTER["rechts"] - 20
        and VENSTER["boven"] <= y <= VENSTER["onder"]
        for x, y in gevonden
    )


def test_brief_drukt_het_woonadres_in_het_venster(world):
    with scopes_disabled():
        dossier = DossierFactory(
            gemeente=world.gemeente_a,
            inburgeraar=InburgeraarFactory(
                voornamen="Amal",
                achternaam="Haddad",
                woonadres_straat="Kerkstraat",
                woonadres_huisnummer=12,
                woonadres_huisletter="A",
                woonadres_toevoeging="2",
                woonadres_postcode="1271 VA",
                woonadres_woonplaats="Huizen",
            ),
        )
    pdf = render_beschikking(_pip(dossier))
    tekst = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Amal Haddad Kerkstraat 12A-2 1271 VA HUIZEN" in tekst
    fragmenten = woorden_met_positie(pdf)
    for deel in ("Amal Haddad", "Kerkstraat 12A-2", "1271 VA"):
        assert _in_venster(fragmenten, deel), (deel, [f for f in fragmenten if deel in f[0]])
    # and the letter's own text starts below the window
    datum_y = [y for t, _x, y in fragmenten if t.startswith("Datum")]
    assert datum_y and min(datum_y) > VENSTER["onder"]


def test_brief_gebruikt_het_correspondentieadres(world):
    with scopes_disabled():
        dossier = DossierFactory(
            gemeente=world.gemeente_a,
            inburgeraar=InburgeraarFactory(
                woonadres_straat="Kerkstraat",
                correspondentieadres_straat="Postbus",
                correspondentieadres_huisnummer=100,
                correspondentieadres_postcode="1270 AA",
                correspondentieadres_woonplaats="Huizen",
            ),
        )
    pdf = render_beschikking(_pip(dossier))
    fragmenten = woorden_met_positie(pdf)
    assert _in_venster(fragmenten, "Postbus 100")
    assert _in_venster(fragmenten, "1270 AA")
    assert not [t for t, _x, _y in fragmenten if "Kerkstraat" in t]


def test_api_vaststellen_zonder_postadres_noemt_woonadres(world, api):
    with scopes_disabled():
        dossier = DossierFactory(
            in_intake=True,
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            inburgeraar=InburgeraarFactory(zonder_adres=True),
        )
    c = api(world.werkcoach_a)
    r = c.post("/api/v1/pips", {"dossier": str(dossier.uuid)}, format="json")
    assert r.status_code == 201, r.content
    r = c.post(f"/api/v1/pips/{r.json()['uuid']}/vaststellen", {}, format="json")
    assert r.status_code == 400, r.content
    assert r["Content-Type"].startswith(PROBLEM)
    params = {p["name"]: p["reason"] for p in r.json()["invalidParams"]}
    assert "Awb art. 3:40 and 3:41" in params["woonadres"]
