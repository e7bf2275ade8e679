"""The bulk export: one gemeente's change history or issued decisions over a period, as CSV
(PostgreSQL ``COPY``; no cell can be a formula — ``defusedcsv``'s rule, applied in SQL) or XLSX
(a server-side cursor into ``openpyxl`` write-only, every cell a string), memory flat whatever
the size, and logged per person exported.

The rows are final in SQL: labels and the system's change reasons translated (the active
language's catalog handed to the query as JSON: what ``reden_voor_lezer`` does per row in
Python), ordered per person by walking the gemeente's dossiers in person order and reading
each dossier's history from the history tables' dossier indexes (``LATERAL``), so there is no
sort of the whole result. For CSV, ``COPY … TO STDOUT`` formats and quotes the rows in the
database; each arrives as one ``write`` carrying the person's id in front, which is cut off and
noted per block of ``FETCH`` rows, so no row passes through a CSV writer in Python. A test
holds the bytes equal to ``defusedcsv``'s for the same cells.

The connection (``_leesverbinding``): the SELECT runs in a read-only transaction on a
connection of its own (one consistent snapshot), while the log is written in autocommit — for
the XLSX on the default connection, for the CSV on a thread with a connection of its own while
``COPY`` runs (``_Logger``). ``COPY`` writes into a temporary file, which is then streamed block
by block: the snapshot and the connection are released as soon as the database is done,
whatever the client's download speed, and the log's lock is never held across a yield.

Logging (Logboek Dataverwerkingen): every person whose rows leave the system gets exactly one
``Verwerking`` "exporteren", so the person's own log (inzageverzoek) shows the export. Rows come
ordered per person, so the persons first seen in each block are appended set-based before the
block is handed on (for the CSV: once the database has produced the block, so a download broken
off may leave on record persons whose block was not sent; the log errs on the side of
recording) — one ``audit_toevoegen`` call per block, the keyed pseudonym computed in SQL
(HMAC-SHA256 from its two pads; the key never reaches the database) — in a span of its own
under the request's trace, whose ``AuditRecord`` (written when the span ends, also when the
download is broken off) says who exported. Each call is one statement in autocommit, so the
log's lock is held for one block, not for the whole export.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.historie import HISTORIE_SOORTEN
from cases.policy import dossiers_for
from inburgering.audit import logboek
from inburgering.audit.models import Handeling, Kanaal
from inburgering.core.access import heeft_leesrecht, mag, user_scope, vereis

from .bronnen import LEESRECHT, besluit_bronnen, besluit_soorten, historie_bronnen

ACTIVITEIT = "verantwoording.bulkexport"
ACTIE = "verantwoording.bulkexport"
# the permission to export a gemeente in bulk (with the read permissions of what is exported)
RECHT = "verantwoording.bulkexport_maken"

HISTORIE = "historie"
BESLUITEN = "besluiten"
SOORTEN = {
    HISTORIE: gettext_lazy("Change history"),
    BESLUITEN: gettext_lazy("Decisions"),
}

FETCH = 2000  # rows per round trip from the server-side cursor
EXPORT_WORK_MEM = "64MB"  # for the export's sort, in its own transaction only
XLSX_MAX_RIJEN = 1_048_576  # rows per worksheet, the header included (Excel's limit)


@dataclass
class Export:
    """A prepared export: the SQL (the policy's dossiers compiled while the user's scope was
    active, so the stream needs no scope), its columns and the user it is for."""

    soort: str
    user: Any
    gemeente: Any
    van: date
    tot: date
    kolommen: list[str]
    sql: str  # the person's id and the cells, ordered per person
    csv_sql: str  # the same with every cell through ``defusedcsv``'s rule (``_csv_cel``)
    params: list[Any]
    aantal: int = 0  # rows produced so far (without the header)

    def bestandsnaam(self, extensie: str) -> str:
        # never a BSN or a name: the kind, the CBS code and the period
        return (
            f"{self.soort}-{self.gemeente.cbs_code}-{self.van:%Y%m%d}-{self.tot:%Y%m%d}.{extensie}"
        )


def _periode(van: date, tot: date) -> tuple[datetime, datetime]:
    """[van 00:00, tot+1 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(van, time.min), tz),
        timezone.make_aware(datetime.combine(tot + timedelta(days=1), time.min), tz),
    )


