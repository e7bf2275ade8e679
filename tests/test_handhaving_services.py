"""Every refusal of every handhaving service, on the real PostgreSQL: the field named and
nothing changed (the procedure as it was, no letter, no timeline event, no termijn moved); and
what each step writes when it is allowed — its timeline event, its letter, its clocks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django_scopes import scopes_disabled

from cases.constants import Doelgroep, Fase, Regime
from cases.models import Dossier, Gebeurtenis, Termijn
from handhaving import services, tijdlijn
from handhaving.constants import (
    Betaalstatus,
    BezwaarUitkomst,
    BriefSoort,
    BriefStatus,
    GesprekUitkomst,
    ProcedureStatus,
    VerzuimBron,
    ZienswijzeSoort,
)
from handhaving.models import (
    Boetetarief,
    Brief,
    HandhavingBeleid,
    KenmerkTeller,
    Procedure,
    Verzuim,
)
from inburgering.core.access import user_scope
from inburgering.kalender import atw
from pip_plans.constants import PipStatus
from pip_plans.models import Pip

from .factories import DossierFactory
from .handhaving_stappen import (
    SHA,
    gesprek,
    goedgekeurd,
    media_fixture,
    nieuw_dossier,
    opgelegd,
    opstellen,
    rapport,
    tot_besluit,
    verzend,
    verzuim,
    voornemen,
    zienswijze,
)
from .klok import moment, vandaag_fixture

VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)
_media = media_fixture()


# --- the procedure's clocks and events --------------------------------------------------------


def termijn(p: Procedure, code: str) -> Termijn:
    with scopes_disabled():
        return Termijn.objects.get(dossier_id=p.dossier_id, code=code, volgnummer=p.volgnummer)


def events(dossier_id: int) -> list[str]:
    with scopes_disabled():
        return list(
            Gebeurtenis.objects.filter(dossier_id=dossier_id)
            .order_by("tijdstip", "id")
            .values_list("soort", flat=True)
        )


def _stand(dossier_id: int) -> tuple[Any, ...]:
    with scopes_disabled():
        return (
            [
                model_to_dict(p) | {"status": p.status}
                for p in Procedure.objects.filter(dossier_id=dossier_id).order_by("id")
            ],
            list(Verzuim.objects.filter(dossier_id=dossier_id).values()),
            list(Brief.objects.filter(procedure__dossier_id=dossier_id).values()),
            Gebeurtenis.objects.filter(dossier_id=dossier_id).count(),
            list(Termijn.objects.filter(dossier_id=dossier_id).order_by("id").values()),
            list(KenmerkTeller.objects.values()),
        )


@contextmanager
def geweigerd(dossier: Any, *velden: str, tekst: str = "") -> Iterator[None]:
    """The block is refused naming exactly ``velden`` (and ``tekst`` in one of their messages),
    and it changes nothing of the dossier's handhaving."""
    dossier_id = dossier.dossier_id if isinstance(dossier, Procedure) else dossier.pk
    voor = _stand(dossier_id)
    with pytest.raises(ValidationError) as exc:
        yield
    fouten = exc.value.message_dict
    assert set(fouten) == set(velden), fouten
    if tekst:
        assert any(tekst in m for v in velden for m in fouten[v]), fouten
    assert _stand(dossier_id) == voor


# --- 1. verzuim -------------------------------------------------------------------------------


def test_verzuim_refusals(world):
    wc = world.werkcoach_a

    def vastleggen(**kwargs: Any) -> Procedure:
        velden = {
            "soort": "pvt",
            "datum": VANDAAG - timedelta(days=3),
            "omschrijving": "Niet verschenen",
            **kwargs,
        }
        dossier = velden.pop("dossier", world.dossier_a)
        with user_scope(wc):
            return services.verzuim_vastleggen(user=wc, dossier=dossier, **velden)

    with geweigerd(world.dossier_a, "soort", tekst="obligation"):
        vastleggen(soort="te_laat")
    with geweigerd(world.dossier_a, "datum", tekst="Give the date"):
        vastleggen(datum=None)
    with geweigerd(world.dossier_a, "datum", tekst="cannot be in the future"):
        vastleggen(datum=VANDAAG + timedelta(days=1))
    with geweigerd(world.dossier_a, "datum", tekst="No fine amount is on record"):
        vastleggen(datum=date(2021, 12, 31))  # before the Wi 2021's first amount
    with geweigerd(world.dossier_a, "omschrijving"):
        vastleggen(omschrijving="   ")
    with geweigerd(world.dossier_a, "soort", "datum", "omschrijving"):  # collected, not first-only
        vastleggen(soort="x", datum=None, omschrijving="")

    wi2013 = nieuw_dossier(world, regime=Regime.WI2013_ONDERTUSSEN)
    with geweigerd(wi2013, "soort", tekst="Wet inburgering 2013"):
        vastleggen(dossier=wi2013)
    gezin = nieuw_dossier(world, doelgroep=Doelgroep.GEZINSMIGRANT)
    with geweigerd(gezin, "soort", tekst="pay their course themselves"):
        vastleggen(dossier=gezin, soort="lessen")
    assert vastleggen(dossier=gezin, soort="pvt").status == ProcedureStatus.GESPREK
    overig = nieuw_dossier(world, doelgroep=Doelgroep.OVERIGE_MIGRANT)
    with geweigerd(overig, "soort", tekst="pay their course themselves"):
        vastleggen(dossier=overig, soort="lessen")
    for soort in ("map", "intake_niet_verschenen"):
        assert vastleggen(dossier=overig, soort=soort).categorie in ("pip", "intake")
    assert vastleggen(soort="lessen").status == ProcedureStatus.GESPREK  # asielmigrant

    with scopes_disabled():
        gesloten = DossierFactory(gemeente=world.gemeente_a, werkcoach=wc, fase=Fase.BEEINDIGD)
    with geweigerd(gesloten, "dossier", tekst="closed"):
        vastleggen(dossier=gesloten)


