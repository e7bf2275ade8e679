"""Writing the log: spans, the data subjects processed in them, and one append per span.

A *span* is one piece of work: a web request or API call (``middleware.LogboekMiddleware``), a
Celery task (the ``task_prerun``/``task_postrun`` signals below), or an export a service opens
with :func:`verwerking`. Inside a span:

- every ``Inburgeraar`` loaded from the database is recorded as read (``cases`` calls
  :func:`gelezen` from ``Inburgeraar.from_db``: pages, API lists, search results, PDFs and
  exports all load the person that way);
- every change written to the history (django-simple-history's
  ``post_create_historical_record``) is recorded as created/changed/deleted for the person it
  belongs to (the hub's resolver, :func:`registreer_bron`);
- a service may mark persons explicitly (:func:`betrokkenen`), e.g. an export made by SQL.

When the span ends, one database call (``audit_toevoegen``) appends one ``AuditRecord`` (who)
and one ``Verwerking`` per person and action (whose data, how) to the two chains. Nothing is
sampled; a span that touched no personal data writes nothing. Work outside any span (a shell,
a management command) is the operator's, not the application's, and is not logged here.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import trace
from .activiteiten import SYSTEEM
from .models import Handeling, Kanaal, Resultaat
from .pseudoniem import pseudoniem


@dataclass
class Span:
    context: trace.Context
    activiteit: str
    kanaal: str
    user: Any = None
    methode: str = ""
    pad: str = ""
    status: int | None = None
    resultaat: str = Resultaat.GESLAAGD
    gebeurtenis: str = ""
    # (pseudonym, action) in the order first seen; a dict is an ordered set
    betrokkenen: dict[tuple[str, str], None] = field(default_factory=dict)
    # memo of the hub's resolver within this span (e.g. dossier id -> pseudonym)
    cache: dict[Any, Any] = field(default_factory=dict)
    altijd: bool = False  # write the audit record even without data subjects

    def markeer(self, bsn: str, handeling: str) -> None:
        if bsn:
            self.betrokkenen.setdefault((pseudoniem(bsn), handeling), None)


_spans: ContextVar[tuple[Span, ...]] = ContextVar("audit_spans", default=())


def huidige() -> Span | None:
    spans = _spans.get()
    return spans[-1] if spans else None


def actief() -> bool:
    return bool(getattr(settings, "AUDIT_LOGBOEK", True))


@contextlib.contextmanager
def verwerking(
    activiteit: str,
    *,
    kanaal: str = Kanaal.TAAK,
    user: Any = None,
    context: trace.Context | None = None,
    methode: str = "",
    pad: str = "",
    gebeurtenis: str = "",
    altijd: bool = False,
) -> Iterator[Span]:
    """A span of work under processing activity ``activiteit``. Within a running span it is a
    child span in the same trace; otherwise it continues ``context`` or starts a trace."""
    ouder = huidige()
    if context is None:
        context = (
            ouder.context.kind()
            if ouder is not None
            else trace.Context(trace.nieuwe_trace_id(), trace.nieuwe_span_id())
        )
    span = Span(
        context=context,
        activiteit=activiteit,
        kanaal=kanaal,
        user=user,
        methode=methode,
        pad=pad,
        gebeurtenis=gebeurtenis,
        altijd=altijd,
    )
    token = _spans.set((*_spans.get(), span))
    try:
        yield span
    except BaseException:
        span.resultaat = Resultaat.FOUT
        raise
    finally:
        _spans.reset(token)
        wegschrijven(span)


def betrokkenen(bsns: Iterable[str], handeling: str = Handeling.RAADPLEGEN) -> None:
    """Mark these persons as processed (``handeling``) in the current span; outside any span,
    in a span of their own (a system processing)."""
    span = huidige()
    if span is not None:
        for bsn in bsns:
            span.markeer(bsn, handeling)
        return
    lijst = list(bsns)
    if lijst:
        with verwerking(SYSTEEM) as eigen:
            for bsn in lijst:
                eigen.markeer(bsn, handeling)


def gelezen(bsn: str) -> None:
    """A person's record was loaded in the current span (a no-op outside spans)."""
    span = huidige()
    if span is not None:
        span.markeer(bsn, Handeling.RAADPLEGEN)


# --- writes: the person a history record belongs to -------------------------------------------

_bronnen: list[Callable[[Any, Span], str | None]] = []


def registreer_bron(bron: Callable[[Any, Span], str | None]) -> None:
    """``bron(instance, span)`` gives the BSN of the person a changed object belongs to, or
    ``None``; the dossier hub registers one that knows persons, dossiers and their parts."""
    if bron not in _bronnen:
        _bronnen.append(bron)


