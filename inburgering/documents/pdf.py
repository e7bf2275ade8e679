"""Decision documents as archivable, tagged PDF/A (WeasyPrint), for every domain.

``render_pdf(template, context)`` renders a Django template in Dutch and turns it into PDF/A-3u
bytes; ``sha256(bytes)`` is the hash stored next to the file. Rendering writes nothing to the
database and reads only what the context holds, so it runs in the Celery task (inside
``scopes_disabled()``), for a preview and on unsaved instances (the benchmark).

Resources: WeasyPrint gets a URL fetcher that serves only

* the project's own static files (through the ``django.contrib.staticfiles`` finders), and
* gemeente logos from the media storage (``gemeenten/logos/…`` only),

both under a virtual origin (``BASE_URL``) that never touches the network. Everything else —
``file:``, ``http(s):`` to any other host, ``data:``, ``ftp:`` … — is refused, so nothing a user
typed can make the renderer read a local file or call an internal address (and all user text is
autoescaped by the templates anyway). Templates refer to the origin as ``{{ static_base }}``
and to a logo through ``media_url(name)``.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import posixpath
import threading
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

# A reserved top-level domain (RFC 2606): it can never resolve, and the fetcher below never
# tries — it maps these URLs to files itself.
BASE_HOST = "beschikking.invalid"
BASE_URL = f"https://{BASE_HOST}/"
LOGO_PREFIX = "gemeenten/logos/"  # the only media files a document may embed

# PDF/A-3u: archival PDF/A (ISO 19005-3) with Unicode text (every glyph maps to text, so the
# document is searchable and text can be extracted), an sRGB OutputIntent and XMP metadata;
# plus a structure tree (tagged PDF) for screen readers.
PDF_VARIANT = "pdf/a-3u"

# Decisions are sent in Dutch, whatever the UI language of the user who issues them.
LANGUAGE = "nl"


# --- URL fetcher ------------------------------------------------------------------------------


class ResourceRefused(ValueError):
    """A URL a document may not load."""


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
        raise ResourceRefused(f"URL not allowed in a document: {url}")
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
    raise ResourceRefused(f"URL not allowed in a document: {url}")


class DocumentURLFetcher(URLFetcher):
    """Serves only our static files and gemeente logos; never opens a socket or a file: URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        body, mime = resolve_resource(url)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})


def media_url(name: str) -> str:
    """The URL under which a document embeds a media file (a gemeente logo)."""
    return f"{BASE_URL.rstrip('/')}{settings.MEDIA_URL}{name}"


@lru_cache(maxsize=1)
def fetcher() -> DocumentURLFetcher:
    return DocumentURLFetcher()


# --- fonts ------------------------------------------------------------------------------------

# One FontConfiguration per process: WeasyPrint builds a new fontconfig/Pango font map for every
# document otherwise, and those are never freed (≈ 0.2 MB per document in a long-lived worker).
# Created lazily in the process that renders (after a prefork worker forks), and used under a
# lock because Pango font maps are not safe to share between threads.
_font_config: tuple[int, FontConfiguration] | None = None
_render_lock = threading.Lock()


def fonts() -> FontConfiguration:
    global _font_config
    if _font_config is None or _font_config[0] != os.getpid():
        _font_config = (os.getpid(), FontConfiguration())
    return _font_config[1]


# --- rendering --------------------------------------------------------------------------------


def render_html(template: str, context: dict[str, Any]) -> str:
    """The document's HTML, in Dutch; ``static_base`` is the fetcher's origin."""
    with translation.override(LANGUAGE):
        return render_to_string(template, {"static_base": BASE_URL.rstrip("/"), **context})


def html_to_pdf(html: str) -> bytes:
    """PDF/A-3u, tagged, loading resources only through the allow-list fetcher."""
    with _render_lock:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher())
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, font_config=fonts())
    assert pdf is not None
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template rendered with ``context`` as PDF/A-3u bytes."""
    return html_to_pdf(render_html(template, context))


def sha256(data: bytes) -> str:
    """The hex SHA-256 stored with a document (its integrity check in the archive)."""
    return hashlib.sha256(data).hexdigest()