def test_verzuim_opens_its_procedure_with_the_rules_of_its_kind(world):
    p = verzuim(world, soort="pvt")
    assert (p.status, p.categorie, p.zware_boete, p.voornemen_vereist, p.volgnummer) == (
        ProcedureStatus.GESPREK,
        "pip",
        True,
        True,
        1,
    )
    assert events(world.dossier_a.pk) == [tijdlijn.VERZUIM]
    # the lapse clock runs from the day of the failure: 5 years for the PIP fine
    klok = termijn(p, "boete_verval")
    assert klok.startdatum == p.verzuim.datum
    assert klok.uiterste_datum == date(2031, 10, 31)  # 2026-11-01 + 5 years - 1 day
    tweede = verzuim(world, soort="intake_niet_verschenen")
    assert (tweede.volgnummer, tweede.zware_boete, tweede.categorie) == (2, False, "intake")
    assert termijn(tweede, "boete_verval").uiterste_datum == date(2029, 10, 31)


# --- 2. hearing conversation ------------------------------------------------------------------


def test_gesprek_refusals_and_afgedaan(world):
    p = verzuim(world)
    wc = world.werkcoach_a

    def vastleggen(**kwargs: Any) -> Procedure:
        velden = {
            "datum": VANDAAG - timedelta(days=2),
            "verslag": "Besproken",
            "uitkomst": GesprekUitkomst.VERDER,
            **kwargs,
        }
        with user_scope(wc):
            return services.gesprek_vastleggen(user=wc, procedure=p, **velden)

    with geweigerd(p, "datum", tekst="cannot be in the future"):
        vastleggen(datum=VANDAAG + timedelta(days=1))
    with geweigerd(p, "datum", tekst="the failure"):
        vastleggen(datum=p.verzuim.datum - timedelta(days=1))
    with geweigerd(p, "datum"):
        vastleggen(datum=None)
    with geweigerd(p, "verslag", tekst="hoor en wederhoor"):
        vastleggen(verslag=" ")
    with geweigerd(p, "uitkomst"):
        vastleggen(uitkomst="misschien")
    with geweigerd(p, "reden"):
        vastleggen(uitkomst=GesprekUitkomst.AFGEDAAN, reden="")
    p = vastleggen(uitkomst=GesprekUitkomst.AFGEDAAN, reden="Goede reden", datum=p.verzuim.datum)
    assert p.status == ProcedureStatus.AFGEDAAN and p.afgedaan_reden == "Goede reden"
    assert events(p.dossier_id)[-2:] == [tijdlijn.GESPREK, tijdlijn.AFGEDAAN]
    # settled: the lapse clock is met
    assert termijn(p, "boete_verval").status == "gehaald"
    with geweigerd(p, "status", tekst="settled with a conversation"):
        vastleggen()


# --- 3. rapport -------------------------------------------------------------------------------


def test_rapport_refusals_and_the_13_week_clock(world):
    p = verzuim(world)
    wc = world.werkcoach_a

    def opmaken(**kwargs: Any) -> Procedure:
        velden = {"datum": VANDAAG - timedelta(days=1), "plaats": "Huizen", "feiten": "f", **kwargs}
        with user_scope(wc):
            return services.rapport_opmaken(user=wc, procedure=p, **velden)

    with geweigerd(p, "status", tekst="hearing conversation to be held"):
        opmaken()  # always first a conversation
    p = gesprek(world, p, datum=VANDAAG - timedelta(days=10))
    with geweigerd(p, "datum", tekst="the hearing conversation"):
        opmaken(datum=p.gesprek_datum - timedelta(days=1))
    with geweigerd(p, "datum", tekst="future"):
        opmaken(datum=VANDAAG + timedelta(days=1))
    with geweigerd(p, "plaats", "feiten", tekst="Awb 5:48"):
        opmaken(plaats="", feiten=" ")
    d = date(2026, 11, 24)
    p = opmaken(datum=d)
    assert p.status == ProcedureStatus.VOORNEMEN and p.rapport_door == wc
    assert events(p.dossier_id)[-1] == tijdlijn.RAPPORT
    klok = termijn(p, "boete_beslistermijn")
    assert (klok.startdatum, klok.uiterste_datum) == (d, d + timedelta(days=91))
    assert klok.uiterste_datum == date(2027, 2, 23) and klok.status == "open"
    with geweigerd(p, "status"):
        opmaken()


