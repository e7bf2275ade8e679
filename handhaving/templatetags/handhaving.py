"""For the intake page's conversations (``pip_plans/intake.html``): the enforcement procedure
each no-show or non-cooperation started, in one query for all of them, through the access
policy (``{% load handhaving %}`` then ``{% procedures_bij_gesprekken user gesprekken as hh %}``
and ``hh|procedure_van:g``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from ..constants import VerzuimBron
from ..models import Procedure
from ..policy import mag_handhaving_zien, procedures_for

register = template.Library()


@register.simple_tag
def procedures_bij_gesprekken(user: Any, gesprekken: Iterable[Any]) -> dict[int | None, Procedure]:
    if not mag_handhaving_zien(user):
        return {}
    ids = [g.pk for g in gesprekken if not (g.verschenen and g.meegewerkt)]
    if not ids:
        return {}
    return {
        p.verzuim.bron_id: p
        for p in procedures_for(user)
        .filter(verzuim__bron=VerzuimBron.INTAKE_GESPREK, verzuim__bron_id__in=ids)
        .select_related("verzuim")
    }


@register.filter
def procedure_van(procedures: dict[int | None, Procedure], gesprek: Any) -> Procedure | None:
    return procedures.get(gesprek.pk)