def _dossiers_sql(user: Any, gemeente: Any) -> tuple[str, list[Any]]:
    """The dossiers of ``gemeente`` the policy lets ``user`` see (id, person, uuid), as a
    subquery."""
    with user_scope(user):
        qs = dossiers_for(user).filter(gemeente=gemeente).values("id", "inburgeraar_id", "uuid")
        sql, params = qs.query.sql_with_params()
    return sql, list(params)


@dataclass(frozen=True)
class _Kern:
    """The export's SELECT: the person's id, the cells ``c0``… (final text) and the sort keys
    (the person first), ordered by them."""

    sql: str
    params: list[Any]
    cellen: int
    sortering: tuple[str, ...]

    def select(self, cel: Any = None) -> str:
        """The person's id and every cell (through ``cel``, an SQL expression around a
        column), in the kern's order. The kern is a subquery behind ``OFFSET 0`` so each cell
        is computed once, and ordered by its own sort keys, which the planner knows it
        delivers (no second sort)."""
        cellen = ", ".join(cel(f"k.c{i}") if cel else f"k.c{i}" for i in range(self.cellen))
        volgorde = ", ".join(f"k.{s}" for s in self.sortering)
        return f"SELECT k.persoon, {cellen} FROM ({self.sql} OFFSET 0) k ORDER BY {volgorde}"  # noqa: S608


def _catalogus() -> str:
    """The active language's messages as JSON (msgid → translation), so the database
    translates what ``reden_voor_lezer`` translates: gettext looks a message up in the
    language's catalog, then in each fallback's, so the first one holding it wins."""
    from django.utils.translation import trans_real

    taal = translation.get_language() or settings.LANGUAGE_CODE
    keten: list[Any] = []
    vertaling: Any = trans_real.translation(taal)
    while vertaling is not None:
        keten.append(getattr(vertaling, "_catalog", None) or {})
        vertaling = getattr(vertaling, "_fallback", None)
    samen: dict[str, str] = {}
    for catalogus in reversed(keten):  # the language's own catalog last: it wins
        samen.update(
            (sleutel, waarde)
            for sleutel, waarde in catalogus.items()
            # plain messages only: not the header (""), a plural or one with a context
            if isinstance(sleutel, str) and sleutel and "\x04" not in sleutel
        )
    return json.dumps({k: v for k, v in samen.items() if k != v}, ensure_ascii=False)


# gettext reads a message with its line ends as "\n" (and returns it so when untranslated)
_REGELEINDEN = "replace(replace({x}, chr(13) || chr(10), chr(10)), chr(13), chr(10))"
_NAAM = (
    "concat_ws(' ', nullif(i.voornamen, ''), nullif(i.tussenvoegsel, ''), nullif(i.achternaam, ''))"
)