@pytest.mark.parametrize(("altijd", "stap"), [(False, "besluit"), (True, "voornemen")])
def test_intake_fine_voornemen_by_policy(world, altijd, stap):
    HandhavingBeleid.objects.create(gemeente=world.gemeente_a, voornemen_bij_intakeboete=altijd)
    p = verzuim(world, soort="intake_niet_meegewerkt")
    assert p.voornemen_vereist is altijd and not p.zware_boete
    p = rapport(world, gesprek(world, p))
    assert p.status == stap
    # the PIP fine needs it whatever the policy says (Awb 5:53)
    pip = rapport(world, gesprek(world, verzuim(world, soort="map")))
    assert pip.voornemen_vereist and pip.status == ProcedureStatus.VOORNEMEN


# --- 4. voornemen and zienswijze ------------------------------------------------------------


def test_voornemen_refusals_and_sending(world, django_capture_on_commit_callbacks):
    p = gesprek(world, verzuim(world))
    with geweigerd(p, "status", tekst="rapport to be drawn up"), user_scope(world.werkcoach_a):
        services.voornemen_versturen(user=world.werkcoach_a, procedure=p)
    p = rapport(world, p)
    with user_scope(world.werkcoach_a), django_capture_on_commit_callbacks() as taken:
        p = services.voornemen_versturen(user=world.werkcoach_a, procedure=p)
        again = services.voornemen_versturen(user=world.werkcoach_a, procedure=p)  # double click
    assert len(taken) == 2  # the second click queues the same letter again, no second letter
    assert p.status == again.status == ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD
    tot = atw.volgende_werkdag(VANDAAG + timedelta(days=14), set())
    assert p.zienswijze_tot == tot == date(2026, 12, 15)
    with scopes_disabled():
        [brief] = Brief.objects.filter(procedure=p)
    assert brief.kenmerk == f"VN-{world.gemeente_a.cbs_code}-2026-00001"
    verzend(p, BriefSoort.VOORNEMEN, world.werkcoach_a)
    assert p.status == ProcedureStatus.ZIENSWIJZE and p.voornemen_datum == VANDAAG
    assert events(p.dossier_id)[-1] == tijdlijn.BRIEF_VERZONDEN
    klok = termijn(p, "boete_zienswijze")
    assert (klok.startdatum, klok.uiterste_datum, klok.status) == (VANDAAG, tot, "open")


def test_a_letter_that_could_not_be_made_puts_the_step_back(world):
    p = rapport(world, gesprek(world, verzuim(world)))
    with user_scope(world.werkcoach_a):
        p = services.voornemen_versturen(user=world.werkcoach_a, procedure=p)
    with scopes_disabled():
        brief = Brief.objects.get(procedure=p)
        services.brief_mislukt(brief=brief, fout="OSError: disk full")
        p.refresh_from_db()
        brief.refresh_from_db()
    assert p.status == ProcedureStatus.VOORNEMEN and p.zienswijze_tot is None
    assert (
        brief.status == BriefStatus.MISLUKT and events(p.dossier_id)[-1] == tijdlijn.BRIEF_MISLUKT
    )
    kenmerk = brief.kenmerk
    p = voornemen(world, p)  # made again: the same letter, the same kenmerk
    with scopes_disabled():
        brief.refresh_from_db()
        assert Brief.objects.filter(procedure=p).count() == 1
    assert brief.kenmerk == kenmerk and brief.status == BriefStatus.VERZONDEN


def test_zienswijze_refusals_and_the_term(world):
    p = voornemen(world, rapport(world, gesprek(world, verzuim(world))))
    wc = world.werkcoach_a

    def vastleggen(**kwargs: Any) -> Procedure:
        velden = {"soort": ZienswijzeSoort.SCHRIFTELIJK, "datum": VANDAAG, "inhoud": "x", **kwargs}
        with user_scope(wc):
            return services.zienswijze_vastleggen(user=wc, procedure=p, **velden)

    with geweigerd(p, "soort"):
        vastleggen(soort="telepathisch")
    with geweigerd(p, "inhoud", tekst="written zienswijze"):
        vastleggen(inhoud="")
    with geweigerd(p, "inhoud", tekst="verslag of the oral"):
        vastleggen(soort=ZienswijzeSoort.MONDELING, inhoud=" ")
    with geweigerd(p, "datum", tekst="future"):
        vastleggen(datum=VANDAAG + timedelta(days=1))
    with geweigerd(p, "datum", tekst="the intent letter"):
        vastleggen(datum=VANDAAG - timedelta(days=1))
    # "none" only after the term: not today, not on its last day
    with geweigerd(p, "soort", tekst="Awb 5:50"):
        vastleggen(soort=ZienswijzeSoort.GEEN, datum=None, inhoud="")
    with (
        time_machine.travel(moment(p.zienswijze_tot), tick=False),
        geweigerd(p, "soort", tekst="15-12-2026"),
    ):
        vastleggen(soort=ZienswijzeSoort.GEEN, datum=None, inhoud="")
    dag_na = p.zienswijze_tot + timedelta(days=1)
    with time_machine.travel(moment(dag_na), tick=False):
        p = vastleggen(soort=ZienswijzeSoort.GEEN, datum=None, inhoud="")
    assert (p.status, p.zienswijze_soort, p.zienswijze_datum) == (
        ProcedureStatus.BESLUIT,
        ZienswijzeSoort.GEEN,
        dag_na,
    )
    assert events(p.dossier_id)[-1] == tijdlijn.ZIENSWIJZE
    with geweigerd(p, "status"):
        vastleggen()


