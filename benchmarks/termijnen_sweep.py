"""Benchmark: the termijn sweep (``cases.bewaking.sweep``) over 250,000 dossiers.

Usage (from the project root):

    make bench-termijnen
    # or, with options:
    DJANGO_SETTINGS_MODULE=inburgering.settings.dev \
        .venv/bin/python benchmarks/termijnen_sweep.py [--dossiers 250000] \
        [--chunks 5000,25000] [--steekproef 2000] [--explain]

Runs against its own database, ``inburgering_bench`` (``BENCH_DATABASE_URL`` overrides it; the
name must end in ``_bench``), created and migrated when missing; every run empties the app
tables first (``TRUNCATE … RESTART IDENTITY CASCADE``), so the dev and test databases are never
touched and runs are repeatable.

1. Loads N dossiers with set-based SQL (``INSERT … SELECT … FROM generate_series``): gemeenten,
   teams, 100 werkcoaches and a few teamleiders, inburgeraars with unique elfproef BSNs, dossiers
   over every phase with BRP dates over the last three years, ~6.5 termijnen per dossier with
   their ``+`` history rows, and two timeline rows per dossier; then VACUUM ANALYZE.
2. Naive baseline: the per-row ORM loop (``termijn.save()`` with simple-history, one timeline
   row, ``Signaal.objects.get_or_create`` per recipient and threshold) over an evenly spread
   sample of dossiers, inside a transaction that is rolled back; scaled linearly to N.
3. The set-based sweep and a no-change re-sweep, each in a fresh child process (so the RSS
   high-water mark is the sweep's own), with ``tel_queries=True``; then the data is loaded again
   and the same is done with a second chunk size.

Prints a table and writes it as JSON to ``benchmarks/results/termijnen_sweep.json``.

Targets (issue 4): full sweep ≥ 50× faster than the scaled naive baseline, re-sweep ≤ half the
full sweep, peak memory < 200 MB, statements per chunk constant (not growing with chunk size).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inburgering_bench"
)
# Never the dev database: the benchmark truncates every app table of the database it uses.
os.environ["DATABASE_URL"] = BENCH_URL
# DEBUG would keep every statement in connection.queries and slow the naive loop down.
os.environ["DEBUG"] = "false"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inburgering.settings.dev")

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from cases import bewaking, tijdlijn  # noqa: E402
from cases.constants import SignaalSoort, TermijnStatus  # noqa: E402
from cases.models import Dossier, Gebeurtenis, Signaal, TermijnBeleid  # noqa: E402
from cases.models.tellersql import TELLER_OPNIEUW_SQL  # noqa: E402
from cases.termijnregels import registry  # noqa: E402
from inburgering.accounts.constants import Rol  # noqa: E402
from inburgering.accounts.models import User  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "termijnen_sweep.json"
APP_LABELS = ("accounts", "cases", "pip_plans", "ontzorgen", "handhaving")
MB = 1024 * 1024

# Clocks that ran out more than this many days before go-live and were never met were imported
# as lapsed (vervallen); every other unmet clock is open, and the first sweep marks the overdue
# ones. See README.md ("The data").
IMPORT_VENSTER_DAGEN = 300

# (cbs code, name, share of the dossiers)
GEMEENTEN = [
    ("GM0307", "Amersfoort", 0.30),
    ("GM0402", "Hilversum", 0.20),
    ("GM0406", "Huizen", 0.12),
    ("GM0376", "Blaricum", 0.04),
    ("GM0317", "Eemnes", 0.04),
    ("GM0417", "Laren", 0.05),
    ("GM0865", "Vught", 0.14),
    ("GM0415", "Landsmeer", 0.11),
]
# (team, gemeenten served, werkcoaches, active teamleiders, inactive teamleiders)
TEAMS = [
    ("Team Inburgering Amersfoort Noord", ["GM0307"], 16, 2, 0),
    ("Team Inburgering Amersfoort Zuid", ["GM0307"], 14, 1, 0),
    ("Team Inburgering Hilversum", ["GM0402"], 20, 2, 1),
    (
        "Team Inburgering Huizen, Blaricum, Eemnes, Laren",
        ["GM0406", "GM0376", "GM0317", "GM0417"],
        25,
        2,
        0,
    ),
    ("Team Inburgering Vught", ["GM0865"], 14, 1, 0),
    ("Team Inburgering Landsmeer", ["GM0415"], 11, 1, 0),
]
# gemeenten with their own lead times (the rest use the default 14, 0)
WAARSCHUWINGSDAGEN = {"GM0415": [28, 14, 0], "GM0406": [14, 7, 0]}

VOORNAMEN = [
    "Amina", "Yusuf", "Fatima", "Mohammed", "Sara", "Ahmad", "Mariam", "Omar", "Layla", "Ali",
    "Hiba", "Samir", "Noor", "Tesfay", "Helen", "Dawit", "Olena", "Andrii", "Rania", "Khaled",
]  # fmt: skip
ACHTERNAMEN = [
    "Al-Hassan", "Haile", "Tesfamariam", "Yilmaz", "Kovalenko", "Abdi", "Mahmoud", "Osman",
    "Rahimi", "Bakr", "Gebremedhin", "Shevchenko", "Haddad", "Nasser", "Karimi", "Ibrahim",
]  # fmt: skip


def mb(n_bytes: float) -> float:
    return round(n_bytes / MB, 1)


def maxrss_bytes() -> int:
    """The process's RSS high-water mark (``ru_maxrss`` is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def vmhwm_bytes() -> int | None:
    """The address space's RSS high-water mark (VmHWM); ``clear_refs`` resets it."""
    with open("/proc/self/status") as fh:
        for regel in fh:
            if regel.startswith("VmHWM:"):
                return int(regel.split()[1]) * 1024
    return None


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Teller:
    """Counts the statements sent (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.n += 1
        return execute(*args)


# --- database ---------------------------------------------------------------------------------


def database_klaarzetten() -> None:
    """Create the bench database when missing and migrate it (the role groups come from the
    app's post_migrate sync)."""
    db = settings.DATABASES["default"]
    naam = db["NAME"]
    if not naam.endswith("_bench"):
        sys.exit(f"Refusing to run: the bench database name must end in _bench, not {naam!r}.")
    beheer = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    beheer.autocommit = True
    try:
        with beheer.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [naam])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{naam}"')
                print(f"Created database {naam}.")
    finally:
        beheer.close()
    call_command("migrate", verbosity=0, interactive=False)


def app_tabellen() -> list[str]:
    tabellen = []
    for label in APP_LABELS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                tabellen.append(model._meta.db_table)
    return sorted(set(tabellen))


def postgres_instellingen() -> dict[str, str]:
    namen = ["server_version", "shared_buffers", "work_mem", "synchronous_commit", "jit"]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
            [namen],
        )
        return dict(cur.fetchall())


# --- loading ----------------------------------------------------------------------------------

# changed whenever the generated data change (kept as the comment on cases_dossier)
GENERATOR_KENMERK = "bench-generator 2: names picked by hash"

RND_FUNCTIE = """
CREATE OR REPLACE FUNCTION pg_temp.rnd(n bigint, k int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended(n, k) & 2147483647)::float8 / 2147483648 $$
"""

