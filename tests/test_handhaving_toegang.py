"""Who sees and does what in handhaving: werkcoaches and teamleiders act, auditors read,
begeleiders see nothing of it — not in the timeline (page and API), not in the history, no
tab; another gemeente's werkcoach can do nothing; only a teamleider approves a fine."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scopes_disabled

from cases.models import Gebeurtenis
from handhaving import services
from handhaving.constants import GesprekUitkomst, ProcedureStatus
from handhaving.models import Procedure
from inburgering.core.access import user_scope

from .handhaving_stappen import (
    gesprek,
    goedgekeurd,
    media_fixture,
    opstellen,
    rapport,
    tot_besluit,
    verzuim,
)
from .klok import vandaag_fixture
from .test_handhaving_services import _stand

VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)
_media = media_fixture()


def _soorten_op_pagina(html: str) -> list[str]:
    return re.findall(r'data-soort="([^"]+)"', html)


@pytest.fixture
def procedure(world) -> Procedure:
    """A procedure of dossier A with a rapport: timeline events and history to (not) see."""
    return rapport(world, gesprek(world, verzuim(world)))


def test_the_timeline_page_hides_handhaving_from_the_begeleider(world, login, procedure):
    url = f"/dossiers/{world.dossier_a.uuid}/tijdlijn/"
    wc = _soorten_op_pagina(login(world.werkcoach_a).get(url).content.decode())
    assert {"handhaving.verzuim", "handhaving.gesprek", "handhaving.rapport"} <= set(wc), wc
    response = login(world.begeleider_a).get(url)
    assert response.status_code == 200
    mb = _soorten_op_pagina(response.content.decode())
    assert not [s for s in mb if s.startswith("handhaving.")], mb
    assert "Niet verschenen" not in response.content.decode()  # nor the verzuim's text
    with scopes_disabled():  # the events exist: they are hidden, not missing
        assert (
            Gebeurtenis.objects.filter(
                dossier=world.dossier_a, soort__startswith="handhaving."
            ).count()
            == 3
        )


def test_the_api_timeline_hides_handhaving_from_the_begeleider(world, api, procedure):
    url = f"/api/v1/dossiers/{world.dossier_a.uuid}/tijdlijn"

    def soorten(user) -> list[str]:
        response = api(user).get(url)
        assert response.status_code == 200, response.content[:300]
        return [g["soort"] for g in response.json()["results"]]

    assert {"handhaving.verzuim", "handhaving.gesprek", "handhaving.rapport"} <= set(
        soorten(world.werkcoach_a)
    )
    assert {"handhaving.verzuim", "handhaving.rapport"} <= set(soorten(world.auditor_a))
    assert not [s for s in soorten(world.begeleider_a) if s.startswith("handhaving.")]


@pytest.mark.parametrize("rol", ["teamleider_a", "auditor_a"])
def test_the_history_holds_the_procedure_for_teamleider_and_auditor(world, login, procedure, rol):
    html = login(getattr(world, rol)).get(f"/dossiers/{world.dossier_a.uuid}/historie/")
    assert html.status_code == 200
    tekst = html.content.decode()
    assert "Enforcement procedure 1" in tekst
    for reden in ("Procedure opened", "Hearing conversation recorded", "Rapport drawn up"):
        assert reden in tekst, reden
    assert "Failure recorded" in tekst


def test_the_begeleider_has_no_handhaving_tab_and_no_page(world, login, procedure):
    basis = f"/dossiers/{world.dossier_a.uuid}/"
    tabs = lambda html: re.findall(r'data-sectie="([^"]+)"', html)  # noqa: E731
    assert "handhaving" in tabs(login(world.werkcoach_a).get(basis).content.decode())
    assert login(world.werkcoach_a).get(f"{basis}handhaving/").status_code == 200
    client = login(world.begeleider_a)
    assert "handhaving" not in tabs(client.get(basis).content.decode())
    assert client.get(f"{basis}handhaving/").status_code == 404
    assert client.get(f"{basis}historie/").status_code == 404


def _alle_diensten(world, p: Procedure) -> list[tuple[str, Any]]:
    kwargs: dict[str, dict[str, Any]] = {
        "gesprek_vastleggen": {
            "datum": VANDAAG,
            "verslag": "x",
            "uitkomst": GesprekUitkomst.VERDER,
        },
        "rapport_opmaken": {"datum": VANDAAG, "plaats": "Huizen", "feiten": "f"},
        "voornemen_versturen": {},
        "zienswijze_vastleggen": {"soort": "schriftelijk", "datum": VANDAAG, "inhoud": "x"},
        "geen_boete_besluiten": {"motivering": "x"},
        "pw_maatregel_vastleggen": {
            "participatieconsulent": "x",
            "maatregel": "x",
            "datum": VANDAAG,
        },
        "boete_opstellen": {"verwijtbaarheid": "x"},
        "boete_ter_goedkeuring": {},
        "boete_goedkeuren": {},
        "boete_terugsturen": {"opmerking": "x"},
        "boete_versturen": {},
        "bezwaar_registreren": {"ontvangen_op": VANDAAG},
        "bezwaar_beslissen": {"uitkomst": "ongegrond", "datum": VANDAAG},
        "betaalstatus_wijzigen": {"status": "betaald"},
        "boete_intrekken": {"reden": "x"},
    }
    return [
        (naam, lambda user, n=naam, k=k: getattr(services, n)(user=user, procedure=p, **k))
        for naam, k in kwargs.items()
    ]


@pytest.mark.parametrize("wie", ["auditor_a", "werkcoach_b", "begeleider_a"])
def test_services_refuse_who_may_not_act(world, procedure, wie):
    user = getattr(world, wie)
    voor = _stand(procedure.dossier_id)
    for naam, dienst in _alle_diensten(world, procedure):
        with user_scope(user), pytest.raises(PermissionDenied):
            dienst(user)
            pytest.fail(f"{naam} was allowed for {wie}")
    with user_scope(user), pytest.raises(PermissionDenied):
        services.verzuim_vastleggen(
            user=user,
            dossier=world.dossier_a,
            soort="pvt",
            datum=VANDAAG,
            omschrijving="x",
        )
    assert _stand(procedure.dossier_id) == voor


def test_only_a_teamleider_approves(world):
    p = opstellen(world, tot_besluit(world))
    with user_scope(world.werkcoach_a):
        p = services.boete_ter_goedkeuring(user=world.werkcoach_a, procedure=p)
    voor = _stand(p.dossier_id)
    for actie, kwargs in (
        (services.boete_goedkeuren, {}),
        (services.boete_terugsturen, {"opmerking": "Zelf goedgekeurd?"}),
    ):
        with user_scope(world.werkcoach_a), pytest.raises(PermissionDenied) as exc:
            actie(user=world.werkcoach_a, procedure=p, **kwargs)
        assert str(exc.value) == "Only a teamleider approves a fine."
    assert _stand(p.dossier_id) == voor
    p = goedgekeurd(world, p)
    assert p.status == ProcedureStatus.GOEDGEKEURD and p.goedgekeurd_door == world.teamleider_a


def test_another_gemeentes_werkcoach_cannot_see_the_procedure(world, login, api, procedure):
    assert (
        login(world.werkcoach_b).get(f"/dossiers/{world.dossier_a.uuid}/handhaving/").status_code
        == 404
    )
    assert (
        api(world.werkcoach_b).get(f"/api/v1/dossiers/{world.dossier_a.uuid}/tijdlijn").status_code
        == 404
    )