def test_zienswijze_marks_its_clock_met(world):
    p = zienswijze(world, voornemen(world, rapport(world, gesprek(world, verzuim(world)))))
    klok = termijn(p, "boete_zienswijze")
    assert (klok.status, klok.gehaald_op) == ("gehaald", VANDAAG)


# --- 5. decision: no fine, Participatiewet ----------------------------------------------------


def test_geen_boete_is_final_awb_5_43(world):
    p = verzuim(world)
    wc = world.werkcoach_a
    with geweigerd(p, "status"), user_scope(wc):
        services.geen_boete_besluiten(user=wc, procedure=p, motivering="x")
    p = rapport(world, gesprek(world, p))
    with geweigerd(p, "motivering"), user_scope(wc):
        services.geen_boete_besluiten(user=wc, procedure=p, motivering=" ")
    with user_scope(wc):
        p = services.geen_boete_besluiten(user=wc, procedure=p, motivering="Overmacht")
    assert (p.status, p.geen_boete_op, p.bedrag) == (ProcedureStatus.GEEN_BOETE, VANDAAG, None)
    with scopes_disabled():
        [brief] = Brief.objects.filter(procedure=p)
    assert brief.soort == BriefSoort.GEEN_BOETE and brief.kenmerk.startswith("GB-")
    assert events(p.dossier_id)[-1] == tijdlijn.GEEN_BOETE
    for code in ("boete_beslistermijn", "boete_verval"):
        assert termijn(p, code).status == "gehaald", code

    # the step is refused ...
    with geweigerd(p, "status"):
        opstellen(world, p)
    # ... and the database refuses a fine on it, whatever writes it
    with scopes_disabled():
        boete = {  # a fine that meets every other constraint
            "bedrag": Decimal("800.00"),
            "basisbedrag": Decimal("800.00"),
            "verwijtbaarheid": "x",
        }
        for velden in (boete, {"basisbedrag": Decimal("800.00")}):
            with (
                pytest.raises(IntegrityError, match="handhaving_geen_boete_is_definitief"),
                transaction.atomic(),
            ):
                Procedure.objects.filter(pk=p.pk).update(**velden)
        # and a second procedure for the same verzuim does not exist (Awb 5:43, one-to-one)
        with pytest.raises(IntegrityError, match="verzuim_id"), transaction.atomic():
            Procedure.objects.create(
                verzuim=p.verzuim, dossier=p.dossier, volgnummer=9, categorie="pip"
            )


def test_one_verzuim_per_intake_conversation(world):
    with scopes_disabled():
        Verzuim.objects.create(
            dossier=world.dossier_a,
            soort="intake_niet_verschenen",
            datum=VANDAAG,
            omschrijving="x",
            bron=VerzuimBron.INTAKE_GESPREK,
            bron_id=4711,
        )
        with (
            pytest.raises(IntegrityError, match="handhaving_verzuim_een_per_feit"),
            transaction.atomic(),
        ):
            Verzuim.objects.create(
                dossier=world.dossier_a,
                soort="intake_niet_meegewerkt",
                datum=VANDAAG,
                omschrijving="y",
                bron=VerzuimBron.INTAKE_GESPREK,
                bron_id=4711,
            )
        # by hand, any number
        for _ in range(2):
            Verzuim.objects.create(
                dossier=world.dossier_a, soort="pvt", datum=VANDAAG, omschrijving="z"
            )


def test_verzuim_from_the_same_fact_twice_returns_its_procedure(world):
    with user_scope(world.werkcoach_a):
        kwargs: dict[str, Any] = {
            "user": world.werkcoach_a,
            "dossier": world.dossier_a,
            "soort": "intake_niet_verschenen",
            "datum": VANDAAG - timedelta(days=1),
            "omschrijving": "Niet verschenen",
            "bron": VerzuimBron.INTAKE_GESPREK,
            "bron_id": 99,
        }
        eerste = services.verzuim_vastleggen(**kwargs)
        tweede = services.verzuim_vastleggen(**kwargs)
    assert eerste.pk == tweede.pk
    assert events(world.dossier_a.pk) == [tijdlijn.VERZUIM]


def _pip(dossier: Dossier, *, uitkering: bool) -> Pip:
    with scopes_disabled():
        return Pip.objects.create(
            dossier=dossier,
            status=PipStatus.VASTGESTELD,
            datum_vastgesteld=VANDAAG - timedelta(days=100),
            heeft_uitkering=uitkering,
            pdf_sha256="0" * 64,
            termijn_start=VANDAAG - timedelta(days=100),
        )