# One row per dossier with its facts, computed from hash-based (repeatable) random numbers.
# Dossier ids follow registration order (the oldest first), as in a live system.
DOSSIERFEITEN = """
CREATE TEMP TABLE bench_feiten AS
WITH basis AS MATERIALIZED (
    SELECT n,
           pg_temp.rnd(n, 1) AS r_gem, pg_temp.rnd(n, 2) AS r_wc, pg_temp.rnd(n, 3) AS r_doel,
           pg_temp.rnd(n, 4) AS r_intake, pg_temp.rnd(n, 5) AS r_pip,
           pg_temp.rnd(n, 6) AS r_sluit, pg_temp.rnd(n, 7) AS r_route,
           pg_temp.rnd(n, 8) AS r_map, pg_temp.rnd(n, 9) AS r_pvt, pg_temp.rnd(n, 10) AS r_vg,
           pg_temp.rnd(n, 11) AS r_verl, pg_temp.rnd(n, 12) AS r_wc2,
           pg_temp.rnd(n, 13) AS r_a, pg_temp.rnd(n, 14) AS r_b, pg_temp.rnd(n, 15) AS r_c,
           pg_temp.rnd(n, 16) AS r_d,
           %(p)s::date - ((%(n)s - n) * 1155 / %(n)s)::int
               - (pg_temp.rnd(n, 17) * 6)::int AS aanmelding
      FROM generate_series(1, %(n)s) AS n
),
ruw AS MATERIALIZED (
    SELECT b.*, gw.gemeente_id,
           CASE WHEN r_doel < 0.62 THEN 'asielmigrant' WHEN r_doel < 0.70 THEN 'nareiziger'
                WHEN r_doel < 0.94 THEN 'gezinsmigrant' ELSE 'overige_migrant' END AS doelgroep,
           r_doel < 0.70 AS asiel
      FROM basis b JOIN bench_gemeente gw ON b.r_gem >= gw.lo AND b.r_gem < gw.hi
),
ruw2 AS MATERIALIZED (
    SELECT r.*,
           CASE WHEN asiel THEN aanmelding + 7 + (r_a * 21)::int END AS koppeling_r,
           CASE WHEN asiel THEN aanmelding + 28 + (r_a * 21)::int + (r_b * 56)::int
           END AS huisvesting_r,
           CASE WHEN asiel THEN aanmelding + 28 + (r_a * 21)::int + (r_b * 56)::int
                                + (r_c * 5)::int
                ELSE aanmelding + (r_c * 10)::int END AS brp_r
      FROM ruw r
),
ruw3 AS MATERIALIZED (
    SELECT r.*,
           brp_r + 10 + (power(r_intake, 2.5) * 40)::int AS intake_r,
           brp_r + 10 + (power(r_intake, 2.5) * 40)::int + 10 + (power(r_pip, 2) * 50)::int
               AS pip_r
      FROM ruw2 r
),
sluiting AS MATERIALIZED (
    SELECT r.*,
           CASE WHEN r_sluit < 0.12 AND pip_r + 1 < %(p)s - 540 AND r_intake <= 0.99
                     AND r_pip <= 0.99 THEN 'afgerond'
                WHEN r_sluit >= 0.12 AND r_sluit < 0.15 AND brp_r < %(p)s - 30 THEN 'verhuisd'
                WHEN r_sluit >= 0.15 AND r_sluit < 0.18 AND brp_r < %(p)s - 30 THEN 'beeindigd'
           END AS gesloten_fase
      FROM ruw3 r
),
sluiting2 AS MATERIALIZED (
    SELECT s.*,
           CASE gesloten_fase
               WHEN 'afgerond' THEN pip_r + 541 + ((%(p)s - pip_r - 541) * r_d)::int
               WHEN 'verhuisd' THEN brp_r + 30 + ((%(p)s - brp_r - 30) * r_d)::int
               WHEN 'beeindigd' THEN brp_r + 30 + ((%(p)s - brp_r - 30) * r_d)::int
           END AS afgesloten
      FROM sluiting s
),
feiten AS MATERIALIZED (
    SELECT s.*,
           coalesce(afgesloten, %(p)s) AS eind,
           CASE WHEN koppeling_r <= coalesce(afgesloten, %(p)s) THEN koppeling_r END
               AS koppeling,
           CASE WHEN huisvesting_r <= coalesce(afgesloten, %(p)s) THEN huisvesting_r END
               AS huisvesting,
           CASE WHEN brp_r <= coalesce(afgesloten, %(p)s) THEN brp_r END AS brp,
           CASE WHEN r_intake <= 0.99 AND intake_r <= coalesce(afgesloten, %(p)s)
                THEN intake_r END AS intake,
           CASE WHEN r_intake <= 0.99 AND r_pip <= 0.99
                     AND pip_r <= coalesce(afgesloten, %(p)s) THEN pip_r END AS pip
      FROM sluiting2 s
)
SELECT f.n AS id, f.gemeente_id, f.doelgroep, f.aanmelding, f.koppeling,
       CASE WHEN f.koppeling IS NOT NULL THEN f.huisvesting END AS huisvesting,
       f.brp, f.intake, f.pip, f.pip + 1 AS ts, (f.pip + 1 + interval '3 years')::date AS te,
       f.afgesloten, f.eind, f.gesloten_fase IS NOT NULL AS gesloten,
       coalesce(f.gesloten_fase,
                CASE WHEN f.brp IS NULL AND f.koppeling IS NULL THEN 'aangemeld'
                     WHEN f.brp IS NULL AND f.huisvesting IS NULL THEN 'gekoppeld'
                     WHEN f.brp IS NULL THEN 'gehuisvest'
                     WHEN f.intake IS NULL THEN 'intake'
                     WHEN f.pip IS NULL THEN 'pip'
                     ELSE 'inburgering' END) AS fase,
       -- 3 %% of the dossiers, and half of those not yet registered in the BRP (5 %% in all),
       -- have no werkcoach yet
       CASE WHEN f.r_wc < 0.03 OR (f.brp IS NULL AND f.r_wc < 0.5) THEN NULL
            ELSE (SELECT wc.user_id FROM bench_werkcoach wc
                   WHERE wc.gemeente_id = f.gemeente_id
                     AND wc.idx = (f.r_wc2 * wc.aantal)::int %% wc.aantal) END AS werkcoach_id,
       f.r_route < 0.95 AS routewissel, f.r_route < 0.08 AS switch, f.r_map < 0.92 AS map,
       f.r_pvt < 0.25 AS pvt,
       CASE WHEN f.r_vg < 0.5 THEN 0 WHEN f.r_vg < 0.85 THEN 1 ELSE 2 END AS vg_per_jaar,
       f.r_verl < 0.04 AS verlengd, f.r_a, f.r_b, f.r_c, f.r_d, f.r_map, f.r_pvt
  FROM feiten f
"""

