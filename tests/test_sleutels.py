"""Keyset pagination in the caseload (issue 15): following "next page" from page 1 visits every
dossier once, in the order of every sort the caseload offers (names, dates that may be empty,
the nearest deadline with its empty ones last, descending orders); "previous page" comes back
to the same rows; the links carry a signed position, never a name; a stale or forged position
shows page 1 with a message, not an error."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import Dossier, Termijn

from .factories import DossierFactory
from .test_termijnstand import klok

SORTERINGEN = ["naam", "-naam", "brp", "-brp", "fase", "gemeente", "-gewijzigd", "termijn"]


def _link(antwoord, rel: str) -> str | None:
    gevonden = re.search(rf'rel="{rel}" href="([^"]+)"', antwoord.content.decode())
    return html.unescape(gevonden.group(1)) if gevonden else None


def _rijen(antwoord) -> list[str]:
    return re.findall(r'<tr data-dossier="([0-9a-f-]+)"', antwoord.content.decode())


@pytest.fixture
def veel(world):
    with scopes_disabled():
        vandaag = timezone.localdate()
        for i in range(13):
            d = DossierFactory(
                gemeente=world.gemeente_a,
                werkcoach=world.werkcoach_a,
                inburgeraar__achternaam=["Abdi", "Haile", "Osman"][i % 3],  # equal names
                datum_brp_inschrijving=None if i % 4 == 0 else vandaag - timedelta(days=i % 5),
            )
            Termijn.objects.filter(dossier=d).delete()
            if i % 3:  # a third without an open clock: last in the deadline order
                klok(d, "test_klok", i % 4)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("sortering", SORTERINGEN)
def test_volgende_pagina_loopt_de_hele_lijst_af(veel, login, monkeypatch, sortering):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 4)
    client = login(veel.teamleider_a)
    basis = f"/dossiers/?werkcoach=alle&sortering={sortering}"
    op_nummer: list[str] = []
    nummer = 1
    while True:
        antwoord = client.get(f"{basis}&pagina={nummer}")
        op_nummer += _rijen(antwoord)
        if not antwoord.context["page"].has_next():
            break
        nummer += 1
    antwoord = client.get(basis)
    gelopen = _rijen(antwoord)
    paginas = [gelopen]
    while (volgende := _link(antwoord, "next")) is not None:
        assert "positie=" in volgende and "pagina=" not in volgende
        antwoord = client.get(volgende)
        assert antwoord.status_code == 200
        paginas.append(_rijen(antwoord))
        gelopen += paginas[-1]
    with scopes_disabled():
        verwacht = Dossier.objects.filter(gemeente=veel.gemeente_a).exclude(fase__in=[]).count()
    assert gelopen == op_nummer
    assert len(set(gelopen)) == len(gelopen) >= 13 and len(gelopen) <= verwacht
    # "Page 4 of 4" on the last page, reached by position
    assert antwoord.context["page"].number == len(paginas)
    # back: the page before the last, by position (or page 1 by number)
    terug = client.get(_link(antwoord, "prev"))
    assert _rijen(terug) == paginas[-2]


@pytest.mark.django_db
def test_positie_noemt_niemand_en_een_vervalste_geeft_pagina_1(veel, login, monkeypatch):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 4)
    client = login(veel.teamleider_a)
    eerste = client.get("/dossiers/?werkcoach=alle")
    volgende = _link(eerste, "next")
    assert volgende and not any(n in volgende for n in ("Abdi", "Haile", "Osman"))
    vervalst = client.get("/dossiers/?werkcoach=alle&positie=abc:def", follow=True)
    assert vervalst.status_code == 200
    assert _rijen(vervalst) == _rijen(eerste)
    assert "first page" in vervalst.content.decode() or "eerste pagina" in (
        vervalst.content.decode()
    )


@pytest.mark.django_db
def test_een_pagina_op_positie_kost_evenveel_queries_als_pagina_1(veel, login, monkeypatch):
    """Page 1 counts and reads; a page by position reads its row's sort key instead of counting
    (the count travels in the token): the same number of statements, whatever the depth."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("cases.views.PAGE_SIZE", 3)
    client = login(veel.teamleider_a)
    client.get("/dossiers/?werkcoach=alle")  # warm the caches that outlive a request
    aantallen = []
    url: str | None = "/dossiers/?werkcoach=alle"
    while url:
        with CaptureQueriesContext(connection) as ctx:
            antwoord = client.get(url)
        aantallen.append(len(ctx))
        url = _link(antwoord, "next")
    assert len(aantallen) >= 4 and len(set(aantallen)) == 1, aantallen