@pytest.mark.parametrize("pip", [None, False])
def test_pw_maatregel_refused_without_a_benefit(world, pip):
    if pip is not None:
        _pip(world.dossier_a, uitkering=pip)
    p = rapport(world, gesprek(world, verzuim(world)))
    with geweigerd(p, "maatregel", tekst="Participatiewet benefit"), user_scope(world.werkcoach_a):
        services.pw_maatregel_vastleggen(
            user=world.werkcoach_a,
            procedure=p,
            participatieconsulent="J. Jansen",
            maatregel="Verlaging uitkering",
            datum=VANDAAG,
        )


def test_pw_maatregel_with_a_benefit(world):
    _pip(world.dossier_a, uitkering=True)
    p = verzuim(world)
    wc = world.werkcoach_a

    def vastleggen(**kwargs: Any) -> Procedure:
        velden = {
            "participatieconsulent": "J. Jansen",
            "maatregel": "Verlaging uitkering",
            "datum": VANDAAG,
            **kwargs,
        }
        with user_scope(wc):
            return services.pw_maatregel_vastleggen(user=wc, procedure=p, **velden)

    with geweigerd(p, "status"):
        vastleggen()
    p = rapport(world, gesprek(world, p))
    with geweigerd(p, "participatieconsulent", "maatregel", "datum"):
        vastleggen(participatieconsulent=" ", maatregel="", datum=None)
    with geweigerd(p, "datum", tekst="future"):
        vastleggen(datum=VANDAAG + timedelta(days=1))
    with geweigerd(p, "datum", tekst="the rapport"):
        vastleggen(datum=p.rapport_datum - timedelta(days=1))
    p = vastleggen()
    assert (p.status, p.besluit_datum, p.pw_participatieconsulent) == (
        ProcedureStatus.PW_MAATREGEL,
        VANDAAG,
        "J. Jansen",
    )
    assert events(p.dossier_id)[-1] == tijdlijn.PW_MAATREGEL
    assert termijn(p, "boete_beslistermijn").status == "gehaald"


# --- 6. boetebeschikking ----------------------------------------------------------------------


def test_boete_opstellen_refusals(world):
    p = rapport(world, gesprek(world, verzuim(world)))
    with geweigerd(p, "status", tekst="intent letter to be sent"):
        opstellen(world, p)
    p = tot_besluit(world)
    with geweigerd(p, "verwijtbaarheid", tekst="Awb 5:41"):
        opstellen(world, p, verwijtbaarheid=" ")
    with geweigerd(p, "bedrag", tekst="never above"):
        opstellen(world, p, bedrag=Decimal("800.01"))
    with geweigerd(p, "bedrag", tekst="no fine"):
        opstellen(world, p, bedrag=Decimal("0"))
    with geweigerd(p, "verlaging_grond", "verlaging_motivering", tekst="Awb 5:46"):
        opstellen(world, p, bedrag=Decimal("500"))
    with geweigerd(p, "zienswijze_weging", tekst="weighed"):
        opstellen(world, p, zienswijze_weging="")
    with geweigerd(p, "datum", tekst="future"):
        opstellen(world, p, datum=VANDAAG + timedelta(days=1))
    with geweigerd(p, "datum", tekst="the zienswijze"):
        opstellen(world, p, datum=p.zienswijze_datum - timedelta(days=1))
    # exactly the maximum, then again with a reduction (a concept can be redrafted)
    p = opstellen(world, p, bedrag=Decimal("800.00"))
    assert (p.status, p.basisbedrag, p.bedrag, p.verlaging) == (
        ProcedureStatus.BOETE_CONCEPT,
        Decimal("800.00"),
        Decimal("800.00"),
        Decimal("0.00"),
    )
    p = opstellen(
        world,
        p,
        bedrag=Decimal("550"),
        verlaging_grond="geen_grove_schuld",
        verlaging_motivering="Verwarring over de datum",
    )
    assert (p.bedrag, p.verlaging, p.verlaging_grond) == (
        Decimal("550.00"),
        Decimal("250.00"),
        "geen_grove_schuld",
    )
    assert events(p.dossier_id)[-2:] == [tijdlijn.BOETE_OPGESTELD, tijdlijn.BOETE_OPGESTELD]


def test_no_fine_without_the_zienswijze_when_an_intent_letter_is_required(world):
    """Awb 5:53: the step is refused even on a row that reached the decision without one."""
    HandhavingBeleid.objects.create(gemeente=world.gemeente_a, voornemen_bij_intakeboete=False)
    p = rapport(world, gesprek(world, verzuim(world, soort="intake_niet_verschenen")))
    assert p.status == ProcedureStatus.BESLUIT and not p.voornemen_vereist
    with scopes_disabled():
        Procedure.objects.filter(pk=p.pk).update(voornemen_vereist=True)
        p.refresh_from_db()
    with geweigerd(p, "status", tekst="Awb 5:53"):
        opstellen(world, p)


