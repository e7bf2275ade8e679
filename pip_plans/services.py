"""Writes for the brede intake and the PIP. Every refusal names the rule that forbids it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cases import termijnen
from cases.constants import ASIEL_DOELGROEPEN
from cases.feitdatums import feitdatum_fout, feitdatums_controleren
from cases.models import Dossier, TermijnBeleid
from cases.policy import can_view_medical, can_view_signalen, ensure_can_edit_dossier
from cases.services import dossier_fase_volgen, gebeurtenis_vastleggen
from inburgering.accounts.models import User
from inburgering.core import weergave
from inburgering.core.access import ensure_has_perm
from inburgering.core.integrity import lock_row
from inburgering.documents.termijnen import bezwaar_einddatum_volgens_kalender

from . import rules, tijdlijn
from .constants import (
    BEWERKBARE_STATUSSEN,
    INTAKE_VELDEN,
    MEDISCHE_DOMEINEN,
    PIP_VELDEN,
    Domein,
    Einddoel,
    Leerroute,
    PipStatus,
    RouteWijzigingSoort,
)
from .models import BredeIntake, DomeinBeoordeling, IntakeGesprek, Kind, Pip, RouteWijziging
from .selectors import inburgeringstermijn_voor


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
    lock_row(dossier)  # a concurrent start waits, then returns this one
    existing = BredeIntake.objects.filter(dossier=dossier).first()
    if existing:
        return existing
    intake = BredeIntake(dossier=dossier)
    _save(intake, user=user, reden=_("Brede intake started"))
    gebeurtenis_vastleggen(dossier=dossier, soort=tijdlijn.INTAKE_GESTART, actor=user)
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
    if "signalen" in fields and user is not None and not can_view_signalen(user, intake.dossier):
        raise PermissionDenied(
            _(
                "Signals and referrals (trauma, domestic violence) are special-category data "
                "(AVG art. 9): only users with need-to-know may record or read them."
            )
        )
    if "leerbaarheid_datum" in fields:
        # the test has been taken: its date is a fact (not in the future)
        errors = feitdatums_controleren(
            {}, {"leerbaarheid_datum": (fields["leerbaarheid_datum"], None, "")}
        )
        if errors:
            raise ValidationError(errors)
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
    # "Appeared", "cooperated" and the notes record a conversation that took place.
    errors = feitdatums_controleren({}, {"datum": (gesprek.datum, None, "")})
    if errors:
        raise ValidationError(errors)
    _save(gesprek, user=user)
    if not gesprek.verschenen:
        soort = tijdlijn.INTAKE_NIET_VERSCHENEN
    elif not gesprek.meegewerkt:
        soort = tijdlijn.INTAKE_NIET_MEEGEWERKT
    else:
        soort = tijdlijn.INTAKE_GESPREK
    gebeurtenis_vastleggen(
        dossier=intake.dossier,
        soort=soort,
        actor=user,
        gegevens={
            "intake_gesprek": gesprek.pk,
            "verschenen": gesprek.verschenen,
            "datum": gesprek.datum.isoformat(),
            "locatie": gesprek.locatie,
        },
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
    lock_row(intake)  # concurrent saves of a domain update one row, one after the other
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
    datum = datum or timezone.localdate()
    # Completion is a fact: not in the future, not before the conversations and the
    # leerbaarheidstoets it consists of.
    laatste_gesprek = max(
        IntakeGesprek.objects.filter(intake=intake).values_list("datum", flat=True), default=None
    )
    onderdelen = [
        (d, label)
        for d, label in (
            (laatste_gesprek, _("the last intake conversation")),
            (intake.leerbaarheid_datum, _("the leerbaarheidstoets")),
        )
        if d is not None
    ]
    niet_voor, label = max(onderdelen, key=lambda o: o[0]) if onderdelen else (None, "")
    feitdatums_controleren(errors, {"datum": (datum, niet_voor, label)})
    if errors:
        raise ValidationError(errors)
    intake.datum_afgerond = datum
    _save(intake, user=user, reden=_("Brede intake completed"))
    dossier = intake.dossier
    gebeurtenis_vastleggen(
        dossier=dossier,
        soort=tijdlijn.INTAKE_AFGEROND,
        actor=user,
        gegevens={"datum": datum.isoformat()},
    )
    termijnen.herberekenen(dossier, user=user, reden=_("Brede intake completed"))
    # The phase follows the fact: on to the PIP phase from wherever the dossier stood.
    dossier_fase_volgen(user=user, dossier=dossier, reden=_("Brede intake completed"))
    return intake


# --- PIP ------------------------------------------------------------------------------------

PIP_BEWERKBARE_VELDEN = set(PIP_VELDEN)


@transaction.atomic
def pip_aanmaken(*, user: User | None, dossier: Dossier) -> Pip:
    ensure_has_perm(user, "pip_plans.add_pip")
    ensure_can_edit_dossier(user, dossier)
    lock_row(dossier)  # a concurrent create waits, then sees this dossier's PIP
    if Pip.objects.filter(dossier=dossier).exists():
        raise ValidationError(_("This dossier already has a PIP; make a new version instead."))
    pip = Pip(dossier=dossier, versie=1)
    _save(pip, user=user, reden=_("PIP drafted"))
    _pip_gebeurtenis(pip, user, tijdlijn.PIP_AANGEMAAKT)
    return pip


def _pip_gebeurtenis(pip: Pip, user: User | None, soort: str, **gegevens: Any) -> None:
    gebeurtenis_vastleggen(
        dossier=pip.dossier,
        soort=soort,
        actor=user,
        gegevens={"pip": str(pip.uuid), "versie": pip.versie, **gegevens},
    )


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
    was_onderwijs = pip.leerroute == Leerroute.ONDERWIJS
    for field, value in fields.items():
        setattr(pip, field, value)
    _map_volgt_route(pip, was_onderwijs=was_onderwijs, expliciet="map_vrijgesteld" in fields)
    _save(pip, user=user, reden=_("PIP changed"))
    return pip


def _map_volgt_route(pip: Pip, *, was_onderwijs: bool, expliciet: bool = False) -> None:
    """The onderwijsroute exempts the MAP automatically (the only automatic exemption); leaving
    it ends that exemption unless a ground for one is recorded."""
    if pip.leerroute == Leerroute.ONDERWIJS:
        pip.map_vrijgesteld = True
    elif was_onderwijs and not expliciet and not pip.map_vrijstelling_grond.strip():
        pip.map_vrijgesteld = False


# Why an einddoel does not fit the route (rules.EINDDOELEN_PER_ROUTE).
EINDDOEL_WEIGERINGEN: dict[str, Any] = {
    Leerroute.B1: gettext_lazy(
        "The B1-route ends in the B1 exams (A2 on exam parts only after afschalen): choose B1 "
        "or A2 on exam parts."
    ),
    Leerroute.ONDERWIJS: gettext_lazy(
        "The onderwijsroute ends in the taalschakeltraject: its einddoel is the "
        "taalschakeltraject, not a B1 exam."
    ),
    Leerroute.Z: gettext_lazy(
        "The Z-route has no exam: its einddoel is the Z-route hours and effort (at least A1), "
        "not B1."
    ),
}


def _min_voortgangsgesprekken(dossier: Dossier) -> int:
    """The gemeente's policy minimum (``TermijnBeleid``), the model default without a policy."""
    minimum = (
        TermijnBeleid.objects.filter(gemeente_id=dossier.gemeente_id)
        .values_list("min_voortgangsgesprekken_per_jaar", flat=True)
        .first()
    )
    if minimum is None:
        default = TermijnBeleid._meta.get_field("min_voortgangsgesprekken_per_jaar").default
        return int(default)  # type: ignore[arg-type]
    return int(minimum)


