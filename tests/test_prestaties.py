"""What the production command and the connection settings promise (issue 15): JIT off on the
application's connections (short transactional queries; the load benchmark shows the plan with
and without), gunicorn's workers and threads from gunicorn.conf.py in every production command,
and the benchmark's statement counter counting what a request runs."""

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


@pytest.mark.django_db
def test_de_teller_telt_de_statements_van_een_verzoek():
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    response = QueryTellerMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Queries"] == "2"
