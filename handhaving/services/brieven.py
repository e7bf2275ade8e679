"""The letters: the kenmerk, queueing a letter to be made, and what its rendering task reports."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from inburgering.accounts.models import User
from inburgering.core.access import vereis

from .. import tijdlijn
from ..constants import Betaalstatus, BriefSoort, BriefStatus, ProcedureStatus
from ..models import Brief, KenmerkTeller, Procedure
from ._gemeen import _gebeurtenis, _herberekenen, _save, _vandaag, _vergrendel

KENMERK_PREFIX = {
    BriefSoort.VOORNEMEN: "VN",
    BriefSoort.BOETEBESCHIKKING: "BB",
    BriefSoort.GEEN_BOETE: "GB",
    BriefSoort.INTREKKING: "IT",
}


# --- letters ---------------------------------------------------------------------------------


def kenmerk_toekennen(*, gemeente_id: int, cbs_code: str, soort: str, jaar: int) -> str:
    """The next number of this gemeente, year and kind, under the counter row's lock: in the
    transaction that creates the letter, so a rollback gives the number back (no gaps) and a
    concurrent letter waits for it (no duplicates)."""
    KenmerkTeller.objects.bulk_create(
        [KenmerkTeller(gemeente_id=gemeente_id, jaar=jaar, soort=soort)], ignore_conflicts=True
    )
    teller = KenmerkTeller.objects.select_for_update().get(
        gemeente_id=gemeente_id, jaar=jaar, soort=soort
    )
    teller.laatste += 1
    teller.save(update_fields=["laatste"])
    return f"{KENMERK_PREFIX[BriefSoort(soort)]}-{cbs_code}-{jaar}-{teller.laatste:05d}"


def _brief_klaarzetten(
    procedure: Procedure, soort: str, *, user: User | None, dagtekening: date
) -> Brief:
    """The procedure's letter of this kind, to be made: a new one with the next kenmerk, or
    the one that could not be made before (it keeps its kenmerk)."""
    brief = Brief.objects.select_for_update().filter(procedure=procedure, soort=soort).first()
    if brief is not None and brief.status == BriefStatus.VERZONDEN:
        # a letter is sent once per procedure and kind; a sent letter is never made again
        raise ValidationError(
            {
                "status": [
                    _("This letter was sent already (%(kenmerk)s).") % {"kenmerk": brief.kenmerk}
                ]
            }
        )
    if brief is None:
        gemeente = procedure.dossier.gemeente
        brief = Brief(
            procedure=procedure,
            soort=soort,
            kenmerk=kenmerk_toekennen(
                gemeente_id=gemeente.pk,
                cbs_code=gemeente.cbs_code,
                soort=soort,
                jaar=dagtekening.year,
            ),
            aangemaakt_door=user,
        )
    brief.dagtekening = dagtekening
    brief.status = BriefStatus.WORDT_GEMAAKT
    brief.render_fout = ""
    _save(brief, user=user, reden=_("Letter queued"))
    _renderen_na_commit(brief, user)
    return brief


def _renderen_na_commit(brief: Brief, user: User | None) -> None:
    from inburgering.documents.tasks import document_renderen

    from ..documenten import code_van

    transaction.on_commit(
        lambda: document_renderen.delay(code_van(brief.soort), brief.pk, user.pk if user else None)
    )


def _opnieuw_aanbieden(procedure: Procedure, soort: str, user: User | None) -> None:
    """A letter still being made when its step is asked again: its rendering task is queued
    once more. The message of a worker killed mid-render is lost (the task is acknowledged when
    it starts), so asking again is how a stuck letter gets made; a task for a letter that was
    made meanwhile does nothing, and the letter keeps its kenmerk."""
    brief = Brief.objects.filter(
        procedure=procedure, soort=soort, status=BriefStatus.WORDT_GEMAAKT
    ).first()
    if brief is not None:
        _renderen_na_commit(brief, user)


@transaction.atomic
def brief_vastleggen(*, brief: Brief, pdf_bytes: bytes, sha256: str, user: User | None) -> Brief:
    """Called by the rendering task once the PDF exists: the letter is sent and its step
    takes effect. A letter already sent is left as it is (a redelivered task)."""
    brief = Brief.objects.select_for_update().select_related("procedure").get(pk=brief.pk)
    if brief.status != BriefStatus.WORDT_GEMAAKT:
        return brief
    procedure = _vergrendel(brief.procedure)
    brief.pdf.save(f"{brief.kenmerk}.pdf", ContentFile(pdf_bytes), save=False)
    brief.pdf_sha256 = sha256
    brief.status = BriefStatus.VERZONDEN
    _save(brief, user=user, reden=_("Letter sent"))
    if brief.soort == BriefSoort.VOORNEMEN:
        procedure.status = ProcedureStatus.ZIENSWIJZE
        procedure.voornemen_datum = brief.dagtekening
        _save(procedure, user=user, reden=_("Intent letter sent"))
    elif brief.soort == BriefSoort.BOETEBESCHIKKING:
        procedure.status = ProcedureStatus.OPGELEGD
        procedure.betaalstatus = Betaalstatus.OPEN
        _save(procedure, user=user, reden=_("Boetebeschikking sent"))
    _gebeurtenis(
        procedure, user, tijdlijn.BRIEF_VERZONDEN, brief=brief.soort, kenmerk=brief.kenmerk
    )
    _herberekenen(procedure, user, _("Letter sent"))
    return brief


@transaction.atomic
def brief_mislukt(*, brief: Brief, fout: str) -> Brief:
    """No step without its letter: the procedure goes back to where it was, with the reason."""
    brief = Brief.objects.select_for_update().get(pk=brief.pk)
    if brief.status != BriefStatus.WORDT_GEMAAKT:
        return brief
    procedure = _vergrendel(brief.procedure)
    brief.status = BriefStatus.MISLUKT
    brief.render_fout = fout
    _save(brief, user=None, reden=_("The letter could not be made"))
    if procedure.status == ProcedureStatus.VOORNEMEN_WORDT_VERSTUURD:
        procedure.status = ProcedureStatus.VOORNEMEN
        procedure.zienswijze_tot = None
        _save(procedure, user=None, reden=_("The intent letter could not be made"))
    elif procedure.status == ProcedureStatus.WORDT_VERSTUURD:
        procedure.status = (
            ProcedureStatus.GOEDGEKEURD
            if procedure.goedgekeurd_door_id
            else ProcedureStatus.BOETE_CONCEPT
        )
        procedure.bezwaar_tot = None
        _save(procedure, user=None, reden=_("The boetebeschikking could not be made"))
    _gebeurtenis(procedure, None, tijdlijn.BRIEF_MISLUKT, brief=brief.soort)
    _herberekenen(procedure, None, _("The letter could not be made"))
    return brief


@transaction.atomic
def brief_opnieuw_maken(*, user: User | None, brief: Brief) -> Brief:
    """A notice (no fine, withdrawal) whose letter could not be made, made again."""
    vereis(user, "handhaving.behandelen", brief)
    brief = (
        Brief.objects.select_for_update()
        .select_related("procedure__dossier__gemeente")
        .get(pk=brief.pk)
    )
    if brief.status != BriefStatus.MISLUKT or brief.soort not in (
        BriefSoort.GEEN_BOETE,
        BriefSoort.INTREKKING,
    ):
        raise ValidationError(
            {"status": [_("Only a notice that could not be made is made again.")]}
        )
    return _brief_klaarzetten(brief.procedure, brief.soort, user=user, dagtekening=_vandaag())
