"""The dossier hub (issue 9): typed facts, one registry of parts, and the dossier page, API and
history assembled from what the parts register."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from django_scopes import scopes_disabled
from rest_framework import serializers

from begeleiding.termijnregels import BegeleidingFeiten
from cases.constants import Doelgroep, Regime
from cases.feiten import DossierFeiten, FeitBron, Feiten
from cases.historie import dossier_historie
from cases.hub import ApiLink, ApiVeld, Hub, Onderdeel, Sectie, hub
from cases.termijnregels import registry
from handhaving.termijnregels import HandhavingFeiten
from inburgering.core.access import user_scope
from pip_plans import services
from pip_plans.constants import Beoordeling, Domein
from pip_plans.termijnregels import PipFeiten

from .klok import vandaag_fixture
from .test_pip_services import _media, dossier_in_intake, pip_met, vastgesteld  # noqa: F401

VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)


def dossier_feiten(**kwargs) -> DossierFeiten:
    base = {
        "open": True,
        "regime": Regime.WI2021,
        "doelgroep": Doelgroep.ASIELMIGRANT,
        "koppeling": None,
        "brp": date(2026, 1, 5),
        "huisvesting": None,
    }
    return DossierFeiten(**{**base, **kwargs})


def test_a_misspelt_or_unregistered_fact_is_an_error_not_none():
    feiten = Feiten([dossier_feiten()])
    assert feiten.dossier.brp == date(2026, 1, 5)
    with pytest.raises(AttributeError):
        feiten.dossier.brp_datum  # noqa: B018  (a typo)
    with pytest.raises(LookupError, match="PipFeiten"):
        feiten.van(PipFeiten)
    with pytest.raises(FrozenInstanceError):
        feiten.dossier.brp = date(2026, 2, 1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        feiten.iets = 1  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="two fact sources"):
        Feiten([dossier_feiten(), dossier_feiten()])


def _veld() -> serializers.Field:
    return serializers.CharField()


def _waarde(dossier) -> str:
    return "x"


def test_a_part_a_field_or_a_fact_source_registered_twice_is_refused():
    h = Hub()
    deel = Onderdeel(app="a", api_velden=(ApiVeld("veld", _veld, _waarde),))
    h.registreer(deel)
    assert h.registreer(deel) is deel  # ready() running twice changes nothing
    with pytest.raises(ValueError, match="registered twice"):
        h.registreer(Onderdeel(app="a"))
    with pytest.raises(ValueError, match="veld"):
        h.registreer(Onderdeel(app="b", api_velden=(ApiVeld("veld", _veld, _waarde),)))
    h.registreer(Onderdeel(app="c", feitbron=FeitBron(PipFeiten, lambda d: PipFeiten())))
    with pytest.raises(ValueError, match="PipFeiten"):
        h.registreer(Onderdeel(app="d", feitbron=FeitBron(PipFeiten, lambda d: PipFeiten())))
    assert [o.app for o in h] == ["a", "c"]


def test_every_domain_app_is_a_part_and_every_termijn_rule_comes_from_a_part():
    assert [o.app for o in hub] == [
        "cases",
        "pip_plans",
        "ontzorgen",
        "handhaving",
        "begeleiding",
        "verantwoording",
    ]
    uit_delen = [r.code for o in hub for r in o.termijnregels]
    assert uit_delen == registry.codes()
    assert {o.feitbron.soort for o in hub if o.feitbron} == {
        DossierFeiten,
        PipFeiten,
        HandhavingFeiten,
        BegeleidingFeiten,
    }


def test_the_intake_clock_and_key_dates_come_from_the_part_that_owns_the_intake():
    pip_deel = hub.onderdeel("pip_plans")
    assert "intake" in {r.code for r in pip_deel.termijnregels}
    assert "intake" not in {r.code for r in hub.onderdeel("cases").termijnregels}
    feiten = Feiten([dossier_feiten(), PipFeiten(intake_afgerond=date(2026, 1, 20))])
    data = {s.code: s for s in hub.sleuteldata(feiten)}
    assert list(data) == ["koppeling", "huisvesting", "brp", "intake", "pip"]
    assert data["intake"].datum == date(2026, 1, 20) and data["intake"].feit == "intake_afgerond"
    assert data["pip"].datum is None


@pytest.fixture
def proef_deel(monkeypatch, settings, tmp_path):
    """A part registered for this test only, with a section, an API field and a link."""
    (tmp_path / "proef").mkdir()
    (tmp_path / "proef" / "sectie.html").write_text(
        '<section id="proef-sectie">Proef voor {{ sectie.naam }} in {{ dossier.gemeente }}'
        "</section>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    deel = Onderdeel(
        app="proef",
        secties=(
            Sectie("proef", "proef/sectie.html", lambda user, d: {"naam": user.username}),
            Sectie(
                "verborgen",
                "proef/sectie.html",
                lambda user, d: None,
                zichtbaar=lambda user, d: False,
            ),
        ),
        api_velden=(
            ApiVeld(
                "proef_veld",
                lambda: serializers.CharField(help_text="test"),
                lambda d: f"proef-{d.gemeente.naam}",
            ),
        ),
        api_links=(ApiLink("proef", lambda d: f"/proef/{d.uuid}"),),
    )
    monkeypatch.setitem(hub._onderdelen, "proef", deel)
    return deel


def test_the_dossier_page_and_api_show_what_a_registered_part_adds(world, login, api, proef_deel):
    client = login(world.werkcoach_a)
    overzicht = client.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    # every registered section is a tab under the dossier header, in the hub's order
    tabs = re.findall(r'class="dossier-tabs__link" href="([^"]+)" data-sectie="([^"]+)"', overzicht)
    basis = f"/dossiers/{world.dossier_a.uuid}/"
    assert (basis, "overzicht") in tabs and (basis + "proef/", "proef") in tabs
    assert (basis + "intake/", "intake") in tabs  # pip_plans' own registered sections
    assert (basis + "pip/", "pip") in tabs
    assert "verborgen" not in {code for _, code in tabs}  # not shown to this user
    assert 'id="proef-sectie"' not in overzicht  # only the opened section is rendered
    html = client.get(basis + "proef/").content.decode()
    assert '<section id="proef-sectie">Proef voor wc_a in Huizen</section>' in html
    assert html.count('id="proef-sectie"') == 1
    # the section that answers None is no page: a 404, like a dossier one may not see
    assert client.get(basis + "verborgen/").status_code == 404
    assert client.get(basis + "bestaat-niet/").status_code == 404

    data = api(world.werkcoach_a).get(f"/api/v1/dossiers/{world.dossier_a.uuid}").json()
    assert data["proefVeld"] == "proef-Huizen"
    assert data["links"]["proef"] == f"/proef/{world.dossier_a.uuid}"
    assert data["links"]["pips"] == f"/api/v1/pips?dossier={world.dossier_a.uuid}"
    lijst = api(world.werkcoach_a).get("/api/v1/dossiers").json()
    assert {d["proefVeld"] for d in lijst["results"]} == {"proef-Huizen"}


def test_the_links_of_the_dossier_resource_lead_to_its_parts(world, api):
    client = api(world.werkcoach_a)
    links = client.get(f"/api/v1/dossiers/{world.dossier_a.uuid}").json()["links"]
    # the world's dossier has the running begeleiding through which its begeleider reaches it
    verwacht = {"intakes": 0, "pips": 0, "procedures": 0, "aanmeldingen": 1, "contactmomenten": 0}
    assert set(links) == set(verwacht)
    for naam, pad in links.items():
        response = client.get(pad)
        assert response.status_code == 200, pad
        assert response.json()["count"] == verwacht[naam], pad


def test_the_history_covers_every_domain_model_filtered_by_need_to_know(world):
    dossier = dossier_in_intake(world)
    with user_scope(world.werkcoach_a):
        intake = services.intake_starten(user=world.werkcoach_a, dossier=dossier)
        for domein, tekst in (
            (Domein.MENTALE_GEZONDHEID, "medisch geheim"),
            (Domein.TAALNIVEAU, ""),
        ):
            services.intake_domein_opslaan(
                user=world.werkcoach_a,
                intake=intake,
                domein=domein,
                beoordeling=Beoordeling.AANDACHT,
                toelichting=tekst,
            )
    pip = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier))
    with scopes_disabled():
        volledig = dossier_historie(dossier)
    objecten = {r.object for r in volledig}
    assert {"Dossier", "Person", f"PIP version {pip.versie}", "Brede intake"} <= objecten
    assert any(o.startswith("Deadline: ") for o in objecten)
    assert any(o.endswith(str(Domein.MENTALE_GEZONDHEID.label)) for o in objecten)
    assert any(o.endswith(str(Domein.TAALNIVEAU.label)) for o in objecten)

    # a begeleider lacks need-to-know: no trace of the medical domain
    with user_scope(world.begeleider_a):
        begeleider = dossier_historie(dossier, world.begeleider_a)
    tekst = repr(begeleider)
    assert str(Domein.TAALNIVEAU.label) in tekst
    assert str(Domein.MENTALE_GEZONDHEID.label) not in tekst
    assert "medisch geheim" not in tekst


def test_section_codes_cannot_take_a_fixed_dossier_url():
    """The fixed paths under ``/dossiers/<uuid>/`` are exactly the hub's reserved codes, and a
    part that registers a section under one of them (or twice) is refused."""
    from django.urls import get_resolver

    from cases.hub import GERESERVEERDE_PADEN

    vast = set()
    for patroon in get_resolver("cases.urls").url_patterns:
        delen = str(patroon.pattern).strip("/").split("/")
        if len(delen) == 2 and delen[0] == "<uuid:uuid>" and not delen[1].startswith("<"):
            vast.add(delen[1])
    assert vast == GERESERVEERDE_PADEN
    nieuw = Hub()
    with pytest.raises(ValueError, match="clash with a dossier URL"):
        nieuw.registreer(
            Onderdeel(app="x", secties=(Sectie("notitie", "x.html", lambda u, d: {}),))
        )
    nieuw.registreer(Onderdeel(app="y", secties=(Sectie("eigen", "y.html", lambda u, d: {}),)))
    with pytest.raises(ValueError, match="registered twice"):
        nieuw.registreer(Onderdeel(app="z", secties=(Sectie("eigen", "z.html", lambda u, d: {}),)))
