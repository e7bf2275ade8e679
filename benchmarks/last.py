"""Load benchmark (issue 15): the daily pages and API lists under load, served by gunicorn with the
production settings, over 250,000 dossiers and over the 220-dossier demo database in one run.

Usage (from the project root):

    make bench-last
    # or, with options:
    .venv/bin/python benchmarks/last.py [--dossiers 250000] [--verzoeken 30] [--per-gebruiker 8]

1. The national database, ``inburgering_last_bench`` (``LAST_DATABASE_URL``): built by the sweep
   benchmark's set-based generator (``benchmarks/termijnen_sweep.py``: gemeenten, teams,
   werkcoaches and teamleiders, 250,000 dossiers with ~1.6 million termijnen) when it does not
   hold that many dossiers yet or another generator made them (``GENERATOR_KENMERK``), reused
   otherwise; the demo database, ``inburgering_demo_bench``
   (``make run``'s demo data, 220 inburgeraars), the same way.
2. Per database, a child process picks the people (the werkcoach with the largest caseload and
   a teamleider of their team), gives them sessions that passed the second factor (as a real
   log-in leaves them) and an API token, and prints ``EXPLAIN ANALYZE`` of the slowest query —
   the teamleider's caseload sorted by nearest deadline — with JIT on and off.
3. gunicorn with ``gunicorn.conf.py`` and ``inburgering.settings.production`` (WhiteNoise,
   persistent connections, JIT off) serves it; ``BENCH_QUERY_TELLER`` makes every answer say
   how many SQL statements it ran.
4. A bounded load generator (threads with keep-alive connections, our own: a fixed number of
   requests per user, so every run does the same work) sends each request first by 1 user
   (``--verzoeken`` requests), then by 16 users at once (``--per-gebruiker`` each), and
   measures p50/p95 and throughput, the server's CPU time per request (its processes' user +
   system time, psutil), the statements per request and the machine's load average.

Prints a table and writes it as JSON to ``benchmarks/results/last.json``. Targets (issue 15),
in the output, never as timed tests: p95 ≤ 300 ms at 1 user and ≤ 1 s at 16 users for every
request over 250,000 dossiers; list throughput at least half of the demo database's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GROOT_URL = os.environ.get(
    "LAST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inburgering_last_bench"
)
DEMO_URL = os.environ.get(
    "LAST_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inburgering_demo_bench"
)
POORT = int(os.environ.get("LAST_POORT", "8765"))
# the same key for the child that makes the sessions and for gunicorn that reads them
SLEUTEL = os.environ.get("LAST_SECRET_KEY") or secrets.token_urlsafe(48)

# The figures the issue was filed with (before this work), for the table's "before" column.
VOOR = {
    "api-lijst": "160–250 ms / 1.5–2.1 s",
    "api-diep": "0.7–0.9 s / 8.5–10.5 s",
    "caseload-termijn": "2.4–3.5 s / 34–41 s",
    "teamleider-termijnen": "0.85–1.5 s / 12–12.5 s",
    "dossier": "110–200 ms / 2.3–2.6 s",
    "caseload-eigen": "190–330 ms / 2.9–3.2 s",
}
LIJSTEN = ("api-lijst", "caseload-eigen", "caseload-termijn", "api-termijnen")


# --- the child: database, people, sessions, plan ----------------------------------------------


def _kind(soort: str, n: int) -> dict[str, Any]:
    """Runs in its own process (one Django per database): returns what the load needs."""
    os.environ["SECRET_KEY"] = SLEUTEL
    os.environ["DEBUG"] = "false"
    if soort == "groot":
        os.environ["BENCH_DATABASE_URL"] = GROOT_URL
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import termijnen_sweep as generator  # sets DATABASE_URL and sets Django up
        from django.utils import timezone

        generator.database_klaarzetten()
        from django.db import connection
        from django_scopes import scopes_disabled

        from cases.models import Dossier

        with scopes_disabled():
            aantal = Dossier.objects.count()
        with connection.cursor() as cur:
            cur.execute("SELECT obj_description('cases_dossier'::regclass, 'pg_class')")
            kenmerk = cur.fetchone()[0]
        if aantal != n or kenmerk != generator.GENERATOR_KENMERK:
            print(f"loading {n:,} dossiers (set-based) …", file=sys.stderr, flush=True)
            generator.laden(n, timezone.localdate())
        else:
            # a reused database may just have been migrated (a new column, a backfill): settle
            # it as the generator's load does, so the run measures a live system's tables
            with connection.cursor() as cur:
                cur.execute("VACUUM (ANALYZE) cases_dossier, cases_inburgeraar, cases_termijn")
    else:
        os.environ["DATABASE_URL"] = DEMO_URL
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inburgering.settings.dev")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        _database_maken(DEMO_URL)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from django_scopes import scopes_disabled

        from cases.models import Inburgeraar

        with scopes_disabled():
            aantal = Inburgeraar.objects.filter(bsn__startswith="99999").count()
        if aantal < 220:
            call_command("demo_data", aantal=220, verbosity=0)
    return _mensen_en_sessies()


def _database_maken(url: str) -> None:
    import psycopg2
    from django.conf import settings

    naam = settings.DATABASES["default"]["NAME"]
    beheer = psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")
    beheer.autocommit = True
    with beheer.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [naam])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{naam}"')
    beheer.close()


def _sessie(user: Any, device: Any, **extra: Any) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY

    from inburgering.accounts import sessies, tweefactor

    nu = timezone.now().isoformat()
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "inburgering.accounts.backends.WachtwoordBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s[DEVICE_ID_SESSION_KEY] = device.persistent_id
    s[tweefactor.GEGEVEN_OP] = nu
    s[sessies.AANGEMELD_OP] = nu
    s[sessies.GEZIEN] = nu
    for k, v in extra.items():
        s[k] = v
    s.set_expiry(8 * 3600)
    s.create()
    return str(s.session_key)


def _mensen_en_sessies() -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count, Q
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled
    from rest_framework.authtoken.models import Token

    from cases.constants import OPEN_FASEN
    from cases.models import Dossier, Inburgeraar
    from cases.policy import dossiers_for
    from cases.selectors import caseload
    from cases.views import ZOEK_SESSIE_KEY
    from inburgering.accounts.constants import Rol
    from inburgering.accounts.models import User

    with scopes_disabled():
        werkcoach = (
            User.objects.filter(groups__name=Rol.WERKCOACH, is_active=True)
            .annotate(
                n=Count(
                    "dossiers_als_werkcoach",
                    filter=Q(dossiers_als_werkcoach__fase__in=OPEN_FASEN),
                )
            )
            .order_by("-n", "pk")
            .first()
        )
        assert werkcoach is not None
        teamleider = (
            User.objects.filter(
                groups__name=Rol.TEAMLEIDER, is_active=True, organisatie=werkcoach.organisatie
            )
            .order_by("pk")
            .first()
        )
        assert teamleider is not None
        apparaten = {
            u.pk: TOTPDevice.objects.get_or_create(
                user=u, name="bench", defaults={"confirmed": True}
            )[0]
            for u in (werkcoach, teamleider)
        }
        eigen = list(
            Dossier.objects.filter(werkcoach=werkcoach, fase__in=OPEN_FASEN)
            .order_by("pk")
            .values_list("uuid", flat=True)[:200]
        )
        persoon = Inburgeraar.objects.filter(dossiers__werkcoach=werkcoach).order_by("pk").first()
        assert persoon is not None
        token = Token.objects.get_or_create(user=werkcoach)[0].key
        pips = _pips(werkcoach)
        # page 1,000 of the API list as a client reaches it: by the cursor of the page before
        # (the row at position 24,975 in the list's order), not by OFFSET
        from inburgering.core import sleutels
        from inburgering.core.access import user_scope

        with user_scope(werkcoach):  # the API's scope: the werkcoach's gemeenten
            api_volgorde = dossiers_for(werkcoach).order_by(
                "sorteer_achternaam", "sorteer_voornamen", "id"
            )
            diep = api_volgorde.values_list("uuid", flat=True)[999 * 25 - 1 :][:1]
            cursor_diep = sleutels.token(diep[0], "na", api_volgorde.count()) if diep else None
        n_dossiers = Dossier.objects.count()
        n_termijnen = connection.cursor()
        n_termijnen.execute("SELECT count(*) FROM cases_termijn")
        termijnen = n_termijnen.fetchone()[0]
        # the slowest query of the issue: the team's caseload by nearest deadline, page 1 —
        # as it was (a correlated subquery per open dossier) and as it is (the dossier's own
        # column and its index), each with JIT on and off
        from django.db.models import F, OuterRef, Subquery

        from cases.models import Termijn

        open_klokken = Termijn.objects.filter(dossier=OuterRef("pk"), status="open").order_by(
            "uiterste_datum", "code", "volgnummer"
        )
        voorheen = (
            dossiers_for(teamleider)
            .filter(fase__in=OPEN_FASEN)
            .annotate(e=Subquery(open_klokken.values("uiterste_datum")[:1]))
            .order_by(F("e").asc(nulls_last=True), "id")[:25]
        )
        nu = caseload(user=teamleider, werkcoach="alle", sortering="termijn")[:25]
        plannen = {}
        with connection.cursor() as cur:
            for naam, qs in (("voorheen", voorheen), ("nu", nu)):
                sql, params = qs.query.sql_with_params()
                for jit in ("on", "off"):
                    cur.execute(f"SET jit = {jit}")
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS, SETTINGS) " + sql, params)
                    plannen[f"{naam}, jit={jit}"] = [r[0] for r in cur.fetchall()]
            cur.execute("SET jit = off")
    return {
        "dossiers": n_dossiers,
        "termijnen": termijnen,
        "werkcoach": werkcoach.username,
        "teamleider": teamleider.username,
        "sessie_werkcoach": _sessie(werkcoach, apparaten[werkcoach.pk]),
        "sessie_teamleider": _sessie(teamleider, apparaten[teamleider.pk]),
        "sessie_zoeken": _sessie(
            werkcoach, apparaten[werkcoach.pk], **{ZOEK_SESSIE_KEY: persoon.achternaam}
        ),
        "token": token,
        "dossiers_eigen": [str(u) for u in eigen],
        "pips": pips,
        "cursor_diep": cursor_diep,
        "bsn": persoon.bsn,
        "plannen": plannen,
    }


def _pips(werkcoach: Any) -> list[str]:
    """The generator makes no PIPs: the werkcoach drafts one for 20 of their dossiers in the
    PIP phase (through the service, as the page does), once."""
    from django_scopes import scopes_disabled

    from cases.models import Dossier
    from inburgering.core.access import user_scope
    from pip_plans import services
    from pip_plans.models import Pip

    with scopes_disabled():
        bestaand = list(
            Pip.objects.filter(dossier__werkcoach=werkcoach)
            .order_by("pk")
            .values_list("uuid", flat=True)[:20]
        )
    if len(bestaand) < 20:
        with user_scope(werkcoach):
            for dossier in Dossier.objects.filter(
                werkcoach=werkcoach, fase="pip", pips__isnull=True
            ).order_by("pk")[: 20 - len(bestaand)]:
                bestaand.append(services.pip_aanmaken(user=werkcoach, dossier=dossier).uuid)
    return [str(u) for u in bestaand]


# --- the server -------------------------------------------------------------------------------


def _server_omgeving(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="inburgering.settings.production",
        SECRET_KEY=SLEUTEL,
        DATABASE_URL=db_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURITY_TXT_CONTACT="mailto:beheer@gemeente-bench.nl",
        AUDIT_PSEUDONIEM_SLEUTEL=SLEUTEL[:40],
        SECURE_SSL_REDIRECT="false",
        BENCH_QUERY_TELLER="true",
        GUNICORN_BIND=f"127.0.0.1:{POORT}",
        GUNICORN_ACCESSLOG="",
        LOG_LEVEL="ERROR",
    )
    env.pop("DEBUG", None)
    return env


def _server_starten(db_url: str) -> subprocess.Popen[bytes]:
    env = _server_omgeving(db_url)
    subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    proces = subprocess.Popen(  # noqa: S603 — our own gunicorn and config
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py",
         "inburgering.wsgi:application"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", POORT, timeout=2)
            c.request("GET", "/.well-known/security.txt")
            c.getresponse().read()
            return proces
        except OSError:
            time.sleep(0.2)
    proces.kill()
    raise SystemExit("gunicorn did not start")


def _cpu(proces: subprocess.Popen[bytes]) -> float:
    import psutil

    p = psutil.Process(proces.pid)
    totaal = 0.0
    for q in [p, *p.children(recursive=True)]:
        try:
            t = q.cpu_times()
            totaal += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return totaal


# --- the load ---------------------------------------------------------------------------------


def _verzoeken(k: dict[str, Any], groot: bool) -> dict[str, Any]:
    """Name → a function (i) → (method, path, headers, body) for the i-th request."""
    wc = {"Cookie": f"sessionid={k['sessie_werkcoach']}"}
    tl = {"Cookie": f"sessionid={k['sessie_teamleider']}"}
    zoek = {"Cookie": f"sessionid={k['sessie_zoeken']}"}
    api = {"Authorization": f"Token {k['token']}", "Accept": "application/json"}
    eigen = k["dossiers_eigen"]
    r: dict[str, Any] = {
        "api-lijst": lambda i: ("GET", "/api/v1/dossiers?pageSize=25", api, None),
        "caseload-eigen": lambda i: ("GET", "/dossiers/", wc, None),
        "caseload-termijn": lambda i: (
            "GET", "/dossiers/?werkcoach=alle&sortering=termijn", tl, None),
        "teamleider-termijnen": lambda i: ("GET", "/dossiers/termijnen/", tl, None),
        "dossier": lambda i: ("GET", f"/dossiers/{eigen[i % len(eigen)]}/", wc, None),
        "signalen": lambda i: ("GET", "/dossiers/signalen/", wc, None),
        "api-termijnen": lambda i: (
            "GET", f"/api/v1/dossiers/{eigen[i % len(eigen)]}/termijnen", api, None),
        "zoeken-naam": lambda i: ("GET", "/dossiers/", zoek, None),
        "zoeken-bsn": lambda i: (
            "POST", "/api/v1/inburgeraars/zoeken",
            {**api, "Content-Type": "application/json"}, json.dumps({"bsn": k["bsn"]})),
    }  # fmt: skip
    pips = k["pips"]
    if pips:
        r["pip"] = lambda i: ("GET", f"/pip/{pips[i % len(pips)]}/", wc, None)
    if k["cursor_diep"]:
        diep = urllib.parse.quote(k["cursor_diep"])
        r["api-diep"] = lambda i: ("GET", f"/api/v1/dossiers?pageSize=25&cursor={diep}", api, None)
    return r


def _rondje(maak: Any, gebruikers: int, per_gebruiker: int) -> dict[str, Any]:
    tijden: list[float] = []
    queries: list[int] = []
    fouten: list[int] = []
    slot = threading.Lock()

    def gebruiker(g: int) -> None:
        c = http.client.HTTPConnection("127.0.0.1", POORT, timeout=120)
        for j in range(per_gebruiker):
            methode, pad, headers, body = maak(g * per_gebruiker + j)
            t0 = time.perf_counter()
            c.request(methode, pad, body=body, headers=headers)
            antwoord = c.getresponse()
            antwoord.read()
            duur = time.perf_counter() - t0
            with slot:
                tijden.append(duur)
                queries.append(int(antwoord.getheader("X-Queries") or -1))
                if antwoord.status >= 300:
                    fouten.append(antwoord.status)
        c.close()

    draden = [threading.Thread(target=gebruiker, args=(g,)) for g in range(gebruikers)]
    t0 = time.perf_counter()
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    totaal = time.perf_counter() - t0
    tijden.sort()
    return {
        "p50_ms": round(statistics.median(tijden) * 1000, 1),
        "p95_ms": round(tijden[max(0, int(len(tijden) * 0.95) - 1)] * 1000, 1),
        "per_s": round(len(tijden) / totaal, 1),
        "queries": round(statistics.mean(queries), 1),
        "fouten": sorted(set(fouten)),
        "n": len(tijden),
    }


def _meten(soort: str, db_url: str, k: dict[str, Any], args: Any) -> dict[str, Any]:
    server = _server_starten(db_url)
    uitkomst: dict[str, Any] = {}
    try:
        for naam, maak in _verzoeken(k, soort == "groot").items():
            # warm, at both concurrencies: each of gunicorn's processes compiles its templates,
            # opens its connections and fills its caches on its own first requests, which the
            # measured 16-user round would otherwise pay for (the steady state is measured)
            _rondje(maak, 1, 3)
            _rondje(maak, 16, 1)
            rij: dict[str, Any] = {}
            for gebruikers, aantal in ((1, args.verzoeken), (16, args.per_gebruiker)):
                if soort == "demo" and gebruikers == 1:
                    continue
                cpu0 = _cpu(server)
                meting = _rondje(maak, gebruikers, aantal)
                meting["cpu_ms"] = round((_cpu(server) - cpu0) / meting["n"] * 1000, 1)
                meting["load"] = round(os.getloadavg()[0], 2)
                rij[str(gebruikers)] = meting
            uitkomst[naam] = rij
            print(f"  {soort:<5} {naam:<22} {json.dumps(rij)}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return uitkomst


def _tabel(res: dict[str, Any]) -> str:
    groot, demo = res["groot"]["metingen"], res["demo"]["metingen"]
    regels = [
        f"Load benchmark — {res['groot']['dossiers']:,} dossiers, {res['groot']['termijnen']:,} "
        f"termijnen (demo: {res['demo']['dossiers']:,} dossiers); gunicorn "
        f"{res['gunicorn']}; {res['machine']}",
        "",
        "| request | before: 1 user p95 / 16 users p95 | 1 user p50 / p95 | 16 users p50 / p95, "
        "throughput | CPU ms/req (1 / 16) | queries | load avg | demo, 16 users p50 / p95, "
        "throughput | ratio | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for naam, rij in groot.items():
        een, zestien = rij["1"], rij["16"]
        d = demo.get(naam, {}).get("16")
        ratio = f"{zestien['per_s'] / d['per_s']:.2f}" if d else "—"
        doel = een["p95_ms"] <= 300 and zestien["p95_ms"] <= 1000
        if naam in LIJSTEN and d:
            doel = doel and zestien["per_s"] >= 0.5 * d["per_s"]
        fouten = een["fouten"] + zestien["fouten"]
        regels.append(
            f"| {naam} | {VOOR.get(naam, '—')} | {een['p50_ms']:.0f} / {een['p95_ms']:.0f} ms | "
            f"{zestien['p50_ms']:.0f} / {zestien['p95_ms']:.0f} ms, {zestien['per_s']:.1f}/s | "
            f"{een['cpu_ms']:.0f} / {zestien['cpu_ms']:.0f} | {een['queries']:g} | "
            f"{een['load']:.2f} / {zestien['load']:.2f} | "
            + (
                f"{d['p50_ms']:.0f} / {d['p95_ms']:.0f} ms, {d['per_s']:.1f}/s | {ratio} | "
                if d
                else "— | — | "
            )
            + (
                "met"
                if doel and not fouten
                else f"NOT MET{' (HTTP ' + str(fouten) + ')' if fouten else ''}"
            )
            + " |"
        )
    regels += ["", "The teamleider's caseload by nearest deadline, page 1 (EXPLAIN ANALYZE):"]
    for naam, plan in res["groot"]["plannen"].items():
        kern = [r.strip() for r in plan if r.strip().startswith(("Execution Time", "Timing:"))]
        regels.append(f"- {naam}: " + "; ".join(kern))
    regels += ["", "The plan as it is (jit=off):"]
    regels += [f"    {r}" for r in res["groot"]["plannen"]["nu, jit=off"]]
    return "\n".join(regels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=250_000)
    parser.add_argument("--verzoeken", type=int, default=30, help="requests by the single user")
    parser.add_argument("--per-gebruiker", type=int, default=8, help="requests per user of 16")
    parser.add_argument("--kind", choices=["groot", "demo"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kind:
        print(json.dumps(_kind(args.kind, args.dossiers)))
        return
    import multiprocessing
    import platform

    res: dict[str, Any] = {
        "machine": f"{multiprocessing.cpu_count()} CPUs, {platform.platform()}",
    }
    env = dict(os.environ, LAST_SECRET_KEY=SLEUTEL)
    for soort, url in (("groot", GROOT_URL), ("demo", DEMO_URL)):
        t0 = time.perf_counter()
        uit = subprocess.run(  # noqa: S603 — this script as the child
            [PY, __file__, "--kind", soort, "--dossiers", str(args.dossiers)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        k = json.loads(uit.stdout.strip().splitlines()[-1])
        print(f"{soort}: ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        res[soort] = {**k, "metingen": _meten(soort, url, k, args)}
    conf: dict[str, Any] = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), conf)  # noqa: S102 — our own config file
    res["gunicorn"] = f"{conf['workers']} workers × {conf['threads']} threads"
    for soort in ("groot", "demo"):
        for sleutel in ("sessie_werkcoach", "sessie_teamleider", "sessie_zoeken", "token", "bsn"):
            res[soort].pop(sleutel, None)
    tabel = _tabel(res)
    print(tabel)
    uit_pad = ROOT / "benchmarks" / "results" / "last.json"
    uit_pad.parent.mkdir(exist_ok=True)
    uit_pad.write_text(json.dumps(res, indent=2, default=str))


if __name__ == "__main__":
    main()