# syllables for the made-up surnames (40 × 40)
LETTERGREPEN_A = [
    "ab", "al", "am", "an", "ba", "be", "bo", "da", "de", "el", "fa", "ga", "ha", "he", "ib",
    "ja", "ka", "ke", "ko", "la", "le", "ma", "me", "mo", "na", "ne", "no", "om", "pa", "ra",
    "re", "sa", "se", "so", "ta", "te", "to", "va", "wa", "za",
]  # fmt: skip
LETTERGREPEN_B = [
    "bari", "dawi", "derink", "doun", "fiq", "hadi", "hmed", "jani", "kker", "kmans", "lahi",
    "lami", "lstra", "man", "mani", "mers", "nder", "ndi", "nga", "nouri", "rabi", "rahi",
    "rens", "ri", "rink", "ruddin", "sari", "sen", "ssou", "stra", "tahi", "teman", "uwi",
    "veld", "vries", "wali", "wijk", "yan", "zadeh", "zi",
]  # fmt: skip


INBURGERAARS = """
INSERT INTO cases_inburgeraar (id, uuid, bsn, voornamen, tussenvoegsel, achternaam,
                               geboortedatum, nationaliteit, talen, tolk_nodig, tolk_taal,
                               contactkanalen, telefoonnummer, email, doelgroep, regime,
                               aangemaakt_op, gewijzigd_op, woonadres_straat,
                               woonadres_huisletter, woonadres_toevoeging, woonadres_postcode,
                               woonadres_woonplaats, correspondentieadres_straat,
                               correspondentieadres_huisletter, correspondentieadres_toevoeging,
                               correspondentieadres_postcode, correspondentieadres_woonplaats)
WITH kandidaat AS (
    -- eight digits, then the check digit that makes the elfproef hold (skip remainder 10)
    SELECT p, (9 * (p / 10000000 %% 10) + 8 * (p / 1000000 %% 10) + 7 * (p / 100000 %% 10)
               + 6 * (p / 10000 %% 10) + 5 * (p / 1000 %% 10) + 4 * (p / 100 %% 10)
               + 3 * (p / 10 %% 10) + 2 * (p %% 10)) %% 11 AS controle
      FROM generate_series(0, (%(n)s * 1.2)::int + 100) AS g,
           LATERAL (SELECT 20000000 + g * 37 AS p) x
),
bsn AS (
    SELECT row_number() OVER (ORDER BY p) AS n, p::text || controle::text AS bsn
      FROM kandidaat WHERE controle < 10
)
SELECT f.id, gen_random_uuid(), b.bsn,
       (%(voornamen)s::text[])[1 + (f.id * 7) %% cardinality(%(voornamen)s::text[])], '',
       -- a quarter the common names, the rest of some 1,600 made from two syllables: names as
       -- varied as a real caseload's, so name-ordered lists are not flattered or penalised
       -- (each pick from its own hash of the id: picks by arithmetic on the id correlate and
       -- left four common names with 6 %% of everyone each, and only 214 names in all)
       CASE WHEN pg_temp.rnd(f.id, 101) < 0.25
            THEN (%(achternamen)s::text[])[1 + floor(pg_temp.rnd(f.id, 102) * 16)::int]
            ELSE initcap((%(grepen_a)s::text[])[1 + floor(pg_temp.rnd(f.id, 103) * 40)::int]
                 || (%(grepen_b)s::text[])[1 + floor(pg_temp.rnd(f.id, 104) * 40)::int])
       END,
       %(p)s::date - 6570 - ((f.r_a * 7919 + f.r_b * 3301)::int %% 14600),
       '', '', f.r_c < 0.3, CASE WHEN f.r_c < 0.3 THEN 'Arabisch' ELSE '' END,
       ARRAY['telefoon']::varchar[], '06' || lpad((f.id %% 100000000)::text, 8, '0'), '',
       f.doelgroep, 'wi2021', f.aanmelding::timestamptz, %(nu)s,
       '', '', '', '', '', '', '', '', '', ''
  FROM bench_feiten f JOIN bsn b ON b.n = f.id
"""

DOSSIERS = """
INSERT INTO cases_dossier (id, uuid, inburgeraar_id, gemeente_id, werkcoach_id, begeleider_id,
                           fase, datum_koppeling, datum_huisvesting, datum_brp_inschrijving,
                           coa_referentie, vorig_dossier_id, datum_afgesloten, aangemaakt_op,
                           gewijzigd_op, sorteer_achternaam, sorteer_voornamen)
SELECT f.id, gen_random_uuid(), f.id, f.gemeente_id, f.werkcoach_id, NULL, f.fase, f.koppeling,
       f.huisvesting, f.brp, CASE WHEN f.koppeling IS NOT NULL THEN 'COA-' || f.id ELSE '' END,
       NULL, f.afgesloten, f.aanmelding::timestamptz, %(nu)s, i.achternaam, i.voornamen
  FROM bench_feiten f JOIN cases_inburgeraar i ON i.id = f.id
 ORDER BY f.id
"""

# What the database's triggers keep (``cases.models``: the dossier's next-deadline columns and
# the overview's counts) computed once, set-based, after the load: the load runs with the
# tables' own triggers off — one derivation over 1.6 million clocks instead of a trigger pass
# per statement — and turns them on again for the sweep, which is measured with them.
TERMIJNSTAND_AFLEIDEN = """
UPDATE cases_dossier d SET
    termijn_eerstvolgend_op = v.uiterste_datum,
    termijn_eerstvolgend_code = v.code,
    termijn_eerstvolgend_volgnummer = v.volgnummer,
    termijnen_verlopen_aantal = coalesce(n.aantal, 0)
FROM cases_dossier g
LEFT JOIN (
    SELECT DISTINCT ON (dossier_id) dossier_id, uiterste_datum, code, volgnummer
      FROM cases_termijn WHERE status = 'open'
     ORDER BY dossier_id, uiterste_datum, code, volgnummer
) AS v ON v.dossier_id = g.id
LEFT JOIN (
    SELECT dossier_id, count(*)::integer AS aantal FROM cases_termijn
     WHERE status = 'verlopen' GROUP BY dossier_id
) AS n ON n.dossier_id = g.id
WHERE d.id = g.id AND (v.dossier_id IS NOT NULL OR n.dossier_id IS NOT NULL)
"""
TABELLEN_MET_TRIGGERS = ("cases_inburgeraar", "cases_dossier", "cases_termijn")

