"""Keyset ("cursor") pagination: the next page starts after the last row's sort key instead
of skipping ``OFFSET`` rows, so page 1,000 costs what page 1 costs. Used by the API's lists
(``inburgering.core.api.Pagination``) and the caseload; and a paginator whose count stops at
a bound.

A position is a row's uuid — never its sort values (a name) — in a signed token; the values are
read back from the list's own (scoped) queryset, so a token shows nothing and a forged one is
refused. The ordering must end in a unique field (``id``) so every row has one place; a field
may be descending and may hold NULLs (PostgreSQL's default places: last ascending, first
descending, or as ``F(…).asc(nulls_last=True)`` says)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.functional import cached_property

ZOUT = "inburgering.sleutelpaginering"


@dataclass(frozen=True)
class Sleutel:
    """One field of an ordering: its path, its direction, where its NULLs go, and whether it
    can hold NULLs at all."""

    pad: str
    aflopend: bool
    nulls_laatst: bool
    nullable: bool

    def omgekeerd(self) -> Sleutel:
        return Sleutel(self.pad, not self.aflopend, not self.nulls_laatst, self.nullable)

    def order_by(self) -> OrderBy:
        plaats = {"nulls_last": True} if self.nulls_laatst else {"nulls_first": True}
        veld = F(self.pad)
        return veld.desc(**plaats) if self.aflopend else veld.asc(**plaats)

    def na(self, waarde: Any) -> Q:
        """The rows strictly after ``waarde`` in this field's order."""
        if waarde is None:
            return Q(**{f"{self.pad}__isnull": False}) if not self.nulls_laatst else Q(pk__in=[])
        q = Q(**{f"{self.pad}__{'lt' if self.aflopend else 'gt'}": waarde})
        if self.nullable and self.nulls_laatst:
            q |= Q(**{f"{self.pad}__isnull": True})
        return q

    def gelijk(self, waarde: Any) -> Q:
        return Q(**{f"{self.pad}__isnull": True}) if waarde is None else Q(**{self.pad: waarde})


def _nullable(qs: QuerySet[Any], pad: str) -> bool:
    model = qs.model
    for deel in pad.split("__"):
        try:
            veld = model._meta.get_field(deel)
        except FieldDoesNotExist:
            return True
        if getattr(veld, "null", False):
            return True
        model = getattr(veld, "related_model", None) or model
    return False


def volgorde_van(qs: QuerySet[Any]) -> list[Sleutel]:
    """The queryset's ordering, ending in a unique field."""
    sleutels: list[Sleutel] = []
    for item in qs.query.order_by:
        if isinstance(item, str):
            pad, aflopend, nulls_laatst = item.lstrip("-"), item.startswith("-"), None
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            pad, aflopend = item.expression.name, item.descending  # type: ignore[attr-defined]
            nulls_laatst = True if item.nulls_last else (False if item.nulls_first else None)
        else:
            raise ValueError(f"keyset pagination cannot order by {item!r}")
        if nulls_laatst is None:
            nulls_laatst = not aflopend  # PostgreSQL: NULLS LAST ascending, FIRST descending
        sleutels.append(Sleutel(pad, aflopend, nulls_laatst, _nullable(qs, pad)))
    if not sleutels or sleutels[-1].pad not in ("id", "pk", "uuid"):
        raise ValueError(f"keyset pagination needs an ordering ending in id, not {sleutels}")
    return sleutels


def na(volgorde: list[Sleutel], waarden: tuple[Any, ...]) -> Q:
    """The rows after the row with sort values ``waarden``: ``(a, b, id) > (x, y, z)`` in the
    ordering's sense, with a leading ``a >= x`` where ``a`` holds no NULLs so PostgreSQL can
    start an index range there."""
    lexicografisch = Q(pk__in=[])
    gelijk = Q()
    for sleutel, waarde in zip(volgorde, waarden, strict=True):
        lexicografisch |= gelijk & sleutel.na(waarde)
        gelijk &= sleutel.gelijk(waarde)
    eerste, waarde = volgorde[0], waarden[0]
    if not eerste.nullable and waarde is not None:
        lexicografisch &= Q(**{f"{eerste.pad}__{'lte' if eerste.aflopend else 'gte'}": waarde})
    return lexicografisch


def token(uuid: Any, richting: str, aantal: int | None, **extra: Any) -> str:
    """``richting`` "na" (the page after the row) or "voor" (the page before it)."""
    inhoud = {"r": str(uuid), "k": richting, "n": aantal, **extra}
    return signing.dumps(inhoud, salt=ZOUT, compress=True)


def lees_token(waarde: str) -> dict[str, Any]:
    """The token's content, or ``signing.BadSignature`` for anything not made by ``token``."""
    inhoud = signing.loads(waarde, salt=ZOUT)
    if not isinstance(inhoud, dict) or inhoud.get("k") not in ("na", "voor"):
        raise signing.BadSignature("not a cursor")
    return inhoud


