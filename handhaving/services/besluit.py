"""Steps 4-6: the voornemen and zienswijze, the decision, and the boetebeschikking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inburgering.accounts.models import User
from inburgering.core.access import vereis
from inburgering.documents.termijnen import bezwaar_einddatum_volgens_kalender
from inburgering.kalender.selectors import atw_extra_dagen

from .. import rules, tijdlijn
from ..constants import BriefSoort, ProcedureStatus, ZienswijzeSoort
from ..models import Procedure
from ..selectors import beleid_van, heeft_uitkering, maximum_op, tarief_op
from ._gemeen import (
    BESLISBAAR,
    _datum_fout,
    _gebeurtenis,
    _herberekenen,
    _raise,
    _save,
    _stap_fout,
    _vandaag,
    _vergrendel,
    _verval_fout,
)
from .brieven import _brief_klaarzetten, _opnieuw_aanbieden

# --- 4. voornemen and zienswijze -------------------------------------------------------------


@transaction.atomic
def voornemen_versturen(*, user: User | None, procedure: Procedure) -> Procedure:
    """Send the intent letter (Awb 5:50) with the rapport enclosed, inviting a zienswijze
    within the gemeente's term (moved to a working day, Atw). A second click finds it sent."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    if procedure.status in (ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD, ProcedureStatus.ZIENSWIJZE):
        _opnieuw_aanbieden(procedure, BriefSoort.VOORNEMEN, user)
        return procedure  # already on its way: one letter
    _stap_fout(procedure, ProcedureStatus.VOORNEMEN, ProcedureStatus.BESLUIT)
    vandaag = _vandaag()
    verval = _verval_fout(procedure, vandaag)
    if verval:
        raise ValidationError({"status": [verval]})
    beleid = beleid_van(procedure.dossier.gemeente_id)
    procedure.zienswijze_tot = rules.zienswijze_einddatum(
        vandaag, beleid.zienswijze_dagen, atw_extra_dagen()
    )
    procedure.status = ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD
    _save(procedure, user=user, reden=_("Sending the intent letter"))
    _brief_klaarzetten(procedure, BriefSoort.VOORNEMEN, user=user, dagtekening=vandaag)
    return procedure


@transaction.atomic
def zienswijze_vastleggen(
    *,
    user: User | None,
    procedure: Procedure,
    soort: str,
    datum: date | None,
    inhoud: str = "",
) -> Procedure:
    """The zienswijze, written or oral (with a verslag), or its absence once the term passed."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.ZIENSWIJZE)
    fouten: dict[str, Any] = {}
    if soort not in ZienswijzeSoort.values:
        fouten["soort"] = _("Choose written, oral or none.")
    elif soort == ZienswijzeSoort.GEEN:
        vandaag = _vandaag()
        if procedure.zienswijze_tot and vandaag <= procedure.zienswijze_tot:
            fouten["soort"] = _(
                "The term for a zienswijze runs until %(datum)s: its absence is recorded only "
                "after that day (Awb 5:50)."
            ) % {"datum": procedure.zienswijze_tot.strftime("%d-%m-%Y")}
        datum = datum or vandaag
    else:
        if not inhoud.strip():
            fouten["inhoud"] = (
                _("Record the verslag of the oral zienswijze.")
                if soort == ZienswijzeSoort.MONDELING
                else _("Record what the written zienswijze says.")
            )
    datum_fout = _datum_fout(
        datum, niet_voor=procedure.voornemen_datum, label=_("the intent letter")
    )
    if datum_fout:
        fouten["datum"] = datum_fout
    _raise(fouten)
    assert datum is not None
    procedure.zienswijze_soort = soort
    procedure.zienswijze_datum = datum
    procedure.zienswijze_inhoud = inhoud.strip()
    procedure.status = ProcedureStatus.BESLUIT
    _save(procedure, user=user, reden=_("Zienswijze recorded"))
    _gebeurtenis(procedure, user, tijdlijn.ZIENSWIJZE, zienswijze=soort)
    _herberekenen(procedure, user, _("Zienswijze recorded"))
    return procedure


# --- 5. decision -----------------------------------------------------------------------------


@transaction.atomic
def geen_boete_besluiten(*, user: User | None, procedure: Procedure, motivering: str) -> Procedure:
    """No fine: a written notice, final — the same verzuim can never be fined later (Awb 5:43,
    held by the ``handhaving_geen_boete_is_definitief`` constraint)."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, *BESLISBAAR)
    if not motivering.strip():
        raise ValidationError({"motivering": [_("Say why no fine is imposed.")]})
    vandaag = _vandaag()
    procedure.status = ProcedureStatus.GEEN_BOETE
    procedure.geen_boete_op = vandaag
    procedure.besluit_datum = vandaag
    procedure.motivering = motivering.strip()
    procedure.basisbedrag = procedure.bedrag = None
    procedure.verlaging = Decimal("0.00")
    _save(procedure, user=user, reden=_("No fine (final)"))
    _gebeurtenis(procedure, user, tijdlijn.GEEN_BOETE)
    _brief_klaarzetten(procedure, BriefSoort.GEEN_BOETE, user=user, dagtekening=vandaag)
    _herberekenen(procedure, user, _("No fine"))
    return procedure