_HISTORIE_HANDELING = {
    "+": Handeling.AANMAKEN,
    "~": Handeling.WIJZIGEN,
    "-": Handeling.VERWIJDEREN,
}


def _na_historie(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    span = huidige()
    if span is None:
        return
    for bron in _bronnen:
        bsn = bron(instance, span)
        if bsn:
            span.markeer(bsn, _HISTORIE_HANDELING.get(history_instance.history_type, "wijzigen"))
            return


# --- the one append per span ---------------------------------------------------------------------


def _tijd() -> str:
    return timezone.now().isoformat()


def canoniek(waarden: dict[str, Any]) -> str:
    """The canonical JSON a log record is hashed over (and its columns are filled from)."""
    return json.dumps(waarden, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _actor(user: Any) -> dict[str, Any]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor_id": None, "actor": "", "organisatie_id": None, "rollen": ""}
    rollen: set[str] = getattr(user, "rollen", set())
    return {
        "actor_id": user.pk,
        "actor": user.get_username(),
        "organisatie_id": getattr(user, "organisatie_id", None),
        "rollen": ",".join(sorted(rollen)),
    }


def regels(span: Span) -> tuple[str | None, list[str]]:
    """The canonical JSON of the span's audit record and of each of its processing records."""
    if not span.betrokkenen and not span.altijd:
        return None, []
    tijdstip = _tijd()
    gedeeld = {
        "trace_id": span.context.trace_id,
        "span_id": span.context.span_id,
        "ouder_span_id": span.context.ouder_span_id,
        "tijdstip": tijdstip,
        "activiteit": span.activiteit,
        "kanaal": span.kanaal,
    }
    audit = canoniek(
        {
            **gedeeld,
            **_actor(span.user),
            "methode": span.methode,
            "pad": span.pad[:500],
            "status": span.status,
            "gebeurtenis": span.gebeurtenis,
        }
    )
    verwerkingen = [
        canoniek(
            {
                **gedeeld,
                "handeling": handeling,
                "betrokkene": betrokkene,
                "betrokkene_soort": "BSN",
                "resultaat": span.resultaat,
            }
        )
        for betrokkene, handeling in span.betrokkenen
    ]
    return audit, verwerkingen


def wegschrijven(span: Span) -> None:
    if not actief():
        return
    audit, verwerkingen = regels(span)
    if audit is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_toevoegen(%s, %s)", [audit, verwerkingen])


def gebeurtenis(naam: str, *, user: Any = None, activiteit: str = SYSTEEM) -> None:
    """An audit record of an event without a data subject (a chain break found, a run)."""
    with verwerking(activiteit, user=user, gebeurtenis=naam, altijd=True):
        pass


# --- wiring ----------------------------------------------------------------------------------


def _taak_start(task_id: Any = None, task: Any = None, **kwargs: Any) -> None:
    verzoek = getattr(task, "request", None)
    header = getattr(verzoek, "traceparent", None) or (
        (getattr(verzoek, "headers", None) or {}).get("traceparent")
    )
    ouder = huidige()
    context = ouder.context.kind() if ouder is not None else trace.context_uit(header)
    activiteit = getattr(task, "audit_activiteit", SYSTEEM)
    cm = verwerking(activiteit, kanaal=Kanaal.TAAK, context=context, pad=getattr(task, "name", ""))
    span = cm.__enter__()
    _taken.setdefault(task_id, []).append((cm, span))


def _taak_einde(task_id: Any = None, state: Any = None, **kwargs: Any) -> None:
    stapel = _taken.get(task_id)
    if not stapel:
        return
    cm, span = stapel.pop()
    if not stapel:
        _taken.pop(task_id, None)
    if state not in (None, "SUCCESS"):
        span.resultaat = Resultaat.FOUT
    cm.__exit__(None, None, None)


_taken: dict[Any, list[tuple[Any, Span]]] = {}


def _voor_publicatie(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """Every task queued from a span carries the trace on (``traceparent`` message header)."""
    span = huidige()
    if span is not None and headers is not None:
        headers["traceparent"] = span.context.traceparent()


def koppelen() -> None:
    from celery import signals
    from simple_history.signals import post_create_historical_record

    post_create_historical_record.connect(_na_historie, dispatch_uid="audit_historie")
    signals.before_task_publish.connect(_voor_publicatie, dispatch_uid="audit_publicatie")
    signals.task_prerun.connect(_taak_start, dispatch_uid="audit_taak_start")
    signals.task_postrun.connect(_taak_einde, dispatch_uid="audit_taak_einde")
