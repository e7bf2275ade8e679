"""W3C Trace Context (``traceparent``): one trace id for a request and every Celery task it
queues, a span id per request or task, the parent span id of the caller.

``traceparent: 00-<trace-id: 32 hex>-<parent-id: 16 hex>-<flags: 2 hex>``
(https://www.w3.org/TR/trace-context/). An incoming header that is malformed, or all zeros,
starts a new trace, as the recommendation asks."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


@dataclass(frozen=True)
class Context:
    trace_id: str
    span_id: str
    ouder_span_id: str = ""

    def traceparent(self) -> str:
        """The header for a call made from this span (this span is the callee's parent)."""
        return f"00-{self.trace_id}-{self.span_id}-01"

    def kind(self) -> Context:
        """A new span in the same trace, with this span as its parent."""
        return Context(self.trace_id, nieuwe_span_id(), self.span_id)


def nieuwe_trace_id() -> str:
    return secrets.token_hex(16)


def nieuwe_span_id() -> str:
    return secrets.token_hex(8)


def lees(header: str | None) -> tuple[str, str] | None:
    """(trace id, parent span id) from a ``traceparent`` header, or ``None`` when invalid."""
    if not header:
        return None
    match = _TRACEPARENT.match(header.strip().lower())
    if match is None:
        return None
    trace_id, ouder, _flags = match.groups()
    if trace_id == "0" * 32 or ouder == "0" * 16:
        return None
    return trace_id, ouder


def context_uit(header: str | None) -> Context:
    """The span of work that received ``header``: its trace continued, or a new trace."""
    gelezen = lees(header)
    if gelezen is None:
        return Context(nieuwe_trace_id(), nieuwe_span_id())
    trace_id, ouder = gelezen
    return Context(trace_id, nieuwe_span_id(), ouder)