@transaction.atomic
def pw_maatregel_vastleggen(
    *,
    user: User | None,
    procedure: Procedure,
    participatieconsulent: str,
    maatregel: str,
    datum: date | None,
) -> Procedure:
    """A Participatiewet measure instead of a fine, for a benefit client, as agreed with the
    participatieconsulent."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, *BESLISBAAR)
    fouten: dict[str, Any] = {}
    if not heeft_uitkering(procedure.dossier):
        fouten["maatregel"] = _(
            "A Participatiewet measure is only for someone on a Participatiewet benefit (the "
            "PIP in force says there is none)."
        )
    if not participatieconsulent.strip():
        fouten["participatieconsulent"] = _(
            "Name the participatieconsulent the measure was agreed with."
        )
    if not maatregel.strip():
        fouten["maatregel"] = fouten.get("maatregel") or _("Describe the measure.")
    datum_fout = _datum_fout(
        datum,
        niet_voor=procedure.rapport_datum or procedure.gesprek_datum,
        label=_("the rapport") if procedure.rapport_datum else _("the hearing conversation"),
    )
    if datum_fout:
        fouten["datum"] = datum_fout
    _raise(fouten)
    procedure.status = ProcedureStatus.PW_MAATREGEL
    procedure.besluit_datum = datum
    procedure.pw_participatieconsulent = participatieconsulent.strip()
    procedure.pw_maatregel = maatregel.strip()
    _save(procedure, user=user, reden=_("Participatiewet measure instead of a fine"))
    _gebeurtenis(
        procedure, user, tijdlijn.PW_MAATREGEL, consulent=procedure.pw_participatieconsulent
    )
    _herberekenen(procedure, user, _("Participatiewet measure"))
    return procedure


# --- 6. boetebeschikking ---------------------------------------------------------------------


@transaction.atomic
def boete_opstellen(
    *,
    user: User | None,
    procedure: Procedure,
    verwijtbaarheid: str,
    bedrag: Decimal | None = None,
    verlaging_grond: str = "",
    verlaging_motivering: str = "",
    zienswijze_weging: str = "",
    datum: date | None = None,
) -> Procedure:
    """Draft the fine: the fixed amount for this failure on the decision date (the table,
    ``Boetetarief``), lower only on a recorded ground (Awb 5:46), never above it, never
    without blame (Awb 5:41), never after the power lapsed (Awb 5:45)."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    if procedure.geen_boete_op:
        raise ValidationError(
            {"status": [_("A verzuim with a “no fine” notice can never be fined (Awb 5:43).")]}
        )
    # drafted again from an approved fine (e.g. the amount changed): it needs approval again
    _stap_fout(
        procedure,
        ProcedureStatus.BESLUIT,
        ProcedureStatus.BOETE_CONCEPT,
        ProcedureStatus.GOEDGEKEURD,
    )
    datum = datum or _vandaag()
    fouten: dict[str, Any] = {}
    datum_fout = (
        _datum_fout(datum, niet_voor=procedure.zienswijze_datum, label=_("the zienswijze"))
        if procedure.zienswijze_datum
        else _datum_fout(datum, niet_voor=procedure.rapport_datum, label=_("the rapport"))
    )
    if datum_fout:
        fouten["datum"] = datum_fout
    verval = _verval_fout(procedure, datum)
    if verval:
        fouten["status"] = verval
    if procedure.voornemen_vereist and not procedure.zienswijze_soort:
        fouten["status"] = _(
            "A fine above €340 needs a rapport and the chance to give a zienswijze first "
            "(Awb 5:53)."
        )
    if not verwijtbaarheid.strip():
        fouten["verwijtbaarheid"] = _(
            "No fine without blame (Awb 5:41): say why the failure can be blamed on the person."
        )
    gegeven = procedure.zienswijze_soort not in ("", ZienswijzeSoort.GEEN)
    if gegeven and not zienswijze_weging.strip():
        fouten["zienswijze_weging"] = _(
            "Say how the zienswijze was weighed: the decision answers it (Awb 3:46)."
        )
    tarief = tarief_op(procedure.categorie, datum)
    if tarief is None:
        fouten["bedrag"] = _("No fine amount is on record for this failure on this date.")
    else:
        bedrag = tarief.maximum if bedrag is None else Decimal(bedrag).quantize(Decimal("0.01"))
        fouten.update(
            rules.bedrag_fouten(
                basisbedrag=tarief.maximum,
                bedrag=bedrag,
                verlaging_grond=verlaging_grond,
                verlaging_motivering=verlaging_motivering,
            )
        )
    _raise(fouten)
    assert tarief is not None and bedrag is not None
    verlaagd = bedrag < tarief.maximum
    procedure.basisbedrag = tarief.maximum
    procedure.bedrag = bedrag
    procedure.verlaging = tarief.maximum - bedrag
    procedure.verlaging_grond = verlaging_grond if verlaagd else ""
    procedure.verlaging_motivering = verlaging_motivering.strip() if verlaagd else ""
    procedure.verwijtbaarheid = verwijtbaarheid.strip()
    procedure.zienswijze_weging = zienswijze_weging.strip()
    procedure.besluit_datum = datum
    procedure.status = ProcedureStatus.BOETE_CONCEPT
    procedure.goedgekeurd_door = None
    _save(procedure, user=user, reden=_("Fine drafted"))
    _gebeurtenis(procedure, user, tijdlijn.BOETE_OPGESTELD, bedrag=str(bedrag))
    return procedure


