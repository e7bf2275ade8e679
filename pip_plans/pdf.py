"""The PIP beschikking as an archivable, tagged PDF/A document (WeasyPrint).

``render_beschikking(pip)`` renders ``templates/pip_plans/beschikking.html`` in Dutch and turns
it into PDF bytes. It does not write to the database and reads only what the PIP and its
``dossier__inburgeraar`` / ``dossier__gemeente`` (select_related by the caller) already hold,
plus the previous versions when there are any and the dossier's ``inburgeringstermijn`` clock
(for an extension; both through ``selectors.inburgeringstermijn_voor``), so it can run in the
Celery task (inside ``scopes_disabled()``) and on unsaved instances (the benchmark).

Resources: WeasyPrint gets a URL fetcher that serves only

* the project's own static files (through the ``django.contrib.staticfiles`` finders), and
* gemeente logos from the media storage (``gemeenten/logos/…`` only),

both under a virtual origin (``BASE_URL``) that never touches the network. Everything else —
``file:``, ``http(s):`` to any other host, ``data:``, ``ftp:`` … — is refused, so nothing a user
typed can make the renderer read a local file or call an internal address (and all user text is
autoescaped by the template anyway).
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from inburgering.kalender.selectors import atw_extra_dagen

from . import rules
from .constants import Einddoel, Examendeel, Leerroute, VasteLast
from .models import Pip
from .selectors import inburgeringstermijn_voor

# A reserved top-level domain (RFC 2606): it can never resolve, and the fetcher below never
# tries — it maps these URLs to files itself.
BASE_HOST = "beschikking.invalid"
BASE_URL = f"https://{BASE_HOST}/"
LOGO_PREFIX = "gemeenten/logos/"  # the only media files a beschikking may embed

# PDF/A-3u: archival PDF/A (ISO 19005-3) with Unicode text (every glyph maps to text, so the
# document is searchable and text can be extracted), an sRGB OutputIntent and XMP metadata;
# plus a structure tree (tagged PDF) for screen readers.
PDF_VARIANT = "pdf/a-3u"

TEMPLATE = "pip_plans/beschikking.html"

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


# --- URL fetcher ------------------------------------------------------------------------------


class ResourceRefused(ValueError):
    """A URL the beschikking may not load."""


def _clean_relative(path: str) -> str:
    """A relative path without '..', absolute parts or backslashes — or refuse."""
    path = unquote(path)
    if not path or "\\" in path or "\x00" in path:
        raise ResourceRefused(f"invalid path: {path!r}")
    normalised = posixpath.normpath(path)
    if normalised.startswith(("/", "..")) or normalised in (".", ""):
        raise ResourceRefused(f"path escapes its root: {path!r}")
    return normalised


def resolve_resource(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type for an allowed URL; raises ``ResourceRefused`` otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != BASE_HOST or parts.query:
        raise ResourceRefused(f"URL not allowed in a beschikking: {url}")
    path = parts.path
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.startswith(settings.STATIC_URL):
        relative = _clean_relative(path.removeprefix(settings.STATIC_URL))
        found = finders.find(relative)
        if not found:
            raise ResourceRefused(f"static file not found: {relative}")
        with open(found if isinstance(found, str) else found[0], "rb") as fh:
            return fh.read(), mime
    if settings.MEDIA_URL and path.startswith(settings.MEDIA_URL):
        relative = _clean_relative(path.removeprefix(settings.MEDIA_URL))
        if not relative.startswith(LOGO_PREFIX):
            raise ResourceRefused(f"only gemeente logos may be embedded: {relative}")
        # The storage joins safely under MEDIA_ROOT (FileSystemStorage uses safe_join).
        with default_storage.open(relative, "rb") as fh:
            return fh.read(), mime
    raise ResourceRefused(f"URL not allowed in a beschikking: {url}")


class BeschikkingURLFetcher(URLFetcher):
    """Serves only our static files and gemeente logos; never opens a socket or a file: URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        body, mime = resolve_resource(url)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})


def media_url(name: str) -> str:
    return f"{BASE_URL.rstrip('/')}{settings.MEDIA_URL}{name}"


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
        "bezwaar_tot": pip.bezwaar_tot or rules.bezwaar_einddatum(datum, atw_extra_dagen()),
        "vorige": vorige,
        "logo_url": media_url(str(gemeente.logo.name)) if gemeente.logo else "",
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
        "static_base": BASE_URL.rstrip("/"),
    }


# --- rendering --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fetcher() -> BeschikkingURLFetcher:
    return BeschikkingURLFetcher()


# One FontConfiguration per process: WeasyPrint builds a new fontconfig/Pango font map for every
# document otherwise, and those are never freed (≈ 0.2 MB per document in a long-lived worker).
# Created lazily in the process that renders (after a prefork worker forks), and used under a
# lock because Pango font maps are not safe to share between threads.
_font_config: tuple[int, FontConfiguration] | None = None
_render_lock = threading.Lock()


def _fonts() -> FontConfiguration:
    global _font_config
    if _font_config is None or _font_config[0] != os.getpid():
        _font_config = (os.getpid(), FontConfiguration())
    return _font_config[1]


def render_html(pip: Pip) -> str:
    with translation.override("nl"):
        return render_to_string(TEMPLATE, beschikking_context(pip))


def render_beschikking(pip: Pip) -> bytes:
    """The beschikking of this PIP version as PDF/A bytes."""
    html = render_html(pip)
    with _render_lock:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, font_config=_fonts())
    assert pdf is not None
    return pdf