def _historie_sql(user: Any, van: date, tot: date) -> _Kern:
    begin, einde = _periode(van, tot)
    delen, bron_params = [], []
    for bron in historie_bronnen():
        recht = LEESRECHT.get(bron.app)
        if recht is None or not heeft_leesrecht(user, recht):
            continue
        voorwaarde = f" AND {bron.voorwaarde}" if bron.voorwaarde else ""
        # one dossier's rows, through the history table's index on the dossier
        delen.append(
            f"SELECT h.history_date AS t, h.history_id AS hid, h.history_user_id AS u,"  # noqa: S608
            f" %s AS objectsoort, h.history_type AS ht, h.history_change_reason AS reden"
            f" FROM {bron.tabel} h {bron.joins} WHERE {bron.dossier} = ed.id"
            f" AND h.history_date >= %s AND h.history_date < %s{voorwaarde}"
        )
        bron_params += [bron.label, begin, einde, *bron.params]
    if not delen:
        delen.append(
            "SELECT NULL::timestamptz AS t, 0 AS hid, NULL::bigint AS u, '' AS objectsoort,"
            " '' AS ht, '' AS reden WHERE false"
        )
    reden = "nullif(" + _REGELEINDEN.format(x="r.reden") + ", '')"
    sql = (
        "SELECT ed.inburgeraar_id AS persoon,"  # noqa: S608
        " to_char(r.t AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI:SS') AS c0,"
        " coalesce(nullif(u.username, ''), %s) AS c1, r.objectsoort AS c2, ed.uuid::text AS c3,"
        f" {_NAAM} AS c4, coalesce(%s::jsonb ->> r.ht, r.ht) AS c5,"
        f" coalesce(%s::jsonb ->> {reden}, {reden}, '') AS c6,"
        " ed.id AS s1, r.t AS s2, r.hid AS s3"
        # the dossiers in person order, each one's history read from the indexes
        " FROM (SELECT id, inburgeraar_id, uuid FROM export_dossiers"
        " ORDER BY inburgeraar_id, id) ed"
        " JOIN cases_inburgeraar i ON i.id = ed.inburgeraar_id"
        f" CROSS JOIN LATERAL ({' UNION ALL '.join(delen)}) r"
        " LEFT JOIN accounts_user u ON u.id = r.u"
        " ORDER BY ed.inburgeraar_id, ed.id, r.t, r.hid"
    )
    soorten = json.dumps({code: str(label) for code, label in HISTORIE_SOORTEN.items()})
    params = [settings.TIME_ZONE, _("system"), soorten, _catalogus(), *bron_params]
    return _Kern(sql, params, 7, ("persoon", "s1", "s2", "s3"))


def _besluiten_sql(user: Any, van: date, tot: date) -> _Kern:
    delen, bron_params = [], []
    for bron in besluit_bronnen():
        if not heeft_leesrecht(user, bron.leesrecht):
            continue
        delen.append(bron.sql)
        bron_params += [*bron.params, van, tot]
    if not delen:
        delen.append(
            "SELECT ''::text AS kenmerk, NULL::date AS datum, '' AS soort,"
            " NULL::bigint AS dossier_id WHERE false"
        )
    sql = (
        "SELECT d.inburgeraar_id AS persoon, coalesce(r.kenmerk, '') AS c0,"  # noqa: S608
        " coalesce(to_char(r.datum, 'YYYY-MM-DD'), '') AS c1,"
        " coalesce(%s::jsonb ->> r.soort, r.soort) AS c2, d.uuid::text AS c3,"
        f" {_NAAM} AS c4, d.id AS s1, r.datum AS s2, r.kenmerk AS s3"
        f" FROM ({' UNION ALL '.join(delen)}) r"
        " JOIN export_dossiers d ON d.id = r.dossier_id"
        " JOIN cases_inburgeraar i ON i.id = d.inburgeraar_id"
        " ORDER BY d.inburgeraar_id, d.id, r.datum, r.kenmerk"
    )
    params = [json.dumps(besluit_soorten()), *bron_params]
    return _Kern(sql, params, 5, ("persoon", "s1", "s2", "s3"))


def _csv_cel(x: str) -> str:
    """``defusedcsv``'s rule in SQL: a cell starting with ``@ + - = | %`` that is not a number
    (``-?[0-9,.]+``, a final line end allowed as Python's ``$`` allows it) gets a leading
    apostrophe and its pipes escaped; an empty cell is NULL, which ``COPY`` writes as the
    ``csv`` module writes an empty string (nothing, unquoted)."""
    return (
        f"nullif(CASE WHEN ascii({x}) IN (64, 43, 45, 61, 124, 37)"  # @ + - = | %
        f" AND {x} !~ '^-?[0-9,.]+\\n?$' THEN '''' || replace({x}, '|', '\\|')"
        f" ELSE {x} END, '')"
    )


def toegestane_soorten(user: Any) -> list[str]:
    """The kinds of export ``user``'s read permissions cover: the history needs the right to
    see a dossier's history, the decisions the right to read at least one kind of decision
    (the export adds no read right of its own)."""
    soorten = []
    if mag(user, "dossier.historie_bekijken"):
        soorten.append(HISTORIE)
    if any(heeft_leesrecht(user, bron.leesrecht) for bron in besluit_bronnen()):
        soorten.append(BESLUITEN)
    return soorten


