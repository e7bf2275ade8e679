"""Benchmark: the dossier page with read logging on and off (issue 13).

Usage (from the project root):

    DJANGO_SETTINGS_MODULE=inburgering.settings.dev \
        .venv/bin/python benchmarks/leeslog_dossierpagina.py [-n 300] [--aantal 120]

Builds a database of its own (``test_<name>`` next to the configured one, dropped afterwards),
loads the demo data (``demo_data --aantal``: intakes, PIPs with their beschikkingen, handhaving,
begeleiding), and requests the dossier pages of the demo werkcoach in one warm process through
the whole Django stack (middleware, policy, hub, templates) with Django's test client, signed
in. The two modes alternate in blocks of 10 requests (so drift of the machine hits both alike):
``AUDIT_LOGBOEK = True`` — every request opens a span, records the person it read and appends
one audit record and one processing record to the hash chains (one ``audit_toevoegen`` call) —
and ``False``: no span, no read marks, no append (the middleware steps aside). Prints
p50/p95/mean per mode, the ratio, the log rows written and the load average.

Target: p95 with logging less than 10 % above p95 without.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inburgering.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

BLOK = 10


def p(waarden: list[float], q: float) -> float:
    lijst = sorted(waarden)
    return lijst[min(len(lijst) - 1, round(q * (len(lijst) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="requests per mode")
    parser.add_argument("--aantal", type=int, default=120, help="demo inburgeraars")
    args = parser.parse_args()

    setup_test_environment()
    # the test client's host, and no debug toolbar or query log in the measurement
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    oude_naam = connection.settings_dict["NAME"]
    t0 = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("demo_data", aantal=args.aantal, verbosity=0)
        duur = time.perf_counter() - t0
        print(f"database with {args.aantal} demo inburgeraars built in {duur:.0f} s")
        meten(args.n)
    finally:
        connection.creation.destroy_test_db(oude_naam, verbosity=0)


def meten(n: int) -> None:
    from cases.models import Dossier
    from inburgering.accounts.models import User
    from inburgering.audit.models import AuditRecord, Verwerking

    user = User.objects.get(username="werkcoach")
    with scopes_disabled():
        uuids = list(
            Dossier.objects.filter(werkcoach=user).order_by("pk").values_list("uuid", flat=True)
        )
    assert uuids, "the demo werkcoach has no dossiers"
    client = Client()
    client.force_login(user)
    # a session that gave its second factor, as every real one has (the demo user's app)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    sessie = client.session
    sessie[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    sessie.save()
    for u in uuids[:20]:  # warm up: templates, translations, connections
        assert client.get(f"/dossiers/{u}/").status_code == 200

    tijden: dict[bool, list[float]] = {True: [], False: []}
    rijen_voor = Verwerking.objects.count(), AuditRecord.objects.count()
    i = 0
    while len(tijden[True]) < n or len(tijden[False]) < n:
        for aan in (True, False):
            with override_settings(AUDIT_LOGBOEK=aan):
                for _ in range(BLOK):
                    url = f"/dossiers/{uuids[i % len(uuids)]}/"
                    i += 1
                    start = time.perf_counter()
                    response = client.get(url)
                    tijden[aan].append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, url
    rijen_na = Verwerking.objects.count(), AuditRecord.objects.count()

    print(f"dossier page, {len(uuids)} dossiers in turn, {n} requests per mode, blocks of {BLOK}")
    print(f"{'mode':<14}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}")
    for aan, naam in ((False, "logging off"), (True, "logging on")):
        t = tijden[aan][:n]
        print(f"{naam:<14}{p(t, 0.5):>9.1f}{p(t, 0.95):>9.1f}{statistics.fmean(t):>9.1f}")
    uit, aan_ = tijden[False][:n], tijden[True][:n]
    print(
        f"p95 on/off: {p(aan_, 0.95) / p(uit, 0.95):.3f} "
        f"(target < 1.10); p50 on/off: {p(aan_, 0.5) / p(uit, 0.5):.3f}"
    )
    print(
        f"log rows written with logging on: {rijen_na[0] - rijen_voor[0]} processing records, "
        f"{rijen_na[1] - rijen_voor[1]} audit records; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
