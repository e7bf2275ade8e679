"""The same refusal everywhere (issue 9 §3): an object outside the user's visibility is a 404
in UI and API alike; a visible object with an action the user may not do is a 403 in both.

Each case names one action on one object, how the UI and the API ask for it, a user who does
not see the object and users who see it but may not do it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django_scopes import scopes_disabled

from cases import bewaking
from cases.constants import Fase
from cases.models import Dossier, Signaal
from cases.policy import signalen_om_af_te_handelen
from inburgering.core.access import OnbekendeActie, mag, user_scope, vereis
from pip_plans.models import BredeIntake

from .klok import vandaag_fixture
from .test_pip_services import _media, pip_met  # noqa: F401
from .test_termijn_api import met_brp

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)


@dataclass
class Objecten:
    dossier: Dossier
    termijn: Any
    signaal: Signaal
    intake: BredeIntake
    pip: Any


@pytest.fixture
def objecten(world) -> Objecten:
    """Dossier A (werkcoach_a, begeleider_a) with running clocks, an open signal for
    werkcoach_a and a brede intake in progress; dossier A2 (werkcoach_a2) with a concept PIP."""
    klokken = met_brp(world.dossier_a, VANDAAG - timedelta(days=20))
    met_brp(world.dossier_a2, date(2026, 1, 5))
    with scopes_disabled():
        Dossier.objects.filter(pk=world.dossier_a2.pk).update(fase=Fase.PIP)
        world.dossier_a2.refresh_from_db()
    pip = pip_met(world.werkcoach_a2, world.dossier_a2)
    with scopes_disabled():
        bewaking.sweep(peildatum=VANDAAG)
        # the intake's signal (the world's running begeleiding has clocks of its own)
        signaal = Signaal.objects.get(ontvanger=world.werkcoach_a, termijn__code="intake")
        intake = BredeIntake.objects.create(dossier=world.dossier_a)
    return Objecten(world.dossier_a, klokken["intake"], signaal, intake, pip)


@dataclass(frozen=True)
class Geval:
    """One action: the UI request and the API request (method, path, body) for the objects."""

    actie: str
    ui: Callable[[Objecten], tuple[str, str, dict]]
    api: Callable[[Objecten], tuple[str, str, dict]]
    onzichtbaar: str  # a user of the world who does not see the object
    verboden: tuple[str, ...]  # users who see it but may not do this


GEVALLEN = [
    Geval(
        "dossier.bekijken",
        lambda o: ("get", f"/dossiers/{o.dossier.uuid}/", {}),
        lambda o: ("get", f"/api/v1/dossiers/{o.dossier.uuid}", {}),
        onzichtbaar="werkcoach_b",
        verboden=(),
    ),
    Geval(
        "dossier.bewerken",
        lambda o: ("post", f"/dossiers/{o.dossier.uuid}/bewerken/", {}),
        lambda o: ("patch", f"/api/v1/dossiers/{o.dossier.uuid}", {}),
        onzichtbaar="werkcoach_b",
        verboden=("begeleider_a", "auditor_a"),
    ),
    Geval(
        "dossier.notitie",
        lambda o: ("post", f"/dossiers/{o.dossier.uuid}/notitie/", {"tekst": "Gebeld."}),
        lambda o: ("post", f"/api/v1/dossiers/{o.dossier.uuid}/notities", {"tekst": "Gebeld."}),
        onzichtbaar="begeleider_a2",
        verboden=("auditor_a",),
    ),
    Geval(
        "termijn.beheren",
        lambda o: (
            "post",
            f"/dossiers/{o.dossier.uuid}/termijnen/{o.termijn.uuid}/verlengen/",
            {"tot": "2026-12-31", "reden": "Ziek"},
        ),
        lambda o: (
            "post",
            f"/api/v1/termijnen/{o.termijn.uuid}/verlengen",
            {"tot": "2026-12-31", "reden": "Ziek"},
        ),
        onzichtbaar="werkcoach_b",
        verboden=("begeleider_a", "auditor_a"),
    ),
    Geval(
        "signaal.afhandelen",
        lambda o: ("post", "/dossiers/signalen/afhandelen/", {"signaal": str(o.signaal.uuid)}),
        lambda o: ("post", "/api/v1/signalen/afhandelen", {"signalen": [str(o.signaal.uuid)]}),
        onzichtbaar="werkcoach_b",
        # another werkcoach of the team sees the dossier but the signal is not theirs
        verboden=("werkcoach_a2", "teamleider_a", "auditor_a"),
    ),
    Geval(
        "intake.bewerken",
        lambda o: ("post", f"/pip/intake/{o.intake.uuid}/gegevens/", {}),
        lambda o: ("patch", f"/api/v1/intakes/{o.intake.uuid}", {}),
        onzichtbaar="werkcoach_b",
        verboden=("begeleider_a", "auditor_a"),
    ),
    Geval(
        "pip.goedkeuren",
        lambda o: ("post", f"/pip/{o.pip.uuid}/goedkeuren/", {}),
        lambda o: ("post", f"/api/v1/pips/{o.pip.uuid}/goedkeuren", {}),
        onzichtbaar="begeleider_a",
        verboden=("werkcoach_a", "werkcoach_a2", "auditor_a"),
    ),
    Geval(
        "pip.terugsturen",
        lambda o: ("post", f"/pip/{o.pip.uuid}/terugsturen/", {"opmerking": "Graag aanvullen."}),
        lambda o: (
            "post",
            f"/api/v1/pips/{o.pip.uuid}/terugsturen",
            {"opmerking": "Graag aanvullen."},
        ),
        onzichtbaar="werkcoach_b",
        verboden=("werkcoach_a2", "auditor_a"),
    ),
    Geval(
        "pip.vaststellen",
        lambda o: ("post", f"/pip/{o.pip.uuid}/vaststellen/", {"datum": "2026-06-15"}),
        lambda o: ("post", f"/api/v1/pips/{o.pip.uuid}/vaststellen", {"datum": "2026-06-15"}),
        onzichtbaar="werkcoach_b",
        verboden=("auditor_a", "begeleider_a2"),
    ),
]


def _ui(login, user, verzoek) -> int:
    methode, pad, data = verzoek
    return getattr(login(user), methode)(pad, data).status_code


def _api(api, user, verzoek) -> int:
    methode, pad, data = verzoek
    return getattr(api(user), methode)(pad, data, format="json").status_code


@pytest.mark.parametrize("geval", GEVALLEN, ids=[g.actie for g in GEVALLEN])
def test_invisible_object_is_404_in_ui_and_api(world, login, api, objecten, geval):
    user = getattr(world, geval.onzichtbaar)
    assert _ui(login, user, geval.ui(objecten)) == 404
    assert _api(api, user, geval.api(objecten)) == 404


@pytest.mark.parametrize(
    ("geval", "wie"),
    [(g, wie) for g in GEVALLEN for wie in g.verboden],
    ids=[f"{g.actie}-{wie}" for g in GEVALLEN for wie in g.verboden],
)
def test_forbidden_action_on_a_visible_object_is_403_in_ui_and_api(
    world, login, api, objecten, geval, wie
):
    user = getattr(world, wie)
    assert _ui(login, user, geval.ui(objecten)) == 403
    assert _api(api, user, geval.api(objecten)) == 403


def test_refused_requests_changed_nothing(world, login, api, objecten):
    for geval in GEVALLEN:
        for wie in (geval.onzichtbaar, *geval.verboden):
            _ui(login, getattr(world, wie), geval.ui(objecten))
            _api(api, getattr(world, wie), geval.api(objecten))
    with scopes_disabled():
        assert Signaal.objects.get(pk=objecten.signaal.pk).afgehandeld_op is None
        assert not objecten.termijn.verlengingen.exists()
        assert objecten.pip.__class__.objects.get(pk=objecten.pip.pk).status == objecten.pip.status
        assert not objecten.dossier.gebeurtenissen.filter(omschrijving="Gebeld.").exists()


def test_the_owner_is_not_refused(world, login, api, objecten):
    """The counter-check: the same requests by who may do them are not refused."""
    ui = _ui(login, world.werkcoach_a, GEVALLEN[4].ui(objecten))
    assert ui == 302  # signal handled, back to the list
    with scopes_disabled():
        assert Signaal.objects.get(pk=objecten.signaal.pk).afgehandeld_op is not None


# --- the engine itself --------------------------------------------------------------------------


def test_policy_answers_for_the_signal(world, objecten):
    with user_scope(world.werkcoach_a2):
        assert not mag(world.werkcoach_a2, "signaal.afhandelen", objecten.signaal)
        with pytest.raises(PermissionDenied, match="your own signals"):
            signalen_om_af_te_handelen(world.werkcoach_a2, [objecten.signaal.uuid])
    with user_scope(world.werkcoach_a):
        assert mag(world.werkcoach_a, "signaal.afhandelen", objecten.signaal)
        assert signalen_om_af_te_handelen(world.werkcoach_a, [objecten.signaal.uuid]) == [
            objecten.signaal.pk
        ]


def test_an_unknown_action_fails_loudly(world):
    with pytest.raises(OnbekendeActie):
        mag(world.werkcoach_a, "dossier.toewijzn")
    with pytest.raises(OnbekendeActie):
        vereis(world.werkcoach_a, "pip.goedkeurn")