def export_voorbereiden(*, user: Any, gemeente: Any, van: date, tot: date, soort: str) -> Export:
    """Check that ``user`` may export ``gemeente`` (403 otherwise) and prepare the SQL.

    The caller has already limited ``gemeente`` to the user's own (the form's choices)."""
    vereis(user, ACTIE, gemeente)
    if soort not in SOORTEN:
        raise ValueError(f"unknown export kind {soort!r}")
    if soort not in toegestane_soorten(user):
        raise PermissionDenied(
            _("Your read permissions do not cover this export (%(soort)s).")
            % {"soort": SOORTEN[soort]}
        )
    dossiers, dossier_params = _dossiers_sql(user, gemeente)
    if soort == HISTORIE:
        kern = _historie_sql(user, van, tot)
        kolommen = [
            _("Time"),
            _("Actor"),
            _("Object"),
            _("Dossier"),
            _("Person"),
            _("Change"),
            _("Reason"),
        ]
    else:
        kern = _besluiten_sql(user, van, tot)
        kolommen = [_("Reference"), _("Date"), _("Kind"), _("Dossier"), _("Person")]
    met = f"WITH export_dossiers AS MATERIALIZED ({dossiers}) "
    return Export(
        soort=soort,
        user=user,
        gemeente=gemeente,
        van=van,
        tot=tot,
        kolommen=kolommen,
        sql=met + kern.select(),
        csv_sql=met + kern.select(_csv_cel),
        params=[*dossier_params, *kern.params],
    )


# --- logging the persons exported -------------------------------------------------------------


def _pads() -> tuple[bytes, bytes]:
    """HMAC's inner and outer key pads of the log's pseudonym key (RFC 2104), so the database
    computes ``inburgering.audit.pseudoniem.pseudoniem`` without being given the key."""
    sleutel = str(settings.AUDIT_PSEUDONIEM_SLEUTEL).encode()
    if len(sleutel) > 64:
        sleutel = hashlib.sha256(sleutel).digest()
    sleutel = sleutel.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in sleutel), bytes(b ^ 0x5C for b in sleutel)


PLEK = "\x00betrokkene\x00"
# what ``str.strip()`` in ``pseudoniem`` removes from a (validated, ASCII) BSN
_WITRUIMTE = " \t\n\r\x0b\x0c"


def personen_loggen(
    span: logboek.Span, inburgeraar_ids: Sequence[int], *, verbinding: Any = None
) -> None:
    """Append one ``Verwerking`` "exporteren" per person to the log, in one statement (on
    ``verbinding``, the default connection unless given)."""
    if not inburgeraar_ids or not logboek.actief():
        return
    sjabloon = logboek.canoniek(
        {
            "trace_id": span.context.trace_id,
            "span_id": span.context.span_id,
            "ouder_span_id": span.context.ouder_span_id,
            "tijdstip": timezone.now().isoformat(),
            "activiteit": span.activiteit,
            "kanaal": span.kanaal,
            "handeling": Handeling.EXPORTEREN.value,
            "betrokkene": PLEK,
            "betrokkene_soort": "BSN",
            "resultaat": span.resultaat,
        }
    )
    voor, na = sjabloon.split(json.dumps(PLEK))
    ipad, opad = _pads()
    with (verbinding or connection).cursor() as cursor:
        cursor.execute(
            "SELECT audit_toevoegen(NULL, ARRAY("
            " SELECT %s || '\"' || encode(sha256(%s::bytea || sha256(%s::bytea"
            " || convert_to(btrim(i.bsn, %s), 'UTF8'))), 'hex') || '\"' || %s"
            " FROM cases_inburgeraar i WHERE i.id = ANY(%s) ORDER BY i.id))",
            [voor, opad, ipad, _WITRUIMTE, na, list(inburgeraar_ids)],
        )