@transaction.atomic
def boete_ter_goedkeuring(*, user: User | None, procedure: Procedure) -> Procedure:
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    if procedure.status == ProcedureStatus.TER_GOEDKEURING:
        return procedure
    _stap_fout(procedure, ProcedureStatus.BOETE_CONCEPT)
    procedure.status = ProcedureStatus.TER_GOEDKEURING
    procedure.terugstuur_opmerking = ""
    _save(procedure, user=user, reden=_("Fine submitted for approval"))
    _gebeurtenis(procedure, user, tijdlijn.BOETE_TER_GOEDKEURING, bedrag=str(procedure.bedrag))
    return procedure


@transaction.atomic
def boete_goedkeuren(*, user: User | None, procedure: Procedure) -> Procedure:
    """A teamleider approves. Two approving at once: the second finds it approved."""
    vereis(user, "handhaving.goedkeuren", procedure)
    procedure = _vergrendel(procedure)
    if procedure.status == ProcedureStatus.GOEDGEKEURD:
        return procedure
    _stap_fout(procedure, ProcedureStatus.TER_GOEDKEURING)
    procedure.status = ProcedureStatus.GOEDGEKEURD
    procedure.goedgekeurd_door = user
    _save(procedure, user=user, reden=_("Fine approved"))
    _gebeurtenis(procedure, user, tijdlijn.BOETE_GOEDGEKEURD)
    return procedure


@transaction.atomic
def boete_terugsturen(*, user: User | None, procedure: Procedure, opmerking: str) -> Procedure:
    vereis(user, "handhaving.goedkeuren", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.TER_GOEDKEURING)
    if not opmerking.strip():
        raise ValidationError(
            {"opmerking": [_("Say what the werkcoach should change: returning needs a comment.")]}
        )
    procedure.status = ProcedureStatus.BOETE_CONCEPT
    procedure.terugstuur_opmerking = opmerking.strip()
    _save(procedure, user=user, reden=_("Fine returned to the werkcoach"))
    _gebeurtenis(procedure, user, tijdlijn.BOETE_TERUGGESTUURD, opmerking=opmerking.strip())
    return procedure


@transaction.atomic
def boete_versturen(*, user: User | None, procedure: Procedure) -> Procedure:
    """Send the boetebeschikking (Awb 5:52) through the beschikking platform: dated today, the
    objection term printed (Awb 6:7, 6:8, Atw). Once: a second click, a second teamleider or
    a retried task finds the letter on its way or sent."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    if procedure.status in (ProcedureStatus.WORDT_VERSTUURD, ProcedureStatus.OPGELEGD):
        _opnieuw_aanbieden(procedure, BriefSoort.BOETEBESCHIKKING, user)
        return procedure
    vereist = beleid_van(procedure.dossier.gemeente_id).goedkeuring_vereist
    if vereist and procedure.status in (
        ProcedureStatus.BOETE_CONCEPT,
        ProcedureStatus.TER_GOEDKEURING,
    ):
        raise ValidationError(
            {
                "status": [
                    _("%(gemeente)s requires a teamleider's approval before a fine is sent.")
                    % {"gemeente": procedure.dossier.gemeente}
                ]
            }
        )
    _stap_fout(
        procedure,
        ProcedureStatus.GOEDGEKEURD,
        *([] if vereist else [ProcedureStatus.BOETE_CONCEPT]),
    )
    vandaag = _vandaag()
    verval = _verval_fout(procedure, vandaag)
    if verval:
        raise ValidationError({"status": [verval]})
    # the decision is dated today, so today's fixed amount applies (a fine decided on a date
    # uses that date's amount): drafted before an indexation, it is drafted again
    maximum = maximum_op(procedure.categorie, vandaag)
    if maximum != procedure.basisbedrag:
        raise ValidationError(
            {
                "bedrag": [
                    _(
                        "The fixed amount for this failure is €%(nu)s today, not the €%(toen)s "
                        "the fine was drafted with: draft the fine again."
                    )
                    % {"nu": maximum, "toen": procedure.basisbedrag}
                ]
            }
        )
    procedure.besluit_datum = vandaag
    procedure.bezwaar_tot = bezwaar_einddatum_volgens_kalender(vandaag)
    procedure.status = ProcedureStatus.WORDT_VERSTUURD
    _save(procedure, user=user, reden=_("Sending the boetebeschikking"))
    _brief_klaarzetten(procedure, BriefSoort.BOETEBESCHIKKING, user=user, dagtekening=vandaag)
    return procedure
