"""The termijn sweep: marks overdue clocks, creates signals and escalates — set-based.

The sweep walks the dossiers in keyset chunks (``id > last ORDER BY id LIMIT n``). Each chunk
is one short transaction of a fixed number of statements, whatever its size:

1. ``UPDATE … WHERE id IN (SELECT … FOR NO KEY UPDATE SKIP LOCKED) RETURNING`` marks overdue
   clocks,
   and in the same statement writes their django-simple-history rows and a timeline event
   (``QuerySet.update`` would write no history; this records the change explicitly);
2. one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` creates the werkcoach's warnings (at the
   gemeente's lead times), overdue notices and the teamleiders' escalations;
3. the run's checkpoint moves to the chunk's last dossier.

Exactly-once holds in the database, not in Python: ``uniq_signaal_per_termijn_drempel`` makes a
second sweep (or a concurrent one) insert nothing twice, and ``SKIP LOCKED`` plus the
``status = 'open'`` recheck makes a clock expire — and its history row appear — once. A sweep that
is killed loses at most its uncommitted chunk; the next run resumes from the checkpoint.

Two sweeps at once do not deadlock: the row lock is ``NO KEY UPDATE`` (it does not block the
``KEY SHARE`` lock a signal's foreign key takes), and warnings only concern clocks not yet due,
which the other sweep never locks. ``tests/test_termijn_processen.py`` runs two at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inburgering.accounts.constants import Rol

from . import tijdlijn
from .constants import SignaalSoort
from .models import BewakingsRun, Dossier, Signaal, Termijn, TermijnBeleid
from .termijnregels import registry

logger = logging.getLogger(__name__)

STANDAARD_CHUNK = 5000
STANDAARD_WAARSCHUWINGSDAGEN = [14, 0]


@dataclass
class Resultaat:
    peildatum: date
    run_id: int = 0
    chunks: int = 0
    verlopen: int = 0
    signalen: int = 0
    escalaties: int = 0
    hervat_vanaf: int = 0
    queries_per_chunk: list[int] = field(default_factory=list)


def _history_kolommen() -> tuple[list[str], list[str]]:
    """Columns of the historical table that mirror the tracked model (same names)."""
    historical = Termijn.history.model  # type: ignore[attr-defined]
    kolommen = [
        f.column for f in historical._meta.concrete_fields if not f.name.startswith("history_")
    ]
    return kolommen, [f"upd.{k}" for k in kolommen]


def _verloop_sql() -> str:
    kolommen, bron = _history_kolommen()
    historical = Termijn.history.model._meta.db_table  # type: ignore[attr-defined]
    # identifiers come from model metadata; every value is a bound parameter
    sql = f"""
        WITH kandidaat AS (
            SELECT t.id FROM {Termijn._meta.db_table} t
            WHERE t.dossier_id > %(lo)s AND t.dossier_id <= %(hi)s
              AND t.status = 'open' AND t.uiterste_datum < %(peildatum)s
            ORDER BY t.id
            FOR NO KEY UPDATE SKIP LOCKED
        ),
        upd AS (
            UPDATE {Termijn._meta.db_table} t
               SET status = 'verlopen', gewijzigd_op = %(nu)s
             -- an id array rather than a join: the planner overestimates the candidates and
             -- would hash every open termijn of the table per chunk (benchmarks/README.md)
             WHERE t.id = ANY (ARRAY(SELECT id FROM kandidaat)) AND t.status = 'open'
            RETURNING t.*
        ),
        hist AS (
            INSERT INTO {historical} ({", ".join(kolommen)}, history_date, history_type,
                                      history_change_reason, history_user_id)
            SELECT {", ".join(bron)}, %(nu)s, '~', %(reden)s, NULL FROM upd
        )
        -- a coded event (cases.tijdlijn): the sentence is rendered in the reader's language
        INSERT INTO cases_gebeurtenis (dossier_id, soort, tijdstip, actor_id, omschrijving,
                                       gegevens)
        SELECT upd.dossier_id, %(soort)s, %(nu)s, NULL, '',
               jsonb_build_object('termijn', upd.id, 'code', upd.code,
                                  'volgnummer', upd.volgnummer,
                                  'datum', to_char(upd.uiterste_datum, 'YYYY-MM-DD'),
                                  'door', 'bewaking')
          FROM upd
    """  # noqa: S608
    return sql


def _signaal_sql() -> str:
    """Warnings (the smallest lead time reached), overdue notices and escalations for one
    chunk, in one statement."""
    t, d, s = Termijn._meta.db_table, Dossier._meta.db_table, Signaal._meta.db_table
    beleid = TermijnBeleid._meta.db_table
    return f"""
        WITH teamleider AS (
            SELECT u.id AS user_id, u.organisatie_id, og.gemeente_id
              FROM accounts_user u
              JOIN accounts_user_groups ug ON ug.user_id = u.id
              JOIN auth_group g ON g.id = ug.group_id AND g.name = %(rol_teamleider)s
              JOIN accounts_organisatie_gemeenten og ON og.organisatie_id = u.organisatie_id
             WHERE u.is_active
        ),
        dossier AS (
            SELECT d.id, d.gemeente_id, d.werkcoach_id, d.begeleider_id,
                   wc.organisatie_id AS team_id
              FROM {d} d LEFT JOIN accounts_user wc ON wc.id = d.werkcoach_id
             WHERE d.id > %(lo)s AND d.id <= %(hi)s
        ),
        -- who is told about a clock: the werkcoach; an unassigned dossier's teamleiders;
        -- for the rules that say so (``meldt_begeleider``), the begeleider too
        behandelaar AS (
            SELECT d.id AS dossier_id, d.werkcoach_id AS user_id, false AS mb FROM dossier d
             WHERE d.werkcoach_id IS NOT NULL
            UNION
            SELECT d.id, tl.user_id, false FROM dossier d
              JOIN teamleider tl ON tl.gemeente_id = d.gemeente_id
             WHERE d.werkcoach_id IS NULL
            UNION
            SELECT d.id, d.begeleider_id, true FROM dossier d
             WHERE d.begeleider_id IS NOT NULL
        ),
        -- who an overdue clock escalates to: the teamleiders of the werkcoach's team
        escalatie AS (
            SELECT d.id AS dossier_id, tl.user_id FROM dossier d
              JOIN teamleider tl ON tl.gemeente_id = d.gemeente_id
             WHERE d.team_id IS NULL OR tl.organisatie_id = d.team_id
        ),
        nieuw AS (
            SELECT b.user_id, t.id AS termijn_id, t.dossier_id, %(waarschuwing)s AS soort,
                   drempel.dagen AS dagen_voor, t.uiterste_datum
              FROM {t} t
              JOIN dossier d ON d.id = t.dossier_id
              JOIN behandelaar b ON b.dossier_id = t.dossier_id
                   AND (NOT b.mb OR t.code = ANY(%(begeleider_codes)s))
              LEFT JOIN {beleid} tb ON tb.gemeente_id = d.gemeente_id
              CROSS JOIN LATERAL (
                  SELECT min(x) AS dagen
                    FROM unnest(coalesce(tb.waarschuwingsdagen, %(standaard)s::smallint[])) AS x
                   WHERE t.uiterste_datum - x::int <= %(peildatum)s
              ) drempel
             WHERE t.dossier_id > %(lo)s AND t.dossier_id <= %(hi)s
               AND t.status = 'open'
               AND t.uiterste_datum >= %(peildatum)s AND t.uiterste_datum <= %(horizon)s
               AND drempel.dagen IS NOT NULL
            UNION ALL
            SELECT b.user_id, t.id, t.dossier_id, %(verlopen)s, 0, t.uiterste_datum
              FROM {t} t JOIN behandelaar b ON b.dossier_id = t.dossier_id
                   AND (NOT b.mb OR t.code = ANY(%(begeleider_codes)s))
             WHERE t.dossier_id > %(lo)s AND t.dossier_id <= %(hi)s AND t.status = 'verlopen'
            UNION ALL
            SELECT e.user_id, t.id, t.dossier_id, %(escalatie)s, 0, t.uiterste_datum
              FROM {t} t JOIN escalatie e ON e.dossier_id = t.dossier_id
             WHERE t.dossier_id > %(lo)s AND t.dossier_id <= %(hi)s AND t.status = 'verlopen'
               AND t.code = ANY(%(escalerend)s)
        )
        INSERT INTO {s} (uuid, ontvanger_id, termijn_id, dossier_id, soort, dagen_voor,
                         uiterste_datum, aangemaakt_op)
        SELECT gen_random_uuid(), n.user_id, n.termijn_id, n.dossier_id, n.soort, n.dagen_voor,
               n.uiterste_datum, %(nu)s
          FROM nieuw n
         WHERE NOT EXISTS (
               SELECT 1 FROM {s} x
                WHERE x.termijn_id = n.termijn_id AND x.ontvanger_id = n.user_id
                  AND x.soort = n.soort AND x.dagen_voor = n.dagen_voor
                  AND x.uiterste_datum = n.uiterste_datum)
        ON CONFLICT DO NOTHING
        RETURNING soort
    """  # noqa: S608


class _Teller:
    """Counts the statements a chunk sends (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.n += 1
        return execute(*args)


def _volgende_grens(na: int, chunk: int) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(id) FROM (SELECT id FROM {Dossier._meta.db_table} WHERE id > %s "  # noqa: S608
            "ORDER BY id LIMIT %s) s",
            [na, chunk],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _max_waarschuwingsdagen() -> int:
    dagen = [max(STANDAARD_WAARSCHUWINGSDAGEN)]
    for waarden in TermijnBeleid.objects.values_list("waarschuwingsdagen", flat=True):
        dagen.extend(waarden or [0])
    return max(dagen)


def _run_kiezen(peildatum: date) -> BewakingsRun:
    """Resume an unfinished run of the same day (a killed sweep), else start a new one."""
    run = (
        BewakingsRun.objects.filter(peildatum=peildatum, voltooid_op__isnull=True)
        .order_by("-gestart_op")
        .first()
    )
    return run or BewakingsRun.objects.create(peildatum=peildatum)


def sweep(
    *,
    peildatum: date | None = None,
    chunk: int = STANDAARD_CHUNK,
    pauze: float = 0.0,
    voortgang: Callable[[Resultaat, int], None] | None = None,
    tel_queries: bool = False,
) -> Resultaat:
    """Run the sweep once over every dossier. ``pauze`` sleeps between chunks to spread the
    load; ``voortgang`` is called after each committed chunk with the last dossier id."""
    peildatum = peildatum or timezone.localdate()
    run = _run_kiezen(peildatum)
    resultaat = Resultaat(peildatum=peildatum, run_id=run.pk, hervat_vanaf=run.laatste_dossier_id)
    verloop_sql = _verloop_sql()
    with translation.override(settings.LANGUAGE_CODE):  # the history's change reason
        reden = _("Overdue (termijnbewaking)")
    signaal_sql = _signaal_sql()
    escalerend = [r.code for r in registry if r.escaleren]
    begeleider_codes = [r.code for r in registry if r.meldt_begeleider]
    horizon = peildatum.toordinal() + _max_waarschuwingsdagen()
    lo = run.laatste_dossier_id
    while True:
        hi = _volgende_grens(lo, chunk)
        if hi is None:
            break
        nu = timezone.now()
        params: dict[str, Any] = {
            "lo": lo,
            "hi": hi,
            "peildatum": peildatum,
            "nu": nu,
            "reden": reden,
            "soort": tijdlijn.TERMIJN_VERLOPEN,
        }
        teller = _Teller()
        with ExitStack() as stack:
            if tel_queries:
                stack.enter_context(connection.execute_wrapper(teller))
            stack.enter_context(transaction.atomic())
            cursor = stack.enter_context(connection.cursor())
            cursor.execute(verloop_sql, params)
            verlopen = cursor.rowcount
            cursor.execute(
                signaal_sql,
                {
                    **params,
                    "rol_teamleider": Rol.TEAMLEIDER.value,
                    "waarschuwing": SignaalSoort.WAARSCHUWING.value,
                    "verlopen": SignaalSoort.VERLOPEN.value,
                    "escalatie": SignaalSoort.ESCALATIE.value,
                    "standaard": STANDAARD_WAARSCHUWINGSDAGEN,
                    "horizon": date.fromordinal(horizon),
                    "escalerend": escalerend,
                    "begeleider_codes": begeleider_codes,
                },
            )
            soorten = [row[0] for row in cursor.fetchall()]
            escalaties = soorten.count(SignaalSoort.ESCALATIE.value)
            BewakingsRun.objects.filter(pk=run.pk).update(
                laatste_dossier_id=hi,
                chunks=F("chunks") + 1,
                verlopen=F("verlopen") + verlopen,
                signalen=F("signalen") + len(soorten) - escalaties,
                escalaties=F("escalaties") + escalaties,
            )
        if tel_queries:
            resultaat.queries_per_chunk.append(teller.n)
        resultaat.chunks += 1
        resultaat.verlopen += verlopen
        resultaat.signalen += len(soorten) - escalaties
        resultaat.escalaties += escalaties
        if voortgang:
            voortgang(resultaat, hi)
        lo = hi
        if pauze:
            time.sleep(pauze)
    BewakingsRun.objects.filter(pk=run.pk).update(voltooid_op=timezone.now())
    logger.info(
        "termijnbewaking %s: %d chunks, %d overdue, %d signals, %d escalations",
        peildatum,
        resultaat.chunks,
        resultaat.verlopen,
        resultaat.signalen,
        resultaat.escalaties,
    )
    return resultaat


def laatste_run() -> BewakingsRun | None:
    return BewakingsRun.objects.order_by("-gestart_op").first()