# Every clock of every dossier (codes and lengths as in cases/pip_plans termijnregels):
# intake and PIP from the BRP date; after the PIP the inburgeringstermijn, MAP, PVT, the
# route-switch window and the voortgangsgesprekken. Status as the go-live import left it.
TERMIJNEN = """
INSERT INTO cases_termijn (uuid, dossier_id, code, volgnummer, soort, startdatum,
                           berekende_datum, uiterste_datum, status, gehaald_op,
                           handmatig_gehaald, toelichting, gewijzigd_op)
SELECT gen_random_uuid(), k.dossier_id, k.code, k.volgnummer, k.soort, k.startdatum,
       k.berekend, k.uiterste,
       CASE WHEN k.gehaald_op IS NOT NULL THEN
                CASE WHEN k.gehaald_op <= k.uiterste THEN 'gehaald' ELSE 'te_laat_gehaald' END
            WHEN k.gesloten THEN 'vervallen'
            WHEN k.uiterste < %(p)s::date - %(venster)s THEN 'vervallen'
            ELSE 'open' END,
       k.gehaald_op, k.handmatig AND k.gehaald_op IS NOT NULL, '', %(nu)s
  FROM (
    SELECT id AS dossier_id, 'intake' AS code, 1 AS volgnummer, 'wettelijk' AS soort,
           brp AS startdatum, brp + 28 AS berekend, brp + 28 AS uiterste, intake AS gehaald_op,
           false AS handmatig, gesloten
      FROM bench_feiten WHERE brp IS NOT NULL
    UNION ALL
    SELECT id, 'pip', 1, 'wettelijk', brp, brp + 70, brp + 70, pip, false, gesloten
      FROM bench_feiten WHERE brp IS NOT NULL
    UNION ALL
    SELECT id, 'inburgeringstermijn', 1, 'wettelijk', ts, te,
           CASE WHEN verlengd THEN (te + interval '6 months')::date ELSE te END,
           CASE WHEN fase = 'afgerond' THEN afgesloten END, true, gesloten
      FROM bench_feiten WHERE ts IS NOT NULL
    UNION ALL
    SELECT id, 'map', 1, 'wettelijk', ts, te, te,
           CASE WHEN fase = 'afgerond' THEN afgesloten - (r_map * 60)::int
                WHEN r_d < (eind - ts) / 1500.0 THEN ts + ((eind - ts) * r_a)::int END,
           true, gesloten
      FROM bench_feiten WHERE ts IS NOT NULL AND map
    UNION ALL
    SELECT id, 'pvt', 1, 'wettelijk', ts, te, te,
           CASE WHEN fase = 'afgerond' THEN afgesloten - (r_pvt * 200)::int
                WHEN r_c < (eind - ts) / 1000.0 THEN ts + ((eind - ts) * r_b)::int END,
           true, gesloten
      FROM bench_feiten WHERE ts IS NOT NULL AND pvt
    UNION ALL
    SELECT id, 'routewissel', 1, 'wettelijk', ts, (ts + interval '18 months')::date,
           (ts + interval '18 months')::date,
           CASE WHEN switch AND ts + (r_b * 540)::int <= eind THEN ts + (r_b * 540)::int END,
           false, gesloten
      FROM bench_feiten WHERE ts IS NOT NULL AND routewissel
    UNION ALL
    SELECT f.id, 'voortgangsgesprek', v.nr, 'beleid',
           (f.ts + make_interval(months => (v.nr - 1) * 12 / f.vg_per_jaar))::date,
           (f.ts + make_interval(months => v.nr * 12 / f.vg_per_jaar))::date,
           (f.ts + make_interval(months => v.nr * 12 / f.vg_per_jaar))::date,
           -- most are held (and recorded) around the due date; about one in five is not
           CASE WHEN pg_temp.rnd(f.id * 16 + v.nr, 20) < 0.8
                     AND (f.ts + make_interval(months => v.nr * 12 / f.vg_per_jaar))::date
                         - 30 + (pg_temp.rnd(f.id * 16 + v.nr, 21) * 45)::int <= f.eind
                THEN (f.ts + make_interval(months => v.nr * 12 / f.vg_per_jaar))::date
                     - 30 + (pg_temp.rnd(f.id * 16 + v.nr, 21) * 45)::int END,
           true, f.gesloten
      FROM bench_feiten f CROSS JOIN LATERAL generate_series(1, f.vg_per_jaar * 3) AS v(nr)
     WHERE f.ts IS NOT NULL AND f.vg_per_jaar > 0
  ) k
 ORDER BY k.dossier_id, k.code, k.volgnummer
"""

TERMIJN_HISTORIE = """
INSERT INTO cases_historicaltermijn (id, uuid, code, volgnummer, soort, startdatum,
                                     berekende_datum, uiterste_datum, status, gehaald_op,
                                     handmatig_gehaald, toelichting, gewijzigd_op, dossier_id,
                                     history_date, history_change_reason, history_type,
                                     history_user_id)
SELECT id, uuid, code, volgnummer, soort, startdatum, berekende_datum, uiterste_datum, status,
       gehaald_op, handmatig_gehaald, toelichting, gewijzigd_op, dossier_id, gewijzigd_op,
       'Go-live import', '+', NULL
  FROM cases_termijn ORDER BY id
"""

GEBEURTENISSEN = """
INSERT INTO cases_gebeurtenis (dossier_id, soort, tijdstip, actor_id, omschrijving, gegevens)
SELECT g.dossier_id, g.soort, g.tijdstip, NULL, g.omschrijving, '{}'::jsonb
  FROM (
    SELECT id AS dossier_id, 'dossier.aangemaakt' AS soort, aanmelding::timestamptz AS tijdstip,
           'Dossier created.' AS omschrijving
      FROM bench_feiten
    UNION ALL
    SELECT id, 'dossier.fase', coalesce(afgesloten, pip, intake, brp, huisvesting, koppeling,
                                aanmelding)::timestamptz,
           'Phase changed to ' || fase || '.'
      FROM bench_feiten WHERE fase <> 'aangemeld'
  ) g
 ORDER BY g.tijdstip, g.dossier_id
"""