def test_the_intake_fine_without_an_intent_letter(world):
    HandhavingBeleid.objects.create(gemeente=world.gemeente_a, voornemen_bij_intakeboete=False)
    p = tot_besluit(world, soort="intake_niet_verschenen")
    assert p.zienswijze_soort == "" and p.voornemen_datum is None
    p = opstellen(world, p, zienswijze_weging="")  # no zienswijze given: nothing to weigh
    assert p.basisbedrag == Decimal("250.00")


def test_the_amount_is_the_table_on_the_decision_date(world):
    Boetetarief.objects.create(
        categorie="pip", geldig_vanaf=date(2026, 7, 1), maximum=Decimal("850.00"), grondslag="x"
    )
    with time_machine.travel(moment(date(2026, 6, 1)), tick=False):
        eerste = tot_besluit(world, datum=date(2026, 5, 1))
        tweede = tot_besluit(world, datum=date(2026, 5, 2))
    with time_machine.travel(moment(date(2026, 7, 10)), tick=False):
        eerste = opstellen(world, eerste, datum=date(2026, 6, 30))
        tweede = opstellen(world, tweede, datum=date(2026, 7, 1))
        with geweigerd(tweede, "bedrag", tekst="€850.00"):
            opstellen(world, tweede, bedrag=Decimal("850.01"))
    assert (eerste.basisbedrag, eerste.bedrag, eerste.besluit_datum) == (
        Decimal("800.00"),
        Decimal("800.00"),
        date(2026, 6, 30),
    )
    assert (tweede.basisbedrag, tweede.bedrag) == (Decimal("850.00"), Decimal("850.00"))
    # above 800 is allowed only where the table says 850
    with (
        time_machine.travel(moment(date(2026, 7, 10)), tick=False),
        geweigerd(eerste, "bedrag", tekst="€800.00"),
    ):
        opstellen(world, eerste, bedrag=Decimal("850.00"), datum=date(2026, 6, 30))


def test_approval_and_sending(world, django_capture_on_commit_callbacks):
    p = opstellen(world, tot_besluit(world))
    wc, tl = world.werkcoach_a, world.teamleider_a
    for stap in (ProcedureStatus.BOETE_CONCEPT, ProcedureStatus.TER_GOEDKEURING):
        if stap == ProcedureStatus.TER_GOEDKEURING:
            with user_scope(wc):
                p = services.boete_ter_goedkeuring(user=wc, procedure=p)
            assert events(p.dossier_id)[-1] == tijdlijn.BOETE_TER_GOEDKEURING
        with geweigerd(p, "status", tekst="requires a teamleider's approval"), user_scope(wc):
            services.boete_versturen(user=wc, procedure=p)
    with geweigerd(p, "opmerking"), user_scope(tl):
        services.boete_terugsturen(user=tl, procedure=p, opmerking=" ")
    with user_scope(tl):
        p = services.boete_terugsturen(user=tl, procedure=p, opmerking="Motiveer beter")
    assert p.status == ProcedureStatus.BOETE_CONCEPT
    assert events(p.dossier_id)[-1] == tijdlijn.BOETE_TERUGGESTUURD
    with geweigerd(p, "status"), user_scope(tl):
        services.boete_goedkeuren(user=tl, procedure=p)
    with geweigerd(p, "status"), user_scope(tl):
        services.boete_terugsturen(user=tl, procedure=p, opmerking="x")
    p = goedgekeurd(world, p)
    assert p.status == ProcedureStatus.GOEDGEKEURD and p.goedgekeurd_door == tl
    assert events(p.dossier_id)[-1] == tijdlijn.BOETE_GOEDGEKEURD
    with geweigerd(p, "status"), user_scope(wc):
        services.boete_ter_goedkeuring(user=wc, procedure=p)
    with user_scope(wc), django_capture_on_commit_callbacks():
        p = services.boete_versturen(user=wc, procedure=p)
    assert p.status == ProcedureStatus.WORDT_VERSTUURD and p.besluit_datum == VANDAAG
    assert p.bezwaar_tot == date(2027, 1, 12)  # 6 weeks from the day after, Atw-shifted
    # not decided yet: the decision clock still runs until the letter exists
    assert termijn(p, "boete_beslistermijn").status == "open"
    brief = verzend(p, BriefSoort.BOETEBESCHIKKING, world.werkcoach_a)
    assert p.status == ProcedureStatus.OPGELEGD and p.betaalstatus == Betaalstatus.OPEN
    assert brief.kenmerk == f"BB-{world.gemeente_a.cbs_code}-2026-00001"
    for code in ("boete_zienswijze", "boete_beslistermijn", "boete_verval"):
        klok = termijn(p, code)
        assert (klok.status, klok.gehaald_op) == ("gehaald", VANDAAG), code
    assert events(p.dossier_id)[-1] == tijdlijn.BRIEF_VERZONDEN
    # a redelivered task leaves the sent letter alone
    with scopes_disabled():
        brief = Brief.objects.get(pk=brief.pk)
        services.brief_vastleggen(brief=brief, pdf_bytes=b"other", sha256="0" * 64, user=wc)
        brief.refresh_from_db()
    assert brief.pdf_sha256 == SHA


