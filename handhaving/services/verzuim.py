"""Steps 1-3: the verzuim, the hearing conversation and the rapport."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Dossier
from inburgering.accounts.models import User
from inburgering.core.access import vereis
from inburgering.core.integrity import lock_row

from .. import rules, tijdlijn
from ..constants import GesprekUitkomst, ProcedureStatus, VerzuimBron, VerzuimSoort
from ..models import Procedure, Verzuim
from ..selectors import beleid_van, maximum_op
from ._gemeen import (
    _datum_fout,
    _gebeurtenis,
    _herberekenen,
    _raise,
    _save,
    _stap_fout,
    _vergrendel,
)

# --- 1. verzuim ------------------------------------------------------------------------------


@transaction.atomic
def verzuim_vastleggen(
    *,
    user: User | None,
    dossier: Dossier,
    soort: str,
    datum: date | None,
    omschrijving: str,
    bewijs: str = "",
    bron: str = VerzuimBron.HANDMATIG,
    bron_id: int | None = None,
) -> Procedure:
    """Record a failure and open its procedure at the hearing conversation ("always first a
    conversation"). A fact (an intake conversation) starts at most one verzuim: asked again
    (a double click, a retry) it returns the procedure it started."""
    vereis(user, "handhaving.verzuim_vastleggen", dossier)
    lock_row(dossier)  # numbering, and one verzuim per fact, under the dossier's lock
    if bron != VerzuimBron.HANDMATIG:
        bestaand = (
            Procedure.objects.filter(verzuim__bron=bron, verzuim__bron_id=bron_id)
            .select_related("verzuim")
            .first()
        )
        if bestaand is not None:
            return bestaand
    fouten: dict[str, Any] = {}
    if soort not in VerzuimSoort.values:
        fouten["soort"] = _("Choose the obligation that was broken.")
    else:
        weigering = rules.verzuim_weigering(
            regime=dossier.inburgeraar.regime, doelgroep=dossier.inburgeraar.doelgroep, soort=soort
        )
        if weigering:
            fouten["soort"] = weigering
    datum_fout = _datum_fout(datum)
    if datum_fout:
        fouten["datum"] = datum_fout
    if not omschrijving.strip():
        fouten["omschrijving"] = _("Say what happened: a verzuim names its facts.")
    if not dossier.is_open:
        fouten["dossier"] = _("The dossier is closed.")
    _raise(fouten)
    assert datum is not None
    categorie = VerzuimSoort(soort).categorie
    maximum = maximum_op(categorie, datum)
    if maximum is None:
        raise ValidationError(
            {"datum": [_("No fine amount is on record for this failure on this date.")]}
        )
    beleid = beleid_van(dossier.gemeente_id)
    verzuim = Verzuim(
        dossier=dossier,
        soort=soort,
        datum=datum,
        omschrijving=omschrijving.strip(),
        bewijs=bewijs.strip(),
        bron=bron,
        bron_id=bron_id,
        vastgelegd_door=user,
    )
    _save(verzuim, user=user, reden=_("Failure recorded"))
    laatste = Procedure.objects.filter(dossier=dossier).order_by("-volgnummer").first()
    procedure = Procedure(
        verzuim=verzuim,
        dossier=dossier,
        volgnummer=(laatste.volgnummer + 1) if laatste else 1,
        categorie=categorie,
        zware_boete=rules.is_zware_boete(maximum),
        voornemen_vereist=rules.voornemen_vereist(
            maximum=maximum, beleid_intake_altijd=beleid.voornemen_bij_intakeboete
        ),
        taal=dossier.inburgeraar.tolk_taal if dossier.inburgeraar.tolk_nodig else "",
    )
    _save(procedure, user=user, reden=_("Procedure opened"))
    _gebeurtenis(procedure, user, tijdlijn.VERZUIM, verzuim=soort, datum=datum.isoformat())
    _herberekenen(procedure, user, _("Failure recorded"))
    return procedure


def verzuim_uit_intakegesprek(*, user: User | None, gesprek: Any) -> Procedure:
    """The no-show (or non-cooperation) of an intake conversation as a verzuim."""
    if gesprek.verschenen and gesprek.meegewerkt:
        raise ValidationError(
            {"gesprek": [_("The person appeared and cooperated: there is nothing to enforce.")]}
        )
    soort = (
        VerzuimSoort.INTAKE_NIET_VERSCHENEN
        if not gesprek.verschenen
        else VerzuimSoort.INTAKE_NIET_MEEGEWERKT
    )
    omschrijving = (
        _("Did not appear for the intake conversation of %(datum)s.")
        if not gesprek.verschenen
        else _("Did not cooperate in the intake conversation of %(datum)s.")
    ) % {"datum": gesprek.datum.strftime("%d-%m-%Y")}
    return verzuim_vastleggen(
        user=user,
        dossier=gesprek.intake.dossier,
        soort=soort,
        datum=gesprek.datum,
        omschrijving=omschrijving,
        bewijs=_("The record of the intake conversation of %(datum)s.")
        % {"datum": gesprek.datum.strftime("%d-%m-%Y")},
        bron=VerzuimBron.INTAKE_GESPREK,
        bron_id=gesprek.pk,
    )


# --- 2. hearing conversation -----------------------------------------------------------------


@transaction.atomic
def gesprek_vastleggen(
    *,
    user: User | None,
    procedure: Procedure,
    datum: date | None,
    verslag: str,
    uitkomst: str,
    reden: str = "",
    tolk: str = "",
) -> Procedure:
    """The hearing conversation (hoor en wederhoor), always first; most procedures end here."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.GESPREK)
    fouten: dict[str, Any] = {}
    datum_fout = _datum_fout(datum, niet_voor=procedure.verzuim.datum, label=_("the failure"))
    if datum_fout:
        fouten["datum"] = datum_fout
    if not verslag.strip():
        fouten["verslag"] = _("Record what was said: hoor en wederhoor comes first.")
    if uitkomst not in GesprekUitkomst.values:
        fouten["uitkomst"] = _("Choose how the procedure goes on.")
    elif uitkomst == GesprekUitkomst.AFGEDAAN and not reden.strip():
        fouten["reden"] = _("Say why enforcement ends with this conversation.")
    _raise(fouten)
    assert datum is not None
    procedure.gesprek_datum = datum
    procedure.gesprek_verslag = verslag.strip()
    procedure.gesprek_tolk = tolk.strip()
    if uitkomst == GesprekUitkomst.AFGEDAAN:
        procedure.status = ProcedureStatus.AFGEDAAN
        procedure.afgedaan_reden = reden.strip()
    else:
        procedure.status = ProcedureStatus.RAPPORT
    _save(procedure, user=user, reden=_("Hearing conversation recorded"))
    _gebeurtenis(procedure, user, tijdlijn.GESPREK, datum=datum.isoformat())
    if uitkomst == GesprekUitkomst.AFGEDAAN:
        _gebeurtenis(procedure, user, tijdlijn.AFGEDAAN, reden=procedure.afgedaan_reden)
    _herberekenen(procedure, user, _("Hearing conversation recorded"))
    return procedure


# --- 3. rapport ------------------------------------------------------------------------------


@transaction.atomic
def rapport_opmaken(
    *, user: User | None, procedure: Procedure, datum: date | None, plaats: str, feiten: str
) -> Procedure:
    """The rapport (Awb 5:48): dated, naming the person, the offence, the rule broken, place
    and time; its date starts the 13-week decision term (Awb 5:51)."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.RAPPORT)
    fouten: dict[str, Any] = {}
    datum_fout = _datum_fout(
        datum, niet_voor=procedure.gesprek_datum, label=_("the hearing conversation")
    )
    if datum_fout:
        fouten["datum"] = datum_fout
    if not plaats.strip():
        fouten["plaats"] = _("A rapport names the place of the failure (Awb 5:48).")
    if not feiten.strip():
        fouten["feiten"] = _("A rapport states the facts of the failure (Awb 5:48).")
    _raise(fouten)
    assert datum is not None
    procedure.rapport_datum = datum
    procedure.rapport_plaats = plaats.strip()
    procedure.rapport_feiten = feiten.strip()
    procedure.rapport_door = user
    procedure.status = (
        ProcedureStatus.VOORNEMEN if procedure.voornemen_vereist else ProcedureStatus.BESLUIT
    )
    _save(procedure, user=user, reden=_("Rapport drawn up"))
    _gebeurtenis(procedure, user, tijdlijn.RAPPORT, datum=datum.isoformat())
    _herberekenen(procedure, user, _("Rapport drawn up"))
    return procedure
