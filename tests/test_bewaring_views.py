"""The retention pages: the functioneel beheerder proposes and sees the list with its reasons
(without names), a teamleider approves or rejects (four eyes) and places and lifts holds, the
verklaring as page and PDF without personal data; other gemeenten's runs are a 404; the run
list keeps its query count."""

from __future__ import annotations

import io

import pytest
from django.urls import include, path
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from bewaring import services, tasks
from bewaring.constants import RondeStatus
from bewaring.models import JuridischeBlokkade, Vernietigingsronde
from inburgering import urls as root_urls
from inburgering.core.access import user_scope

from .factories import GemeenteFactory, user_met_rol
from .test_bewaring import VERNIETIGBAAR, blokkeren, gesloten_dossier, op, voorstellen
from .test_bewaring_wereld import (  # noqa: F401  (autouse fixtures)
    _media,
    _rollen,
    _vandaag,
    sporen,
    volledig_dossier,
)

# Until the lead includes ``bewaring.urls`` in the root URLconf, the tests add it themselves.
urlpatterns = list(root_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "bewaring" for p in urlpatterns):
    urlpatterns.append(path("bewaring/", include("bewaring.urls")))
pytestmark = pytest.mark.urls(__name__)


def test_beheerder_stelt_voor_en_ziet_redenen_zonder_namen(world, login):
    vrij = gesloten_dossier(world)
    vast = gesloten_dossier(world)
    blokkeren(world, vast)
    with op(VERNIETIGBAAR):  # (log in there: the session would have expired)
        client = login(world.beheerder_a)
        pagina = client.get("/bewaring/")
        assert pagina.status_code == 200
        assert b'action="/bewaring/voorstellen/"' in pagina.content
        antwoord = client.post(
            "/bewaring/voorstellen/", {"gemeente": world.gemeente_a.pk}, follow=True
        )
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "VR-" in html and 'data-regel-status="voorgesteld"' in html
    assert 'data-regel-status="uitgesloten"' in html
    assert "Legal hold: objection (bezwaar)." in html
    assert "Archiefwet: retention period elapsed." in html
    # the beheerder sees no dossiers: no names, no approval form
    for d in (vrij, vast):
        assert d.inburgeraar.achternaam not in html
    assert "bevestigd" not in html  # the approval form's checkbox


def test_teamleider_keurt_goed_en_ziet_de_verklaring(
    world, login, django_capture_on_commit_callbacks
):
    persoon = volledig_dossier(world)
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world)
        client = login(world.teamleider_a)
        pagina = client.get(f"/bewaring/rondes/{ronde.uuid}/")
        assert persoon.inburgeraar.achternaam in pagina.content.decode()  # need-to-know: yes
        geweigerd = client.post(f"/bewaring/rondes/{ronde.uuid}/goedkeuren/", {}, follow=True)
        assert "Confirm that you checked the list." in geweigerd.content.decode()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(f"/bewaring/rondes/{ronde.uuid}/goedkeuren/", {"bevestigd": "on"})
        assert len(callbacks) == 1
        assert tasks.ronde_uitvoeren(ronde.pk) == tasks.OK
        html = client.get(f"/bewaring/rondes/{ronde.uuid}/verklaring/").content.decode()
        pdf = client.get(f"/bewaring/rondes/{ronde.uuid}/verklaring.pdf")
    assert "Statement of destruction" in html and ronde.kenmerk in html
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert ronde.kenmerk in tekst and "VR-" in tekst
    for waarde in persoon.kenmerken.values():
        assert waarde not in html and waarde not in tekst
    assert sporen(persoon) == {wat: [] for wat in persoon.kenmerken}


def test_voorsteller_kan_niet_goedkeuren(world, login):
    gesloten_dossier(world)
    with scopes_disabled():
        beide = user_met_rol("teamleider", world.team_a, username="tl_fb2")
        beide.groups.add(world.beheerder_a.groups.get())
    with op(VERNIETIGBAAR):
        client = login(beide)
        ronde = voorstellen(world, user=beide)
        pagina = client.get(f"/bewaring/rondes/{ronde.uuid}/")
        assert f"/bewaring/rondes/{ronde.uuid}/goedkeuren/" not in pagina.content.decode()
        antwoord = client.post(f"/bewaring/rondes/{ronde.uuid}/goedkeuren/", {"bevestigd": "on"})
    assert antwoord.status_code == 403
    assert "Four-eyes principle" in antwoord.content.decode()
    with scopes_disabled():
        assert Vernietigingsronde.objects.get(pk=ronde.pk).status == RondeStatus.VOORGESTELD