def pip_controleren(pip: Pip, *, datum: date | None = None) -> dict[str, list[str]]:
    """Everything that stands in the way of vaststelling, per field, naming the rule.

    ``datum`` is the date of the decision (default: today): age and the intake are judged on
    the day the PIP is vastgesteld."""
    errors: dict[str, list[str]] = {}
    dossier = pip.dossier
    persoon = dossier.inburgeraar
    peildatum = datum or timezone.localdate()
    wi2013 = rules.is_wi2013(persoon.regime)
    asiel = persoon.doelgroep in ASIEL_DOELGROEPEN
    municipaal = rules.heeft_municipaal_aanbod(persoon.doelgroep, persoon.regime)

    def fout(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    # the brede intake comes first: the PIP rests on its outcome
    intake = BredeIntake.objects.filter(dossier=dossier).only("datum_afgerond").first()
    if intake is None or intake.datum_afgerond is None:
        fout(
            "brede_intake",
            _(
                "A PIP is drawn up on the outcome of the brede intake (Wi 2021 art. 14 and 16): "
                "complete the brede intake before the PIP is issued."
            ),
        )
    elif peildatum < intake.datum_afgerond:
        fout(
            "datum",
            _(
                "A PIP cannot be dated before the brede intake it rests on was completed "
                "(%(datum)s, Wi 2021 art. 16)."
            )
            % {"datum": weergave.datum(intake.datum_afgerond)},
        )
    # theme 1: inburgering
    if not pip.leerroute:
        fout("leerroute", _("Theme inburgering: choose a leerroute."))
    elif wi2013 and pip.leerroute in rules.MUNICIPALE_ROUTES:
        fout(
            "leerroute",
            _(
                "A Wi2013 dossier (ondertussengroep or ELIP) gets no municipal leerroute (Wet "
                "inburgering 2013): only a purchased route at own cost."
            ),
        )
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
            _(
                "Under 28 on the date of the decision the onderwijsroute must be considered: "
                "record why it was not chosen."
            ),
        )
    if pip.leerroute in rules.MUNICIPALE_ROUTES:
        for field in ("einddoel", "aanbieder", "uren_per_week", "verwachte_duur_maanden"):
            if not getattr(pip, field):
                fout(field, _("Theme inburgering: required for a leerroute."))
    if not rules.einddoel_past_bij_route(pip.leerroute, pip.einddoel):
        fout("einddoel", str(EINDDOEL_WEIGERINGEN[pip.leerroute]))
    if pip.einddoel == Einddoel.A2_DELEN and not pip.a2_examendelen:
        fout(
            "a2_examendelen",
            _("Einddoel A2 on exam parts: name each exam part on which A2 is the goal."),
        )
    elif pip.a2_examendelen and pip.einddoel != Einddoel.A2_DELEN:
        fout(
            "a2_examendelen",
            _(
                "A2 on exam parts goes with the einddoel “A2 on one or more exam parts” "
                "(after afschalen, Wi 2021)."
            ),
        )
    if (
        pip.map_vrijgesteld
        and pip.leerroute != Leerroute.ONDERWIJS
        and not pip.map_vrijstelling_grond.strip()
    ):
        fout(
            "map_vrijstelling_grond",
            _(
                "The MAP is part of the inburgeringsplicht; only the onderwijsroute exempts it "
                "automatically (Wi 2021). Record the ground for this exemption."
            ),
        )
    # theme 2: participatie
    if not pip.participatie.strip():
        fout("participatie", _("Theme participatie: record the participation agreements."))
    # theme 3: ontzorgen
    if wi2013 and (pip.ontzorgen_vaste_lasten or pip.ontzorgen_maanden):
        fout(
            "ontzorgen_vaste_lasten",
            _(
                "Ontzorgen is part of the Wi 2021 offer: a Wi2013 dossier (ondertussengroep or "
                "ELIP) gets none."
            ),
        )
    elif not asiel and (pip.ontzorgen_vaste_lasten or pip.ontzorgen_maanden):
        fout("ontzorgen_vaste_lasten", _("Ontzorgen is only for asielstatushouders (Wi 2021)."))
    elif municipaal and pip.heeft_uitkering and not pip.ontzorgen_motivatie.strip():
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
    if not asiel and pip.maatschappelijke_begeleiding:
        fout(
            "maatschappelijke_begeleiding",
            _("Maatschappelijke begeleiding is only for asielstatushouders (Wi 2021)."),
        )
    # the letter must reach the addressee
    if persoon.postadres is None:
        fout(
            "woonadres",
            _(
                "A decision takes effect by being sent to the addressee (Awb art. 3:40 and "
                "3:41): record the person's woonadres (or a correspondence address) first."
            ),
        )
    # theme 4: begeleiding
    if not pip.voortgangsgesprekken_per_jaar:
        fout(
            "voortgangsgesprekken_per_jaar",
            _("Theme begeleiding: agree the number of progress conversations."),
        )
    else:
        minimum = _min_voortgangsgesprekken(dossier)
        if rules.onder_minimum_voortgangsgesprekken(pip.voortgangsgesprekken_per_jaar, minimum):
            fout(
                "voortgangsgesprekken_per_jaar",
                ngettext(
                    "%(gemeente)s policy: at least %(minimum)d progress conversation a year.",
                    "%(gemeente)s policy: at least %(minimum)d progress conversations a year.",
                    minimum,
                )
                % {"gemeente": dossier.gemeente.naam, "minimum": minimum},
            )
    return errors


