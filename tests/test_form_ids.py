"""Several forms on one page (issue 8, defect 9): every id on the intake and PIP pages is unique,
and every label, error-summary link and aria-describedby points at an element of its own form —
so "Datum afgerond" labels the completion date, not the date of a conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from pip_plans import services as pip_services
from pip_plans.constants import PipStatus
from pip_plans.models import Pip

VANDAAG = date(2026, 6, 15)
NU = datetime(2026, 6, 15, 10, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
CONTROLS = {"input", "select", "textarea", "button"}


@pytest.fixture(autouse=True)
def _vaste_dag(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NU, tick=False):
        yield


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    form: str | None  # the id (or action) of the form it is in


@dataclass
class Pagina:
    ids: dict[str, list[Element]] = field(default_factory=dict)
    labels: list[Element] = field(default_factory=list)
    links: list[Element] = field(default_factory=list)
    described: list[Element] = field(default_factory=list)


class _Ontleder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pagina = Pagina()
        self._form: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = a.get("id") or a.get("action") or "form"
        el = Element(tag, a, self._form)
        if "id" in a:
            self.pagina.ids.setdefault(a["id"], []).append(el)
        if tag == "label" and "for" in a:
            self.pagina.labels.append(el)
        if tag == "a" and a.get("href", "").startswith("#id_"):
            self.pagina.links.append(el)
        if a.get("aria-describedby"):
            self.pagina.described.append(el)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def ontleed(html: str) -> Pagina:
    parser = _Ontleder()
    parser.feed(html)
    return parser.pagina


def fouten(html: str) -> list[str]:
    """Every broken reference on the page, described."""
    p = ontleed(html)
    result = [f"id {i!r} occurs {len(els)} times" for i, els in p.ids.items() if len(els) > 1]
    for label in p.labels:
        doel = p.ids.get(label.attrs["for"])
        if not doel:
            result.append(f"label for={label.attrs['for']!r} points at nothing")
        elif doel[0].tag not in CONTROLS:
            result.append(f"label for={label.attrs['for']!r} points at a <{doel[0].tag}>")
        elif doel[0].form != label.form:
            result.append(
                f"label for={label.attrs['for']!r} in {label.form!r} labels a field of "
                f"{doel[0].form!r}"
            )
    for link in p.links:
        doel = p.ids.get(link.attrs["href"][1:])
        if not doel or doel[0].form != link.form:
            result.append(f"error link {link.attrs['href']!r} does not reach its own field")
    for el in p.described:
        for ref in el.attrs["aria-describedby"].split():
            if ref not in p.ids:
                result.append(f"aria-describedby {ref!r} of <{el.tag}> points at nothing")
    return result


def _label_van(html: str, form_id: str, naam: str) -> str:
    """The text of the label that belongs to the control ``naam`` in form ``form_id``."""
    p = ontleed(html)
    controls = [
        i for i, els in p.ids.items() if els[0].form == form_id and els[0].attrs.get("name") == naam
    ]
    assert len(controls) == 1, (form_id, naam, controls)
    labels = [lb for lb in p.labels if lb.attrs["for"] == controls[0]]
    assert len(labels) == 1 and labels[0].form == form_id
    return controls[0]


# --- data --------------------------------------------------------------------------------------


@pytest.fixture
def intake(world):
    with scopes_disabled():
        return pip_services.intake_starten(user=world.werkcoach_a, dossier=world.dossier_a)


@pytest.fixture
def pip_vastgesteld(world):
    with scopes_disabled():
        pip = Pip(
            dossier=world.dossier_a,
            status=PipStatus.VASTGESTELD,
            kenmerk="PIP-IDS-000001-v1",
            leerroute="b1",
            einddoel="b1",
            participatie="Stage",
            datum_vastgesteld=VANDAAG - timedelta(days=5),
            termijn_start=VANDAAG - timedelta(days=4),
            termijn_eind=VANDAAG + timedelta(days=3 * 365),
            pdf_sha256="a" * 64,
        )
        pip.pdf.save("PIP-IDS-000001-v1.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        pip.save()
        return pip


# --- tests -------------------------------------------------------------------------------------


def test_the_check_catches_a_duplicate_id_and_a_label_of_another_form():
    html = (
        '<form id="a"><label for="id_datum">Datum gesprek</label><input id="id_datum"></form>'
        '<form id="b"><label for="id_datum">Datum afgerond</label><input id="id_datum"></form>'
    )
    assert "id 'id_datum' occurs 2 times" in fouten(html)
    html = '<form id="a"><input id="id_x"></form><form id="b"><label for="id_x">X</label></form>'
    assert any("labels a field of 'a'" in f for f in fouten(html))


def test_intake_page_with_all_its_forms_has_unique_ids_and_true_labels(world, login, intake):
    client = login(world.werkcoach_a)
    html = client.get(f"/pip/intake/{intake.uuid}/").content.decode()
    for form_id in ("gesprek-form", "intake-form", "kind-form", "afronden-form"):
        assert f'id="{form_id}"' in html
    assert 'id="domein-opleiding"' in html
    assert fouten(html) == []
    # "Datum afgerond" labels the completion date of the afronden form, and the
    # conversation's date has its own label in its own form.
    afgerond = _label_van(html, "afronden-form", "datum")
    gesprek = _label_van(html, "gesprek-form", "datum")
    assert afgerond != gesprek


def test_intake_page_after_an_error_keeps_ids_and_links_right(world, login, intake):
    client = login(world.werkcoach_a)
    response = client.post(f"/pip/intake/{intake.uuid}/gesprek/", {"datum": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert fouten(html) == []
    p = ontleed(html)
    assert p.links and all(link.form == "gesprek-form" for link in p.links)


def test_pip_page_with_all_its_forms_has_unique_ids_and_true_labels(world, login, pip_vastgesteld):
    client = login(world.werkcoach_a)
    html = client.get(f"/pip/{pip_vastgesteld.uuid}/").content.decode()
    for form_id in ("pip-form", "nieuwe-versie-form", "route-switch-form", "afschalen-form"):
        assert f'id="{form_id}"' in html
    assert fouten(html) == []
    assert _label_van(html, "route-switch-form", "datum") != _label_van(
        html, "afschalen-form", "datum"
    )
    assert _label_van(html, "route-switch-form", "motivatie") != _label_van(
        html, "afschalen-form", "motivatie"
    )


def test_pip_page_after_a_refused_afschalen_keeps_ids_right(world, login, pip_vastgesteld):
    client = login(world.werkcoach_a)
    response = client.post(
        f"/pip/{pip_vastgesteld.uuid}/afschalen/",
        {"examendeel": "spreken", "datum": "", "lesuren": "", "motivatie": ""},
        follow=True,
    )
    assert fouten(response.content.decode()) == []


def test_concept_pip_page_has_unique_ids(world, login):
    with scopes_disabled():
        pip = Pip.objects.create(dossier=world.dossier_a)
    client = login(world.werkcoach_a)
    html = client.get(f"/pip/{pip.uuid}/").content.decode()
    assert fouten(html) == []
    response = client.post(f"/pip/{pip.uuid}/", {"uren_per_week": "veel"})
    assert response.status_code == 400
    assert fouten(response.content.decode()) == []


def test_dossier_page_with_its_forms_has_unique_ids(world, login):
    """The dossier page carries the phase form, the note form and a form per termijn."""
    from cases.termijnen import herberekenen

    with scopes_disabled():
        world.dossier_a.datum_brp_inschrijving = VANDAAG - timedelta(days=40)
        world.dossier_a.save()
        herberekenen(world.dossier_a, user=None)
    client = login(world.werkcoach_a)
    html = client.get(f"/dossiers/{world.dossier_a.uuid}/").content.decode()
    assert fouten(html) == []