def test_sending_straight_from_the_concept_without_approval(
    world, django_capture_on_commit_callbacks
):
    HandhavingBeleid.objects.create(gemeente=world.gemeente_a, goedkeuring_vereist=False)
    p = tot_besluit(world)
    with geweigerd(p, "status", tekst="decision to be taken"), user_scope(world.werkcoach_a):
        services.boete_versturen(user=world.werkcoach_a, procedure=p)
    p = opstellen(world, p)
    with user_scope(world.werkcoach_a), django_capture_on_commit_callbacks():
        p = services.boete_versturen(user=world.werkcoach_a, procedure=p)
    assert p.status == ProcedureStatus.WORDT_VERSTUURD and p.goedgekeurd_door is None
    verzend(p, BriefSoort.BOETEBESCHIKKING, world.werkcoach_a)
    assert p.status == ProcedureStatus.OPGELEGD


# --- the lapse (Awb 5:45) ---------------------------------------------------------------------


def test_a_lapsed_intake_fine_is_refused(world):
    """An intake verzuim (€250, 3 years) of 2023-11-20: the last day was 2026-11-19."""
    HandhavingBeleid.objects.create(gemeente=world.gemeente_a, voornemen_bij_intakeboete=False)
    with time_machine.travel(moment(date(2026, 11, 10)), tick=False):
        p = tot_besluit(world, soort="intake_niet_verschenen", datum=date(2023, 11, 20))
        p = goedgekeurd(world, opstellen(world, p))  # on time, drafted and approved
    with geweigerd(p, "status", tekst="20-11-2026"), user_scope(world.werkcoach_a):
        services.boete_versturen(user=world.werkcoach_a, procedure=p)
    with scopes_disabled():
        Procedure.objects.filter(pk=p.pk).update(status=ProcedureStatus.BESLUIT)
        p.refresh_from_db()
    with geweigerd(p, "status", tekst="Awb 5:45"):
        opstellen(world, p)
    assert termijn(p, "boete_verval").uiterste_datum == date(2026, 11, 19)


def test_a_lapsed_intent_letter_is_refused(world):
    with time_machine.travel(moment(date(2026, 11, 10)), tick=False):
        p = rapport(
            world,
            gesprek(
                world, verzuim(world, soort="intake_niet_verschenen", datum=date(2023, 11, 20))
            ),
        )
    with geweigerd(p, "status", tekst="Awb 5:45"), user_scope(world.werkcoach_a):
        services.voornemen_versturen(user=world.werkcoach_a, procedure=p)


def test_a_pip_fine_four_years_on_is_still_allowed(world):
    p = opgelegd(world, datum=VANDAAG - timedelta(days=4 * 365 + 1))
    assert p.zware_boete and p.bedrag == Decimal("800.00")


# --- 7. after ---------------------------------------------------------------------------------


def test_bezwaar_refusals_and_outcomes(world):
    p = opgelegd(world)
    wc = world.werkcoach_a
    with geweigerd(p, "ontvangen_op", tekst="the decision"), user_scope(wc):
        services.bezwaar_registreren(user=wc, procedure=p, ontvangen_op=VANDAAG - timedelta(days=1))
    with geweigerd(p, "ontvangen_op", tekst="future"), user_scope(wc):
        services.bezwaar_registreren(user=wc, procedure=p, ontvangen_op=VANDAAG + timedelta(days=1))
    with geweigerd(p, "status"), user_scope(wc):
        services.bezwaar_beslissen(
            user=wc, procedure=p, uitkomst=BezwaarUitkomst.ONGEGROND, datum=VANDAAG
        )
    with user_scope(wc):
        p = services.bezwaar_registreren(user=wc, procedure=p, ontvangen_op=VANDAAG)
    assert p.status == ProcedureStatus.BEZWAAR and events(p.dossier_id)[-1] == tijdlijn.BEZWAAR

    def beslissen(**kwargs: Any) -> Procedure:
        velden = {"uitkomst": BezwaarUitkomst.ONGEGROND, "datum": VANDAAG, **kwargs}
        with user_scope(wc):
            return services.bezwaar_beslissen(user=wc, procedure=p, **velden)

    with geweigerd(p, "uitkomst"):
        beslissen(uitkomst="half")
    with geweigerd(p, "datum", tekst="the objection"):
        beslissen(datum=VANDAAG - timedelta(days=1))
    with geweigerd(p, "datum", tekst="future"):
        beslissen(datum=VANDAAG + timedelta(days=1))
    for nieuw in (None, Decimal("800.00"), Decimal("900"), Decimal("0")):
        with geweigerd(p, "nieuw_bedrag", tekst="lowers the fine"):
            beslissen(uitkomst=BezwaarUitkomst.GEDEELTELIJK, nieuw_bedrag=nieuw)
    p = beslissen(uitkomst=BezwaarUitkomst.GEDEELTELIJK, nieuw_bedrag=Decimal("400"))
    assert (p.status, p.bedrag, p.verlaging, p.basisbedrag) == (
        ProcedureStatus.OPGELEGD,
        Decimal("400.00"),
        Decimal("400.00"),
        Decimal("800.00"),
    )
    assert events(p.dossier_id)[-1] == tijdlijn.BEZWAAR_BESLIST


