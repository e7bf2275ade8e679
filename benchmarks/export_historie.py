"""Benchmark: the bulk export of the change history (``verantwoording.bulk``) over 250,000 dossiers.

Usage (from the project root):

    make bench-verantwoording   # the dossier-page benchmark first, then this one
    # or, with options:
    DJANGO_SETTINGS_MODULE=inburgering.settings.dev \
        .venv/bin/python benchmarks/export_historie.py [--dossiers 250000] [--herladen]

Runs against its own database, ``inburgering_export_bench`` (``BENCH_DATABASE_URL`` overrides
it; the name must end in ``_bench``), so it never races the termijn benchmark. The data are
those of ``benchmarks/termijnen_sweep.py`` (its set-based generator is reused as is: gemeenten,
teams, inburgeraars, dossiers, ~6.5 termijnen per dossier with their ``+`` history rows) plus,
in set-based SQL, the history the live system writes for the person and the dossier: a ``+``
row for each, a ``~`` "Personal details changed" for one person in three, and a ``~`` per phase
reached for the dossier (on average ~11 history rows per dossier). The data are kept between
runs (``--herladen`` loads them again).

Then, each in a fresh child process (so the RSS high-water mark is the mode's own), every
gemeente is exported in turn by a user whose team serves all of them:

- ``stroom-csv``: the product — ``COPY … TO STDOUT`` of the export's SELECT with
  ``defusedcsv``'s rule in SQL, through a temporary file, rows grouped per person, one
  ``Verwerking`` per person appended per block (the real log, hash-chained);
- ``stroom-xlsx``: the same rows from a server-side cursor into an ``openpyxl`` write-only
  workbook in a temporary file;
- ``copy``: PostgreSQL ``COPY (the SELECT without the rule) TO STDOUT CSV`` into a sink, no
  log — the database side alone;
- ``naief``: the naive ORM baseline — ``list()`` of every history model's records of the
  gemeente (``select_related``), the persons' dossiers in a dict, rows built, sorted and written
  with ``defusedcsv``, the persons logged through ``logboek.betrokkenen``.

Prints a table (rows/s, wall time, peak RSS growth over the child's RSS before its export) and
writes it as JSON to ``benchmarks/results/export_historie.json``.

Targets (issue 13): streaming ≥ 10× the naive baseline's rows/s; streaming memory flat (peak
growth independent of the number of rows, well under 100 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HIER = Path(__file__).resolve().parent
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/inburgering_export_bench"
)
sys.path.insert(0, str(HIER))

import termijnen_sweep as gen  # noqa: E402  (sets up Django on the bench database)
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from inburgering.accounts.constants import Rol  # noqa: E402
from inburgering.accounts.models import Gemeente, Organisatie, User  # noqa: E402

RESULTS = HIER / "results" / "export_historie.json"
MB = 1024 * 1024
EXPORTEUR = "bench.exporteur"

# the history of the person and the dossier the live system writes (see the module docstring)
HISTORIE = [
    (
        "cases_historicalinburgeraar",
        "cases_inburgeraar",
        "SELECT {kolommen}, aangemaakt_op, 'Dossier created', '+', NULL FROM cases_inburgeraar",
    ),
    (
        "cases_historicalinburgeraar",
        "cases_inburgeraar",
        "SELECT {kolommen}, aangemaakt_op + interval '40 days', 'Personal details changed', '~',"
        " NULL FROM cases_inburgeraar WHERE id % 3 = 0",
    ),
    (
        "cases_historicaldossier",
        "cases_dossier",
        "SELECT {kolommen}, aangemaakt_op, 'Dossier created', '+', werkcoach_id FROM cases_dossier",
    ),
    (
        "cases_historicaldossier",
        "cases_dossier",
        "SELECT {kolommen}, d.datum::timestamptz + interval '10 hours', 'Key date recorded', '~',"
        " werkcoach_id FROM cases_dossier CROSS JOIN LATERAL (VALUES (datum_koppeling),"
        " (datum_huisvesting), (datum_brp_inschrijving), (datum_afgesloten)) AS d(datum)"
        " WHERE d.datum IS NOT NULL",
    ),
]


# tables the shared generator writes; columns added by later issues that it does not fill get
# their model's default in this bench database only (see ``standaarden_zetten``)
GENERATOR_TABELLEN = (
    "accounts_gemeente", "accounts_organisatie", "accounts_user", "cases_inburgeraar",
    "cases_dossier", "cases_termijn", "cases_historicaltermijn", "cases_gebeurtenis",
    "cases_termijnbeleid",
)  # fmt: skip


def standaarden_zetten() -> list[str]:
    """Give every NOT NULL column without a database default that the shared generator
    (written for issue 4) leaves out the Python default of its model field, in the bench
    database only — so the generator keeps working as the schema grows."""
    from django.apps import apps

    gezet = []
    per_tabel = {m._meta.db_table: m for m in apps.get_models()}
    with connection.cursor() as cur:
        for tabel in GENERATOR_TABELLEN:
            model = per_tabel[tabel]
            cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                " AND is_nullable = 'NO' AND column_default IS NULL",
                [tabel],
            )
            for (kolom,) in cur.fetchall():
                veld = next((f for f in model._meta.concrete_fields if f.column == kolom), None)
                if veld is None or (veld.has_default() and callable(veld.default)):
                    continue
                standaard = veld.get_default()  # "" for a blank text field without default
                if standaard is None:
                    continue
                cur.execute(
                    f'ALTER TABLE {tabel} ALTER COLUMN "{kolom}" SET DEFAULT %s',
                    [veld.get_db_prep_value(standaard, connection)],
                )
                gezet.append(f"{tabel}.{kolom}")
    return gezet


def kolommen(tabel: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " ORDER BY ordinal_position",
            [tabel],
        )
        return [r[0] for r in cur.fetchall()]


def historie_laden() -> dict[str, float]:
    tijden = {}
    with connection.cursor() as cur:
        for hist, live, select in HISTORIE:
            t0 = time.perf_counter()
            gedeeld = [k for k in kolommen(live) if k in set(kolommen(hist))]
            lijst = ", ".join(gedeeld)
            cur.execute(
                f"INSERT INTO {hist} ({lijst}, history_date, history_change_reason,"
                f" history_type, history_user_id) " + select.format(kolommen=lijst)
            )
            tijden[f"{hist}:{select[-40:]}"] = round(time.perf_counter() - t0, 2)
        cur.execute("VACUUM (ANALYZE)")
    return tijden


def exporteur() -> User:
    """An auditor of a team serving every gemeente, with the export permission."""
    with scopes_disabled():
        org, _ = Organisatie.objects.get_or_create(
            naam="Bench accountant", defaults={"soort": "gemeentelijk_team"}
        )
        org.gemeenten.set(Gemeente.objects.all())
        user, _ = User.objects.get_or_create(username=EXPORTEUR, defaults={"organisatie": org})
        user.groups.add(Group.objects.get(name=Rol.AUDITOR))
        perm = Permission.objects.filter(
            content_type__app_label="verantwoording", codename="bulkexport_maken"
        ).first()
        if perm is None:
            ct, _ = ContentType.objects.get_or_create(
                app_label="verantwoording", model="bulkexport"
            )
            perm = Permission.objects.create(
                content_type=ct, codename="bulkexport_maken", name="Can export in bulk"
            )
        user.user_permissions.add(perm)
    return User.objects.get(pk=user.pk)


def telling() -> dict[str, int]:
    with connection.cursor() as cur:
        uit = {}
        for naam, sql in {
            "dossiers": "SELECT count(*) FROM cases_dossier",
            "historierijen": "SELECT (SELECT count(*) FROM cases_historicaldossier)"
            " + (SELECT count(*) FROM cases_historicalinburgeraar)"
            " + (SELECT count(*) FROM cases_historicaltermijn)",
        }.items():
            cur.execute(sql)
            uit[naam] = cur.fetchone()[0]
        return uit


# --- one measured mode, in a child process ----------------------------------------------------


class Sink:
    def __init__(self) -> None:
        self.n = 0

    def write(self, data: Any) -> int:
        self.n += len(data)
        return len(data)


def _periode() -> tuple[Any, Any]:
    vandaag = timezone.localdate()
    return vandaag.replace(year=vandaag.year - 6), vandaag


def meten(modus: str) -> dict[str, Any]:
    from verantwoording import bulk
    from verantwoording.bulk import export as ex

    bulk.registreren()
    user = exporteur()
    van, tot = _periode()
    with scopes_disabled():
        gemeenten = list(Gemeente.objects.order_by("id"))
    connection.ensure_connection()
    basis = gen.rss_bytes()
    gen.hwm_resetten()
    rijen = 0
    bytes_uit = 0
    t0 = time.perf_counter()
    na_eerste: dict[str, int] = {}
    for gemeente in gemeenten:
        if rijen and not na_eerste:
            # the peak after the first gemeente: flat memory means the same peak at the end
            na_eerste = {"rijen": rijen, "hwm": gen.vmhwm_bytes() or gen.maxrss_bytes()}
        if modus == "naief":
            r, b = naief(user, gemeente, van, tot)
            rijen += r
            bytes_uit += b
            continue
        voorbereid = ex.export_voorbereiden(
            user=user, gemeente=gemeente, van=van, tot=tot, soort=ex.HISTORIE
        )
        if modus == "stroom-csv":
            for deel in ex.csv_stroom(voorbereid):
                bytes_uit += len(deel)
            rijen += voorbereid.aantal
        elif modus == "stroom-xlsx":
            bestand = ex.xlsx_bestand(voorbereid)
            bytes_uit += len(bestand.read())
            bestand.close()
            rijen += voorbereid.aantal
        elif modus == "copy":
            sink = Sink()
            with connection.cursor() as cur:
                sql = cur.mogrify(voorbereid.sql, voorbereid.params).decode()
                cur.cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH CSV", sink)
                rijen += cur.cursor.rowcount
            bytes_uit += sink.n
    wall = time.perf_counter() - t0
    hwm = gen.vmhwm_bytes() or gen.maxrss_bytes()
    return {
        "modus": modus,
        "rijen": rijen,
        "wall_s": round(wall, 2),
        "rijen_per_s": round(rijen / wall) if wall else 0,
        "mb_uit": gen.mb(bytes_uit),
        "rss_basis_mb": gen.mb(basis),
        "piek_groei_mb": gen.mb(max(hwm - basis, 0)),
        "rijen_eerste_gemeente": na_eerste.get("rijen", rijen),
        "piek_groei_eerste_gemeente_mb": gen.mb(max(na_eerste.get("hwm", hwm) - basis, 0)),
    }


def naief(user: Any, gemeente: Any, van: Any, tot: Any) -> tuple[int, int]:
    """The naive ORM export: every record of every history model as an ORM object in a list."""
    from defusedcsv import csv as defusedcsv

    from cases.historie import HISTORIE_SOORTEN
    from cases.models import Dossier, Inburgeraar
    from inburgering.audit import logboek
    from verantwoording.bulk.bronnen import historie_bronnen
    from verantwoording.bulk.export import _periode as periode

    begin, einde = periode(van, tot)
    with scopes_disabled():
        dossiers = {
            d.pk: d for d in Dossier.objects.filter(gemeente=gemeente).select_related("inburgeraar")
        }
        per_persoon: dict[int, list[int]] = {}
        for d in dossiers.values():
            per_persoon.setdefault(d.inburgeraar_id, []).append(d.pk)
        regels = []
        for bron in historie_bronnen():
            if bron.model is Inburgeraar:
                qs = bron.model.history.filter(id__in=list(per_persoon))  # type: ignore[attr-defined]
            elif bron.model is Dossier:
                qs = bron.model.history.filter(id__in=list(dossiers))  # type: ignore[attr-defined]
            elif bron.dossier.startswith("h."):
                qs = bron.model.history.filter(dossier_id__in=list(dossiers))  # type: ignore[attr-defined]
            else:
                continue  # none in the bench data
            records = list(
                qs.filter(history_date__gte=begin, history_date__lt=einde).select_related(
                    "history_user"
                )
            )
            for r in records:
                ids = (
                    per_persoon[r.id]
                    if bron.model is Inburgeraar
                    else [r.id if bron.model is Dossier else r.dossier_id]
                )
                for dossier_id in ids:
                    d = dossiers[dossier_id]
                    regels.append(
                        (
                            d.pk,
                            r.history_date,
                            [
                                timezone.localtime(r.history_date).strftime("%Y-%m-%d %H:%M:%S"),
                                r.history_user.username if r.history_user else "system",
                                bron.label,
                                str(d.uuid),
                                d.inburgeraar.volledige_naam,
                                str(HISTORIE_SOORTEN.get(r.history_type, r.history_type)),
                                r.history_change_reason or "",
                            ],
                        )
                    )
        regels.sort(key=lambda x: (x[0], x[1]))
        sink = Sink()
        schrijver = defusedcsv.writer(sink)
        with logboek.verwerking("verantwoording.bulkexport", kanaal="export", user=user):
            for _id, _t, regel in regels:
                schrijver.writerow(regel)
            logboek.betrokkenen(
                {dossiers[i].inburgeraar.bsn for i, _t, _r in regels}, handeling="exporteren"
            )
    return len(regels), sink.n


def in_kindproces(modus: str) -> dict[str, Any]:
    uit = subprocess.run(  # noqa: S603 (this script, a fixed mode name)
        [sys.executable, __file__, "--modus", modus],
        check=False,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    if uit.returncode != 0:
        sys.exit(f"Mode {modus} failed:\n{uit.stderr[-4000:]}")
    regel = next(r for r in uit.stdout.splitlines() if r.startswith("RESULTAAT "))
    return json.loads(regel.removeprefix("RESULTAAT "))  # type: ignore[no-any-return]


def rapport(data: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    naief_r = next((r for r in runs if r["modus"] == "naief"), None)
    regels = [
        f"Bulk export of the change history: {data['dossiers']:,} dossiers, "
        f"{data['historierijen']:,} history rows in the database, 8 gemeenten exported in turn",
        "",
        f"{'mode':<12} {'rows':>10} {'wall s':>8} {'rows/s':>9} {'MB out':>8} "
        f"{'peak +MB':>9} {'× naive':>8}   peak +MB after the first gemeente (rows)",
    ]
    for r in runs:
        maal = (
            f"{r['rijen_per_s'] / naief_r['rijen_per_s']:.1f}"
            if naief_r and naief_r["rijen_per_s"]
            else "-"
        )
        regels.append(
            f"{r['modus']:<12} {r['rijen']:>10,} {r['wall_s']:>8.1f} {r['rijen_per_s']:>9,} "
            f"{r['mb_uit']:>8.1f} {r['piek_groei_mb']:>9.1f} {maal:>8}   "
            f"{r['piek_groei_eerste_gemeente_mb']:.1f} ({r['rijen_eerste_gemeente']:,})"
        )
    return "\n".join(regels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=250_000, help="default 250,000")
    parser.add_argument("--herladen", action="store_true", help="load the data again")
    parser.add_argument(
        "--modi",
        default="stroom-csv,stroom-xlsx,copy,naief",
        help="modes to measure (default: all four)",
    )
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"default {RESULTS}")
    parser.add_argument("--modus", help=argparse.SUPPRESS)  # internal: one child process
    args = parser.parse_args()

    if args.modus:
        print("RESULTAAT " + json.dumps(meten(args.modus)))
        return

    gen.database_klaarzetten()
    data = telling()
    if args.herladen or data["dossiers"] != args.dossiers:
        print(f"Loading {args.dossiers:,} dossiers (benchmarks/termijnen_sweep.py's generator)…")
        gezet = standaarden_zetten()
        if gezet:
            print(f"  defaults for columns the generator does not fill: {', '.join(gezet)}")
        geladen = gen.laden(args.dossiers, timezone.localdate())
        t0 = time.perf_counter()
        historie_laden()
        print(
            f"  loaded in {geladen['tijden_s']['totaal']:.0f} s"
            f" + person/dossier history {time.perf_counter() - t0:.0f} s"
        )
        data = telling()
    runs = []
    for modus in [m.strip() for m in args.modi.split(",") if m.strip()]:
        print(f"Measuring {modus}…", flush=True)
        runs.append(in_kindproces(modus))
        print(f"  {runs[-1]}", flush=True)
    print()
    print(rapport(data, runs))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"data": data, "runs": runs}, indent=2) + "\n")


if __name__ == "__main__":
    main()