def pagina(
    qs: QuerySet[Any], uuid: Any, richting: str, grootte: int
) -> tuple[list[Any], bool, bool] | None:
    """The page after/before the row ``uuid`` of ``qs`` (ordered, see ``volgorde_van``):
    (rows, has_previous, has_next), or None when that row is not in ``qs`` (any more). Two
    queries: the row's sort values, then the page with one extra row to know if more follow."""
    volgorde = volgorde_van(qs)
    try:
        waarden = qs.filter(uuid=uuid).values_list(*[s.pad for s in volgorde]).first()
    except (ValueError, signing.BadSignature):
        return None
    if waarden is None:
        return None
    terug = richting == "voor"
    if terug:
        volgorde = [s.omgekeerd() for s in volgorde]
    rijen = list(
        qs.filter(na(volgorde, tuple(waarden))).order_by(*[s.order_by() for s in volgorde])[
            : grootte + 1
        ]
    )
    meer = len(rijen) > grootte
    rijen = rijen[:grootte]
    if terug:
        rijen.reverse()
        return rijen, meer, True
    return rijen, True, meer


class BegrensdePaginator(Paginator):
    """A paginator that counts at most ``grens`` rows (``SELECT count(*) FROM (… LIMIT n)``):
    over a team of 60,000 dossiers the exact count would cost more than the page itself. Beyond
    the bound ``begrensd`` is true and the page says "more than …" (and that filters narrow
    it down); the pages up to the bound work as always."""

    grens = 10_000

    @cached_property
    def _geteld(self) -> int:
        qs = cast("QuerySet[Any]", self.object_list)
        return int(qs.order_by().values("pk")[: self.grens + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self._geteld, self.grens)

    @property
    def begrensd(self) -> bool:
        """More rows than were counted (one query, shared with ``count``)."""
        return self._geteld > self.grens


@dataclass
class SleutelPagina:
    """A page reached by a position (``positie``), shaped like Django's ``Page`` for the
    pagination component: its number and the list's count travel in the token."""

    object_list: list[Any]
    number: int
    paginator: Any
    vorige: bool
    volgende: bool
    vorige_param: str = ""
    volgende_param: str = ""

    def has_previous(self) -> bool:
        return self.vorige

    def has_next(self) -> bool:
        return self.volgende

    def has_other_pages(self) -> bool:
        return self.vorige or self.volgende

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class _Telling:
    count: int
    num_pages: int
    begrensd: bool
    grens: int


def lijstpagina(
    qs: QuerySet[Any], params: Any, grootte: int, *, param: str = "positie"
) -> tuple[Any, bool]:
    """The page of an ordered list a request asks for: ``pagina=N`` as always (page 1 without
    either), or ``positie=<token>`` — the page after or before a row, by keyset, as the
    previous and next links of every page lead (``vorige_param``/``volgende_param``: the query
    parameter for the link). Returns (page, whether the position was no longer valid: a row
    that left the list, a forged token — then page 1)."""
    ongeldig = False
    waarde = params.get(param)
    if waarde:
        try:
            inhoud = lees_token(waarde)
            uitkomst = pagina(qs, inhoud["r"], inhoud["k"], grootte)
        except (signing.BadSignature, KeyError, TypeError):
            uitkomst = None
        if uitkomst is not None:
            rijen, vorige, volgende = uitkomst
            nummer = max(1, int(inhoud.get("p") or 1))
            aantal, begrensd = int(inhoud.get("n") or 0), bool(inhoud.get("b"))
            telling = _Telling(
                aantal, max(1, -(-aantal // grootte)), begrensd, BegrensdePaginator.grens
            )
            pagina_ = SleutelPagina(rijen, nummer, telling, vorige and nummer > 1, volgende)
            return _links(pagina_, param), False
        ongeldig = True
    paginator = BegrensdePaginator(qs, grootte)
    django_pagina = paginator.get_page(None if ongeldig else params.get("pagina"))
    return _links(django_pagina, param), ongeldig


def _links(p: Any, param: str) -> Any:
    """Keyset links on a page: the next page after its last row, the previous before its first
    (page 1 by number: it needs no position)."""
    rijen = list(p.object_list)
    aantal, begrensd = p.paginator.count, bool(getattr(p.paginator, "begrensd", False))
    p.volgende_param = p.vorige_param = ""
    if p.has_next() and rijen:
        p.volgende_param = f"{param}=" + token(
            rijen[-1].uuid, "na", aantal, p=p.number + 1, b=begrensd
        )
    if p.has_previous() and rijen and p.number > 2:
        p.vorige_param = f"{param}=" + token(
            rijen[0].uuid, "voor", aantal, p=p.number - 1, b=begrensd
        )
    return p