@pytest.mark.parametrize(
    ("uitkomst", "stap"),
    [(BezwaarUitkomst.ONGEGROND, "opgelegd"), (BezwaarUitkomst.GEGROND, "vernietigd")],
)
def test_bezwaar_ongegrond_and_gegrond(world, uitkomst, stap):
    p = opgelegd(world)
    with user_scope(world.werkcoach_a):
        p = services.bezwaar_registreren(user=world.werkcoach_a, procedure=p, ontvangen_op=VANDAAG)
        p = services.bezwaar_beslissen(
            user=world.werkcoach_a, procedure=p, uitkomst=uitkomst, datum=VANDAAG
        )
    assert p.status == stap and p.bedrag == Decimal("800.00")


def test_an_objection_pauses_the_lapse_clock(world):
    with time_machine.travel(moment(date(2026, 10, 1)), tick=False):
        p = opgelegd(world, datum=date(2026, 9, 1))
        zonder = termijn(p, "boete_verval").uiterste_datum
        assert zonder == date(2031, 8, 31)
        with user_scope(world.werkcoach_a):
            p = services.bezwaar_registreren(
                user=world.werkcoach_a, procedure=p, ontvangen_op=date(2026, 10, 1)
            )
    with time_machine.travel(moment(date(2026, 10, 21)), tick=False):
        with user_scope(world.werkcoach_a):
            services.betaalstatus_wijzigen(  # any recompute: 20 days pending so far
                user=world.werkcoach_a, procedure=p, status=Betaalstatus.BETALINGSREGELING
            )
            with scopes_disabled():
                from cases import termijnen

                termijnen.herberekenen(p.dossier, user=None)
        assert termijn(p, "boete_verval").uiterste_datum == zonder + timedelta(days=20)
    with time_machine.travel(moment(date(2026, 11, 15)), tick=False), user_scope(world.werkcoach_a):
        p = services.bezwaar_beslissen(
            user=world.werkcoach_a,
            procedure=p,
            uitkomst=BezwaarUitkomst.ONGEGROND,
            datum=date(2026, 11, 15),
        )
    klok = termijn(p, "boete_verval")
    assert klok.volgnummer == p.volgnummer == 1
    assert klok.uiterste_datum == zonder + timedelta(days=45)  # 1 Oct to 15 Nov


def test_betaalstatus(world):
    p = opstellen(world, tot_besluit(world))
    wc = world.werkcoach_a
    with geweigerd(p, "status"), user_scope(wc):
        services.betaalstatus_wijzigen(user=wc, procedure=p, status=Betaalstatus.BETAALD)
    p = opgelegd(world)
    with geweigerd(p, "betaalstatus"), user_scope(wc):
        services.betaalstatus_wijzigen(user=wc, procedure=p, status="misschien")
    for status in (Betaalstatus.BETALINGSREGELING, Betaalstatus.BETAALD):
        with user_scope(wc):
            p = services.betaalstatus_wijzigen(user=wc, procedure=p, status=status)
        assert p.betaalstatus == status and events(p.dossier_id)[-1] == tijdlijn.BETAALSTATUS


def test_intrekken(world):
    p = opstellen(world, tot_besluit(world))
    wc = world.werkcoach_a
    with geweigerd(p, "status"), user_scope(wc):
        services.boete_intrekken(user=wc, procedure=p, reden="Fout")
    p = opgelegd(world)
    with geweigerd(p, "reden"), user_scope(wc):
        services.boete_intrekken(user=wc, procedure=p, reden=" ")
    with user_scope(wc):
        p = services.boete_intrekken(user=wc, procedure=p, reden="Verkeerde persoon")
    assert (p.status, p.ingetrokken_op) == (ProcedureStatus.INGETROKKEN, VANDAAG)
    with scopes_disabled():
        brief = Brief.objects.get(procedure=p, soort=BriefSoort.INTREKKING)
    assert brief.kenmerk == f"IT-{world.gemeente_a.cbs_code}-2026-00001"
    assert brief.status == BriefStatus.WORDT_GEMAAKT
    assert events(p.dossier_id)[-1] == tijdlijn.INGETROKKEN
    with geweigerd(p, "status"), user_scope(wc):
        services.boete_intrekken(user=wc, procedure=p, reden="Nog eens")


def test_the_whole_timeline(world):
    p = opgelegd(world)
    assert events(p.dossier_id) == [
        tijdlijn.VERZUIM,
        tijdlijn.GESPREK,
        tijdlijn.RAPPORT,
        tijdlijn.BRIEF_VERZONDEN,
        tijdlijn.ZIENSWIJZE,
        tijdlijn.BOETE_OPGESTELD,
        tijdlijn.BOETE_TER_GOEDKEURING,
        tijdlijn.BOETE_GOEDGEKEURD,
        tijdlijn.BRIEF_VERZONDEN,
    ]
