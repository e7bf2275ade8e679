"""Services of the brede intake and the PIP: every refusal names its rule and changes nothing;
the version chain, the termijn and the render-failure path; medical domains need-to-know."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.constants import Doelgroep, Fase
from inburgering.core.access import user_scope
from pip_plans import selectors, services
from pip_plans.constants import Domein, PipStatus
from pip_plans.models import BredeIntake, DomeinBeoordeling, Pip, RouteWijziging

from .factories import DossierFactory, InburgeraarFactory, geldige_pip_velden
from .klok import vandaag_fixture

# Every date in this module is relative to this day (issue 8: no test on the wall clock).
VANDAAG = date(2026, 12, 1)
_vandaag = vandaag_fixture(VANDAAG)

PDF = b"%PDF-1.7 test"
SHA = hashlib.sha256(PDF).hexdigest()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def dossier_in_intake(world, **persoon):
    with scopes_disabled():
        return DossierFactory(
            in_intake=True,
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            begeleider=world.begeleider_a,
            inburgeraar=InburgeraarFactory(**persoon),
        )


GELDIG = geldige_pip_velden(ontzorgen_start=date(2026, 1, 1))


INTAKE_AFGEROND = date(2026, 1, 15)  # before every vaststelling date these tests use


def intake_afgerond(dossier, datum=INTAKE_AFGEROND) -> BredeIntake:
    """A completed brede intake: a PIP is vastgesteld only on one (Wi 2021 art. 14 and 16)."""
    with scopes_disabled():
        intake, _ = BredeIntake.objects.get_or_create(dossier=dossier)
        if intake.datum_afgerond is None:
            intake.datum_afgerond = datum
            intake.save()
        return intake


def pip_met(user, dossier, **fields) -> Pip:
    intake_afgerond(dossier)
    with user_scope(user):
        pip = services.pip_aanmaken(user=user, dossier=dossier)
        return services.pip_bijwerken(user=user, pip=pip, **{**GELDIG, **fields})


def vastgesteld(user, pip, datum=date(2026, 3, 10)) -> Pip:
    with user_scope(user):
        pip = services.pip_vaststellen(user=user, pip=pip, datum=datum)
        assert pip.status == PipStatus.WORDT_VASTGESTELD
        return services.pip_beschikking_vastleggen(pip=pip, pdf_bytes=PDF, sha256=SHA, user=user)


def refused(user, pip) -> dict[str, list[str]]:
    """Vaststellen refused: returns the errors; asserts nothing changed."""
    with scopes_disabled():
        before = Pip.objects.get(pk=pip.pk)
        history = Pip.history.filter(id=pip.pk).count()
    with user_scope(user), pytest.raises(ValidationError) as exc:
        services.pip_vaststellen(user=user, pip=pip)
    with scopes_disabled():
        after = Pip.objects.get(pk=pip.pk)
        assert after.status == before.status
        assert after.datum_vastgesteld is None
        assert Pip.history.filter(id=pip.pk).count() == history
    with user_scope(user):
        assert services.pip_controleren(pip) == exc.value.message_dict
    return exc.value.message_dict


# --- pip_controleren / pip_vaststellen refusals ------------------------------------------


def test_valid_pip_has_no_objections(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world))
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}


def test_missing_themes_are_each_named(world):
    pip = pip_met(
        world.werkcoach_a,
        dossier_in_intake(world),
        leerroute="",
        participatie="",
        voortgangsgesprekken_per_jaar=None,
    )
    errors = refused(world.werkcoach_a, pip)
    assert {"leerroute", "participatie", "voortgangsgesprekken_per_jaar"} <= set(errors)
    assert "participatie" in errors["participatie"][0].lower()


def test_leerroute_requires_its_agreements(world):
    pip = pip_met(
        world.werkcoach_a, dossier_in_intake(world), einddoel="", aanbieder="", uren_per_week=None
    )
    assert {"einddoel", "aanbieder", "uren_per_week"} <= set(refused(world.werkcoach_a, pip))


@pytest.mark.parametrize("leerroute", ["b1", "onderwijs", "z"])
def test_gezinsmigrant_gets_no_municipal_route(world, leerroute):
    dossier = dossier_in_intake(world, doelgroep=Doelgroep.GEZINSMIGRANT)
    pip = pip_met(
        world.werkcoach_a,
        dossier,
        leerroute=leerroute,
        route_motivatie="m",
        onderwijsroute_overwogen="o",
        heeft_uitkering=False,
        ontzorgen_vaste_lasten=[],
        ontzorgen_maanden=None,
    )
    errors = refused(world.werkcoach_a, pip)
    assert "gezinsmigrant" in errors["leerroute"][0]


def test_gezinsmigrant_eigen_kosten_is_accepted(world):
    dossier = dossier_in_intake(world, doelgroep=Doelgroep.GEZINSMIGRANT)
    pip = pip_met(
        world.werkcoach_a,
        dossier,
        leerroute="eigen_kosten",
        heeft_uitkering=False,
        ontzorgen_vaste_lasten=[],
        ontzorgen_maanden=None,
    )
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}


def test_gezinsmigrant_gets_no_ontzorgen_or_mb(world):
    dossier = dossier_in_intake(world, doelgroep=Doelgroep.GEZINSMIGRANT)
    pip = pip_met(
        world.werkcoach_a,
        dossier,
        leerroute="eigen_kosten",
        maatschappelijke_begeleiding=True,
    )
    errors = refused(world.werkcoach_a, pip)
    assert "asielstatushouders" in errors["ontzorgen_vaste_lasten"][0]
    assert "asielstatushouders" in errors["maatschappelijke_begeleiding"][0]


def test_asielmigrant_cannot_get_eigen_kosten(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), leerroute="eigen_kosten")
    assert "leerroute" in refused(world.werkcoach_a, pip)


def test_z_route_needs_motivation(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), leerroute="z", einddoel="z")
    errors = refused(world.werkcoach_a, pip)
    assert "Z-route" in errors["route_motivatie"][0]
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(user=world.werkcoach_a, pip=pip, route_motivatie="Laag leerbaar.")
        assert services.pip_controleren(pip) == {}


def test_under_28_needs_onderwijsroute_consideration(world):
    jong = timezone.localdate() - timedelta(days=22 * 365)
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world, geboortedatum=jong))
    errors = refused(world.werkcoach_a, pip)
    assert "Under 28" in errors["onderwijsroute_overwogen"][0]
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(
            user=world.werkcoach_a, pip=pip, onderwijsroute_overwogen="Wil direct werken."
        )
        assert services.pip_controleren(pip) == {}


def test_under_28_onderwijsroute_needs_no_consideration(world):
    jong = timezone.localdate() - timedelta(days=22 * 365)
    pip = pip_met(
        world.werkcoach_a,
        dossier_in_intake(world, geboortedatum=jong),
        leerroute="onderwijs",
        einddoel="onderwijs",
    )
    assert pip.map_vrijgesteld is True  # MAP exempt in the onderwijsroute
    with user_scope(world.werkcoach_a):
        assert services.pip_controleren(pip) == {}


def test_ontzorgen_under_six_months_needs_motivation(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world), ontzorgen_maanden=3)
    errors = refused(world.werkcoach_a, pip)
    assert "6 months" in errors["ontzorgen_maanden"][0]
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(
            user=world.werkcoach_a, pip=pip, ontzorgen_motivatie="Beheert zelf al de huur."
        )
        assert services.pip_controleren(pip) == {}


def test_ontzorgen_needs_costs_and_start(world):
    pip = pip_met(
        world.werkcoach_a, dossier_in_intake(world), ontzorgen_vaste_lasten=[], ontzorgen_start=None
    )
    assert {"ontzorgen_vaste_lasten", "ontzorgen_start"} <= set(refused(world.werkcoach_a, pip))


# --- approval per gemeente --------------------------------------------------------------


def test_approval_required_per_gemeente(world):
    with scopes_disabled():
        world.gemeente_a.pip_goedkeuring_vereist = True
        world.gemeente_a.save()
    dossier = dossier_in_intake(world)
    with scopes_disabled():
        dossier.gemeente.refresh_from_db()
    pip = pip_met(world.werkcoach_a, dossier)
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.pip_vaststellen(user=world.werkcoach_a, pip=pip)
    assert "approval" in exc.value.message_dict["status"][0]
    with user_scope(world.werkcoach_a):
        services.pip_ter_ondertekening(user=world.werkcoach_a, pip=pip)
        with pytest.raises(PermissionDenied):
            services.pip_goedkeuren(user=world.werkcoach_a, pip=pip)  # not a teamleider
        with pytest.raises(ValidationError):
            services.pip_vaststellen(user=world.werkcoach_a, pip=pip)
    with user_scope(world.teamleider_a):
        services.pip_goedkeuren(user=world.teamleider_a, pip=pip)
    pip = vastgesteld(world.werkcoach_a, pip)
    assert pip.status == PipStatus.VASTGESTELD
    assert pip.goedgekeurd_door == world.teamleider_a


def test_no_approval_needed_when_gemeente_does_not_require_it(world):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world))
    assert vastgesteld(world.werkcoach_a, pip).status == PipStatus.VASTGESTELD


def test_vaststellen_queues_rendering_on_commit(world, django_capture_on_commit_callbacks):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world))
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        user_scope(world.werkcoach_a),
    ):
        services.pip_vaststellen(user=world.werkcoach_a, pip=pip)
    assert len(callbacks) == 1


# --- vastlegging, termijn, immutability, versions ---------------------------------------


# A decision is not dated ahead (issue 8, defect 2): issued on the day itself.
@time_machine.travel(datetime(2028, 2, 29, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)
def test_vastleggen_sets_termijn_bezwaar_and_phase(world):
    dossier = dossier_in_intake(world)
    pip = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier), date(2028, 2, 29))
    assert pip.termijn_start == date(2028, 3, 1)
    assert pip.termijn_eind == date(2031, 2, 28)
    assert pip.bezwaar_tot == date(2028, 4, 11)
    assert pip.pdf_sha256 == SHA
    assert pip.kenmerk
    with scopes_disabled():
        dossier.refresh_from_db()
        assert dossier.fase == Fase.INBURGERING
        assert pip.pdf.read() == PDF


def test_editing_a_vastgestelde_pip_is_refused(world):
    pip = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.pip_bijwerken(user=world.werkcoach_a, pip=pip, aanbieder="Ander")
    assert "new version" in exc.value.messages[0]
    with scopes_disabled():
        assert Pip.objects.get(pk=pip.pk).aanbieder == GELDIG["aanbieder"]


def test_version_chain(world):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    with user_scope(world.werkcoach_a):
        v2 = services.pip_nieuwe_versie(user=world.werkcoach_a, pip=v1, reden="Nieuw aanbod")
        with pytest.raises(ValidationError):
            services.pip_nieuwe_versie(user=world.werkcoach_a, pip=v2)  # not vastgesteld
    assert v2.versie == 2 and v2.vorige_versie == v1 and v2.status == PipStatus.CONCEPT
    for field in services.PIP_BEWERKBARE_VELDEN:
        assert getattr(v2, field) == getattr(v1, field), field
    with scopes_disabled():
        assert Pip.objects.get(pk=v1.pk).status == PipStatus.VASTGESTELD  # until v2 is issued
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(user=world.werkcoach_a, pip=v2, uren_per_week=16)
    v2 = vastgesteld(world.werkcoach_a, v2, date(2026, 9, 1))
    with scopes_disabled():
        v1.refresh_from_db()
    assert v1.status == PipStatus.GEWIJZIGD
    assert v1.pdf_sha256 == SHA and v1.termijn_start == date(2026, 3, 11)
    assert v2.status == PipStatus.VASTGESTELD


def test_second_pip_for_a_dossier_is_refused(world):
    dossier = dossier_in_intake(world)
    pip_met(world.werkcoach_a, dossier)
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError):
        services.pip_aanmaken(user=world.werkcoach_a, dossier=dossier)


# --- render failure ----------------------------------------------------------------------


@pytest.mark.parametrize("approval", [False, True])
def test_render_failure_returns_to_previous_status(world, approval):
    pip = pip_met(world.werkcoach_a, dossier_in_intake(world))
    with user_scope(world.werkcoach_a):
        if approval:
            services.pip_ter_ondertekening(user=world.werkcoach_a, pip=pip)
            services.pip_goedkeuren(user=world.teamleider_a, pip=pip)
        pip = services.pip_vaststellen(user=world.werkcoach_a, pip=pip)
        pip = services.pip_render_mislukt(pip=pip, fout="OSError: font missing")
    assert pip.status == (PipStatus.GOEDGEKEURD if approval else PipStatus.CONCEPT)
    assert pip.render_fout == "OSError: font missing"
    assert pip.datum_vastgesteld is None and pip.termijn_start is None and not pip.pdf
    with scopes_disabled():
        assert pip.dossier.fase == Fase.INTAKE
        # vastleggen after a failure does nothing
        assert (
            services.pip_beschikking_vastleggen(
                pip=pip, pdf_bytes=PDF, sha256=SHA, user=None
            ).status
            == pip.status
        )


# --- route changes after vaststelling ---------------------------------------------------


def test_route_switch_once_then_refused(world):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    with user_scope(world.werkcoach_a):
        v2 = services.route_switchen(
            user=world.werkcoach_a, pip=v1, nieuwe_route="z", datum=date(2026, 6, 1), motivatie="m"
        )
    assert v2.leerroute == "z" and v2.vorige_versie == v1
    with user_scope(world.werkcoach_a):
        services.pip_bijwerken(user=world.werkcoach_a, pip=v2, route_motivatie="Laag leerbaar.")
    v2 = vastgesteld(world.werkcoach_a, v2, date(2026, 6, 2))
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.route_switchen(
            user=world.werkcoach_a, pip=v2, nieuwe_route="b1", datum=date(2026, 7, 1), motivatie="m"
        )
    assert "once" in exc.value.message_dict["nieuwe_route"][0]
    with scopes_disabled():
        assert RouteWijziging.objects.count() == 1
        assert Pip.objects.filter(dossier=v1.dossier).count() == 2


def test_route_switch_after_18_months_refused(world):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.route_switchen(
            user=world.werkcoach_a, pip=v1, nieuwe_route="z", datum=date(2027, 9, 12), motivatie="m"
        )
    assert "datum" in exc.value.message_dict
    with scopes_disabled():
        assert RouteWijziging.objects.count() == 0


def test_afschalen_refusal_lists_every_condition_and_success(world):
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    with user_scope(world.werkcoach_a), pytest.raises(ValidationError) as exc:
        services.afschalen(
            user=world.werkcoach_a,
            pip=v1,
            examendeel="spreken",
            datum=date(2026, 6, 1),
            lesuren=200,
            voldoende_inspanning=False,
            motivatie="m",
        )
    # each unmet condition at the field that records it (issue 8, defect 10), not the action
    assert set(exc.value.message_dict) == {"datum", "lesuren", "voldoende_inspanning"}
    with scopes_disabled():
        assert RouteWijziging.objects.count() == 0
    with user_scope(world.werkcoach_a):
        v2 = services.afschalen(
            user=world.werkcoach_a,
            pip=v1,
            examendeel="spreken",
            datum=date(2027, 9, 11),
            lesuren=600,
            voldoende_inspanning=True,
            motivatie="Ondanks inzet B1 spreken niet haalbaar.",
        )
    assert v2.a2_examendelen == ["spreken"] and v2.versie == 2


# --- brede intake -----------------------------------------------------------------------


def alle_domeinen(user, intake):
    for d in Domein:
        services.intake_domein_opslaan(user=user, intake=intake, domein=d, beoordeling="voldoende")


def test_intake_afronden_refused_then_completed(world):
    dossier = dossier_in_intake(world)
    user = world.werkcoach_a
    with user_scope(user):
        intake = services.intake_starten(user=user, dossier=dossier)
        assert services.intake_starten(user=user, dossier=dossier) == intake
        with pytest.raises(ValidationError) as exc:
            services.intake_afronden(user=user, intake=intake)
        assert {"domeinen", "leerbaarheid_score", "gesprekken"} == set(exc.value.message_dict)
        services.intake_gesprek_toevoegen(
            user=user, intake=intake, datum=date(2026, 1, 5), locatie="azc", verschenen=False
        )
        services.intake_domein_opslaan(
            user=user, intake=intake, domein="taalniveau", beoordeling="aandacht"
        )
        with pytest.raises(ValidationError) as exc:
            services.intake_afronden(user=user, intake=intake)
        assert (
            "Mental health" in exc.value.message_dict["domeinen"][0]
            or "mental" in (exc.value.message_dict["domeinen"][0])
        )
        assert "gesprekken" in exc.value.message_dict  # did not appear
        alle_domeinen(user, intake)
        services.intake_gesprek_toevoegen(
            user=user, intake=intake, datum=date(2026, 1, 12), locatie="gemeentehuis"
        )
        services.intake_bijwerken(
            user=user,
            intake=intake,
            leerbaarheid_datum=date(2026, 1, 12),
            leerbaarheid_score="gemiddeld",
            leerbaarheid_laag=False,
        )
    with scopes_disabled():
        assert BredeIntake.objects.get(pk=intake.pk).datum_afgerond is None
        assert dossier.fase == Fase.INTAKE
    with user_scope(user):
        services.intake_afronden(user=user, intake=intake, datum=date(2026, 1, 13))
        with pytest.raises(ValidationError):
            services.intake_bijwerken(user=user, intake=intake, signalen="x")
    with scopes_disabled():
        dossier.refresh_from_db()
        assert dossier.fase == Fase.PIP
        assert BredeIntake.objects.get(pk=intake.pk).datum_afgerond == date(2026, 1, 13)


def test_medical_domain_write_refused_for_begeleider(world):
    dossier = dossier_in_intake(world)
    with user_scope(world.werkcoach_a):
        intake = services.intake_starten(user=world.werkcoach_a, dossier=dossier)
    with user_scope(world.begeleider_a), pytest.raises(PermissionDenied):
        services.intake_domein_opslaan(
            user=world.begeleider_a,
            intake=intake,
            domein="mentale_gezondheid",
            beoordeling="aandacht",
        )
    with scopes_disabled():
        assert DomeinBeoordeling.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "sees_medical"),
    [
        ("werkcoach_a", True),
        ("teamleider_a", True),
        ("begeleider_a", False),
        ("auditor_a", False),
        ("partner_auditor_a", False),
    ],
)
def test_domeinen_voor_hides_medical_domains(world, role, sees_medical):
    dossier = dossier_in_intake(world)
    with user_scope(world.werkcoach_a):
        intake = services.intake_starten(user=world.werkcoach_a, dossier=dossier)
        alle_domeinen(world.werkcoach_a, intake)
    user = getattr(world, role)
    with user_scope(user):
        domeinen = set(selectors.domeinen_voor(user, intake).values_list("domein", flat=True))
    medisch = {"fysieke_gezondheid", "mentale_gezondheid"}
    assert (medisch <= domeinen) is sees_medical
    assert not (medisch & domeinen) or sees_medical
    assert len(domeinen) == (14 if sees_medical else 12)


def test_domeinen_voor_begeleider_of_other_dossier_sees_no_medical(world):
    """need-to-know is per dossier: a werkcoach of another gemeente has no access at all."""
    dossier = dossier_in_intake(world)
    with user_scope(world.werkcoach_a):
        intake = services.intake_starten(user=world.werkcoach_a, dossier=dossier)
        alle_domeinen(world.werkcoach_a, intake)
    with user_scope(world.werkcoach_b):
        assert not selectors.intakes_for(world.werkcoach_b).filter(pk=intake.pk).exists()


def test_new_version_keeps_the_original_inburgeringstermijn(world):
    """The termijn starts the day after the *first* PIP is vastgesteld (Wi 2021 art. 7); a
    gewijzigde beschikking does not restart the three years or the 18-month windows."""
    v1 = vastgesteld(world.werkcoach_a, pip_met(world.werkcoach_a, dossier_in_intake(world)))
    with user_scope(world.werkcoach_a):
        v2 = services.pip_nieuwe_versie(user=world.werkcoach_a, pip=v1)
    v2 = vastgesteld(world.werkcoach_a, v2, date(2026, 9, 1))
    assert (v2.termijn_start, v2.termijn_eind) == (date(2026, 3, 11), date(2029, 3, 10))
    assert v2.bezwaar_tot == date(2026, 10, 13)  # the objection term is per decision
