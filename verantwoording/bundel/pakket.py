"""The machinery both exports share: a ZIP of named files with a ``manifest.json`` holding the
SHA-256 of every other file and who made it, when, under which need-to-know; progress written
to the export's row while it is made; and the stored ZIP served (never cached).

The evidence bundle (``bundel.tasks``) and the answer to an inzageverzoek (``inzage.tasks``)
each say *what* goes in; this module says *how* it is packed, hashed, stored and served."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from defusedcsv import csv
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone

from ..models import Exportopdracht, OpdrachtStatus

MANIFEST = "manifest.json"
CACHE_CONTROL = "private, no-store"


@dataclass(frozen=True)
class Bestand:
    """One file of the ZIP; ``bij_uitgifte`` is the SHA-256 recorded when a document was issued
    (checked against the bytes here, and stated in the manifest)."""

    naam: str
    inhoud: bytes
    bij_uitgifte: str = ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str).encode()


def csv_bytes(kolommen: Sequence[str], rijen: Iterable[Sequence[Any]]) -> bytes:
    """CSV with formula injection neutralised (``defusedcsv``: a cell starting with ``=``,
    ``+``, ``-``, ``@`` … is prefixed), UTF-8 with BOM for spreadsheet programs."""
    buffer = io.StringIO()
    schrijver = csv.writer(buffer)
    schrijver.writerow(kolommen)
    for rij in rijen:
        schrijver.writerow(["" if v is None else str(v) for v in rij])
    return ("\ufeff" + buffer.getvalue()).encode()


def maker(user: Any) -> dict[str, Any]:
    """Who made an export, as the manifest states it (no BSN of anyone)."""
    organisatie = getattr(user, "organisatie", None)
    return {
        "gebruikersnaam": user.get_username(),
        "naam": user.get_full_name() or user.get_username(),
        "rollen": sorted(getattr(user, "rollen", set())),
        "organisatie": str(organisatie) if organisatie is not None else "",
    }


def inpakken(bestanden: Sequence[Bestand], kop: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """The ZIP of ``bestanden`` plus ``manifest.json`` (``kop`` and every file's SHA-256)."""
    namen = [b.naam for b in bestanden]
    if len(set(namen)) != len(namen) or MANIFEST in namen:
        raise ValueError(f"file names in an export must be unique: {namen}")
    manifest = {
        **kop,
        "algoritme": "SHA-256",
        "bestanden": [
            {
                "naam": b.naam,
                "sha256": sha256(b.inhoud),
                "bytes": len(b.inhoud),
                **(
                    {
                        "sha256_bij_uitgifte": b.bij_uitgifte,
                        "gelijk_aan_uitgifte": sha256(b.inhoud) == b.bij_uitgifte,
                    }
                    if b.bij_uitgifte
                    else {}
                ),
            }
            for b in bestanden
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for b in bestanden:
            z.writestr(b.naam, b.inhoud)
        z.writestr(MANIFEST, json_bytes(manifest))
    return buffer.getvalue(), manifest


# --- progress on the export's row ----------------------------------------------------------------


def voortgang(opdracht: Exportopdracht, procent: int, stap: str) -> None:
    """Written at once (its own statement, outside any transaction of the task), so the status
    page polled by the user shows it while the export is made."""
    type(opdracht)._base_manager.filter(pk=opdracht.pk).update(
        status=OpdrachtStatus.BEZIG, voortgang=min(procent, 100), stap=stap[:200]
    )


def opslaan(opdracht: Exportopdracht, data: bytes, stap: str, **velden: Any) -> None:
    """Store the ZIP and mark the export ready."""
    opdracht.bestand.save(f"{opdracht.uuid}.zip", ContentFile(data), save=False)  # type: ignore[attr-defined]
    opdracht.sha256 = sha256(data)
    opdracht.status = OpdrachtStatus.KLAAR
    opdracht.voortgang = 100
    opdracht.stap = stap[:200]
    opdracht.klaar_op = timezone.now()
    opdracht.fout = ""
    for naam, waarde in velden.items():
        setattr(opdracht, naam, waarde)
    opdracht.full_clean()
    opdracht.save()


def mislukt(opdracht: Exportopdracht, reden: str) -> None:
    type(opdracht)._base_manager.filter(pk=opdracht.pk).update(
        status=OpdrachtStatus.MISLUKT, fout=reden[:2000]
    )


def zip_response(opdracht: Exportopdracht, bestandsnaam: str) -> FileResponse:
    """The stored ZIP as a download, never cached."""
    response = FileResponse(
        opdracht.bestand.open("rb"),  # type: ignore[attr-defined]
        as_attachment=True,
        filename=bestandsnaam,
        content_type="application/zip",
    )
    response["Cache-Control"] = CACHE_CONTROL
    return response
