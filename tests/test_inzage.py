"""The answer to an inzageverzoek (AVG art. 15), read back: the privacy officer registers the
request for a person they reach, the export (the bundle's machinery) holds what the system
holds on the person and who processed their data (organisation, role, activity — no user
names), medical parts only for who may see them (otherwise the export says they exist), the
delivery recorded (to whom, when), refusals per field, access per gemeente and role, and the
making logged."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from pypdf import PdfReader

from inburgering.accounts.constants import Rol
from inburgering.audit.models import AuditRecord, Handeling, Verwerking
from inburgering.audit.pseudoniem import pseudoniem
from inburgering.documents.pdf import sha256
from verantwoording.inzage import ACTIVITEIT
from verantwoording.inzage.tasks import inzage_maken
from verantwoording.models import Inzageverzoek, OpdrachtStatus

from .factories import DossierFactory, user_met_rol
from .test_bewijsbundel import MEDISCH, MENTAAL, dossier_met_alles


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fg(world):
    with scopes_disabled():
        return user_met_rol(Rol.PRIVACY_OFFICER, world.team_a, username="fg_a")


LIJST = "/verantwoording/inzageverzoeken/"


def registreer(client: Any, bsn: str, capture: Any, **extra: Any) -> Any:
    with capture(execute=False) as callbacks:
        response = client.post(
            LIJST, {"bsn": bsn, "ontvangen_op": date.today().isoformat(), **extra}
        )
    return response, callbacks


def test_inzage_teruggelezen(world, client, login, fg, django_capture_on_commit_callbacks):
    w = dossier_met_alles(world)
    persoon = w.dossier.inburgeraar
    # the werkcoach reads the dossier page: a processing by team A, role werkcoach
    c = login(world.werkcoach_a)
    assert c.get(reverse("cases:dossier", args=[w.dossier.uuid])).status_code == 200

    c = login(fg)
    response, callbacks = registreer(
        c, persoon.bsn, django_capture_on_commit_callbacks, toelichting="Per brief, ID gezien"
    )
    assert response.status_code == 302, response.content[:500]
    assert len(callbacks) == 1
    with scopes_disabled():
        verzoek = Inzageverzoek.objects.get()
    assert verzoek.inburgeraar_id == persoon.pk and verzoek.gemaakt_door == fg
    assert verzoek.gemeente_id == world.gemeente_a.pk
    assert persoon.bsn not in response["Location"]
    assert inzage_maken(verzoek.pk) == "ok"
    with scopes_disabled():
        verzoek.refresh_from_db()
    assert verzoek.status == OpdrachtStatus.KLAAR and not verzoek.medisch_inbegrepen

    response = c.get(reverse("verantwoording:inzage-download", args=[verzoek.uuid]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    assert sha256(data) == verzoek.sha256
    z = zipfile.ZipFile(io.BytesIO(data))
    namen = set(z.namelist())
    assert {
        "inzage.pdf",
        "gegevens.json",
        "historie.csv",
        "verwerkingen.csv",
        "manifest.json",
    } <= namen
    # the officer's role reads the PIP (never medical data): its beschikking is in the answer
    assert any(n.startswith("beschikkingen/") for n in namen)
    manifest = json.loads(z.read("manifest.json"))
    assert {b["naam"] for b in manifest["bestanden"]} == namen - {"manifest.json"}
    for b in manifest["bestanden"]:
        assert sha256(z.read(b["naam"])) == b["sha256"]
    assert manifest["grondslag"] == "AVG art. 15"
    assert manifest["gemaakt_door"]["gebruikersnaam"] == "fg_a"
    assert manifest["need_to_know"]["medisch_en_trauma_inbegrepen"] is False

    # what the system holds: the person and the dossier, its parts and history
    gegevens = json.loads(z.read("gegevens.json"))
    assert gegevens["persoon"]  # every field of the person
    assert persoon.achternaam in json.dumps(gegevens["persoon"])
    (dossier,) = gegevens["dossiers"]
    assert dossier["dossier"] == str(w.dossier.uuid)
    apps = {o["app"] for o in dossier["onderdelen"]}
    assert {"cases", "pip_plans", "handhaving", "begeleiding"} <= apps
    assert dossier["historie"]
    # the medical parts: not included, but said to exist (two domains), to come from the werkcoach
    (pip,) = [o for o in dossier["onderdelen"] if o["app"] == "pip_plans"]
    weggelaten = [b["weggelaten"] for b in pip["blokken"] if b["weggelaten"]]
    # only the intake's two medical domains: the PIP itself is in the answer
    assert len(weggelaten) == 1
    assert "(2)" in weggelaten[0]
    alles = "\n".join(z.read(n).decode("utf-8-sig") for n in ("gegevens.json", "historie.csv"))
    pdf = " ".join(
        "\n".join(
            p.extract_text() for p in PdfReader(io.BytesIO(z.read("inzage.pdf"))).pages
        ).split()
    )
    for tekst in (alles, pdf):
        assert MEDISCH not in tekst and MENTAAL not in tekst

    # who processed the data: organisation, role, activity, action — never a user's name
    rijen = list(csv.DictReader(io.StringIO(z.read("verwerkingen.csv").decode("utf-8-sig"))))
    with translation.override("nl"):  # the answer is written in Dutch
        rol, gelezen = str(Rol.WERKCOACH.label), str(Handeling.RAADPLEGEN.label)
    werkcoach = [r for r in rijen if r["rollen"] == rol]
    assert werkcoach and werkcoach[0]["organisatie"] == world.team_a.naam
    assert any(r["handeling"] == gelezen for r in werkcoach)
    assert all(r["verwerkingsactiviteit"] for r in rijen)
    assert not any("wc_a" in v or str(world.werkcoach_a) in v for r in rijen for v in r.values())
    assert persoon.bsn not in z.read("verwerkingen.csv").decode()
    assert world.team_a.naam in pdf

    # the making is logged: exported, under the inzage activity, the officer as actor
    # (once when it was made in the task, once when it was downloaded)
    exports = Verwerking.objects.filter(
        betrokkene=pseudoniem(persoon.bsn), handeling="exporteren", activiteit=ACTIVITEIT
    )
    assert exports.count() == 2
    audits = AuditRecord.objects.filter(span_id__in=exports.values("span_id"))
    assert {(a.actor, a.kanaal) for a in audits} == {("fg_a", "export")}
    assert {a.pad for a in audits} == {
        "inzageverzoek",
        "/verantwoording/inzageverzoeken/<uuid:uuid>/download/",
    }

    # the delivery: bad input refused per field, then recorded
    pagina = reverse("verantwoording:inzage", args=[verzoek.uuid])
    morgen = (date.today() + timedelta(days=1)).isoformat()
    response = c.post(pagina, {"verstrekt_aan": "", "verstrekt_op": morgen})
    assert response.status_code == 400
    fouten = response.context["form"].errors
    assert set(fouten) == {"verstrekt_aan", "verstrekt_op"}
    response = c.post(
        pagina, {"verstrekt_aan": "De betrokkene zelf", "verstrekt_op": date.today().isoformat()}
    )
    assert response.status_code == 302
    with scopes_disabled():
        verzoek.refresh_from_db()
    assert verzoek.verstrekt_aan == "De betrokkene zelf"
    assert verzoek.verstrekt_op == date.today() and verzoek.verstrekt_door == fg
    assert "De betrokkene zelf" in c.get(pagina).content.decode()


def test_medisch_wel_voor_wie_het_mag_zien(
    world, client, login, django_capture_on_commit_callbacks
):
    """A privacy officer who also holds the medical permission gets the medical domains."""
    from django.contrib.auth.models import Permission

    w = dossier_met_alles(world)
    with scopes_disabled():
        fg = user_met_rol(Rol.PRIVACY_OFFICER, world.team_a, username="fg_med")
        for codename in ("view_medisch", "view_bredeintake", "view_pip"):
            fg.user_permissions.add(Permission.objects.get(codename=codename))
    c = login(fg)
    response, _ = registreer(c, w.dossier.inburgeraar.bsn, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    with scopes_disabled():
        verzoek = Inzageverzoek.objects.get()
    assert inzage_maken(verzoek.pk) == "ok"
    with scopes_disabled():
        verzoek.refresh_from_db()
    assert verzoek.medisch_inbegrepen
    with verzoek.bestand.open("rb") as fh:
        z = zipfile.ZipFile(io.BytesIO(fh.read()))
    assert MEDISCH in z.read("gegevens.json").decode()
    with w.pip.pdf.open("rb") as fh:  # the beschikking, byte for byte as issued
        assert z.read(f"beschikkingen/{w.pip.kenmerk}.pdf") == fh.read()


def test_registreren_weigert_per_veld(world, client, login, fg, django_capture_on_commit_callbacks):
    c = login(fg)
    # not a BSN; a person of another gemeente (not reached); a date in the future
    response, callbacks = registreer(c, "123456789", django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "bsn" in response.context["form"].errors
    andere = world.dossier_b.inburgeraar.bsn
    response, callbacks = registreer(c, andere, django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "bsn" in response.context["form"].errors
    assert not callbacks  # nothing queued
    assert andere not in str(response.context["form"].errors)
    morgen = (date.today() + timedelta(days=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=False):
        response = c.post(LIJST, {"bsn": world.dossier_a.inburgeraar.bsn, "ontvangen_op": morgen})
    assert response.status_code == 400 and set(response.context["form"].errors) == {"ontvangen_op"}
    with scopes_disabled():
        assert not Inzageverzoek.objects.exists()


def test_toegang(world, client, login, fg, django_capture_on_commit_callbacks):
    with scopes_disabled():
        dossier = DossierFactory(gemeente=world.gemeente_a, werkcoach=world.werkcoach_a)
        fg_b = user_met_rol(Rol.PRIVACY_OFFICER, world.team_b, username="fg_b")
    c = login(fg)
    response, _ = registreer(c, dossier.inburgeraar.bsn, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    with scopes_disabled():
        verzoek = Inzageverzoek.objects.get()
    assert inzage_maken(verzoek.pk) == "ok"
    urls = [
        reverse("verantwoording:inzage", args=[verzoek.uuid]),
        reverse("verantwoording:inzage-status", args=[verzoek.uuid]),
        reverse("verantwoording:inzage-download", args=[verzoek.uuid]),
    ]
    # another gemeente's privacy officer: nothing exists
    c = login(fg_b)
    for url in urls:
        assert c.get(url).status_code == 404, url
    assert world.dossier_a.inburgeraar.volledige_naam not in c.get(LIJST).content.decode()
    # roles without the inzage permission: refused
    for user in (world.werkcoach_a, world.auditor_a, world.teamleider_a):
        c = login(user)
        assert c.get(LIJST).status_code == 403, user
        for url in urls:
            assert c.get(url).status_code == 404, (user, url)
    # another privacy officer of the gemeente sees the request, downloads only their own
    with scopes_disabled():
        fg2 = user_met_rol(Rol.PRIVACY_OFFICER, world.team_a, username="fg_a2")
    c = login(fg2)
    assert c.get(urls[0]).status_code == 200
    assert c.get(urls[2]).status_code == 403