def referentiedata(cur: Any, nu: Any) -> dict[str, int]:
    """Gemeenten, teams, werkcoaches and teamleiders (explicit ids), lead-time policies, and the
    lookup tables the set-based load joins."""
    cur.execute("SELECT name, id FROM auth_group")
    groepen = dict(cur.fetchall())
    for rol in (Rol.WERKCOACH, Rol.TEAMLEIDER):
        if rol.value not in groepen:
            sys.exit(f"Group {rol.value!r} is missing: the role sync (post_migrate) did not run.")
    gemeente_id = {}
    for i, (cbs, naam, _aandeel) in enumerate(GEMEENTEN, start=1):
        gemeente_id[cbs] = i
        cur.execute(
            "INSERT INTO accounts_gemeente (id, uuid, cbs_code, naam, adres, postcode_plaats,"
            " telefoon, email, website, logo, ondertekenaar_naam, ondertekenaar_functie,"
            " pip_goedkeuring_vereist, partner_ziet_volledig_bsn)"
            " VALUES (%s, gen_random_uuid(), %s, %s, 'Raadhuisplein 1',"
            " %s, '14 0' || %s, %s, %s, '', 'J. de Vries', 'teamleider Inburgering', false, false)",
            [
                i,
                cbs,
                naam,
                f"1234 AB {naam}",
                cbs[-2:],
                f"inburgering@{naam.lower()}.nl",
                f"https://www.{naam.lower()}.nl",
            ],
        )
    gebruiker = 0
    werkcoaches: dict[str, list[int]] = {cbs: [] for cbs, _n, _a in GEMEENTEN}
    for t, (team, bediend, n_wc, n_tl, n_tl_inactief) in enumerate(TEAMS, start=1):
        cur.execute(
            "INSERT INTO accounts_organisatie (id, uuid, naam, soort)"
            " VALUES (%s, gen_random_uuid(), %s, 'gemeentelijk_team')",
            [t, team],
        )
        for cbs in bediend:
            cur.execute(
                "INSERT INTO accounts_organisatie_gemeenten (organisatie_id, gemeente_id)"
                " VALUES (%s, %s)",
                [t, gemeente_id[cbs]],
            )
        leden = (
            [(Rol.WERKCOACH, True)] * n_wc
            + [(Rol.TEAMLEIDER, True)] * n_tl
            + [(Rol.TEAMLEIDER, False)] * n_tl_inactief
        )
        for rol, actief in leden:
            gebruiker += 1
            cur.execute(
                "INSERT INTO accounts_user (id, password, last_login, is_superuser, username,"
                " first_name, last_name, email, is_staff, is_active, date_joined, uuid,"
                " organisatie_id) VALUES (%s, '!bench', NULL, false, %s, %s, %s, %s, false, %s,"
                " %s, gen_random_uuid(), %s)",
                [
                    gebruiker,
                    f"{rol.value}{gebruiker:03d}",
                    VOORNAMEN[gebruiker % len(VOORNAMEN)],
                    f"{rol.label} {gebruiker}",
                    f"{rol.value}{gebruiker:03d}@bench.example",
                    actief,
                    nu,
                    t,
                ],
            )
            cur.execute(
                "INSERT INTO accounts_user_groups (user_id, group_id) VALUES (%s, %s)",
                [gebruiker, groepen[rol.value]],
            )
            if rol == Rol.WERKCOACH:
                for cbs in bediend:
                    werkcoaches[cbs].append(gebruiker)
    for cbs, dagen in WAARSCHUWINGSDAGEN.items():
        cur.execute(
            "INSERT INTO cases_termijnbeleid (gemeente_id, waarschuwingsdagen,"
            " max_verlenging_inburgeringstermijn_maanden, min_voortgangsgesprekken_per_jaar)"
            " VALUES (%s, %s::smallint[], 6, 1)",
            [gemeente_id[cbs], dagen],
        )
    cur.execute("CREATE TEMP TABLE bench_gemeente (gemeente_id bigint, lo float8, hi float8)")
    lo = 0.0
    for i, (cbs, _naam, aandeel) in enumerate(GEMEENTEN):
        hi = 2.0 if i == len(GEMEENTEN) - 1 else lo + aandeel  # [lo, hi): no overlap, no gap
        cur.execute("INSERT INTO bench_gemeente VALUES (%s, %s, %s)", [gemeente_id[cbs], lo, hi])
        lo = hi
    cur.execute(
        "CREATE TEMP TABLE bench_werkcoach (gemeente_id bigint, idx int, aantal int,"
        " user_id bigint, PRIMARY KEY (gemeente_id, idx))"
    )
    for cbs, ids in werkcoaches.items():
        for idx, user_id in enumerate(ids):
            cur.execute(
                "INSERT INTO bench_werkcoach VALUES (%s, %s, %s, %s)",
                [gemeente_id[cbs], idx, len(ids), user_id],
            )
    for tabel in ("accounts_gemeente", "accounts_organisatie", "accounts_user"):
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), max(id)) FROM {tabel}"  # noqa: S608
        )
    n_wc = sum(t[2] for t in TEAMS)
    n_tl = sum(t[3] for t in TEAMS)
    return {"gemeenten": len(GEMEENTEN), "teams": len(TEAMS), "werkcoaches": n_wc,
            "teamleiders": n_tl}  # fmt: skip


def laden(n: int, peildatum: date) -> dict[str, Any]:
    """Empty the app tables and load ``n`` dossiers, set-based. Returns counts and timings."""
    nu = timezone.now()
    params: dict[str, Any] = {
        "n": n,
        "p": peildatum,
        "nu": nu,
        "venster": IMPORT_VENSTER_DAGEN,
        "voornamen": VOORNAMEN,
        "achternamen": ACHTERNAMEN,
        "grepen_a": LETTERGREPEN_A,
        "grepen_b": LETTERGREPEN_B,
    }
    tijden: dict[str, float] = {}
    t_start = time.perf_counter()

    def stap(naam: str, sql: str) -> None:
        t0 = time.perf_counter()
        cur.execute(sql, params)
        tijden[naam] = round(time.perf_counter() - t0, 2)

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute(f"TRUNCATE {', '.join(app_tabellen())} RESTART IDENTITY CASCADE")
        ref = referentiedata(cur, nu)
        cur.execute(RND_FUNCTIE)
        for tabel in TABELLEN_MET_TRIGGERS:
            cur.execute(f"ALTER TABLE {tabel} DISABLE TRIGGER USER")
        stap("feiten", DOSSIERFEITEN)
        stap("inburgeraars", INBURGERAARS)
        stap("dossiers", DOSSIERS)
        stap("termijnen", TERMIJNEN)
        stap("termijnhistorie", TERMIJN_HISTORIE)
        stap("gebeurtenissen", GEBEURTENISSEN)
        stap("termijnstand", TERMIJNSTAND_AFLEIDEN)
        stap("termijntellers", TELLER_OPNIEUW_SQL)
        # the deferred foreign-key checks first: a table with pending trigger events cannot
        # have its triggers turned back on
        stap("fk-controles", "SET CONSTRAINTS ALL IMMEDIATE")
        for tabel in TABELLEN_MET_TRIGGERS:
            cur.execute(f"ALTER TABLE {tabel} ENABLE TRIGGER USER")
        for tabel in ("cases_inburgeraar", "cases_dossier"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), max(id)) FROM {tabel}"  # noqa: S608
            )
        cur.execute("DROP TABLE bench_feiten, bench_gemeente, bench_werkcoach")
        # which generator made these rows: a database reused by the load benchmark is
        # loaded again when the generator changed
        cur.execute(f"COMMENT ON TABLE cases_dossier IS '{GENERATOR_KENMERK}'")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # settle the freshly loaded tables as a live system's are: statistics, visibility map
        # and hint bits set, dirty pages written — so the sweep is not the one paying for that
        cur.execute("VACUUM (ANALYZE)")
        cur.execute("CHECKPOINT")
    tijden["vacuum_analyze"] = round(time.perf_counter() - t0, 2)
    tijden["totaal"] = round(time.perf_counter() - t_start, 2)
    return {**ref, **telling(peildatum), "tijden_s": tijden}


def telling(peildatum: date) -> dict[str, Any]:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_dossier")
        dossiers = cur.fetchone()[0]
        cur.execute("SELECT status, count(*) FROM cases_termijn GROUP BY status ORDER BY status")
        status = dict(cur.fetchall())
        cur.execute(
            "SELECT count(*) FILTER (WHERE status = 'open' AND uiterste_datum < %s),"
            " count(*) FILTER (WHERE status = 'open' AND uiterste_datum >= %s"
            "                  AND uiterste_datum <= %s + 28)"
            " FROM cases_termijn",
            [peildatum, peildatum, peildatum],
        )
        overdue, binnenkort = cur.fetchone()
        cur.execute("SELECT fase, count(*) FROM cases_dossier GROUP BY fase ORDER BY fase")
        fasen = dict(cur.fetchall())
        cur.execute("SELECT code, count(*) FROM cases_termijn GROUP BY code ORDER BY code")
        codes = dict(cur.fetchall())
        cur.execute("SELECT pg_database_size(current_database())")
        grootte = cur.fetchone()[0]
    termijnen = sum(status.values())
    return {
        "dossiers": dossiers,
        "termijnen": termijnen,
        "termijnen_per_dossier": round(termijnen / max(dossiers, 1), 2),
        "termijnen_per_status": status,
        "termijnen_per_code": codes,
        "dossiers_per_fase": fasen,
        "open_en_over_tijd": overdue,
        "open_binnen_28_dagen": binnenkort,
        "database_mb": mb(grootte),
    }


