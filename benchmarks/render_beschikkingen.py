"""Benchmark: render 200 PIP beschikkingen (2–4 pages each) in one warm process.

Usage (from the project root):

    DJANGO_SETTINGS_MODULE=inburgering.settings.dev \
        .venv/bin/python benchmarks/render_beschikkingen.py [-n 200]

Builds unsaved, in-memory PIPs (no database writes, no database needed for rendering) and
renders them exactly as the worker does: through the registered document kind
``pip.beschikking`` and the platform's ``inburgering.documents.pdf.render_pdf`` (one font
configuration per process, the allow-list URL fetcher, PDF/A-3u). Renders one to warm up
WeasyPrint (fonts, user-agent stylesheets), then renders N documents and reports
median / p95 milliseconds per document, documents per second, the page-count range and the
growth of the resident set size over the run (from /proc/self/statm).

Targets on the 2-core reference machine: median ≤ 250 ms, memory growth ≤ 20 MB.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inburgering.settings.dev")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
# WeasyPrint logs every layout step at INFO on "weasyprint.progress"; keep the output readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from pypdf import PdfReader  # noqa: E402

from cases.models import Dossier, Inburgeraar  # noqa: E402
from inburgering.accounts.models import Gemeente  # noqa: E402
from inburgering.documents import registry  # noqa: E402
from inburgering.documents.termijnen import bezwaar_einddatum  # noqa: E402
from pip_plans.constants import Einddoel, Examendeel, Leerroute, PipStatus, VasteLast  # noqa: E402
from pip_plans.documenten import BESCHIKKING  # noqa: E402
from pip_plans.models import Pip  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

ZIN = (
    "De werkcoach heeft met mevrouw of meneer besproken welke activiteiten het beste passen bij de "
    "eerdere werkervaring, de opleiding in het land van herkomst en de wensen voor de toekomst. "
)


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE_SIZE


def maak_pip(i: int) -> Pip:
    """An unsaved, complete PIP; text length grows with i % 4 so documents run 2–4 pages."""
    gemeente = Gemeente(
        naam=f"Benchmarkstad {i % 7}",
        cbs_code=f"GM{9000 + i % 7}",
        adres="Raadhuisplein 1",
        postcode_plaats="1234 AB Benchmarkstad",
        telefoon="14 035",
        email="inburgering@benchmarkstad.nl",
        website="https://www.benchmarkstad.nl",
        ondertekenaar_naam="J. de Vries",
        ondertekenaar_functie="teamleider Inburgering",
    )
    inburgeraar = Inburgeraar(
        voornamen=f"Amina{i}",
        tussenvoegsel="",
        achternaam="Al-Hassan",
        geboortedatum=date(1990, 1, 1),
    )
    dossier = Dossier(inburgeraar=inburgeraar, gemeente=gemeente)
    lengte = i % 4  # 0..3 → more paragraphs
    vaste_lasten = [VasteLast.HUUR, VasteLast.ENERGIE, VasteLast.WATER] if lengte else []
    alinea = ZIN * (2 * lengte)
    vastgesteld = date(2026, 1, 5) + timedelta(days=i)
    return Pip(
        dossier=dossier,
        versie=1,
        status=PipStatus.WORDT_VASTGESTELD,
        leerroute=Leerroute.B1,
        route_motivatie="\n\n".join([alinea] * (1 + lengte // 2)),
        einddoel=Einddoel.A2_DELEN if i % 2 else Einddoel.B1,
        a2_examendelen=[Examendeel.SCHRIJVEN, Examendeel.SPREKEN] if i % 2 else [],
        aanbieder="Taalschool Benchmark",
        uren_per_week=16,
        verwachte_duur_maanden=24,
        participatie=alinea,
        participatie_uren_per_week=8,
        heeft_uitkering=True,
        # the shortest documents: no ontzorgen, child care or VVE agreed
        ontzorgen_vaste_lasten=vaste_lasten,
        ontzorgen_start=vastgesteld,
        ontzorgen_maanden=6,
        ontzorgen_motivatie=alinea if lengte >= 2 else "",
        financiele_training="Eurowijzer",
        voortgangsgesprekken_per_jaar=2,
        maatschappelijke_begeleiding=True,
        workshops=alinea,
        kinderopvang="Kinderopvang De Zon, twee dagdelen per week." if lengte else "",
        vve="Peuterspeelzaal, 16 uur per week." if lengte else "",
        kenmerk=f"PIP-GM9000-{i:06d}-v1",
        datum_vastgesteld=vastgesteld,
        bezwaar_tot=bezwaar_einddatum(vastgesteld),  # as pip_vaststellen sets it (no DB here)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="documents to render (default 200)")
    args = parser.parse_args()

    kind = registry.get(BESCHIKKING)
    pips = [maak_pip(i) for i in range(args.n)]
    kind.render(maak_pip(args.n))  # warm-up: fonts, UA stylesheets, imports
    gc.collect()
    rss_start = rss_bytes()

    tijden: list[float] = []
    paginas: list[int] = []
    totaal = 0.0
    for pip in pips:
        t0 = time.perf_counter()
        pdf = kind.render(pip)
        verstreken = time.perf_counter() - t0
        totaal += verstreken
        tijden.append(verstreken * 1000)
        paginas.append(len(PdfReader(io.BytesIO(pdf)).pages))  # not timed
    gc.collect()
    rss_eind = rss_bytes()

    tijden_sorted = sorted(tijden)
    p95 = tijden_sorted[max(0, round(0.95 * len(tijden_sorted)) - 1)]
    print(f"documents rendered : {len(tijden)}")
    print(f"median per document: {statistics.median(tijden):.1f} ms")
    print(f"p95 per document   : {p95:.1f} ms")
    print(f"min / max          : {tijden_sorted[0]:.1f} / {tijden_sorted[-1]:.1f} ms")
    print(f"documents / second : {len(tijden) / totaal:.2f} (rendering time only, one process)")
    print(f"pages per document : {min(paginas)}–{max(paginas)}")
    print(
        f"RSS                : {rss_start / 2**20:.1f} MB → {rss_eind / 2**20:.1f} MB "
        f"(growth {(rss_eind - rss_start) / 2**20:+.1f} MB)"
    )


if __name__ == "__main__":
    main()
