"""Document kinds: how the platform renders a domain's decision without importing the domain.

A domain app registers each kind once, from its ``AppConfig.ready()``::

    registry.register(DocumentKind(code="pip.beschikking", load=..., awaits_document=...,
                                   template=..., context=..., store=..., roll_back=...))

and queues ``inburgering.documents.tasks.document_renderen`` with the kind's code and the
object's id (never a BSN). The task calls the kind's callables in this order:

``load(object_id)``
    the object, with what the context needs (``select_related``); called inside
    ``scopes_disabled()`` — a task has no user scope.
``awaits_document(obj)``
    ``False`` when it was issued or put back meanwhile (a redelivered message): nothing happens.
``context(obj)`` rendered with ``template``
    the document's data; rendering in Dutch and to PDF/A is the platform's (``pdf.render_pdf``).
``store(obj, pdf_bytes=…, sha256=…, user=…)``
    saves the file and lets the decision take effect (its own transaction).
``roll_back(object_id, reason)``
    after a failure at any step: the decision goes back to where it was, with ``reason``
    (``"ExceptionClass: message"``) kept for the user to see. Takes the id, not the object, so
    it also works when loading failed; must do nothing when the object no longer awaits its
    document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inburgering.accounts.models import User


@dataclass(frozen=True)
class DocumentKind:
    code: str  # "<app>.<document>", e.g. "pip.beschikking"; the task argument
    load: Callable[[int], Any]
    awaits_document: Callable[[Any], bool]
    template: str
    context: Callable[[Any], dict[str, Any]]
    store: Callable[..., Any]  # (obj, *, pdf_bytes: bytes, sha256: str, user: User | None)
    roll_back: Callable[[int, str], Any]

    def render(self, obj: Any) -> bytes:
        """The document for ``obj`` as PDF/A bytes (no database writes)."""
        from . import pdf  # WeasyPrint: loaded by the processes that render, not at start-up

        return pdf.render_pdf(self.template, self.context(obj))

    def store_document(self, obj: Any, *, pdf_bytes: bytes, user: User | None) -> Any:
        """``store`` with the document's SHA-256."""
        from .pdf import sha256

        return self.store(obj, pdf_bytes=pdf_bytes, sha256=sha256(pdf_bytes), user=user)


class DuplicateKind(ValueError):
    """Two registrations for one code: the second would silently replace the first."""


class UnknownKind(LookupError):
    pass


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    if not kind.code or "." not in kind.code:
        raise ValueError(f"a document kind code is '<app>.<document>': {kind.code!r}")
    if kind.code in _kinds:
        raise DuplicateKind(f"document kind {kind.code!r} is already registered")
    _kinds[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """For tests that register a kind of their own."""
    _kinds.pop(code, None)


def get(code: str) -> DocumentKind:
    try:
        return _kinds[code]
    except KeyError:
        raise UnknownKind(f"no document kind {code!r} is registered") from None


def codes() -> list[str]:
    return sorted(_kinds)
