"""Writes for the brede intake and the PIP. Every refusal names the rule that forbids it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import termijnen
from cases.constants import Fase, GebeurtenisSoort
from cases.models import Dossier
from cases.services import dossier_fase_wijzigen, gebeurtenis_vastleggen
from inburgering.accounts.models import User
from inburgering.core.access import can_view_medical, ensure_can_edit_dossier, ensure_has_perm

from . import rules
from .constants import (
    BEWERKBARE_STATUSSEN,
    INTAKE_VELDEN,
    MEDISCHE_DOMEINEN,
    PIP_VELDEN,
    Domein,
    Leerroute,
    PipStatus,
    RouteWijzigingSoort,
)
from .models import BredeIntake, DomeinBeoordeling, IntakeGesprek, Kind, Pip, RouteWijziging


def _save(obj: Any, *, user: User | None, reden: str = "") -> None:
    obj._history_user = user
    if reden:
        obj._change_reason = reden
    obj.full_clean()
    obj.save()


# --- brede intake ---------------------------------------------------------------------------


@transaction.atomic
def intake_starten(*, user: User | None, dossier: Dossier) -> BredeIntake:
    ensure_has_perm(user, "pip_plans.add_bredeintake")
    ensure_can_edit_dossier(user, dossier)
    existing = BredeIntake.objects.filter(dossier=dossier).first()
    if existing:
        return existing
    intake = BredeIntake(dossier=dossier)
    _save(intake, user=user, reden=_("Brede intake started"))
    gebeurtenis_vastleggen(
        dossier=dossier,
        soort=GebeurtenisSoort.GEWIJZIGD,
        actor=user,
        omschrijving=_("Brede intake started."),
    )
    return intake


def _ensure_intake_open(user: User | None, intake: BredeIntake) -> None:
    ensure_has_perm(user, "pip_plans.change_bredeintake")
    ensure_can_edit_dossier(user, intake.dossier)
    if intake.datum_afgerond:
        raise ValidationError(_("The brede intake is completed and can no longer be changed."))


@transaction.atomic
def intake_bijwerken(*, user: User | None, intake: BredeIntake, **fields: Any) -> BredeIntake:
    _ensure_intake_open(user, intake)
    allowed = set(INTAKE_VELDEN)
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(intake, field, value)
    _save(intake, user=user, reden=_("Brede intake changed"))
    return intake


@transaction.atomic
def intake_gesprek_toevoegen(
    *, user: User | None, intake: BredeIntake, **fields: Any
) -> IntakeGesprek:
    _ensure_intake_open(user, intake)
    gesprek = IntakeGesprek(intake=intake, **fields)
    _save(gesprek, user=user)
    if not gesprek.verschenen or not gesprek.meegewerkt:
        omschrijving = (
            _("Did not appear for the intake conversation of %(datum)s.")
            if not gesprek.verschenen
            else _("Did not cooperate in the intake conversation of %(datum)s.")
        ) % {"datum": gesprek.datum.strftime("%d-%m-%Y")}
    else:
        omschrijving = _("Intake conversation on %(datum)s (%(locatie)s).") % {
            "datum": gesprek.datum.strftime("%d-%m-%Y"),
            "locatie": gesprek.get_locatie_display(),
        }
    gebeurtenis_vastleggen(
        dossier=intake.dossier,
        soort=GebeurtenisSoort.GEWIJZIGD,
        actor=user,
        omschrijving=omschrijving,
        gegevens={"intake_gesprek": gesprek.pk, "verschenen": gesprek.verschenen},
    )
    return gesprek


@transaction.atomic
def intake_domein_opslaan(
    *, user: User | None, intake: BredeIntake, domein: str, beoordeling: str, toelichting: str = ""
) -> DomeinBeoordeling:
    """Save one domain (save-as-you-go). Medical domains only by need-to-know users."""
    _ensure_intake_open(user, intake)
    if (
        domein in MEDISCHE_DOMEINEN
        and user is not None
        and not can_view_medical(user, intake.dossier)
    ):
        raise PermissionDenied(
            _(
                "Physical and mental health are special-category data (AVG art. 9): only "
                "users with need-to-know may record or read them."
            )
        )
    obj = DomeinBeoordeling.objects.filter(intake=intake, domein=domein).first()
    obj = obj or DomeinBeoordeling(intake=intake, domein=domein)
    obj.beoordeling = beoordeling
    obj.toelichting = toelichting
    _save(obj, user=user)
    return obj


@transaction.atomic
def kind_toevoegen(
    *, user: User | None, intake: BredeIntake, geboortejaar: int, vve_keuze: str = ""
) -> Kind:
    _ensure_intake_open(user, intake)
    kind = Kind(intake=intake, geboortejaar=geboortejaar, vve_keuze=vve_keuze)
    _save(kind, user=user)
    return kind


@transaction.atomic
def intake_afronden(
    *, user: User | None, intake: BredeIntake, datum: date | None = None
) -> BredeIntake:
    _ensure_intake_open(user, intake)
    errors: dict[str, list[Any]] = {}
    assessed = set(DomeinBeoordeling.objects.filter(intake=intake).values_list("domein", flat=True))
    missing = [Domein(d).label for d in Domein if d not in assessed]
    if missing:
        errors["domeinen"] = [
            _("Every life domain must be assessed (Besluit inburgering 2021); missing: %(lijst)s.")
            % {"lijst": ", ".join(str(m) for m in missing)}
        ]
    if not (intake.leerbaarheid_datum and intake.leerbaarheid_score):
        errors["leerbaarheid_score"] = [
            _("The leerbaarheidstoets is a mandatory part of the brede intake.")
        ]
    if not IntakeGesprek.objects.filter(intake=intake, verschenen=True).exists():
        errors["gesprekken"] = [_("Record at least one conversation the person attended.")]
    if errors:
        raise ValidationError(errors)
    intake.datum_afgerond = datum or timezone.localdate()
    _save(intake, user=user, reden=_("Brede intake completed"))
    dossier = intake.dossier
    termijnen.herberekenen(dossier, user=user, reden=_("Brede intake completed"))
    if dossier.fase == Fase.INTAKE:
        dossier_fase_wijzigen(
            user=user, dossier=dossier, fase=Fase.PIP, reden=_("Brede intake completed")
        )
    return intake


# --- PIP ------------------------------------------------------------------------------------

PIP_BEWERKBARE_VELDEN = set(PIP_VELDEN)


@transaction.atomic
def pip_aanmaken(*, user: User | None, dossier: Dossier) -> Pip:
    ensure_has_perm(user, "pip_plans.add_pip")
    ensure_can_edit_dossier(user, dossier)
    if Pip.objects.filter(dossier=dossier).exists():
        raise ValidationError(_("This dossier already has a PIP; make a new version instead."))
    pip = Pip(dossier=dossier, versie=1)
    _save(pip, user=user, reden=_("PIP drafted"))
    return pip


def _ensure_bewerkbaar(user: User | None, pip: Pip) -> None:
    ensure_has_perm(user, "pip_plans.change_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    if pip.status not in BEWERKBARE_STATUSSEN:
        raise ValidationError(
            _(
                "A PIP in status “%(status)s” cannot be edited: a vastgestelde beschikking is "
                "changed only by a new version (Awb)."
            )
            % {"status": pip.get_status_display()}
        )


@transaction.atomic
def pip_bijwerken(*, user: User | None, pip: Pip, **fields: Any) -> Pip:
    _ensure_bewerkbaar(user, pip)
    unknown = set(fields) - PIP_BEWERKBARE_VELDEN
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(pip, field, value)
    if pip.leerroute == Leerroute.ONDERWIJS:
        pip.map_vrijgesteld = True  # MAP exempt in the onderwijsroute
    _save(pip, user=user, reden=_("PIP changed"))
    return pip


def pip_controleren(pip: Pip) -> dict[str, list[str]]:
    """Everything that stands in the way of vaststelling, per field, naming the rule."""
    errors: dict[str, list[str]] = {}
    persoon = pip.dossier.inburgeraar
    peildatum = timezone.localdate()
    municipaal = rules.heeft_municipaal_aanbod(persoon.doelgroep)

    def fout(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    # theme 1: inburgering
    if not pip.leerroute:
        fout("leerroute", _("Theme inburgering: choose a leerroute."))
    elif not municipaal and pip.leerroute in rules.MUNICIPALE_ROUTES:
        fout(
            "leerroute",
            _(
                "A gezinsmigrant or overige migrant gets no municipal leerroute (Wi 2021): only a "
                "purchased route at own cost."
            ),
        )
    elif municipaal and pip.leerroute == Leerroute.EIGEN_KOSTEN:
        fout("leerroute", _("An asielmigrant follows a municipal leerroute (Wi 2021)."))
    if pip.leerroute == Leerroute.Z and not pip.route_motivatie.strip():
        fout("route_motivatie", _("The Z-route needs a recorded motivation."))
    if (
        municipaal
        and pip.leerroute in (Leerroute.B1, Leerroute.Z)
        and rules.onderwijsroute_moet_overwogen(persoon.geboortedatum, peildatum)
        and not pip.onderwijsroute_overwogen.strip()
    ):
        fout(
            "onderwijsroute_overwogen",
            _("Under 28 the onderwijsroute must be considered: record why it was not chosen."),
        )
    if pip.leerroute in rules.MUNICIPALE_ROUTES:
        for field in ("einddoel", "aanbieder", "uren_per_week", "verwachte_duur_maanden"):
            if not getattr(pip, field):
                fout(field, _("Theme inburgering: required for a leerroute."))
    # theme 2: participatie
    if not pip.participatie.strip():
        fout("participatie", _("Theme participatie: record the participation agreements."))
    # theme 3: ontzorgen
    if not municipaal:
        if pip.ontzorgen_vaste_lasten or pip.ontzorgen_maanden:
            fout("ontzorgen_vaste_lasten", _("Ontzorgen is only for asielstatushouders (Wi 2021)."))
        if pip.maatschappelijke_begeleiding:
            fout(
                "maatschappelijke_begeleiding",
                _("Maatschappelijke begeleiding is only for asielstatushouders (Wi 2021)."),
            )
    elif pip.heeft_uitkering and not pip.ontzorgen_motivatie.strip():
        if not pip.ontzorgen_vaste_lasten:
            fout("ontzorgen_vaste_lasten", _("Theme ontzorgen: choose the fixed costs paid."))
        if not pip.ontzorgen_start:
            fout("ontzorgen_start", _("Theme ontzorgen: from which date."))
        if (pip.ontzorgen_maanden or 0) < rules.ONTZORGEN_MINIMUM_MAANDEN:
            fout(
                "ontzorgen_maanden",
                _(
                    "Ontzorgen lasts at least 6 months for an asielstatushouder on a benefit "
                    "(Wi 2021); record a motivation to deviate."
                ),
            )
    # theme 4: begeleiding
    if not pip.voortgangsgesprekken_per_jaar:
        fout(
            "voortgangsgesprekken_per_jaar",
            _("Theme begeleiding: agree the number of progress conversations."),
        )
    return errors


def _ensure_geldig(pip: Pip) -> None:
    errors = pip_controleren(pip)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pip_ter_ondertekening(*, user: User | None, pip: Pip) -> Pip:
    _ensure_bewerkbaar(user, pip)
    _ensure_geldig(pip)
    pip.status = PipStatus.TER_ONDERTEKENING
    _save(pip, user=user, reden=_("Submitted for approval"))
    return pip


@transaction.atomic
def pip_goedkeuren(*, user: User | None, pip: Pip) -> Pip:
    ensure_has_perm(user, "pip_plans.goedkeuren_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    if pip.status != PipStatus.TER_ONDERTEKENING:
        raise ValidationError(_("Only a PIP awaiting approval can be approved."))
    pip.status = PipStatus.GOEDGEKEURD
    pip.goedgekeurd_door = user
    _save(pip, user=user, reden=_("Approved"))
    return pip


@transaction.atomic
def pip_vaststellen(*, user: User | None, pip: Pip, datum: date | None = None) -> Pip:
    """Queue the beschikking: the PIP is vastgesteld only once its PDF exists."""
    ensure_has_perm(user, "pip_plans.change_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    pip = Pip.objects.select_for_update().get(pk=pip.pk)
    vereist = pip.dossier.gemeente.pip_goedkeuring_vereist
    allowed = {PipStatus.GOEDGEKEURD} if vereist else {PipStatus.CONCEPT, PipStatus.GOEDGEKEURD}
    if pip.status not in allowed:
        raise ValidationError(
            {
                "status": _("%(gemeente)s requires a teamleider's approval before a PIP is issued.")
                % {"gemeente": pip.dossier.gemeente}
                if vereist and pip.status in (PipStatus.CONCEPT, PipStatus.TER_ONDERTEKENING)
                else _("A PIP in status “%(status)s” cannot be issued.")
                % {"status": pip.get_status_display()}
            }
        )
    _ensure_geldig(pip)
    pip.status = PipStatus.WORDT_VASTGESTELD
    pip.datum_vastgesteld = datum or timezone.localdate()
    pip.kenmerk = pip.kenmerk or f"PIP-{pip.dossier.gemeente.cbs_code}-{pip.pk:06d}-v{pip.versie}"
    pip.render_fout = ""
    _save(pip, user=user, reden=_("Issuing the beschikking"))
    from .tasks import beschikking_renderen

    transaction.on_commit(lambda: beschikking_renderen.delay(pip.pk, user.pk if user else None))
    return pip


@transaction.atomic
def pip_beschikking_vastleggen(
    *, pip: Pip, pdf_bytes: bytes, sha256: str, user: User | None
) -> Pip:
    """Called by the rendering task once the PDF exists: the decision takes effect."""
    from django.core.files.base import ContentFile

    pip = Pip.objects.select_for_update().get(pk=pip.pk)
    if pip.status != PipStatus.WORDT_VASTGESTELD:
        return pip
    assert pip.datum_vastgesteld is not None
    vorige = pip.vorige_versie
    if vorige is not None and vorige.termijn_start and vorige.termijn_eind:
        # The termijn runs from the first PIP; a new version does not restart the clock.
        termijn = rules.Termijn(start=vorige.termijn_start, eind=vorige.termijn_eind)
    else:
        termijn = rules.inburgeringstermijn(pip.datum_vastgesteld)
    pip.termijn_start, pip.termijn_eind = termijn.start, termijn.eind
    pip.bezwaar_tot = rules.bezwaar_einddatum(pip.datum_vastgesteld)
    pip.pdf.save(f"{pip.kenmerk}.pdf", ContentFile(pdf_bytes), save=False)
    pip.pdf_sha256 = sha256
    pip.status = PipStatus.VASTGESTELD
    _save(pip, user=user, reden=_("Beschikking issued"))
    if pip.vorige_versie_id:
        vorige = pip.vorige_versie
        assert vorige is not None
        vorige.status = PipStatus.GEWIJZIGD
        _save(vorige, user=user, reden=_("Superseded by version %(v)d") % {"v": pip.versie})
    dossier = pip.dossier
    termijnen.herberekenen(dossier, user=user, reden=_("Beschikking issued"))
    gebeurtenis_vastleggen(
        dossier=dossier,
        soort=GebeurtenisSoort.GEWIJZIGD,
        actor=user,
        omschrijving=_(
            "PIP version %(versie)d issued (%(kenmerk)s); inburgeringstermijn %(start)s – %(eind)s."
        )
        % {
            "versie": pip.versie,
            "kenmerk": pip.kenmerk,
            "start": termijn.start.strftime("%d-%m-%Y"),
            "eind": termijn.eind.strftime("%d-%m-%Y"),
        },
    )
    if dossier.fase in (Fase.INTAKE, Fase.PIP):
        dossier_fase_wijzigen(
            user=user, dossier=dossier, fase=Fase.INBURGERING, reden=_("PIP issued")
        )
    return pip


@transaction.atomic
def pip_render_mislukt(*, pip: Pip, fout: str) -> Pip:
    """No decision without its document: back to where it was, with the reason shown."""
    pip = Pip.objects.select_for_update().get(pk=pip.pk)
    if pip.status != PipStatus.WORDT_VASTGESTELD:
        return pip
    pip.status = PipStatus.GOEDGEKEURD if pip.goedgekeurd_door_id else PipStatus.CONCEPT
    pip.datum_vastgesteld = None
    pip.render_fout = fout
    _save(pip, user=None, reden=_("Rendering the beschikking failed"))
    return pip


@transaction.atomic
def pip_nieuwe_versie(*, user: User | None, pip: Pip, reden: str = "") -> Pip:
    ensure_has_perm(user, "pip_plans.add_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    if pip.status != PipStatus.VASTGESTELD:
        raise ValidationError(_("Only a vastgestelde PIP can get a new version."))
    nieuw = Pip(dossier=pip.dossier, versie=pip.versie + 1, vorige_versie=pip)
    for field in PIP_BEWERKBARE_VELDEN:
        setattr(nieuw, field, getattr(pip, field))
    _save(nieuw, user=user, reden=reden or _("New version"))
    return nieuw


@transaction.atomic
def route_switchen(
    *, user: User | None, pip: Pip, nieuwe_route: str, datum: date, motivatie: str
) -> Pip:
    """Switch of route: at most once, until 18 months after the termijn started. Creates the
    new PIP version (a new beschikking) with the new route."""
    ensure_has_perm(user, "pip_plans.add_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    if pip.status != PipStatus.VASTGESTELD or pip.termijn_start is None:
        raise ValidationError(_("A route can only be changed on a vastgestelde PIP."))
    eerdere = RouteWijziging.objects.filter(
        pip__dossier=pip.dossier, soort=RouteWijzigingSoort.SWITCH
    ).count()
    reden = rules.switch_weigering(
        termijn_start=pip.termijn_start, datum=datum, eerdere_switches=eerdere
    )
    if reden == "al_geswitcht":
        raise ValidationError(
            {"nieuwe_route": _("The leerroute may be switched only once (Wi 2021).")}
        )
    if reden == "na_18_maanden":
        raise ValidationError(
            {
                "datum": _(
                    "A switch of route is possible only until 18 months after the termijn "
                    "started (%(start)s)."
                )
                % {"start": pip.termijn_start.strftime("%d-%m-%Y")}
            }
        )
    RouteWijziging.objects.create(
        pip=pip,
        soort=RouteWijzigingSoort.SWITCH,
        datum=datum,
        nieuwe_route=nieuwe_route,
        motivatie=motivatie,
        actor=user,
    )
    nieuw = pip_nieuwe_versie(user=user, pip=pip, reden=_("Switch of leerroute"))
    nieuw.leerroute = nieuwe_route
    _save(nieuw, user=user, reden=_("Switch of leerroute"))
    termijnen.herberekenen(pip.dossier, user=user, reden=_("Switch of leerroute"))
    return nieuw


AFSCHALEN_MELDINGEN = {
    "voor_18_maanden": "Afschalen is possible only after 18 months of the termijn.",
    "te_weinig_lesuren": "Afschalen needs at least 600 lesson hours (including alfabetisering).",
    "geen_inspanning": "Afschalen needs a recorded judgement of sufficient effort.",
}


@transaction.atomic
def afschalen(
    *,
    user: User | None,
    pip: Pip,
    examendeel: str,
    datum: date,
    lesuren: int,
    voldoende_inspanning: bool,
    motivatie: str,
) -> Pip:
    ensure_has_perm(user, "pip_plans.add_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    if pip.status != PipStatus.VASTGESTELD or pip.termijn_start is None:
        raise ValidationError(_("Afschalen is possible only on a vastgestelde PIP."))
    redenen = rules.afschalen_weigering(
        termijn_start=pip.termijn_start,
        datum=datum,
        lesuren=lesuren,
        voldoende_inspanning=voldoende_inspanning,
    )
    if redenen:
        raise ValidationError({"afschalen": [_(AFSCHALEN_MELDINGEN[r]) for r in redenen]})
    RouteWijziging.objects.create(
        pip=pip,
        soort=RouteWijzigingSoort.AFSCHALEN,
        datum=datum,
        examendeel=examendeel,
        lesuren=lesuren,
        voldoende_inspanning=voldoende_inspanning,
        motivatie=motivatie,
        actor=user,
    )
    nieuw = pip_nieuwe_versie(user=user, pip=pip, reden=_("Afschalen B1 → A2"))
    nieuw.a2_examendelen = sorted({*nieuw.a2_examendelen, examendeel})
    _save(nieuw, user=user, reden=_("Afschalen B1 → A2"))
    return nieuw
