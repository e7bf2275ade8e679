"""Step 7, after the decision: objection, payment status, withdrawal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inburgering.accounts.models import User
from inburgering.core.access import vereis

from .. import tijdlijn
from ..constants import Betaalstatus, BezwaarUitkomst, BriefSoort, ProcedureStatus
from ..models import Procedure
from ._gemeen import (
    _datum_fout,
    _gebeurtenis,
    _herberekenen,
    _raise,
    _save,
    _stap_fout,
    _vandaag,
    _vergrendel,
)
from .brieven import _brief_klaarzetten

# --- 7. after --------------------------------------------------------------------------------


@transaction.atomic
def bezwaar_registreren(
    *, user: User | None, procedure: Procedure, ontvangen_op: date | None
) -> Procedure:
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.OPGELEGD)
    datum_fout = _datum_fout(
        ontvangen_op, niet_voor=procedure.besluit_datum, label=_("the decision")
    )
    if datum_fout:
        raise ValidationError({"ontvangen_op": [datum_fout]})
    assert ontvangen_op is not None
    procedure.bezwaar_ontvangen_op = ontvangen_op
    procedure.bezwaar_beslist_op = None
    procedure.bezwaar_uitkomst = ""
    procedure.status = ProcedureStatus.BEZWAAR
    _save(procedure, user=user, reden=_("Objection received"))
    _gebeurtenis(procedure, user, tijdlijn.BEZWAAR, datum=ontvangen_op.isoformat())
    _herberekenen(procedure, user, _("Objection received"))
    return procedure


@transaction.atomic
def bezwaar_beslissen(
    *,
    user: User | None,
    procedure: Procedure,
    uitkomst: str,
    datum: date | None,
    nieuw_bedrag: Decimal | None = None,
) -> Procedure:
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.BEZWAAR)
    fouten: dict[str, Any] = {}
    if uitkomst not in BezwaarUitkomst.values:
        fouten["uitkomst"] = _("Choose the outcome of the objection.")
    datum_fout = _datum_fout(
        datum, niet_voor=procedure.bezwaar_ontvangen_op, label=_("the objection")
    )
    if datum_fout:
        fouten["datum"] = datum_fout
    if uitkomst == BezwaarUitkomst.GEDEELTELIJK:
        assert procedure.bedrag is not None
        if nieuw_bedrag is None or not (0 < nieuw_bedrag < procedure.bedrag):
            fouten["nieuw_bedrag"] = _(
                "A partly founded objection lowers the fine: give a new amount above €0 and "
                "below €%(bedrag)s."
            ) % {"bedrag": procedure.bedrag}
    _raise(fouten)
    procedure.bezwaar_uitkomst = uitkomst
    procedure.bezwaar_beslist_op = datum
    if uitkomst == BezwaarUitkomst.GEGROND:
        procedure.status = ProcedureStatus.VERNIETIGD
    else:
        procedure.status = ProcedureStatus.OPGELEGD
        if uitkomst == BezwaarUitkomst.GEDEELTELIJK:
            assert procedure.basisbedrag is not None and nieuw_bedrag is not None
            procedure.bedrag = Decimal(nieuw_bedrag).quantize(Decimal("0.01"))
            procedure.verlaging = procedure.basisbedrag - procedure.bedrag
            procedure.verlaging_grond = procedure.verlaging_grond or "bijzondere_omstandigheden"
            procedure.verlaging_motivering = procedure.verlaging_motivering or _(
                "Lowered on objection."
            )
    _save(procedure, user=user, reden=_("Objection decided"))
    _gebeurtenis(procedure, user, tijdlijn.BEZWAAR_BESLIST, uitkomst=uitkomst)
    _herberekenen(procedure, user, _("Objection decided"))
    return procedure


@transaction.atomic
def betaalstatus_wijzigen(*, user: User | None, procedure: Procedure, status: str) -> Procedure:
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.OPGELEGD, ProcedureStatus.BEZWAAR)
    if status not in Betaalstatus.values:
        raise ValidationError({"betaalstatus": [_("Choose a payment status.")]})
    procedure.betaalstatus = status
    _save(procedure, user=user, reden=_("Payment status changed"))
    _gebeurtenis(procedure, user, tijdlijn.BETAALSTATUS, status=status)
    return procedure


@transaction.atomic
def boete_intrekken(*, user: User | None, procedure: Procedure, reden: str) -> Procedure:
    """Withdraw an imposed fine: a new decision, with its own letter."""
    vereis(user, "handhaving.behandelen", procedure)
    procedure = _vergrendel(procedure)
    _stap_fout(procedure, ProcedureStatus.OPGELEGD, ProcedureStatus.BEZWAAR)
    if not reden.strip():
        raise ValidationError({"reden": [_("Say why the fine is withdrawn.")]})
    vandaag = _vandaag()
    procedure.status = ProcedureStatus.INGETROKKEN
    procedure.ingetrokken_op = vandaag
    procedure.intrekking_reden = reden.strip()
    _save(procedure, user=user, reden=_("Fine withdrawn"))
    _gebeurtenis(procedure, user, tijdlijn.INGETROKKEN, reden=procedure.intrekking_reden)
    _brief_klaarzetten(procedure, BriefSoort.INTREKKING, user=user, dagtekening=vandaag)
    _herberekenen(procedure, user, _("Fine withdrawn"))
    return procedure