def test_afwijzen_via_de_pagina(world, login):
    gesloten_dossier(world)
    with op(VERNIETIGBAAR):
        client = login(world.teamleider_a)
        ronde = voorstellen(world)
        client.post(f"/bewaring/rondes/{ronde.uuid}/afwijzen/", {"afwijzing_reden": "Te vroeg"})
    with scopes_disabled():
        ronde.refresh_from_db()
    assert ronde.status == RondeStatus.AFGEWEZEN and ronde.afwijzing_reden == "Te vroeg"


def test_blokkade_plaatsen_en_opheffen_op_de_dossierpagina(world, login):
    d = gesloten_dossier(world)
    url = f"/bewaring/dossiers/{d.uuid}/"
    with op(VERNIETIGBAAR):
        client = login(world.teamleider_a)
        assert "retention period elapsed" in client.get(url).content.decode()
        leeg = client.post(url, {"reden": "bezwaar", "toelichting": ""})
        assert leeg.status_code == 400
        client.post(url, {"reden": "bezwaar", "toelichting": "Bezwaar van 1 maart"})
        html = client.get(url).content.decode()
        assert "Legal hold: objection (bezwaar)." in html
        with scopes_disabled():
            blokkade = JuridischeBlokkade.objects.get(dossier=d)
        client.post(
            f"{url}blokkades/{blokkade.uuid}/opheffen/", {"opheffing_toelichting": "Ongegrond"}
        )
    with scopes_disabled():
        blokkade.refresh_from_db()
    assert blokkade.opgeheven_door == world.teamleider_a and not blokkade.is_actief


def test_werkcoach_en_beheerder_plaatsen_geen_blokkade(world, login):
    d = gesloten_dossier(world)
    for user, status in ((world.werkcoach_a, 403), (world.beheerder_a, 403)):
        antwoord = login(user).post(
            f"/bewaring/dossiers/{d.uuid}/", {"reden": "audit", "toelichting": "x"}
        )
        assert antwoord.status_code == status
    with scopes_disabled():
        assert not JuridischeBlokkade.objects.exists()


def test_andere_gemeente_ziet_de_ronde_niet(world, login):
    gesloten_dossier(world)
    with op(VERNIETIGBAAR):
        ronde = voorstellen(world)
    with scopes_disabled():
        beheerder_b = user_met_rol("functioneel_beheerder", world.team_b, username="fb_b")
        teamleider_b = user_met_rol("teamleider", world.team_b, username="tl_b")
    assert login(beheerder_b).get(f"/bewaring/rondes/{ronde.uuid}/").status_code == 404
    client = login(teamleider_b)
    assert client.get(f"/bewaring/rondes/{ronde.uuid}/").status_code == 404
    assert (
        client.post(f"/bewaring/rondes/{ronde.uuid}/goedkeuren/", {"bevestigd": "on"}).status_code
        == 404
    )
    assert ronde.kenmerk not in client.get("/bewaring/").content.decode()
    # nor may a beheerder propose for a gemeente their team does not serve
    with user_scope(beheerder_b), pytest.raises(Exception) as exc:
        services.ronde_voorstellen(user=beheerder_b, gemeente=world.gemeente_a)
    assert "functioneel beheerder" in str(exc.value)


def test_begeleider_en_werkcoach_zien_de_rondes_niet(world, login):
    for user in (world.begeleider_a, world.werkcoach_a):
        assert login(user).get("/bewaring/").status_code == 403


def test_rondelijst_vast_aantal_queries(world, login, django_assert_max_num_queries):
    gesloten_dossier(world)
    with op(VERNIETIGBAAR):
        client = login(world.beheerder_a)
        voorstellen(world)
        with django_assert_max_num_queries(20) as weinig:
            client.get("/bewaring/")
        with scopes_disabled():
            extra = GemeenteFactory()
            world.team_a.gemeenten.add(extra)
        for _ in range(3):
            gesloten_dossier(world)
            with scopes_disabled():
                Vernietigingsronde.objects.filter(status=RondeStatus.VOORGESTELD).update(
                    status=RondeStatus.AFGEWEZEN,
                    beoordeeld_door=world.teamleider_a,
                    beoordeeld_op=timezone.now(),
                )
            voorstellen(world)
        with django_assert_max_num_queries(len(weinig.captured_queries)):
            pagina = client.get("/bewaring/")
        assert pagina.content.decode().count("data-ronde=") == 4
