"""Verifying the two hash chains (BIO 8.15: logs protected against tampering).

Each row: ``hash = sha256(vorige_hash + "\\n" + volgnummer + "\\n" + inhoud)``, ``vorige_hash``
the previous row's hash (64 zeros for the first), ``volgnummer`` without gaps, and every column
equal to what ``inhoud`` says. The verifier reads the table in chain order through a
server-side cursor (memory stays flat) and recomputes all of it independently of the database
function that wrote it; it also checks that the row the previous verification ended on is still
there unchanged (a cut-off tail leaves no break in the chain itself)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection

from .models import AuditRecord, Ketencontrole, Verwerking

NUL = "0" * 64

TABELLEN: dict[str, type[Verwerking] | type[AuditRecord]] = {
    "verwerking": Verwerking,
    "auditrecord": AuditRecord,
}


def rij_hash(vorige: str, volgnummer: int, inhoud: str) -> str:
    return hashlib.sha256(f"{vorige}\n{volgnummer}\n{inhoud}".encode()).hexdigest()


@dataclass
class Uitkomst:
    tabel: str
    gecontroleerd: int
    tot_volgnummer: int
    laatste_hash: str
    breuk_volgnummer: int | None = None
    melding: str = ""

    @property
    def in_orde(self) -> bool:
        return self.breuk_volgnummer is None and not self.melding


def _kolommen(model: type[Any]) -> list[str]:
    return [
        f.column
        for f in model._meta.concrete_fields
        if f.column not in ("id", "volgnummer", "inhoud", "vorige_hash", "hash")
    ]


def _gelijk(kolom: str, waarde: Any, verwacht: Any) -> bool:
    if kolom == "tijdstip":
        return waarde is not None and waarde.isoformat() == verwacht
    return waarde == verwacht


def controleer_tabel(tabel: str) -> Uitkomst:
    model = TABELLEN[tabel]
    kolommen = _kolommen(model)
    uitkomst = Uitkomst(tabel, 0, 0, NUL)
    vorige_controle = (
        Ketencontrole.objects.filter(tabel=tabel, in_orde=True).order_by("-pk").first()
    )
    sql = (
        f"SELECT volgnummer, inhoud, vorige_hash, hash, {', '.join(kolommen)} "  # noqa: S608
        f"FROM {model._meta.db_table} ORDER BY volgnummer"
    )
    verwacht_nummer = 1
    vorige = NUL
    anker_gezien = vorige_controle is None or vorige_controle.tot_volgnummer == 0
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while True:
            rijen = cursor.fetchmany(2000)
            if not rijen:
                break
            for volgnummer, inhoud, vorige_hash, opgeslagen, *waarden in rijen:
                uitkomst.gecontroleerd += 1
                fout = ""
                if volgnummer != verwacht_nummer:
                    fout = f"row {verwacht_nummer} is missing (next is {volgnummer})"
                elif vorige_hash != vorige:
                    fout = f"row {volgnummer} does not point at the previous row's hash"
                elif rij_hash(vorige_hash, volgnummer, inhoud) != opgeslagen:
                    fout = f"row {volgnummer}: its hash does not match its content"
                else:
                    gegevens = json.loads(inhoud)
                    afwijkend = [
                        k
                        for k, w in zip(kolommen, waarden, strict=True)
                        if not _gelijk(k, w, gegevens.get(k))
                    ]
                    if afwijkend:
                        fout = f"row {volgnummer}: column(s) {', '.join(afwijkend)} changed"
                if fout and uitkomst.breuk_volgnummer is None:
                    uitkomst.breuk_volgnummer = min(volgnummer, verwacht_nummer)
                    uitkomst.melding = fout
                if vorige_controle is not None and volgnummer == vorige_controle.tot_volgnummer:
                    anker_gezien = opgeslagen == vorige_controle.laatste_hash
                vorige = opgeslagen
                verwacht_nummer = volgnummer + 1
                uitkomst.tot_volgnummer = volgnummer
                uitkomst.laatste_hash = opgeslagen
    if not anker_gezien and not uitkomst.melding:
        assert vorige_controle is not None
        uitkomst.breuk_volgnummer = vorige_controle.tot_volgnummer
        uitkomst.melding = (
            f"row {vorige_controle.tot_volgnummer}, the end of the verification of "
            f"{vorige_controle.tijdstip:%Y-%m-%d %H:%M}, is gone or changed"
        )
    return uitkomst


def controleren() -> list[Ketencontrole]:
    """Verify both chains and record the outcome (a failed one is an incident)."""
    uitkomsten = []
    for tabel in TABELLEN:
        u = controleer_tabel(tabel)
        uitkomsten.append(
            Ketencontrole.objects.create(
                tabel=tabel,
                gecontroleerd=u.gecontroleerd,
                tot_volgnummer=u.tot_volgnummer,
                laatste_hash=u.laatste_hash,
                in_orde=u.in_orde,
                breuk_volgnummer=u.breuk_volgnummer,
                melding=u.melding,
            )
        )
    return uitkomsten
