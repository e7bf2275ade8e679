"""The helpers every step shares: saving with history, the timeline event, the termijnen,
the row lock, the step check and the collected refusals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import termijnen
from cases.feitdatums import feitdatum_fout
from cases.services import gebeurtenis_vastleggen
from inburgering.accounts.models import User
from inburgering.core import weergave

from .. import rules
from ..constants import ProcedureStatus
from ..models import Procedure

# the steps a "no fine" or a Participatiewet measure may be decided from
BESLISBAAR = (
    ProcedureStatus.RAPPORT,
    ProcedureStatus.VOORNEMEN,
    ProcedureStatus.ZIENSWIJZE,
    ProcedureStatus.BESLUIT,
    ProcedureStatus.BOETE_CONCEPT,
)


def _save(obj: Any, *, user: User | None, reden: str) -> None:
    obj._history_user = user
    obj._change_reason = reden
    obj.full_clean()
    obj.save()


def _gebeurtenis(procedure: Procedure, user: User | None, code: str, **gegevens: Any) -> None:
    gebeurtenis_vastleggen(
        dossier=procedure.dossier,
        soort=code,
        actor=user,
        gegevens={"procedure": str(procedure.uuid), **gegevens},
    )


def _herberekenen(procedure: Procedure, user: User | None, reden: str) -> None:
    termijnen.herberekenen(procedure.dossier, user=user, reden=reden)


def _vergrendel(procedure: Procedure) -> Procedure:
    """The procedure's row, locked for this transaction, as it is now."""
    return (
        Procedure.objects.select_for_update()
        .select_related("verzuim", "dossier")
        .get(pk=procedure.pk)
    )


def _stap_fout(procedure: Procedure, *toegestaan: str) -> None:
    if procedure.status not in toegestaan:
        raise ValidationError(
            {
                "status": _("This step cannot be taken now: the procedure is at “%(stap)s”.")
                % {"stap": procedure.get_status_display()}
            }
        )


def _datum_fout(
    datum: date | None, *, niet_voor: date | None = None, label: str = ""
) -> str | None:
    if datum is None:
        return _("Give the date.")
    return feitdatum_fout(datum, niet_voor=niet_voor, niet_voor_label=label)


def _raise(fouten: dict[str, Any]) -> None:
    if fouten:
        raise ValidationError({k: v if isinstance(v, list) else [v] for k, v in fouten.items()})


def _vandaag() -> date:
    return timezone.localdate()


def _verval_fout(procedure: Procedure, op: date) -> str | None:
    """Awb 5:45: the power to fine lapsed."""
    opgeschort = rules.opgeschorte_dagen(
        ((procedure.bezwaar_ontvangen_op, procedure.bezwaar_beslist_op),)
        if procedure.bezwaar_ontvangen_op
        else (),
        op,
    )
    if rules.is_vervallen(
        procedure.verzuim.datum, zwaar=procedure.zware_boete, opgeschort=opgeschort, op=op
    ):
        return _(
            "The power to fine lapsed on %(datum)s: %(jaren)d years after the failure (Awb 5:45)."
        ) % {
            "datum": weergave.datum(
                rules.verval_datum(
                    procedure.verzuim.datum, zwaar=procedure.zware_boete, opgeschort=opgeschort
                )
                + timedelta(days=1)
            ),
            "jaren": rules.VERVAL_JAREN_ZWAAR if procedure.zware_boete else rules.VERVAL_JAREN,
        }
    return None
