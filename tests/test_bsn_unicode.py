"""Issue 8, defect 13 (medium): a BSN is nine ASCII digits after normalisation, everywhere.

Rule: the same person has one BSN however it is typed. Unicode decimal digits (Arabic-Indic
"١٢٣", full-width "１２３") are normalised to ASCII before the elfproef and the uniqueness check,
so they can neither create a second person beside the same BSN nor slip past the elfproef;
other digit-like characters (superscripts "¹²³") are not a BSN and are refused as such — never
a 500. Covered: the pure rule, the registration form, API create, API search, UI search.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cases import rules
from cases.constants import Doelgroep, Fase
from cases.models import Dossier, Inburgeraar

ARABISCH = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERZISCH = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
VOLBREED = str.maketrans("0123456789", "０１２３４５６７８９")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
NIEUW_BSN = "123456782"  # passes the elfproef; not in the world fixture


def test_rule_unicode_decimal_digits_become_ascii():
    for tabel in (ARABISCH, PERZISCH, VOLBREED):
        getypt = NIEUW_BSN.translate(tabel)
        assert not rules.is_valid_bsn(getypt), "only ASCII digits are a BSN"
        assert rules.normalise_bsn(getypt) == NIEUW_BSN
        assert rules.is_valid_bsn(rules.normalise_bsn(getypt))
    # spaces (including a no-break space) and dots are still stripped
    assert rules.normalise_bsn("1234\u00a056.782") == NIEUW_BSN


def test_rule_superscripts_are_not_a_bsn_and_do_not_crash():
    getypt = NIEUW_BSN.translate(SUPERSCRIPT)
    assert getypt.isdigit()  # what fooled the old check
    assert not rules.is_valid_bsn(getypt)
    assert not rules.is_valid_bsn(rules.normalise_bsn(getypt))
    assert not rules.is_valid_bsn("12345678²")


def _form(world, **overrides):
    data = {
        "bsn": NIEUW_BSN,
        "voornamen": "Semhar",
        "achternaam": "Tesfaye",
        "geboortedatum": (timezone.localdate() - timedelta(days=30 * 365)).isoformat(),
        "doelgroep": Doelgroep.ASIELMIGRANT,
        "regime": "wi2021",
        "fase": Fase.AANGEMELD,
        "gemeente": world.gemeente_a.pk,
        "werkcoach": world.werkcoach_a.pk,
    }
    data.update(overrides)
    return data


def _aantallen():
    with scopes_disabled():
        return Inburgeraar.objects.count(), Dossier.objects.count()


def test_form_arabic_digits_of_an_existing_bsn_do_not_create_a_second_person(world, login):
    client = login(world.werkcoach_a)
    bestaand = world.dossier_b.inburgeraar.bsn  # open dossier in another gemeente
    before = _aantallen()
    response = client.post("/dossiers/nieuw/", _form(world, bsn=bestaand.translate(ARABISCH)))
    assert response.status_code == 200
    assert "at most one open dossier" in " ".join(response.context["form"].errors["bsn"])
    assert _aantallen() == before


def test_form_full_width_digits_are_stored_as_ascii(world, login):
    client = login(world.werkcoach_a)
    response = client.post("/dossiers/nieuw/", _form(world, bsn=NIEUW_BSN.translate(VOLBREED)))
    assert response.status_code == 302, response.content.decode()[:1000]
    with scopes_disabled():
        assert Inburgeraar.objects.filter(bsn=NIEUW_BSN).count() == 1


def test_form_superscript_digits_are_a_field_error_not_a_500(world, login):
    client = login(world.werkcoach_a)
    before = _aantallen()
    response = client.post("/dossiers/nieuw/", _form(world, bsn=NIEUW_BSN.translate(SUPERSCRIPT)))
    assert response.status_code == 200
    assert "elfproef" in " ".join(response.context["form"].errors["bsn"])
    assert _aantallen() == before


def _aanmelding(world, bsn):
    return {
        "bsn": bsn,
        "voornamen": "Amal",
        "achternaam": "Haddad",
        "geboortedatum": (timezone.localdate() - timedelta(days=30 * 365)).isoformat(),
        "doelgroep": "asielmigrant",
        "gemeente": str(world.gemeente_a.uuid),
        "fase": "gekoppeld",
        "werkcoach": str(world.werkcoach_a.uuid),
        "datumKoppeling": (timezone.localdate() - timedelta(days=5)).isoformat(),
    }


def test_api_create_with_arabic_digits_of_an_existing_bsn_is_refused(world, api):
    bestaand = world.dossier_a.inburgeraar.bsn
    before = _aantallen()
    response = api(world.werkcoach_a).post(
        "/api/v1/inburgeraars", _aanmelding(world, bestaand.translate(ARABISCH)), format="json"
    )
    assert response.status_code == 400, response.content
    assert {p["name"] for p in response.json()["invalidParams"]} == {"bsn"}
    assert _aantallen() == before


def test_api_create_full_width_is_normalised_and_superscript_refused(world, api):
    client = api(world.werkcoach_a)
    response = client.post(
        "/api/v1/inburgeraars", _aanmelding(world, NIEUW_BSN.translate(VOLBREED)), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["bsn"] == NIEUW_BSN
    before = _aantallen()
    response = client.post(
        "/api/v1/inburgeraars",
        _aanmelding(world, "111222333".translate(SUPERSCRIPT)),
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert {p["name"] for p in response.json()["invalidParams"]} == {"bsn"}
    assert _aantallen() == before


@pytest.mark.parametrize("tabel", [ARABISCH, VOLBREED])
def test_api_search_finds_the_person_whatever_digits_are_typed(world, api, tabel):
    persoon = world.dossier_a.inburgeraar
    response = api(world.werkcoach_a).post(
        "/api/v1/inburgeraars/zoeken", {"bsn": persoon.bsn.translate(tabel)}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [p["uuid"] for p in response.json()] == [str(persoon.uuid)]


def test_api_search_with_superscripts_is_a_400_problem(world, api):
    response = api(world.werkcoach_a).post(
        "/api/v1/inburgeraars/zoeken",
        {"bsn": world.dossier_a.inburgeraar.bsn.translate(SUPERSCRIPT)},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")


def test_ui_search_with_unicode_digits(world, login):
    with scopes_disabled():
        Inburgeraar.objects.filter(pk=world.dossier_a.inburgeraar_id).update(
            achternaam="Alfazoeknaam"
        )
        Inburgeraar.objects.filter(pk=world.dossier_a2.inburgeraar_id).update(
            achternaam="Betazoeknaam"
        )
    bsn = world.dossier_a.inburgeraar.bsn
    client = login(world.teamleider_a)
    response = client.post("/dossiers/zoeken/", {"zoekterm": bsn.translate(ARABISCH)})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Alfazoeknaam" in html and "Betazoeknaam" not in html

    response = client.post("/dossiers/zoeken/", {"zoekterm": bsn.translate(SUPERSCRIPT)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alfazoeknaam" not in html  # not a BSN: a name search that matches nobody


def test_database_refuses_a_non_ascii_bsn_even_past_every_service(world):
    """``chk_inburgeraar_bsn_ascii``: a path that skips validation still cannot store one."""
    from django.db import IntegrityError, transaction

    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Inburgeraar.objects.create(
            bsn=world.dossier_a.inburgeraar.bsn.translate(ARABISCH),
            voornamen="X",
            achternaam="Y",
            geboortedatum=world.dossier_a.inburgeraar.geboortedatum,
        )