# --- naive baseline ---------------------------------------------------------------------------


class _Terugdraaien(Exception):
    pass


def steekproef_stap(n_dossiers: int, steekproef: int) -> int:
    return max(1, n_dossiers // steekproef)


def naief(peildatum: date, stap: int) -> dict[str, Any]:
    """The straightforward per-row ORM sweep over every ``stap``-th dossier: per dossier its
    policy, its teamleiders and its open clocks; per overdue clock ``save()`` (simple-history
    writes the history row), a timeline row and ``get_or_create`` per recipient; per clock at a
    warning threshold ``get_or_create`` per recipient. Runs in one transaction that is rolled
    back, so nothing it writes stays."""
    nu = timezone.now()
    escalerend = {r.code for r in registry if r.escaleren}
    reden = _("Overdue (termijnbewaking)")
    teller = Teller()
    verlopen = 0
    gemaakt = {SignaalSoort.WAARSCHUWING: 0, SignaalSoort.VERLOPEN: 0, SignaalSoort.ESCALATIE: 0}

    def signaal(
        termijn: Any, dossier: Dossier, ontvanger: User, soort: SignaalSoort, dagen: int
    ) -> None:
        _obj, nieuw = Signaal.objects.get_or_create(
            termijn=termijn,
            ontvanger=ontvanger,
            soort=soort,
            dagen_voor=dagen,
            uiterste_datum=termijn.uiterste_datum,
            defaults={"dossier": dossier, "aangemaakt_op": nu},
        )
        gemaakt[soort] += nieuw

    with connection.cursor() as cur:
        cur.execute("SELECT id FROM cases_dossier WHERE id %% %s = 0 ORDER BY id", [stap])
        ids = [row[0] for row in cur.fetchall()]
    t0 = time.perf_counter()
    try:
        with scopes_disabled(), connection.execute_wrapper(teller), transaction.atomic():
            dossiers = Dossier.objects.filter(pk__in=ids).select_related("werkcoach")
            for dossier in dossiers.order_by("pk"):
                beleid = TermijnBeleid.objects.filter(gemeente_id=dossier.gemeente_id).first()
                dagen = sorted(
                    beleid.waarschuwingsdagen if beleid else bewaking.STANDAARD_WAARSCHUWINGSDAGEN
                )
                teamleiders = list(
                    User.objects.filter(
                        is_active=True,
                        groups__name=Rol.TEAMLEIDER,
                        organisatie__gemeenten=dossier.gemeente_id,
                    ).distinct()
                )
                werkcoach = dossier.werkcoach
                behandelaars = [werkcoach] if werkcoach else teamleiders
                team = werkcoach.organisatie_id if werkcoach else None
                escalatie = [tl for tl in teamleiders if team is None or tl.organisatie_id == team]
                for termijn in dossier.termijnen.filter(status=TermijnStatus.OPEN).order_by("pk"):
                    if termijn.uiterste_datum < peildatum:
                        termijn.status = TermijnStatus.VERLOPEN
                        termijn.gewijzigd_op = nu
                        termijn._change_reason = reden  # type: ignore[attr-defined]
                        termijn.save()
                        verlopen += 1
                        Gebeurtenis.objects.create(
                            dossier=dossier,
                            soort=tijdlijn.TERMIJN_VERLOPEN,
                            tijdstip=nu,
                            gegevens={
                                "termijn": termijn.pk,
                                "code": termijn.code,
                                "volgnummer": termijn.volgnummer,
                                "datum": termijn.uiterste_datum.isoformat(),
                                "door": "bewaking",
                            },
                        )
                        for ontvanger in behandelaars:
                            signaal(termijn, dossier, ontvanger, SignaalSoort.VERLOPEN, 0)
                        if termijn.code in escalerend:
                            for ontvanger in escalatie:
                                signaal(termijn, dossier, ontvanger, SignaalSoort.ESCALATIE, 0)
                    else:
                        bereikt = [
                            d
                            for d in dagen
                            if termijn.uiterste_datum - timedelta(days=d) <= peildatum
                        ]
                        if bereikt:
                            for ontvanger in behandelaars:
                                signaal(
                                    termijn, dossier, ontvanger, SignaalSoort.WAARSCHUWING,
                                    min(bereikt),
                                )  # fmt: skip
            wall = time.perf_counter() - t0
            raise _Terugdraaien
    except _Terugdraaien:
        pass
    with connection.cursor() as cur:
        # clear what the rolled-back writes left behind before the set-based runs
        cur.execute(
            "VACUUM (ANALYZE) cases_termijn, cases_historicaltermijn, cases_gebeurtenis,"
            " cases_signaal"
        )
    return {
        "dossiers": len(ids),
        "stap": stap,
        "wall_s": round(wall, 3),
        "ms_per_dossier": round(wall * 1000 / max(len(ids), 1), 3),
        "queries": teller.n,
        "queries_per_dossier": round(teller.n / max(len(ids), 1), 2),
        "verlopen": verlopen,
        "signalen": gemaakt[SignaalSoort.WAARSCHUWING] + gemaakt[SignaalSoort.VERLOPEN],
        "escalaties": gemaakt[SignaalSoort.ESCALATIE],
        "per_soort": {
            "waarschuwing": gemaakt[SignaalSoort.WAARSCHUWING],
            "verlopen": gemaakt[SignaalSoort.VERLOPEN],
            "escalatie": gemaakt[SignaalSoort.ESCALATIE],
        },
    }


def steekproef_na_sweep(stap: int) -> dict[str, Any]:
    """What the set-based sweep did to the sample's dossiers, to compare with the naive loop."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT soort, count(*) FROM cases_signaal WHERE dossier_id %% %s = 0 GROUP BY soort",
            [stap],
        )
        per_soort = dict(cur.fetchall())
        cur.execute(
            "SELECT count(*) FROM cases_historicaltermijn"
            " WHERE dossier_id %% %s = 0 AND history_type = '~' AND status = 'verlopen'",
            [stap],
        )
        verlopen = cur.fetchone()[0]
    return {
        "verlopen": verlopen,
        "per_soort": {s: per_soort.get(s, 0) for s in ("waarschuwing", "verlopen", "escalatie")},
    }


# --- the set-based sweep, measured in a child process -----------------------------------------


def hwm_resetten() -> bool:
    """Reset the kernel's RSS high-water mark (VmHWM) to the current RSS (Linux ≥ 4.0), so the
    mark after the sweep is the sweep's own peak, not a transient of the Django start-up.
    (``ru_maxrss`` is not reset when a thread has exited: it keeps the start-up peak.)"""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def fase_sweep(chunk: int, peildatum: date, tracemalloc_aan: bool) -> dict[str, Any]:
    """One sweep in this (fresh) process: wall time, statements, memory, rows."""
    with connection.cursor() as cur:  # connect before measuring
        cur.execute("SELECT 1")
    gc.collect()
    hwm_opstart = maxrss_bytes()
    gereset = hwm_resetten() and vmhwm_bytes() is not None
    rss_voor = rss_bytes()
    cpu_voor = time.process_time()
    teller = Teller()
    chunktijden: list[float] = []
    vorige = [0.0]

    def voortgang(_r: bewaking.Resultaat, _laatste: int) -> None:
        nu = time.perf_counter()
        chunktijden.append(nu - vorige[0])
        vorige[0] = nu

    if tracemalloc_aan:
        tracemalloc.start()
    with scopes_disabled(), connection.execute_wrapper(teller):
        t0 = vorige[0] = time.perf_counter()
        r = bewaking.sweep(peildatum=peildatum, chunk=chunk, voortgang=voortgang, tel_queries=True)
        wall = time.perf_counter() - t0
    piek_python = tracemalloc.get_traced_memory()[1] if tracemalloc_aan else None
    tracemalloc.stop()
    hwm_na = vmhwm_bytes() if gereset else None
    maxrss_na = maxrss_bytes()
    per_chunk = r.queries_per_chunk
    ms = sorted(t * 1000 for t in chunktijden) or [0.0]
    return {
        "chunk": chunk,
        "wall_s": round(wall, 3),
        "cpu_s_python": round(time.process_time() - cpu_voor, 3),
        "chunks": r.chunks,
        "chunk_ms": {
            "min": round(ms[0], 1),
            "mediaan": round(ms[len(ms) // 2], 1),
            "max": round(ms[-1], 1),
        },
        "verlopen": r.verlopen,
        "signalen": r.signalen,
        "escalaties": r.escalaties,
        "queries_totaal": teller.n,
        "queries_per_chunk": sorted(set(per_chunk)),
        "queries_per_chunk_constant": len(set(per_chunk)) <= 1,
        "queries_per_chunk_alle": per_chunk,
        "queries_buiten_chunks": teller.n - sum(per_chunk),
        "rss_start_mb": mb(rss_voor),
        # VmHWM reset just before the sweep: the peak RSS while the sweep ran
        "rss_piek_mb": mb(hwm_na) if hwm_na is not None else None,
        "rss_piek_groei_mb": mb(hwm_na - rss_voor) if hwm_na is not None else None,
        # ru_maxrss: the whole child process's peak, start-up included
        "ru_maxrss_opstart_mb": mb(hwm_opstart),
        "ru_maxrss_mb": mb(maxrss_na),
        "tracemalloc_piek_mb": mb(piek_python) if piek_python is not None else None,
    }


def in_kindproces(chunk: int, peildatum: date, tracemalloc_aan: bool) -> dict[str, Any]:
    connection.close()  # the child opens its own
    cmd = [sys.executable, str(Path(__file__).resolve()), "--fase", "sweep", "--chunk",
           str(chunk), "--peildatum", peildatum.isoformat()]  # fmt: skip
    if not tracemalloc_aan:
        cmd.append("--zonder-tracemalloc")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    for regel in proc.stdout.splitlines():
        if regel.startswith("RESULTAAT "):
            return json.loads(regel.removeprefix("RESULTAAT "))
    sys.stderr.write(proc.stdout + proc.stderr)
    sys.exit(f"The sweep child process failed (exit code {proc.returncode}).")


# --- EXPLAIN of one chunk ---------------------------------------------------------------------


class _EenChunk(Exception):
    pass


def explain_eerste_chunk(chunk: int, peildatum: date) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the sweep's two set-based statements for its first chunk
    (the oldest dossiers, the most overdue clocks), inside a transaction that is rolled back.
    The sweep's own SQL is used: the statements are rewritten on their way to the database."""
    plannen: list[str] = []

    def explain(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if not sql.lstrip().upper().startswith("WITH"):
            return execute(sql, params, many, context)
        resultaat = execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params, many, context)
        kop = " ".join(sql.split())[:90]
        plannen.append(f"--- {kop} …\n" + "\n".join(r[0] for r in context["cursor"].fetchall()))
        return resultaat

    def stop(_r: bewaking.Resultaat, _laatste: int) -> None:
        raise _EenChunk

    try:
        with scopes_disabled(), transaction.atomic(), connection.execute_wrapper(explain):
            bewaking.sweep(peildatum=peildatum, chunk=chunk, voortgang=stop)
    except _EenChunk:
        pass
    return plannen


# --- report -----------------------------------------------------------------------------------


def doelen(naief_r: dict[str, Any], runs: list[dict[str, Any]]) -> dict[str, Any]:
    hoofd = runs[0]
    volledig, herhaling = hoofd["volledig"], hoofd["herhaling"]
    alle = [r[k] for r in runs for k in ("volledig", "herhaling")]
    per_chunk = sorted({q for r in alle for q in r["queries_per_chunk"]})
    versnelling = naief_r["geschaald_s"] / volledig["wall_s"]
    # conservative: the whole sweep process's peak (start-up included) counts too
    piek = max(max(r["rss_piek_mb"] or 0, r["ru_maxrss_mb"]) for r in alle)
    return {
        "versnelling": {
            "waarde": round(versnelling, 1),
            "doel": "≥ 50×",
            "gehaald": versnelling >= 50,
        },
        "herhaling_gedeeld_door_volledig": {
            "waarde": round(herhaling["wall_s"] / volledig["wall_s"], 3),
            "doel": "≤ 0.5",
            "gehaald": herhaling["wall_s"] <= 0.5 * volledig["wall_s"],
        },
        "piekgeheugen_mb": {"waarde": piek, "doel": "< 200 MB", "gehaald": piek < 200},
        "queries_per_chunk": {
            "waarde": per_chunk,
            "doel": "constant, not growing with the chunk size",
            "gehaald": len(per_chunk) == 1,
        },
    }


def rapport(res: dict[str, Any]) -> str:
    laad, naief_r, runs = res["data"], res["naief"], res["runs"]
    aandeel = 100 * laad["open_en_over_tijd"] / max(laad["termijnen_per_status"].get("open", 1), 1)
    regels = [
        f"Termijn sweep benchmark — {laad['dossiers']:,} dossiers, {laad['termijnen']:,} "
        f"termijnen, peildatum {res['peildatum']}",
        f"  load {laad['tijden_s']['totaal']:.1f} s (set-based SQL + VACUUM ANALYZE); "
        f"open {laad['termijnen_per_status'].get('open', 0):,}, of which overdue "
        f"{laad['open_en_over_tijd']:,} ({aandeel:.1f} %)",
        "",
        f"{'':34}" + "".join(f"{'chunk ' + str(r['chunk']):>22}" for r in runs),
    ]

    def rij(label: str, waarde: Callable[[dict[str, Any]], str]) -> None:
        regels.append(
            f"{label:34}"
            + "".join(f"{waarde(r['volledig']) + ' | ' + waarde(r['herhaling']):>22}" for r in runs)
        )

    regels.append(f"{'':34}" + "".join(f"{'full | re-sweep':>22}" for _r in runs))
    rij("wall time (s)", lambda r: f"{r['wall_s']:.2f}")
    rij("Python CPU time (s)", lambda r: f"{r['cpu_s_python']:.2f}")
    rij("chunks", lambda r: str(r["chunks"]))
    rij("chunk time median (ms)", lambda r: f"{r['chunk_ms']['mediaan']}")
    rij("chunk time max (ms)", lambda r: f"{r['chunk_ms']['max']}")
    rij("statements per chunk", lambda r: "/".join(map(str, r["queries_per_chunk"])))
    rij("statements in total", lambda r: str(r["queries_totaal"]))
    rij("termijnen → verlopen", lambda r: f"{r['verlopen']:,}")
    rij("signals (warning + overdue)", lambda r: f"{r['signalen']:,}")
    rij("escalations", lambda r: f"{r['escalaties']:,}")
    rij("RSS before the sweep (MB)", lambda r: f"{r['rss_start_mb']}")
    rij("peak RSS during the sweep (MB)", lambda r: f"{r['rss_piek_mb']}")
    rij("  growth over the start (MB)", lambda r: f"{r['rss_piek_groei_mb']}")
    rij("tracemalloc peak, Python (MB)", lambda r: f"{r['tracemalloc_piek_mb']}")
    rij("ru_maxrss, whole process (MB)", lambda r: f"{r['ru_maxrss_mb']}")
    regels += [
        "",
        f"Naive per-row ORM loop on {naief_r['dossiers']:,} dossiers (every {naief_r['stap']}th, "
        f"rolled back): {naief_r['wall_s']:.2f} s, {naief_r['ms_per_dossier']:.2f} ms/dossier, "
        f"{naief_r['queries_per_dossier']:.1f} statements/dossier",
        f"  scaled to {laad['dossiers']:,} dossiers: {naief_r['geschaald_s']:.0f} s "
        f"(≈ {naief_r['geschaald_s'] / 60:.1f} min)",
        f"  same result as the set-based sweep on the sample: "
        f"{'yes' if naief_r['gelijk_aan_sweep'] else 'NO'} "
        f"(naive {naief_r['verlopen']} verlopen, {naief_r['per_soort']}; "
        f"set-based {naief_r['sweep_op_steekproef']['verlopen']} verlopen, "
        f"{naief_r['sweep_op_steekproef']['per_soort']})",
        "",
        "Targets (chunk " + str(runs[0]["chunk"]) + "):",
    ]
    labels = {
        "versnelling": "speed-up over the scaled naive loop",
        "herhaling_gedeeld_door_volledig": "re-sweep / full sweep",
        "piekgeheugen_mb": "peak RSS of a sweep process (MB)",
        "queries_per_chunk": "statements per chunk",
    }
    for sleutel, d in res["doelen"].items():
        regels.append(
            f"  {labels[sleutel]:38} {d['waarde']!s:>12}  target {d['doel']:<42} "
            f"{'met' if d['gehaald'] else 'MISSED'}"
        )
    return "\n".join(regels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=250_000, help="default 250,000")
    parser.add_argument(
        "--chunks",
        default="5000,25000",
        help="chunk sizes, comma separated; the first is timed against the targets "
        "(default 5000,25000; every further size reloads the data)",
    )
    parser.add_argument(
        "--steekproef", type=int, default=2000, help="dossiers in the naive baseline (2000)"
    )
    parser.add_argument("--peildatum", type=date.fromisoformat, default=None, help="default: today")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="load, then print EXPLAIN (ANALYZE, BUFFERS) of the sweep's statements for the "
        "first chunk (rolled back) and stop",
    )
    # internal: one measured sweep in a child process
    parser.add_argument("--fase", choices=["sweep"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--chunk", type=int, default=bewaking.STANDAARD_CHUNK, help=argparse.SUPPRESS
    )
    parser.add_argument("--zonder-tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    peildatum = args.peildatum or timezone.localdate()

    if args.fase == "sweep":
        resultaat = fase_sweep(args.chunk, peildatum, not args.zonder_tracemalloc)
        print("RESULTAAT " + json.dumps(resultaat))
        return

    chunks = [int(c) for c in args.chunks.split(",") if c.strip()]
    database_klaarzetten()
    if args.explain:
        print(f"Loading {args.dossiers:,} dossiers…")
        laden(args.dossiers, peildatum)
        print("\n\n".join(explain_eerste_chunk(chunks[0], peildatum)))
        return
    runs: list[dict[str, Any]] = []
    data: dict[str, Any] = {}
    naief_r: dict[str, Any] = {}
    stap = steekproef_stap(args.dossiers, args.steekproef)
    for i, chunk in enumerate(chunks):
        print(f"Loading {args.dossiers:,} dossiers into {settings.DATABASES['default']['NAME']}…")
        geladen = laden(args.dossiers, peildatum)
        print(
            f"  {geladen['termijnen']:,} termijnen in {geladen['tijden_s']['totaal']:.1f} s "
            f"({geladen['database_mb']:.0f} MB database)"
        )
        if i == 0:
            data = geladen
            print(f"Naive baseline on every {stap}th dossier (rolled back)…")
            naief_r = naief(peildatum, stap)
            naief_r["geschaald_s"] = round(
                naief_r["wall_s"] * data["dossiers"] / max(naief_r["dossiers"], 1), 1
            )
            print(f"  {naief_r['wall_s']:.2f} s → scaled {naief_r['geschaald_s']:.0f} s")
        print(f"Set-based sweep, chunk {chunk}: full sweep, then a re-sweep…")
        volledig = in_kindproces(chunk, peildatum, tracemalloc_aan=True)
        herhaling = in_kindproces(chunk, peildatum, tracemalloc_aan=True)
        print(f"  {volledig['wall_s']:.2f} s, re-sweep {herhaling['wall_s']:.2f} s")
        if i == 0:
            naief_r["sweep_op_steekproef"] = steekproef_na_sweep(stap)
            naief_r["gelijk_aan_sweep"] = (
                naief_r["sweep_op_steekproef"]["verlopen"] == naief_r["verlopen"]
                and naief_r["sweep_op_steekproef"]["per_soort"] == naief_r["per_soort"]
            )
        runs.append({"chunk": chunk, "volledig": volledig, "herhaling": herhaling})

    res: dict[str, Any] = {
        "gemeten_op": timezone.now().isoformat(timespec="seconds"),
        "peildatum": peildatum.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "geheugen_gb": round(
                os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
            ),
            "python": platform.python_version(),
            "postgres": postgres_instellingen(),
        },
        "data": data,
        "naief": naief_r,
        "runs": runs,
    }
    res["doelen"] = doelen(naief_r, runs)
    tekst = rapport(res)
    print()
    print(tekst)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2, default=str) + "\n")
    pad = args.json.resolve()
    print(f"\nWritten to {pad.relative_to(ROOT) if pad.is_relative_to(ROOT) else pad}")


if __name__ == "__main__":
    main()