# --- the rows -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _leesverbinding() -> Iterator[Any]:
    """The connection the export's one SELECT runs on.

    In autocommit (a request, a task) a connection of its own, in a read-only transaction:
    the rows are one consistent snapshot, and the log is still written in autocommit on
    another connection, so its lock is never held while rows are read. Inside a
    transaction already (a test, an atomic caller) the default connection, in that
    transaction."""
    if connection.in_atomic_block:
        yield connection
        return
    standaard = connections[DEFAULT_DB_ALIAS]
    eigen = type(standaard)(standaard.settings_dict, standaard.alias)
    try:
        eigen.set_autocommit(False)
        with eigen.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
            # no JIT compilation: a fixed ~0.3 s per export that this plan does not earn back
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = %s", [EXPORT_WORK_MEM])
        yield eigen
    finally:
        try:
            eigen.rollback()
        finally:
            eigen.close()


def _span(export: Export, span_context: Any) -> Any:
    """The export's own span: the request's has ended by the time a streamed response is
    sent."""
    return logboek.verwerking(
        ACTIVITEIT,
        kanaal=Kanaal.EXPORT,
        user=export.user,
        context=span_context,
        gebeurtenis=f"{export.soort}.{export.gemeente.cbs_code}",
        altijd=True,
    )


def blokken(export: Export, *, span_context: Any = None) -> Iterator[list[list[str]]]:
    """The export's rows (cells as text) in blocks of ``FETCH`` from a server-side cursor,
    the header alone first. Rows come ordered per person; the persons first seen in a block
    are logged before the block is handed on, so nothing leaves unlogged."""
    with _span(export, span_context) as span:
        yield [list(export.kolommen)]
        vorige_persoon = None
        with _leesverbinding() as verbinding, verbinding.chunked_cursor() as cursor:
            cursor.execute(export.sql, export.params)
            while blok := cursor.fetchmany(FETCH):
                nieuw: list[int] = []
                for rij in blok:
                    if rij[0] != vorige_persoon:  # ordered by person: each once
                        vorige_persoon = rij[0]
                        nieuw.append(rij[0])
                personen_loggen(span, nieuw)
                export.aantal += len(blok)
                yield [list(rij[1:]) for rij in blok]


def rijen(export: Export, *, span_context: Any = None) -> Iterator[list[str]]:
    """The export's rows one by one, header first (see ``blokken``)."""
    for blok in blokken(export, span_context=span_context):
        yield from blok


class _CopyBlokken:
    """Where ``COPY … TO STDOUT`` writes: one ``write`` per row, ``<person id>,<cells>\\n``.
    The person's id is cut off and the line ended in CRLF (RFC 4180, as the ``csv`` module
    ends it); per ``FETCH`` rows the block goes to ``bestand``, its length and row count are
    noted, and its persons (those first seen in it) handed to ``loggen``, which returns what
    to wait for before the block may leave."""

    def __init__(self, bestand: IO[bytes], loggen: Callable[[array[int]], Any]) -> None:
        self.bestand = bestand
        self.loggen = loggen
        self.blokken: list[tuple[int, int, Any]] = []
        self._regels: list[bytes] = []
        self._personen: array[int] = array("q")
        self._vorige = b""

    def write(self, rij: bytes) -> None:
        persoon, _komma, cellen = rij.partition(b",")
        if persoon != self._vorige:  # ordered by person: each once
            self._vorige = persoon
            self._personen.append(int(persoon))
        self._regels.append(cellen[:-1])
        if len(self._regels) == FETCH:
            self.afsluiten()

    def afsluiten(self) -> None:
        if not self._regels:
            return
        data = b"\r\n".join(self._regels) + b"\r\n"
        self.bestand.write(data)
        self.blokken.append((len(data), len(self._regels), self.loggen(self._personen)))
        self._regels, self._personen = [], array("q")


