"""Issue 9 §1: timeline events have a kind per domain, stored as a code plus parameters and
rendered in the reader's language (not a sentence frozen in the writer's language).

The events are written by the real services; every registered kind is written at least once
here and renders, from the same stored row, in Dutch and in English."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from cases import bewaking, termijnen, tijdlijn
from cases import services as case_services
from cases.constants import Fase
from cases.models import Gebeurtenis, Termijn
from inburgering.core.access import user_scope
from pip_plans import services
from pip_plans import tijdlijn as pip_tijdlijn
from pip_plans.constants import Beoordeling, Domein, GesprekLocatie, PipStatus
from pip_plans.models import BredeIntake, Pip

from .factories import DossierFactory
from .klok import vandaag_fixture
from .test_pip_services import PDF, SHA, _media, dossier_in_intake, pip_met  # noqa: F401
from .test_termijnen import met_brp

VANDAAG = date(2026, 6, 15)
_vandaag = vandaag_fixture(VANDAAG)

DOMEINEN = ("dossier.", "termijn.", "intake.", "pip.")


def events(dossier, code: str | None = None) -> list[Gebeurtenis]:
    with scopes_disabled():
        qs = Gebeurtenis.objects.filter(dossier=dossier).order_by("tijdstip", "id")
        if code:
            qs = qs.filter(soort=code)
        return list(qs)


def in_taal(taal: str, gebeurtenis: Gebeurtenis) -> str:
    with translation.override(taal):
        return gebeurtenis.tekst


def intake_afronden(user, dossier) -> BredeIntake:
    """The brede intake through its services: a no-show, an uncooperative and a real
    conversation, every domain, the leerbaarheidstoets, completion."""
    with user_scope(user):
        intake = services.intake_starten(user=user, dossier=dossier)
        for dag, verschenen, meegewerkt in (
            (20, False, False),
            (21, True, False),
            (22, True, True),
        ):
            services.intake_gesprek_toevoegen(
                user=user,
                intake=intake,
                werkcoach=user,
                datum=date(2026, 5, dag),
                locatie=GesprekLocatie.GEMEENTEHUIS,
                verschenen=verschenen,
                meegewerkt=meegewerkt,
            )
        for domein in Domein:
            services.intake_domein_opslaan(
                user=user, intake=intake, domein=domein, beoordeling=Beoordeling.VOLDOENDE
            )
        services.intake_bijwerken(
            user=user,
            intake=intake,
            leerbaarheid_datum=date(2026, 5, 22),
            leerbaarheid_score="gemiddeld",
            leerbaarheid_laag=False,
        )
        return services.intake_afronden(user=user, intake=intake, datum=date(2026, 5, 25))


def vaststellen(user, pip: Pip, datum: date) -> Pip:
    with user_scope(user):
        pip = services.pip_vaststellen(user=user, pip=pip, datum=datum)
        assert pip.status == PipStatus.WORDT_VASTGESTELD
        return services.pip_beschikking_vastleggen(pip=pip, pdf_bytes=PDF, sha256=SHA, user=user)


# --- the registry refuses what it does not describe -------------------------------------------


def test_an_unknown_code_is_refused_and_fails_loudly(world):
    with pytest.raises(LookupError):
        tijdlijn.soort("dossier.notitei")
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        case_services.gebeurtenis_vastleggen(
            dossier=world.dossier_a, soort="dossier.notitei", actor=None, omschrijving="x"
        )
    assert "soort" in exc.value.message_dict
    with scopes_disabled():
        assert not Gebeurtenis.objects.filter(soort="dossier.notitei").exists()
        g = Gebeurtenis(dossier=world.dossier_a, soort="intake.afgerond_", gegevens={})
        with pytest.raises(ValidationError):
            g.full_clean()


@pytest.mark.parametrize(
    "gegevens, omschrijving, veld",
    [
        ({}, "", "gegevens"),  # the phase's parameter is missing
        ({"fase": "intake", "bsn": "123456782"}, "", "gegevens"),  # never a BSN
        ({"fase": date(2026, 1, 1)}, "", "gegevens"),  # not JSON: a date is an ISO string
        ({"fase": "intake"}, "Dossier aangemaakt.", "omschrijving"),  # no frozen sentence
    ],
)
def test_an_event_the_kind_does_not_describe_is_refused(world, gegevens, omschrijving, veld):
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        case_services.gebeurtenis_vastleggen(
            dossier=world.dossier_a,
            soort=tijdlijn.DOSSIER_AANGEMAAKT,
            actor=world.werkcoach_a,
            gegevens=gegevens,
            omschrijving=omschrijving,
        )
    assert veld in exc.value.message_dict


def test_a_note_needs_its_text():
    with pytest.raises(ValidationError):
        tijdlijn.controleren(tijdlijn.DOSSIER_NOTITIE, {}, "  ")


# Test-only texts, lazy like the real ones but not gettext's keyword (no msgid in the .po).
proeftekst = gettext_lazy


def test_registering_twice_or_with_unknown_placeholders_is_refused():
    bestaand = tijdlijn.soort(tijdlijn.DOSSIER_FASE)
    tijdlijn.registreer(bestaand)  # the same kind again (ready() twice): nothing happens
    with pytest.raises(ValueError, match="registered twice"):
        tijdlijn.registreer(tijdlijn.Gebeurtenissoort(tijdlijn.DOSSIER_FASE, proeftekst("x")))
    with pytest.raises(ValueError, match="placeholders"):
        tijdlijn.registreer(
            tijdlijn.Gebeurtenissoort(
                "test.fout", proeftekst("x"), proeftekst("%(datum)s"), {"dag": tijdlijn.datum}
            )
        )
    with pytest.raises(ValueError, match=r"domain\.event"):
        tijdlijn.registreer(tijdlijn.Gebeurtenissoort("zonder_domein", proeftekst("x")))
    assert "test.fout" not in tijdlijn.register


# --- the real writers: the code, and the reader's language from one row --------------------------


def test_intake_no_show_and_completion_are_their_own_kinds_in_the_readers_language(world):
    dossier = dossier_in_intake(world)
    intake_afronden(world.werkcoach_a, dossier)
    codes = [g.soort for g in events(dossier)]
    assert codes[:4] == [
        pip_tijdlijn.INTAKE_GESTART,
        pip_tijdlijn.INTAKE_NIET_VERSCHENEN,
        pip_tijdlijn.INTAKE_NIET_MEEGEWERKT,
        pip_tijdlijn.INTAKE_GESPREK,
    ]
    assert pip_tijdlijn.INTAKE_AFGEROND in codes
    assert "gewijzigd" not in codes and tijdlijn.DOSSIER_GEWIJZIGD not in codes

    (niet_verschenen,) = events(dossier, pip_tijdlijn.INTAKE_NIET_VERSCHENEN)
    assert niet_verschenen.omschrijving == ""  # no sentence stored, only parameters
    assert niet_verschenen.gegevens["datum"] == "2026-05-20"
    assert in_taal("nl", niet_verschenen) == "Niet verschenen bij het intakegesprek van 20-05-2026."
    assert in_taal("en", niet_verschenen) == (
        "Did not appear for the intake conversation of 20-05-2026."
    )
    (gesprek,) = events(dossier, pip_tijdlijn.INTAKE_GESPREK)
    assert gesprek.gegevens["locatie"] == GesprekLocatie.GEMEENTEHUIS  # the code, not the label
    assert in_taal("en", gesprek) == "Intake conversation on 22-05-2026 (town hall)."
    assert in_taal("nl", gesprek).startswith("Intakegesprek op 22-05-2026 (")
    assert in_taal("nl", gesprek) != in_taal("en", gesprek)

    (afgerond,) = events(dossier, pip_tijdlijn.INTAKE_AFGEROND)
    assert afgerond.gegevens == {"datum": "2026-05-25"}
    assert in_taal("nl", afgerond) == "De brede intake is afgerond."
    assert in_taal("en", afgerond) == "Brede intake completed."
    # the phase followed the fact: a coded phase change, labels translated when read
    fase = events(dossier, tijdlijn.DOSSIER_FASE)[-1]
    assert (fase.gegevens["van"], fase.gegevens["naar"]) == (Fase.INTAKE, Fase.PIP)
    assert in_taal("nl", fase).startswith("Fase: ")
    assert in_taal("en", fase) == f"Phase: {Fase.INTAKE.label} → {Fase.PIP.label}."


def test_pip_vastgesteld_is_its_own_kind_in_the_readers_language(world):
    dossier = dossier_in_intake(world)
    user = world.werkcoach_a
    pip = vaststellen(user, pip_met(user, dossier), date(2026, 3, 10))
    (event,) = events(dossier, pip_tijdlijn.PIP_VASTGESTELD)
    assert event.gegevens == {
        "pip": str(pip.uuid),
        "versie": 1,
        "kenmerk": pip.kenmerk,
        "start": "2026-03-11",
        "eind": "2029-03-10",
    }
    assert in_taal("nl", event) == (
        f"PIP versie 1 vastgesteld ({pip.kenmerk}); inburgeringstermijn 11-03-2026 – 10-03-2029."
    )
    assert in_taal("en", event) == (
        f"PIP version 1 issued ({pip.kenmerk}); inburgeringstermijn 11-03-2026 – 10-03-2029."
    )
    assert events(dossier, pip_tijdlijn.PIP_AANGEMAAKT)


def test_the_api_renders_the_timeline_in_the_requests_language(world, api):
    dossier = dossier_in_intake(world)
    intake_afronden(world.werkcoach_a, dossier)
    client = api(world.werkcoach_a)
    url = f"/api/v1/dossiers/{dossier.uuid}/tijdlijn"
    teksten = {}
    for taal in ("nl", "en"):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE=taal).json()
        rij = next(r for r in body["results"] if r["soort"] == pip_tijdlijn.INTAKE_AFGEROND)
        teksten[taal] = rij["omschrijving"]
    assert teksten == {"nl": "De brede intake is afgerond.", "en": "Brede intake completed."}


def test_the_dossier_page_shows_the_timeline_in_dutch(world, login):
    dossier = dossier_in_intake(world)
    intake_afronden(world.werkcoach_a, dossier)
    client = login(world.werkcoach_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = client.get(
        f"/dossiers/{dossier.uuid}/tijdlijn/", HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Niet verschenen bij het intakegesprek van 20-05-2026." in html
    assert "De brede intake is afgerond." in html


# --- every registered kind, as its writer writes it -----------------------------------------------


def alles_schrijven(world) -> None:
    """Run every writer of a timeline event once (across a few dossiers)."""
    wc, tl = world.werkcoach_a, world.teamleider_a
    d = dossier_in_intake(world)
    with user_scope(wc):
        case_services.dossier_update(user=wc, dossier=d, werkcoach=world.werkcoach_a2)
        # the assignment ends and starts again (a begeleider is no longer assigned this way:
        # begeleiding's own kinds come from its referral)
        case_services.dossier_update(user=wc, dossier=d, werkcoach=None)
        case_services.dossier_update(user=wc, dossier=d, werkcoach=world.werkcoach_a2)
        case_services.dossier_update(user=wc, dossier=d, coa_referentie="COA-1", reden="Bekend")
        case_services.inburgeraar_update(user=wc, inburgeraar=d.inburgeraar, voornamen="Anna")
        case_services.dossier_notitie_toevoegen(user=wc, dossier=d, tekst="Gebeld.")
    intake_afronden(wc, d)
    pip = pip_met(wc, d)
    with scopes_disabled():
        world.gemeente_a.pip_goedkeuring_vereist = True
        world.gemeente_a.save()
    with user_scope(wc):
        pip = services.pip_ter_ondertekening(user=wc, pip=pip)
    with user_scope(tl):
        pip = services.pip_terugsturen(user=tl, pip=pip, opmerking="Uren aanvullen")
    with user_scope(wc):
        pip = services.pip_ter_ondertekening(user=wc, pip=pip)
    with user_scope(tl):
        pip = services.pip_goedkeuren(user=tl, pip=pip)
    with user_scope(wc):
        pip = services.pip_vaststellen(user=wc, pip=pip, datum=date(2026, 6, 1))
        pip = services.pip_render_mislukt(pip=pip, fout="OSError: font missing")
    pip = vaststellen(wc, pip, date(2026, 6, 1))
    with user_scope(wc):
        services.pip_nieuwe_versie(user=wc, pip=pip, reden="Adres gewijzigd")
        klok = Termijn.objects.get(dossier=d, code="inburgeringstermijn")
        termijnen.termijn_verlengen(user=wc, termijn=klok, tot=date(2029, 8, 1), reden="Ziek")
        pvt = Termijn.objects.get(dossier=d, code="pvt", volgnummer=1)
        termijnen.termijn_gehaald_markeren(user=wc, termijn=pvt, datum=VANDAAG)
        case_services.dossier_verhuizen(
            user=wc, dossier=d, nieuwe_gemeente=world.gemeente_b, datum_verhuizing=VANDAAG
        )
    with scopes_disabled():
        world.gemeente_a.pip_goedkeuring_vereist = False
        world.gemeente_a.save()
    for wijziging in ("switch", "afschalen"):
        with scopes_disabled():
            d2 = DossierFactory(in_intake=True, gemeente=world.gemeente_a, werkcoach=wc)
        v1 = vaststellen(wc, pip_met(wc, d2), date(2026, 3, 10))
        with user_scope(wc):
            if wijziging == "switch":
                services.route_switchen(
                    user=wc, pip=v1, nieuwe_route="z", datum=VANDAAG, motivatie="Laag leerbaar"
                )
            else:
                services.afschalen(
                    user=wc,
                    pip=v1,
                    examendeel="spreken",
                    datum=date(2027, 9, 11),  # 18 months into the termijn
                    lesuren=620,
                    voldoende_inspanning=True,
                    motivatie="B1 spreken niet haalbaar.",
                )
    met_brp(world.dossier_a2, date(2026, 5, 20))  # the intake is due 17 June
    with scopes_disabled():
        bewaking.sweep(peildatum=date(2026, 6, 20))


def test_every_registered_kind_is_written_and_renders_in_dutch_and_english(world):
    alles_schrijven(world)
    with scopes_disabled():
        rijen = list(Gebeurtenis.objects.all())
    geschreven = {g.soort for g in rijen}
    geregistreerd = {s.code for s in tijdlijn.register if s.code.startswith(DOMEINEN)}
    assert geregistreerd <= geschreven, sorted(geregistreerd - geschreven)
    for g in rijen:
        soort = tijdlijn.soort(g.soort)  # every stored code is registered
        assert soort.vrije_tekst or g.omschrijving == "", g.soort
        for taal in ("nl", "en"):
            tekst = in_taal(taal, g)
            assert tekst and not re.search(r"%\(\w+\)", tekst), (g.soort, taal, tekst)
            assert "None" not in tekst, (g.soort, taal, tekst)
        with translation.override("nl"):
            assert str(soort.label)


def test_kinds_carry_codes_not_labels_and_render_them_at_read_time(world):
    alles_schrijven(world)
    with scopes_disabled():
        verlengd = Gebeurtenis.objects.get(soort=tijdlijn.TERMIJN_VERLENGD)
        gehaald = Gebeurtenis.objects.get(soort=tijdlijn.TERMIJN_GEHAALD)
        verlopen = Gebeurtenis.objects.filter(soort=tijdlijn.TERMIJN_VERLOPEN).first()
        switch = Gebeurtenis.objects.get(soort=pip_tijdlijn.PIP_ROUTE_SWITCH)
        persoon = Gebeurtenis.objects.get(soort=tijdlijn.DOSSIER_PERSOON_GEWIJZIGD)
    assert verlengd.gegevens["code"] == "inburgeringstermijn"
    assert in_taal("en", verlengd).startswith("Termijn “")
    assert "extended from" in in_taal("en", verlengd) and "01-08-2029: Ziek" in in_taal(
        "en", verlengd
    )
    assert "verlengd van" in in_taal("nl", verlengd)
    assert gehaald.gegevens["status"] in ("gehaald", "te_laat_gehaald")
    assert f"on {VANDAAG:%d-%m-%Y}." in in_taal("en", gehaald)
    # the sweep's bulk insert writes the same coded event as a service would
    assert verlopen is not None and verlopen.omschrijving == ""
    assert verlopen.gegevens["door"] == "bewaking"
    assert "overdue: the due date was" in in_taal("en", verlopen)
    assert "verlopen: de uiterste datum was" in in_taal("nl", verlopen)
    assert switch.gegevens["route"] == "z"
    assert "Z-route" in in_taal("en", switch)
    assert persoon.gegevens == {"velden": ["voornamen"]}


# --- rows from before the codes -----------------------------------------------------------------


def test_legacy_rows_keep_showing_their_stored_sentence(world):
    with scopes_disabled():
        oud = Gebeurtenis.objects.create(
            dossier=world.dossier_a,
            soort=tijdlijn.DOSSIER_FASE,  # as the data migration maps "fase"
            omschrijving="Fase: Aangemeld → Brede intake.",
            gegevens={"fase": "intake", "reden": ""},  # no "van"/"naar": nothing to render from
        )
        weg = Gebeurtenis.objects.create(
            dossier=world.dossier_a, soort="oud.verdwenen", omschrijving="Iets gebeurde."
        )
    for taal in ("nl", "en"):
        assert in_taal(taal, oud) == "Fase: Aangemeld → Brede intake."
        assert in_taal(taal, weg) == "Iets gebeurde."
    assert weg.soort_label == "oud.verdwenen"


def test_the_data_migration_maps_old_kinds_to_codes(world):
    from importlib import import_module

    from django.apps import apps

    migratie = import_module("cases.migrations.0006_gebeurtenis_soort_codes")
    oud = [
        ("aangemaakt", {}, "dossier.aangemaakt"),
        ("toegewezen", {"rol": "werkcoach"}, "dossier.toegewezen"),
        ("fase", {"fase": "intake"}, "dossier.fase"),
        ("notitie", {}, "dossier.notitie"),
        ("verhuisd", {"nieuw_dossier": "x"}, "dossier.verhuisd"),
        ("termijn", {"code": "pip", "tot": "2026-01-01"}, "termijn.verlengd"),
        ("termijn", {"code": "pvt", "gehaald_op": "2026-01-01"}, "termijn.gehaald"),
        ("termijn", {"code": "intake", "door": "bewaking"}, "termijn.verlopen"),
        ("gewijzigd", {"intake_gesprek": 1, "verschenen": False}, "intake.gesprek_niet_verschenen"),
        ("gewijzigd", {"intake_gesprek": 2, "verschenen": True}, "intake.gesprek"),
        ("gewijzigd", {"pip": "x", "terugsturen": True}, "pip.teruggestuurd"),
        ("gewijzigd", {"velden": ["coa_referentie"]}, "dossier.gewijzigd"),
        ("gewijzigd", {}, "dossier.gewijzigd"),
    ]
    with scopes_disabled():
        rijen = [
            Gebeurtenis.objects.create(
                dossier=world.dossier_a, soort=s, omschrijving=f"Oud {i}.", gegevens=g
            )
            for i, (s, g, _) in enumerate(oud)
        ]
        migratie.naar_codes(apps, None)
        for rij, (_, _, code) in zip(rijen, oud, strict=True):
            rij.refresh_from_db()
            assert rij.soort == code
            assert rij.tekst == rij.omschrijving  # still its own sentence
