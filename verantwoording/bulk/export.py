"""The bulk export: one gemeente's change history or issued decisions over a period, as rows
streamed from a server-side cursor (memory stays flat whatever the size), written as CSV
(``defusedcsv``: no cell can be a formula) or XLSX (``openpyxl`` write-only, every cell a
string), and logged per person exported.

The cursor (``_leescursor``): a streamed response outlives the request's view, so the export
runs outside any transaction of the default connection; its SELECT runs in a read-only
transaction on a connection of its own (one consistent snapshot, rows fetched ``FETCH`` per
round trip as they are written), while the log goes on the default connection in autocommit —
the log's lock is never held across a yield, whatever the client's download speed.

Logging (Logboek Dataverwerkingen): every person whose rows leave the system gets exactly one
``Verwerking`` "exporteren", so the person's own log (inzageverzoek) shows the export. Rows come
ordered per person, so the persons first seen in each block are appended set-based before the
block's rows are handed on — one ``audit_toevoegen`` call per block, the keyed pseudonym
computed in SQL (HMAC-SHA256 from its two pads; the key never reaches the database) — in a
span of its own under the request's trace, whose ``AuditRecord`` (written when the span ends,
also when the download is broken off) says who exported. Each call is one statement in
autocommit, so the log's lock is held for one block, not for the whole export.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.historie import HISTORIE_SOORTEN, reden_voor_lezer
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
    sql: str
    params: list[Any]
    taal: str
    soortlabels: dict[str, str] = field(default_factory=dict)
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
    """The dossiers of ``gemeente`` the policy lets ``user`` see, as a subquery."""
    with user_scope(user):
        qs = dossiers_for(user).filter(gemeente=gemeente).values("id")
        sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _historie_sql(user: Any, van: date, tot: date) -> tuple[str, list[Any]]:
    begin, einde = _periode(van, tot)
    delen, params = [], []
    for bron in historie_bronnen():
        recht = LEESRECHT.get(bron.app)
        if recht is None or not heeft_leesrecht(user, recht):
            continue
        voorwaarde = f" AND {bron.voorwaarde}" if bron.voorwaarde else ""
        delen.append(
            f"SELECT h.history_date AS t, h.history_id AS hid, h.history_user_id AS u,"  # noqa: S608
            f" %s AS objectsoort, {bron.dossier} AS dossier_id, h.history_type AS ht,"
            f" h.history_change_reason AS reden FROM {bron.tabel} h {bron.joins}"
            f" WHERE {bron.dossier} IN (SELECT id FROM export_dossiers)"
            f" AND h.history_date >= %s AND h.history_date < %s{voorwaarde}"
        )
        params += [bron.label, begin, einde, *bron.params]
    if not delen:
        delen.append(
            "SELECT NULL::timestamptz AS t, 0 AS hid, NULL::bigint AS u, '' AS objectsoort,"
            " NULL::bigint AS dossier_id, '' AS ht, '' AS reden WHERE false"
        )
    sql = (
        "SELECT to_char(r.t AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI:SS'), coalesce(u.username, ''),"  # noqa: S608
        " r.objectsoort, d.uuid::text,"
        " concat_ws(' ', nullif(i.voornamen, ''), nullif(i.tussenvoegsel, ''),"
        " nullif(i.achternaam, '')), r.ht, coalesce(r.reden, ''), d.id, i.id"
        f" FROM ({' UNION ALL '.join(delen)}) r"
        " JOIN cases_dossier d ON d.id = r.dossier_id"
        " JOIN cases_inburgeraar i ON i.id = d.inburgeraar_id"
        " LEFT JOIN accounts_user u ON u.id = r.u"
        " ORDER BY i.id, d.id, r.t, r.hid"
    )
    return sql, [settings.TIME_ZONE, *params]


def _besluiten_sql(user: Any, van: date, tot: date) -> tuple[str, list[Any]]:
    delen, params = [], []
    for bron in besluit_bronnen():
        if not heeft_leesrecht(user, bron.leesrecht):
            continue
        delen.append(bron.sql)
        params += [*bron.params, van, tot]
    if not delen:
        delen.append(
            "SELECT ''::text AS kenmerk, NULL::date AS datum, '' AS soort,"
            " NULL::bigint AS dossier_id WHERE false"
        )
    sql = (
        "SELECT coalesce(r.kenmerk, ''), to_char(r.datum, 'YYYY-MM-DD'), r.soort, d.uuid::text,"  # noqa: S608
        " concat_ws(' ', nullif(i.voornamen, ''), nullif(i.tussenvoegsel, ''),"
        " nullif(i.achternaam, '')), d.id, i.id"
        f" FROM ({' UNION ALL '.join(delen)}) r"
        " JOIN cases_dossier d ON d.id = r.dossier_id"
        " JOIN cases_inburgeraar i ON i.id = d.inburgeraar_id"
        " ORDER BY i.id, d.id, r.datum, r.kenmerk"
    )
    return sql, params


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
        kern, params = _historie_sql(user, van, tot)
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
        kern, params = _besluiten_sql(user, van, tot)
        kolommen = [_("Reference"), _("Date"), _("Kind"), _("Dossier"), _("Person")]
    sql = f"WITH export_dossiers AS MATERIALIZED ({dossiers}) {kern}"
    return Export(
        soort=soort,
        user=user,
        gemeente=gemeente,
        van=van,
        tot=tot,
        kolommen=kolommen,
        sql=sql,
        params=[*dossier_params, *params],
        taal=translation.get_language() or settings.LANGUAGE_CODE,
        soortlabels=besluit_soorten() if soort == BESLUITEN else {},
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


def personen_loggen(span: logboek.Span, inburgeraar_ids: Sequence[int]) -> None:
    """Append one ``Verwerking`` "exporteren" per person to the log, in one statement."""
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
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT audit_toevoegen(NULL, ARRAY("
            " SELECT %s || '\"' || encode(sha256(%s::bytea || sha256(%s::bytea"
            " || convert_to(btrim(i.bsn, %s), 'UTF8'))), 'hex') || '\"' || %s"
            " FROM cases_inburgeraar i WHERE i.id = ANY(%s) ORDER BY i.id))",
            [voor, opad, ipad, _WITRUIMTE, na, list(inburgeraar_ids)],
        )


# --- the rows -----------------------------------------------------------------------------------


class _Regels:
    """Turns the cursor's rows into the export's cells. Every label is translated once per
    export, and each distinct reason once (they repeat: most are the system's own messages),
    so a row costs no gettext lookup."""

    MAX_REDENEN = 10_000  # distinct reasons memoised; typed ones beyond that are looked up

    def __init__(self, export: Export) -> None:
        self.export = export
        self.soorten = {code: str(label) for code, label in HISTORIE_SOORTEN.items()}
        self.systeem = _("system")
        self.redenen: dict[str, str] = {}

    def reden(self, reden: str) -> str:
        vertaald = self.redenen.get(reden)
        if vertaald is None:
            vertaald = reden_voor_lezer(reden)
            if len(self.redenen) < self.MAX_REDENEN:
                self.redenen[reden] = vertaald
        return vertaald

    def __call__(self, rij: Sequence[Any]) -> list[str]:
        if self.export.soort == HISTORIE:
            tijd, actor, objectsoort, dossier, naam, ht, reden = rij[:7]
            return [
                tijd,
                actor or self.systeem,
                objectsoort,
                dossier,
                naam,
                self.soorten.get(ht, ht),
                self.reden(reden),
            ]
        kenmerk, datum, soort, dossier, naam = rij[:5]
        return [kenmerk, datum or "", self.export.soortlabels.get(soort, soort), dossier, naam]


@contextlib.contextmanager
def _leescursor() -> Iterator[Any]:
    """A server-side cursor for the export's one SELECT.

    In autocommit (a request, a task) it runs on a connection of its own, in a read-only
    transaction: rows are fetched as they are written out (a ``WITH HOLD`` cursor, Django's
    choice in autocommit, would first copy the whole result on the server), the rows are one
    consistent snapshot, and the log is still written on the default connection in
    autocommit, so its lock is never held across a yield. Inside a transaction already (a
    test, an atomic caller) the cursor is a plain named cursor in that transaction."""
    if connection.in_atomic_block:
        with connection.chunked_cursor() as cursor:
            yield cursor
        return
    standaard = connections[DEFAULT_DB_ALIAS]
    eigen = type(standaard)(standaard.settings_dict, standaard.alias)
    try:
        eigen.set_autocommit(False)
        with eigen.cursor() as gewoon:
            gewoon.execute("SET TRANSACTION READ ONLY")
            # one big sort (by person): in memory rather than in temporary files, and no JIT
            # compilation (a fixed ~0.3 s per export that this plan does not earn back)
            gewoon.execute("SET LOCAL work_mem = %s", [EXPORT_WORK_MEM])
            gewoon.execute("SET LOCAL jit = off")
        with eigen.chunked_cursor() as cursor:
            yield cursor
    finally:
        try:
            eigen.rollback()
        finally:
            eigen.close()


def blokken(export: Export, *, span_context: Any = None) -> Iterator[list[list[str]]]:
    """The export's rows in blocks of ``FETCH``, the header alone first. Rows come ordered per
    person; the persons first seen in a block are logged before the block is handed on, so
    nothing leaves unlogged. The span is the export's own: the request's span has ended by
    the time a streamed response is sent."""
    with (
        logboek.verwerking(
            ACTIVITEIT,
            kanaal=Kanaal.EXPORT,
            user=export.user,
            context=span_context,
            gebeurtenis=f"{export.soort}.{export.gemeente.cbs_code}",
            altijd=True,
        ) as span,
        translation.override(export.taal),
    ):
        yield [list(export.kolommen)]
        regel = _Regels(export)
        vorige_persoon = None
        with _leescursor() as cursor:
            cursor.execute(export.sql, export.params)
            while blok := cursor.fetchmany(FETCH):
                nieuw: list[int] = []
                for rij in blok:
                    if rij[-1] != vorige_persoon:  # ordered by person: each once
                        vorige_persoon = rij[-1]
                        nieuw.append(rij[-1])
                personen_loggen(span, nieuw)
                export.aantal += len(blok)
                yield [regel(rij) for rij in blok]


def rijen(export: Export, *, span_context: Any = None) -> Iterator[list[str]]:
    """The export's rows one by one, header first (see ``blokken``)."""
    for blok in blokken(export, span_context=span_context):
        yield from blok


# --- formats ------------------------------------------------------------------------------------

# a cell starting with one of these is one ``defusedcsv`` may change (its ``_escape`` rule)
_OPLETTEN = re.compile(r"(?:^|\x1f)[=+\-@|%]")


def csv_stroom(export: Export, *, span_context: Any = None) -> Iterator[str]:
    """CSV (RFC 4180, UTF-8 with BOM for spreadsheet programs), through ``defusedcsv`` so a
    cell starting with ``= + - @ | %`` is prefixed with ``'`` and cannot be a formula.

    One chunk per block of rows. A row none of whose cells starts with one of those characters
    is one ``defusedcsv`` leaves unchanged, so it is written by the plain ``csv`` writer that
    ``defusedcsv`` wraps (the same bytes, without its per-cell Python call); every other row
    goes through ``defusedcsv``."""
    import csv

    from defusedcsv import csv as defusedcsv

    uit = io.StringIO()
    gewoon = csv.writer(uit)
    ontmijnd = defusedcsv.writer(uit)
    yield "\ufeff"
    for blok in blokken(export, span_context=span_context):
        for regel in blok:
            if _OPLETTEN.search("\x1f".join(regel)):
                ontmijnd.writerow(regel)
            else:
                gewoon.writerow(regel)
        yield uit.getvalue()
        uit.seek(0)
        uit.truncate()


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


def csv_tekst(export: Export) -> str:
    """The whole CSV as one string (tests, small exports)."""
    uit = io.StringIO()
    for deel in csv_stroom(export):
        uit.write(deel)
    return uit.getvalue()
