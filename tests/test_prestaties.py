"""What the production command and the connection settings promise (issue 15): JIT and
parallel workers off on the application's connections (short transactional queries; the load
benchmark shows the plan with and without), gunicorn's workers and threads from gunicorn.conf.py
in every production command, and the benchmark's statement counter counting what a request
runs."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from inburgering.core.middleware import QueryTellerMiddleware

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_jit_staat_uit_op_de_verbindingen_van_de_applicatie():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        # no parallel workers for page queries either (they run ahead of a LIMIT)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_gunicorn_twee_processen_per_kern_met_threads(monkeypatch):
    for naam in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_BIND"):
        monkeypatch.delenv(naam, raising=False)
    conf: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), conf)  # noqa: S102 — our own config
    assert conf["workers"] == 2 * multiprocessing.cpu_count()
    assert (conf["worker_class"], conf["threads"]) == ("gthread", 4)
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    exec((ROOT / "gunicorn.conf.py").read_text(), conf)  # noqa: S102
    assert conf["workers"] == 3
    for bestand in ("Procfile", "Dockerfile", "docker-compose.yml"):
        assert "gunicorn.conf.py" in (ROOT / bestand).read_text(), bestand


def test_gunicorn_bevriest_de_langlevende_objecten_na_het_laden():
    """post_worker_init in a fresh process, as a gunicorn worker runs it after loading the
    application: the URL configuration is loaded and the objects that live as long as the
    process are frozen, so the garbage collector's full collections no longer walk them."""
    import subprocess
    import sys

    code = (
        "import gc, runpy, django; django.setup()\n"
        "from django.urls import get_resolver\n"
        "conf = runpy.run_path('gunicorn.conf.py')\n"
        "voor = gc.get_freeze_count()\n"
        "conf['post_worker_init'](None)\n"
        "print(voor, gc.get_freeze_count(), len(gc.get_objects()), get_resolver()._populated)\n"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    voor, bevroren, over, urls = uit.stdout.split()
    assert int(voor) == 0
    assert int(bevroren) > 100_000, "Django, the apps and the URL patterns are frozen"
    assert int(over) < int(bevroren) / 20, "hardly anything is left for a full collection"
    assert urls == "True", "the URL configuration was loaded before the freeze"


@pytest.mark.django_db
def test_de_teller_telt_de_statements_van_een_verzoek():
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    response = QueryTellerMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Queries"] == "2"


@pytest.mark.django_db
def test_caseload_telt_begrensd(world, login, monkeypatch):
    """The caseload counts at most a bound of rows (issue 15): beyond it the caption says
    "more than", the pages up to it still work, and the count is one bounded statement."""
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from inburgering.core.sleutels import BegrensdePaginator

    from .factories import DossierFactory

    with scopes_disabled():
        for _ in range(6):
            DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
    client = login(world.werkcoach_a)
    monkeypatch.setattr(BegrensdePaginator, "grens", 3)
    monkeypatch.setattr("cases.views.PAGE_SIZE", 2)
    with CaptureQueriesContext(connection) as ctx:
        antwoord = client.get("/dossiers/?werkcoach=alle")
    html = antwoord.content.decode()
    assert antwoord.context["page"].paginator.begrensd
    assert "meer dan 3" in html or "more than 3" in html
    tellingen = [  # the caseload's count (the header's signal badge has its own)
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and "cases_signaal" not in q["sql"]
    ]
    assert len(tellingen) == 1 and "LIMIT 4" in tellingen[0]
    # under the bound: the exact count, as always
    monkeypatch.setattr(BegrensdePaginator, "grens", 10_000)
    antwoord = client.get("/dossiers/?werkcoach=alle")
    assert not antwoord.context["page"].paginator.begrensd
    with scopes_disabled():
        from cases.constants import OPEN_FASEN
        from cases.models import Dossier

        verwacht = Dossier.objects.filter(
            gemeente__in=[world.gemeente_a], fase__in=OPEN_FASEN
        ).count()
    assert antwoord.context["page"].paginator.count == verwacht
