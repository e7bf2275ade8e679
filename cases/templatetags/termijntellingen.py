"""The overview's matrix cell (a count of overdue and soon-due deadlines) rendered in Python:
the matrix has a cell per werkcoach and rule — hundreds on a big team — and a template include
per cell cost more than the rest of the page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def telling(telling: Any, gekozen_cel: str = "") -> SafeString:
    """A count; a non-zero one links to its slice of the overview (``telling.querystring``),
    named for a screen reader by ``telling.label``, marked ``aria-current`` when it is the
    chosen slice. Zero is a dash, read as "none"."""
    if not telling.totaal:
        return format_html(
            '<span class="muted"><span aria-hidden="true">—</span>'
            '<span class="visually-hidden">{}</span></span>',
            gettext("none"),
        )
    delen = []
    if telling.verlopen:
        delen.append(
            format_html(
                '<span class="telling__verlopen" data-verlopen="{}"><span aria-hidden="true">'
                "⚠</span> {}</span>",
                telling.verlopen,
                ngettext("%(counter)s overdue", "%(counter)s overdue", telling.verlopen)
                % {"counter": telling.verlopen},
            )
        )
    if telling.binnenkort:
        delen.append(
            format_html(
                '<span class="telling__binnenkort" data-binnenkort="{}"><span aria-hidden="true">'
                "!</span> {}</span>",
                telling.binnenkort,
                ngettext("%(counter)s due soon", "%(counter)s due soon", telling.binnenkort)
                % {"counter": telling.binnenkort},
            )
        )
    snede = telling.querystring
    return format_html(
        '<a class="telling telling--link" href="?{}#termijnen-lijst" data-snede="{}"{}>{}'
        '<span class="visually-hidden">: {}</span></a>',
        snede,
        snede,
        mark_safe(' aria-current="true"') if gekozen_cel and snede == gekozen_cel else "",
        mark_safe("<br>".join(delen)),  # noqa: S308 — each part built by format_html
        telling.label,
    )