class _Logger:
    """Logs the blocks' persons while ``COPY`` still runs: in autocommit, on a thread of its
    own with a connection of its own (in autocommit too), one block after the other so the
    chain keeps the rows' order; a block leaves only once its persons are on record
    (``klaar``). Inside a transaction (one connection for rows and log) each block is logged
    as it leaves."""

    def __init__(self, span: Any) -> None:
        self.span = span
        self.verbinding: Any = None
        self.pool = (
            None
            if connection.in_atomic_block
            else ThreadPoolExecutor(max_workers=1, initializer=self._verbinden)
        )

    def _verbinden(self) -> None:  # in the thread: a connection belongs to its thread
        standaard = connections[DEFAULT_DB_ALIAS]
        self.verbinding = type(standaard)(standaard.settings_dict, standaard.alias)

    def _loggen(self, personen: array[int]) -> None:
        personen_loggen(self.span, personen, verbinding=self.verbinding)

    def __call__(self, personen: array[int]) -> Any:
        if self.pool is None:
            return personen
        return self.pool.submit(self._loggen, personen)

    def klaar(self, wacht: Any) -> None:
        if self.pool is None:
            personen_loggen(self.span, wacht)
        else:
            wacht.result()  # an error logging is the export's error: nothing leaves unlogged

    def sluiten(self) -> None:
        if self.pool is None:
            return
        if self.verbinding is not None:
            self.pool.submit(self.verbinding.close).result()
        self.pool.shutdown()


def csv_stroom(export: Export, *, span_context: Any = None) -> Iterator[bytes]:
    """CSV (RFC 4180, UTF-8 with BOM for spreadsheet programs) in which a cell starting with
    ``= + - @ | %`` is prefixed with ``'`` and cannot be a formula (``defusedcsv``'s rule).

    The BOM and the header first; then ``COPY`` writes every row into a temporary file (the
    database's snapshot and connection released as soon as it is done) while the persons are
    logged alongside, and the file is handed on block by block, each once its persons are
    logged."""
    from defusedcsv import csv as defusedcsv

    kop = io.StringIO()
    defusedcsv.writer(kop).writerow(export.kolommen)
    with _span(export, span_context) as span:
        yield "\ufeff".encode()
        yield kop.getvalue().encode()
        logger = _Logger(span)
        try:
            with tempfile.TemporaryFile() as bestand:
                schrijver = _CopyBlokken(bestand, logger)
                with _leesverbinding() as verbinding, verbinding.cursor() as cursor:
                    sql = cursor.mogrify(export.csv_sql, export.params).decode()
                    cursor.cursor.copy_expert(
                        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", schrijver
                    )
                schrijver.afsluiten()
                bestand.seek(0)
                for lengte, aantal, wacht in schrijver.blokken:
                    logger.klaar(wacht)
                    export.aantal += aantal
                    yield bestand.read(lengte)
        finally:
            logger.sluiten()


# --- formats ------------------------------------------------------------------------------------


def xlsx_bestand(export: Export, *, span_context: Any = None) -> IO[bytes]:
    """An XLSX workbook in a temporary file (write-only mode: rows go to disk as they come),
    every cell a string — a value starting with ``=`` or looking like an error code is marked a
    string explicitly, so nothing is a formula. A sheet holds at most ``XLSX_MAX_RIJEN`` rows
    (Excel's limit); the rows go on in a next sheet under the same header. The file is already
    unlinked; read it and close."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    naam = str(SOORTEN[export.soort])[:25]

    def cel(blad: Any, waarde: str) -> Any:
        waarde = ILLEGAL_CHARACTERS_RE.sub("", waarde)
        if waarde.startswith("=") or waarde in ERROR_CODES:
            c = WriteOnlyCell(blad, value=waarde)
            c.data_type = "s"
            return c
        return waarde

    stroom = rijen(export, span_context=span_context)
    kop = next(stroom)
    bladen = 0
    ws: Any = None
    op_blad = XLSX_MAX_RIJEN
    for regel in stroom:
        if op_blad >= XLSX_MAX_RIJEN:
            bladen += 1
            ws = wb.create_sheet(naam if bladen == 1 else f"{naam} ({bladen})")
            ws.append(kop)
            op_blad = 1
        ws.append([cel(ws, w) for w in regel])
        op_blad += 1
    if ws is None:  # no rows: the header alone
        wb.create_sheet(naam).append(kop)
    bestand = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (handed to the response)
    wb.save(bestand)
    bestand.seek(0)
    return bestand