def _ensure_geldig(pip: Pip, *, datum: date | None = None) -> None:
    errors = pip_controleren(pip, datum=datum)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pip_ter_ondertekening(*, user: User | None, pip: Pip) -> Pip:
    _ensure_bewerkbaar(user, pip)
    _ensure_geldig(pip)
    pip.status = PipStatus.TER_ONDERTEKENING
    pip.terugstuur_opmerking = ""  # answered by this submission; the history keeps it
    pip.teruggestuurd_door = None
    _save(pip, user=user, reden=_("Submitted for approval"))
    _pip_gebeurtenis(pip, user, tijdlijn.PIP_TER_ONDERTEKENING)
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
    _pip_gebeurtenis(pip, user, tijdlijn.PIP_GOEDGEKEURD)
    return pip


@transaction.atomic
def pip_terugsturen(*, user: User | None, pip: Pip, opmerking: str) -> Pip:
    """The teamleider does not approve: the PIP goes back to the werkcoach as a concept, with
    a comment (required) that the werkcoach sees on the PIP page and in the timeline."""
    ensure_has_perm(user, "pip_plans.goedkeuren_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    pip = Pip.objects.select_for_update().get(pk=pip.pk)
    errors: dict[str, list[Any]] = {}
    if pip.status != PipStatus.TER_ONDERTEKENING:
        errors["status"] = [_("Only a PIP awaiting approval can be returned to the werkcoach.")]
    opmerking = opmerking.strip()
    if not opmerking:
        errors["opmerking"] = [
            _("Say what the werkcoach should change: returning a PIP needs a comment.")
        ]
    if errors:
        raise ValidationError(errors)
    pip.status = PipStatus.CONCEPT
    pip.goedgekeurd_door = None
    pip.terugstuur_opmerking = opmerking
    pip.teruggestuurd_door = user
    _save(
        pip,
        user=user,
        reden=_("Returned to the werkcoach: %(opmerking)s") % {"opmerking": opmerking},
    )
    _pip_gebeurtenis(pip, user, tijdlijn.PIP_TERUGGESTUURD, opmerking=opmerking)
    return pip


@transaction.atomic
def pip_vaststellen(*, user: User | None, pip: Pip, datum: date | None = None) -> Pip:
    """Queue the beschikking: the PIP is vastgesteld only once its PDF exists."""
    ensure_has_perm(user, "pip_plans.change_pip")
    ensure_can_edit_dossier(user, pip.dossier)
    pip = Pip.objects.select_for_update().get(pk=pip.pk)
    vereist = pip.dossier.gemeente.pip_goedkeuring_vereist
    allowed = rules.vaststelbare_statussen(vereist)
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
    datum = datum or timezone.localdate()
    # A decision is dated the day it is made, not ahead (rules.feitdatum_weigering).
    datum_fout = feitdatum_fout(datum)
    if datum_fout:
        raise ValidationError({"datum": [datum_fout]})
    _ensure_geldig(pip, datum=datum)
    pip.status = PipStatus.WORDT_VASTGESTELD
    pip.datum_vastgesteld = datum
    # the objection deadline the letter prints and the database keeps (Awb 6:7, Atw)
    pip.bezwaar_tot = bezwaar_einddatum_volgens_kalender(datum)
    pip.kenmerk = pip.kenmerk or f"PIP-{pip.dossier.gemeente.cbs_code}-{pip.pk:06d}-v{pip.versie}"
    pip.render_fout = ""
    _save(pip, user=user, reden=_("Issuing the beschikking"))
    # Queued only now that the permission and the rules were checked and the state is saved;
    # the platform task renders, stores, or puts the PIP back (pip_render_mislukt).
    from inburgering.documents.tasks import document_renderen

    from .documenten import BESCHIKKING

    transaction.on_commit(
        lambda: document_renderen.delay(BESCHIKKING, pip.pk, user.pk if user else None)
    )
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
    # The termijn runs from the first PIP; a new version does not restart the clock.
    termijn = inburgeringstermijn_voor(pip)
    assert termijn is not None
    pip.termijn_start, pip.termijn_eind = termijn.start, termijn.berekende_eind
    # As printed in the letter (set by pip_vaststellen before rendering).
    pip.bezwaar_tot = pip.bezwaar_tot or bezwaar_einddatum_volgens_kalender(pip.datum_vastgesteld)
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
    _pip_gebeurtenis(
        pip,
        user,
        tijdlijn.PIP_VASTGESTELD,
        kenmerk=pip.kenmerk,
        start=termijn.start.isoformat(),
        eind=termijn.eind.isoformat(),
    )
    dossier_fase_volgen(user=user, dossier=dossier, reden=_("PIP issued"))
    return pip


@transaction.atomic
def pip_render_mislukt(*, pip: Pip, fout: str) -> Pip:
    """No decision without its document: back to where it was, with the reason shown."""
    pip = Pip.objects.select_for_update().get(pk=pip.pk)
    if pip.status != PipStatus.WORDT_VASTGESTELD:
        return pip
    pip.status = PipStatus.GOEDGEKEURD if pip.goedgekeurd_door_id else PipStatus.CONCEPT
    pip.datum_vastgesteld = None
    pip.bezwaar_tot = None
    pip.render_fout = fout
    _save(pip, user=None, reden=_("Rendering the beschikking failed"))
    _pip_gebeurtenis(pip, None, tijdlijn.PIP_RENDER_MISLUKT, status=pip.status)
    return pip


@transaction.atomic
def pip_nieuwe_versie(*, user: User | None, pip: Pip, reden: str = "") -> Pip:
    nieuw = _nieuwe_versie(user=user, pip=pip, reden=reden)
    _pip_gebeurtenis(nieuw, user, tijdlijn.PIP_NIEUWE_VERSIE, reden=reden)
    return nieuw


def _nieuwe_versie(*, user: User | None, pip: Pip, reden: str) -> Pip:
    """The next version of a vastgestelde PIP (route switch and afschalen log their own event)."""
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
    termijn = inburgeringstermijn_voor(pip, met_verlenging=False)
    if pip.status != PipStatus.VASTGESTELD or termijn is None:
        raise ValidationError(_("A route can only be changed on a vastgestelde PIP."))
    eerdere = RouteWijziging.objects.filter(
        pip__dossier=pip.dossier, soort=RouteWijzigingSoort.SWITCH
    ).count()
    reden = rules.switch_weigering(
        termijn_start=termijn.start, datum=datum, eerdere_switches=eerdere
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
                % {"start": weergave.datum(termijn.start)}
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
    nieuw = _nieuwe_versie(user=user, pip=pip, reden=_("Switch of leerroute"))
    was_onderwijs = nieuw.leerroute == Leerroute.ONDERWIJS
    nieuw.leerroute = nieuwe_route
    # The einddoel follows the route (a Z-route has no B1 exam; afschalen parts go with B1).
    if not rules.einddoel_past_bij_route(nieuwe_route, nieuw.einddoel):
        nieuw.einddoel = rules.EINDDOEL_VAN_ROUTE[nieuwe_route]
    if nieuw.einddoel != Einddoel.A2_DELEN:
        nieuw.a2_examendelen = []
    _map_volgt_route(nieuw, was_onderwijs=was_onderwijs)
    _save(nieuw, user=user, reden=_("Switch of leerroute"))
    termijnen.herberekenen(pip.dossier, user=user, reden=_("Switch of leerroute"))
    _pip_gebeurtenis(nieuw, user, tijdlijn.PIP_ROUTE_SWITCH, route=nieuwe_route)
    return nieuw


# Lazy: translated when shown, in the reader's language. (Plain strings passed to gettext at run
# time were never extracted by makemessages, so the refusals stayed English in the Dutch UI.)
AFSCHALEN_MELDINGEN = {
    "voor_18_maanden": gettext_lazy("Afschalen is possible only after 18 months of the termijn."),
    "te_weinig_lesuren": gettext_lazy(
        "Afschalen needs at least 600 lesson hours (including alfabetisering)."
    ),
    "geen_inspanning": gettext_lazy("Afschalen needs a recorded judgement of sufficient effort."),
}
# The field that records each condition (form and API name the field, not the action).
AFSCHALEN_VELDEN = {
    "voor_18_maanden": "datum",
    "te_weinig_lesuren": "lesuren",
    "geen_inspanning": "voldoende_inspanning",
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
    termijn = inburgeringstermijn_voor(pip, met_verlenging=False)
    if pip.status != PipStatus.VASTGESTELD or termijn is None:
        raise ValidationError(_("Afschalen is possible only on a vastgestelde PIP."))
    redenen = rules.afschalen_weigering(
        termijn_start=termijn.start,
        datum=datum,
        lesuren=lesuren,
        voldoende_inspanning=voldoende_inspanning,
    )
    errors: dict[str, list[str]] = {}
    for r in redenen:  # each unmet condition at the field that records it
        errors.setdefault(AFSCHALEN_VELDEN[r], []).append(str(AFSCHALEN_MELDINGEN[r]))
    if examendeel in (pip.a2_examendelen or []):
        errors.setdefault("examendeel", []).append(
            _("This exam part is already afgeschaald to A2.")
        )
    if errors:
        raise ValidationError(errors)
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
    nieuw = _nieuwe_versie(user=user, pip=pip, reden=_("Afschalen B1 → A2"))
    nieuw.a2_examendelen = sorted({*nieuw.a2_examendelen, examendeel})
    nieuw.einddoel = Einddoel.A2_DELEN  # B1, with A2 on the parts afgeschaald
    _save(nieuw, user=user, reden=_("Afschalen B1 → A2"))
    _pip_gebeurtenis(nieuw, user, tijdlijn.PIP_AFGESCHAALD, examendeel=examendeel)
    return nieuw
