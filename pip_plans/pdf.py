"""The PIP beschikking: its Dutch wording and context, rendered by the document platform.

``render_beschikking(pip)`` renders ``templates/pip_plans/beschikking.html`` through
``inburgering.documents.pdf`` (PDF/A-3u, the allow-list URL fetcher, one font configuration per
process). It does not write to the database and reads only what the PIP and its
``dossier__inburgeraar`` / ``dossier__gemeente`` (select_related by the caller) already hold,
plus the previous versions when there are any and the dossier's ``inburgeringstermijn`` clock
(for an extension; both through ``selectors.inburgeringstermijn_voor``), so it can run in the
Celery task (inside ``scopes_disabled()``) and on unsaved instances (the benchmark). The task
and its registration are in ``pip_plans.documenten``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from inburgering.documents import pdf as documents_pdf
from inburgering.documents.termijnen import bezwaar_einddatum_volgens_kalender

from .constants import Einddoel, Examendeel, Leerroute, VasteLast
from .documenten import TEMPLATE
from .models import Pip
from .selectors import inburgeringstermijn_voor

# The beschikking is always Dutch; these labels are the legal wording, independent of the UI's
# translation catalogue.
LEERROUTE_NL: dict[str, str] = {
    Leerroute.B1: "B1-route",
    Leerroute.ONDERWIJS: "onderwijsroute",
    Leerroute.Z: "Z-route",
    Leerroute.EIGEN_KOSTEN: "zelf ingekochte leerroute op eigen kosten",
}
EINDDOEL_NL: dict[str, str] = {
    Einddoel.B1: "taalniveau B1 op alle onderdelen",
    Einddoel.A2_DELEN: "taalniveau B1, met taalniveau A2 op één of meer examenonderdelen",
    Einddoel.ONDERWIJS: "afronding van het taalschakeltraject (onderwijsroute)",
    Einddoel.Z: "de uren en inspanning van de Z-route",
}
EXAMENDEEL_NL: dict[str, str] = {
    Examendeel.LEZEN: "lezen",
    Examendeel.LUISTEREN: "luisteren",
    Examendeel.SCHRIJVEN: "schrijven",
    Examendeel.SPREKEN: "spreken",
}
VASTE_LAST_NL: dict[str, str] = {
    VasteLast.HUUR: "huur",
    VasteLast.ENERGIE: "energie (gas en elektriciteit)",
    VasteLast.WATER: "water",
    VasteLast.ZORGVERZEKERING: "premie zorgverzekering",
    VasteLast.VERZEKERINGEN: "overige verzekeringen",
}


# --- context ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thema:
    """One decided agreement: a label and its value in plain Dutch."""

    label: str
    waarde: str


def _ja_nee(value: bool) -> str:
    return "ja" if value else "nee"


def _opsomming(items: list[str]) -> str:
    """'a, b en c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


def _maanden(n: int | None) -> str:
    if n is None:
        return ""
    return f"{n} maand" if n == 1 else f"{n} maanden"


def beschikking_context(pip: Pip) -> dict[str, Any]:
    assert pip.datum_vastgesteld is not None, "a beschikking needs its date"
    dossier = pip.dossier
    gemeente = dossier.gemeente
    datum: date = pip.datum_vastgesteld
    # The termijn that applies to this PIP: version 1 starts it, later versions keep it.
    termijn = inburgeringstermijn_voor(pip)
    assert termijn is not None

    einddoel = EINDDOEL_NL.get(pip.einddoel, "")
    a2_delen = [d for d in Examendeel.values if d in (pip.a2_examendelen or [])]
    if a2_delen and pip.einddoel in (Einddoel.A2_DELEN, Einddoel.B1):
        # per exam part: which is now A2 (after afschalen) and which stays B1
        b1_delen = [EXAMENDEEL_NL[d] for d in Examendeel.values if d not in a2_delen]
        a2_tekst = f"taalniveau A2 voor {_opsomming([EXAMENDEEL_NL[d] for d in a2_delen])}"
        einddoel = (
            f"taalniveau B1 voor {_opsomming(b1_delen)}; {a2_tekst}" if b1_delen else a2_tekst
        )

    vorige = pip.vorige_versie if pip.vorige_versie_id else None
    return {
        "pip": pip,
        "gemeente": gemeente,
        "inburgeraar": dossier.inburgeraar,
        "datum": datum,
        "termijn": termijn,
        # set by pip_vaststellen with the Atw calendar (decree days from the database)
        "bezwaar_tot": pip.bezwaar_tot or bezwaar_einddatum_volgens_kalender(datum),
        "vorige": vorige,
        "logo_url": documents_pdf.media_url(str(gemeente.logo.name)) if gemeente.logo else "",
        "leerroute": LEERROUTE_NL.get(pip.leerroute, pip.leerroute),
        "einddoel": einddoel,
        "uren_per_week": pip.uren_per_week,
        "verwachte_duur": _maanden(pip.verwachte_duur_maanden),
        "knm": _ja_nee(pip.knm),
        "map_tekst": (
            "vrijgesteld" if pip.map_vrijgesteld else "ja, binnen de inburgeringstermijn"
        ),
        "pvt": _ja_nee(pip.pvt),
        "vaste_lasten": _opsomming(
            [VASTE_LAST_NL.get(v, v) for v in pip.ontzorgen_vaste_lasten or []]
        ),
        "ontzorgen_maanden": _maanden(pip.ontzorgen_maanden),
        "ontzorgen": bool(pip.ontzorgen_vaste_lasten),
        "mb": _ja_nee(pip.maatschappelijke_begeleiding),
    }


# --- rendering --------------------------------------------------------------------------------


def render_html(pip: Pip) -> str:
    return documents_pdf.render_html(TEMPLATE, beschikking_context(pip))


def render_beschikking(pip: Pip) -> bytes:
    """The beschikking of this PIP version as PDF/A bytes."""
    return documents_pdf.render_pdf(TEMPLATE, beschikking_context(pip))
