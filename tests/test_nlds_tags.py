"""The NL Design System tags (``{% load nlds %}``): the exact markup each one writes.

A page template says *what* it shows (``{% knop %}``, ``{% knoplink %}``, ``{% tabel %}``); these
tests pin *how*: the Utrecht classes per kind, the small variant, extra classes, the attributes
(``_`` → ``-``, True → a bare attribute, None/False/"" → left out), escaping of variables, and the
table's keyboard-reachable scroll region named by its caption.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import TemplateSyntaxError, engines


def render(body: str, **context: Any) -> str:
    return engines["django"].from_string("{% load nlds %}" + body).render(context)


# --- {% knop %} -------------------------------------------------------------------------------


def test_knop_default_is_a_primary_submit_button() -> None:
    assert render("{% knop %}Opslaan{% endknop %}") == (
        '<button type="submit" class="utrecht-button utrecht-button--primary-action">'
        "Opslaan</button>"
    )


@pytest.mark.parametrize(
    ("soort", "klasse"),
    [
        ("primair", "utrecht-button--primary-action"),
        ("secundair", "utrecht-button--secondary-action"),
        ("subtiel", "utrecht-button--subtle"),
    ],
)
def test_knop_class_per_soort(soort: str, klasse: str) -> None:
    assert render(f'{{% knop "{soort}" %}}X{{% endknop %}}') == (
        f'<button type="submit" class="utrecht-button {klasse}">X</button>'
    )


def test_knop_klein_and_extra_classes_merge_in_order() -> None:
    html = render(
        '{% knop "secundair" klein=True klasse=" signaal-afhandelen  extra " %}X{% endknop %}'
    )
    assert html == (
        '<button type="submit" class="utrecht-button utrecht-button--secondary-action '
        'button--small signaal-afhandelen extra">X</button>'
    )


def test_knop_type_can_be_changed() -> None:
    assert render('{% knop "subtiel" type="button" %}Sluit{% endknop %}') == (
        '<button type="button" class="utrecht-button utrecht-button--subtle">Sluit</button>'
    )


def test_knop_attributes_underscore_becomes_dash_and_empty_ones_are_left_out() -> None:
    html = render(
        '{% knop id="vaststellen-knop" form="pip-form" formaction=url name="signaal" value=v'
        ' hx_post="/x/" hx_target="this" data_regel="zes" aria_label="" title=None'
        " disabled=False formnovalidate=True %}Vaststellen{% endknop %}",
        url="/pip/1/vaststellen/",
        v="abc",
    )
    # key="value" attributes in name order, then the bare boolean ones
    assert html == (
        '<button type="submit" class="utrecht-button utrecht-button--primary-action"'
        ' data-regel="zes" form="pip-form" formaction="/pip/1/vaststellen/"'
        ' hx-post="/x/" hx-target="this" id="vaststellen-knop" name="signaal" value="abc"'
        " formnovalidate>Vaststellen</button>"
    )
    assert "aria-label" not in html
    assert "title" not in html
    assert "disabled" not in html


def test_knop_escapes_variables_in_attributes_and_content() -> None:
    html = render(
        '{% knop value=v klasse=k %}{{ v }}<span class="visually-hidden">: {{ naam }}</span>'
        "{% endknop %}",
        v='<b>"x"&',
        k='a"b',
        naam="<script>",
    )
    assert html == (
        '<button type="submit" class="utrecht-button utrecht-button--primary-action a&quot;b"'
        ' value="&lt;b&gt;&quot;x&quot;&amp;">&lt;b&gt;&quot;x&quot;&amp;'
        '<span class="visually-hidden">: &lt;script&gt;</span></button>'
    )
    assert "<script>" not in html
    assert "<b>" not in html


def test_knop_content_keeps_template_markup_and_translations() -> None:
    html = render(
        '{% load i18n %}{% knop "primair" klein=True %}{% blocktranslate with naam=n %}'
        'Approve<span class="visually-hidden"> the PIP of {{ naam }}</span>{% endblocktranslate %}'
        "{% endknop %}",
        n="Amal & Co",
    )
    assert html == (
        '<button type="submit" class="utrecht-button utrecht-button--primary-action button--small">'
        'Approve<span class="visually-hidden"> the PIP of Amal &amp; Co</span></button>'
    )


def test_knop_unknown_soort_raises_template_syntax_error() -> None:
    with pytest.raises(TemplateSyntaxError, match="unknown button kind 'rood'"):
        render('{% knop "rood" %}X{% endknop %}')


# --- {% knoplink %} ---------------------------------------------------------------------------


def test_knoplink_default_is_secondary() -> None:
    assert render("{% knoplink url %}Annuleren{% endknoplink %}", url="/dossiers/") == (
        '<a class="utrecht-button-link utrecht-button-link--html-a '
        'utrecht-button-link--secondary-action" href="/dossiers/">Annuleren</a>'
    )


@pytest.mark.parametrize(
    ("soort", "klasse"),
    [
        ("primair", "utrecht-button-link--primary-action"),
        ("secundair", "utrecht-button-link--secondary-action"),
        ("subtiel", "utrecht-button-link--subtle"),
    ],
)
def test_knoplink_class_per_soort(soort: str, klasse: str) -> None:
    assert render(f'{{% knoplink "/a/" "{soort}" %}}X{{% endknoplink %}}') == (
        f'<a class="utrecht-button-link utrecht-button-link--html-a {klasse}" href="/a/">X</a>'
    )


def test_knoplink_extra_class_attributes_and_bare_download() -> None:
    html = render(
        '{% knoplink url "primair" klasse="button--small dossier-kop__actie" id="kop-notitie"'
        ' target="_blank" rel="noopener" download=True hx_boost=None %}PDF{% endknoplink %}',
        url="/pip/1/download/",
    )
    assert html == (
        '<a class="utrecht-button-link utrecht-button-link--html-a '
        'utrecht-button-link--primary-action button--small dossier-kop__actie"'
        ' href="/pip/1/download/" id="kop-notitie" rel="noopener" target="_blank" download>'
        "PDF</a>"
    )


def test_knoplink_escapes_href_and_content() -> None:
    html = render(
        "{% knoplink url %}{{ t }}{% endknoplink %}",
        url='/zoek/?q="a"&b=<c>',
        t="<i>",
    )
    assert html == (
        '<a class="utrecht-button-link utrecht-button-link--html-a '
        'utrecht-button-link--secondary-action" href="/zoek/?q=&quot;a&quot;&amp;b=&lt;c&gt;">'
        "&lt;i&gt;</a>"
    )


def test_knoplink_unknown_soort_raises_template_syntax_error() -> None:
    with pytest.raises(TemplateSyntaxError, match="unknown button kind 'groot'"):
        render('{% knoplink "/a/" "groot" %}X{% endknoplink %}')


# --- {% tabel %} ------------------------------------------------------------------------------


def test_tabel_with_titel_writes_the_caption_that_names_the_region() -> None:
    html = render(
        '{% tabel "Termijnen van dit dossier" id="termijnen-tabel-titel" %}'
        "<tbody><tr><td>1</td></tr></tbody>{% endtabel %}"
    )
    assert html == (
        '<div class="table-wrapper" tabindex="0" role="region"'
        ' aria-labelledby="termijnen-tabel-titel">'
        '<table class="utrecht-table utrecht-table--html-table">'
        '<caption id="termijnen-tabel-titel">Termijnen van dit dossier</caption>'
        "<tbody><tr><td>1</td></tr></tbody></table></div>"
    )


def test_tabel_titel_verborgen_kaarten_klasse_omhulsel_and_attributes() -> None:
    html = render(
        '{% tabel "Historie" id="historie-titel" titel_verborgen=True kaarten=True'
        ' klasse="historie-table" omhulsel="historie-omhulsel" data_aantal=3 %}'
        "<tbody></tbody>{% endtabel %}"
    )
    assert html == (
        '<div class="table-wrapper historie-omhulsel" tabindex="0" role="region"'
        ' aria-labelledby="historie-titel">'
        '<table class="utrecht-table utrecht-table--html-table historie-table table--kaarten"'
        ' data-aantal="3">'
        '<caption id="historie-titel" class="visually-hidden">Historie</caption>'
        "<tbody></tbody></table></div>"
    )


def test_tabel_without_titel_leaves_the_caption_to_the_content() -> None:
    html = render(
        '{% tabel id="caseload-caption" klasse="caseload-table" kaarten=True %}'
        '<caption id="caseload-caption">Dossiers ({{ n }})</caption><tbody></tbody>'
        "{% endtabel %}",
        n=7,
    )
    assert html == (
        '<div class="table-wrapper" tabindex="0" role="region" aria-labelledby="caseload-caption">'
        '<table class="utrecht-table utrecht-table--html-table caseload-table table--kaarten">'
        '<caption id="caseload-caption">Dossiers (7)</caption><tbody></tbody></table></div>'
    )
    assert html.count("<caption") == 1


def test_tabel_named_by_a_heading_outside_the_table() -> None:
    # the region is labelled by an existing heading; the table keeps its own (id-less) caption
    html = render(
        '<h2 id="wachtrij-titel">Wachtrij</h2>{% tabel id="wachtrij-titel" %}'
        '<caption class="visually-hidden">Oudste eerst</caption>{% endtabel %}'
    )
    assert html == (
        '<h2 id="wachtrij-titel">Wachtrij</h2>'
        '<div class="table-wrapper" tabindex="0" role="region" aria-labelledby="wachtrij-titel">'
        '<table class="utrecht-table utrecht-table--html-table">'
        '<caption class="visually-hidden">Oudste eerst</caption></table></div>'
    )


@pytest.mark.parametrize("titel_verborgen", [False, True])
def test_tabel_aria_labelledby_equals_the_caption_id(titel_verborgen: bool) -> None:
    html = render(
        "{% tabel titel id=ident titel_verborgen=verborgen %}{% endtabel %}",
        titel="Signalen",
        ident="signalen-caption",
        verborgen=titel_verborgen,
    )
    gelabeld = re.search(r'aria-labelledby="([^"]+)"', html)
    caption = re.search(r'<caption id="([^"]+)"', html)
    assert gelabeld and caption
    assert gelabeld.group(1) == caption.group(1) == "signalen-caption"
    assert ('class="visually-hidden"' in html) is titel_verborgen


def test_tabel_escapes_titel_and_id() -> None:
    html = render("{% tabel titel id=ident %}{% endtabel %}", titel='<b>"Lijst"</b>', ident='x"y')
    assert html == (
        '<div class="table-wrapper" tabindex="0" role="region" aria-labelledby="x&quot;y">'
        '<table class="utrecht-table utrecht-table--html-table">'
        '<caption id="x&quot;y">&lt;b&gt;&quot;Lijst&quot;&lt;/b&gt;</caption></table></div>'
    )


def test_tabel_needs_an_id() -> None:
    with pytest.raises(TemplateSyntaxError):
        render('{% tabel "Zonder id" %}{% endtabel %}')
