"""NL Design System components as template tags, so a page says *what* it shows, not how.

``{% load nlds %}``, then::

    {% knop %}Opslaan{% endknop %}                             a primary submit button
    {% knop "secundair" klein=True name="signaal" value=s.uuid %}…{% endknop %}
    {% knoplink url "primair" id="kop-notitie" %}Notitie toevoegen{% endknoplink %}
    {% tabel "Termijnen van dit dossier" id="termijnen-tabel-titel" kaarten=True %}
      <thead>…</thead><tbody>…</tbody>
    {% endtabel %}

The markup (Utrecht component classes, the scroll region a wide table needs to be reachable
by keyboard, the caption that names it) lives here once. Extra keyword arguments become HTML
attributes, ``_`` written as ``-`` (``hx_post`` → ``hx-post``); ``None``/``False``/``""`` leave
the attribute out. No inline style or script: the CSP stays strict.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

SOORTEN = {
    "primair": "primary-action",
    "secundair": "secondary-action",
    "subtiel": "subtle",
}


def _soort(soort: str) -> str:
    try:
        return SOORTEN[soort]
    except KeyError:
        raise template.TemplateSyntaxError(
            f"unknown button kind {soort!r}; one of {sorted(SOORTEN)}"
        ) from None


def _attrs(attrs: dict[str, Any]) -> SafeString:
    schoon = {
        k.replace("_", "-"): v  # flatatt writes True as a bare attribute (``download``)
        for k, v in attrs.items()
        if v is not None and v is not False and v != ""
    }
    return flatatt(schoon)


def _klassen(*delen: str) -> str:
    return " ".join(d for deel in delen for d in deel.split())


@register.simple_block_tag
def knop(
    content: str,
    soort: str = "primair",
    *,
    type: str = "submit",
    klein: bool = False,
    klasse: str = "",
    **attrs: Any,
) -> SafeString:
    """A ``<button>``: ``primair`` (the page's main action), ``secundair`` or ``subtiel``."""
    klassen = _klassen(
        "utrecht-button",
        f"utrecht-button--{_soort(soort)}",
        "button--small" if klein else "",
        klasse,
    )
    return format_html(
        '<button type="{}" class="{}"{}>{}</button>', type, klassen, _attrs(attrs), content
    )


@register.simple_block_tag
def knoplink(
    content: str, href: str, soort: str = "secundair", *, klasse: str = "", **attrs: Any
) -> SafeString:
    """A link that looks like a button (it navigates; it does not submit)."""
    klassen = _klassen(
        "utrecht-button-link utrecht-button-link--html-a",
        f"utrecht-button-link--{_soort(soort)}",
        klasse,
    )
    return format_html('<a class="{}" href="{}"{}>{}</a>', klassen, href, _attrs(attrs), content)


@register.simple_block_tag
def tabel(
    content: str,
    titel: str = "",
    *,
    id: str,
    kaarten: bool = False,
    titel_verborgen: bool = False,
    klasse: str = "",
    omhulsel: str = "",
    **attrs: Any,
) -> SafeString:
    """A Utrecht table in a keyboard-reachable scroll region named by its caption. Without
    ``titel`` the content brings its own ``<caption id="…">`` (e.g. a counted one).
    ``kaarten=True``: on a phone each row becomes a card (cells carry ``data-label``);
    ``omhulsel``: classes of the scroll region around the table."""
    klassen = _klassen(
        "utrecht-table utrecht-table--html-table", klasse, "table--kaarten" if kaarten else ""
    )
    caption = (
        format_html(
            '<caption id="{}"{}>{}</caption>',
            id,
            SafeString(' class="visually-hidden"') if titel_verborgen else "",
            titel,
        )
        if titel
        else ""
    )
    return format_html(
        '<div class="{}" tabindex="0" role="region" aria-labelledby="{}">'
        '<table class="{}"{}>{}{}</table></div>',
        _klassen("table-wrapper", omhulsel),
        id,
        klassen,
        _attrs(attrs),
        caption,
        content,
    )
