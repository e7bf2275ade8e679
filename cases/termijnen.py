"""Services for termijnen and signalen: the only writers of these tables besides the sweep.

``herberekenen`` runs inside the service that changed a starting or meeting fact, in the same
transaction, so a dossier page never shows a stale deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inburgering.accounts.models import User
from inburgering.core import weergave
from inburgering.core.access import ensure_has_perm

from . import tijdlijn
from .constants import LOPEND, OPEN_FASEN, TermijnStatus
from .feiten import Feiten
from .hub import hub
from .models import (
    INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN,
    Dossier,
    Signaal,
    Termijn,
    TermijnBeleid,
    Verlenging,
)
from .policy import ensure_can_edit_dossier
from .rules import add_years_months, feitdatum_weigering
from .termijnregels import TermijnRegel, Verlengbaar, registry


def _status(uiterste: date, gehaald_op: date | None, vandaag: date) -> str:
    if gehaald_op is not None:
        return TermijnStatus.GEHAALD if gehaald_op <= uiterste else TermijnStatus.TE_LAAT_GEHAALD
    return TermijnStatus.VERLOPEN if uiterste < vandaag else TermijnStatus.OPEN


def _signalen_sluiten(termijn_ids: Iterable[int], *, user: User | None = None) -> int:
    """A clock that is met, lapsed or moved needs no more attention: close its open signals."""
    ids = list(termijn_ids)
    if not ids:
        return 0
    return Signaal.objects.filter(termijn_id__in=ids, afgehandeld_op__isnull=True).update(
        afgehandeld_op=timezone.now(), afgehandeld_door=user
    )


def _opslaan(termijn: Termijn, *, user: User | None, reden: str) -> None:
    termijn._history_user = user  # type: ignore[attr-defined]
    termijn._change_reason = reden  # type: ignore[attr-defined]
    termijn.gewijzigd_op = timezone.now()
    termijn.full_clean()
    termijn.save()


VELDEN = ("soort", "startdatum", "berekende_datum", "uiterste_datum", "status", "gehaald_op")


@transaction.atomic
def herberekenen(
    dossier: Dossier, *, user: User | None, reden: str = "", alleen_lopend: bool = False
) -> list[Termijn]:
    """Bring the dossier's termijnen in line with its facts. Extensions and hand-recorded
    met-dates are kept; clocks whose rule no longer applies lapse (``vervallen``).

    ``alleen_lopend`` (a policy change): only running clocks move — a clock already met, lapsed
    or closed keeps the judgement it got, and a clock the new policy adds is created only when
    it still runs."""
    reden = reden or _("Recomputed after a change of facts")
    vandaag = timezone.localdate()
    feiten = hub.feiten(dossier)
    gewenst = registry.klokken(feiten)
    bestaand = {
        (t.code, t.volgnummer): t
        for t in Termijn.objects.select_for_update().filter(dossier=dossier)
    }
    gesloten: list[int] = []
    for key, (regel, klok) in gewenst.items():
        termijn = bestaand.pop(key, None)
        if alleen_lopend and termijn is not None and termijn.status not in LOPEND:
            continue
        if termijn is None:
            termijn = Termijn(dossier=dossier, code=regel.code, volgnummer=klok.volgnummer)
            oud: tuple[Any, ...] = ()
            uiterste = klok.uiterste_datum
        else:
            oud = tuple(getattr(termijn, v) for v in VELDEN)
            verlengd = termijn.uiterste_datum > termijn.berekende_datum
            uiterste = (
                max(klok.uiterste_datum, termijn.uiterste_datum)
                if verlengd
                else klok.uiterste_datum
            )
        gehaald_op = klok.gehaald_op
        if gehaald_op is None and termijn.handmatig_gehaald:
            gehaald_op = termijn.gehaald_op
        termijn.soort = regel.soort
        termijn.startdatum = klok.start
        termijn.berekende_datum = klok.uiterste_datum
        termijn.uiterste_datum = uiterste
        termijn.gehaald_op = gehaald_op
        termijn.status = _status(uiterste, gehaald_op, vandaag)
        if alleen_lopend and not oud and termijn.status not in LOPEND:
            continue
        if tuple(getattr(termijn, v) for v in VELDEN) != oud:
            _opslaan(termijn, user=user, reden=reden)
            if termijn.status not in LOPEND:
                gesloten.append(termijn.pk)
    for termijn in bestaand.values():
        if termijn.status in LOPEND:
            termijn.status = TermijnStatus.VERVALLEN
            _opslaan(termijn, user=user, reden=reden)
            gesloten.append(termijn.pk)
    _signalen_sluiten(gesloten, user=user)
    return list(Termijn.objects.filter(dossier=dossier))


def _regel(termijn: Termijn) -> TermijnRegel:
    regel = registry.get(termijn.code)
    if regel is None:  # a rule removed from the code: its clocks can only lapse
        raise ValidationError(_("This termijn's rule no longer exists."))
    return regel


def _ensure_beheren(user: User | None, termijn: Termijn) -> None:
    if user is None:
        return
    ensure_has_perm(user, "cases.beheren_termijn")
    ensure_can_edit_dossier(user, termijn.dossier)


def _gebeurtenis(termijn: Termijn, user: User | None, soort: str, **gegevens: Any) -> None:
    from .services import gebeurtenis_vastleggen

    gebeurtenis_vastleggen(
        dossier=termijn.dossier,
        soort=soort,
        actor=user,
        gegevens={
            "termijn": termijn.pk,
            "code": termijn.code,
            "volgnummer": termijn.volgnummer,
            **gegevens,
        },
    )


def max_verlengd_tot(termijn: Termijn, feiten: Feiten | None = None) -> date | None:
    """The latest due date an extension may set, or ``None`` when it is not capped."""
    regel = _regel(termijn)
    if regel.verlengbaar is not Verlengbaar.BEPERKT or regel.max_verlenging_maanden is None:
        return None
    feiten = feiten if feiten is not None else hub.feiten(termijn.dossier)
    return add_years_months(termijn.berekende_datum, 0, regel.max_verlenging_maanden(feiten))


@transaction.atomic
def termijn_verlengen(*, user: User, termijn: Termijn, tot: date | None, reden: str) -> Termijn:
    """Extend a termijn. Refused without a reason, for a clock the law does not let be
    extended, and beyond the maximum the law or the gemeente's policy allows."""
    _ensure_beheren(user, termijn)
    termijn = Termijn.objects.select_for_update().select_related("dossier").get(pk=termijn.pk)
    regel = _regel(termijn)
    errors: dict[str, list[str]] = {}
    if not (reden or "").strip():
        errors.setdefault("reden", []).append(
            _("An extension needs a reason (Awb art. 3:46: a decision must be motivated).")
        )
    if termijn.status not in LOPEND:
        raise ValidationError(
            _("This termijn is %(status)s; only an open or overdue termijn can be extended.")
            % {"status": termijn.get_status_display()}
        )
    if regel.verlengbaar is Verlengbaar.NEE:
        raise ValidationError(
            {
                "tot": [
                    _("This termijn cannot be extended: %(grondslag)s.")
                    % {"grondslag": regel.grondslag}
                ]
            }
        )
    if tot is None:
        errors.setdefault("tot", []).append(_("Give the new due date."))
    elif tot <= termijn.uiterste_datum:
        errors.setdefault("tot", []).append(
            _("The new due date must be after the current one (%(datum)s).")
            % {"datum": weergave.datum(termijn.uiterste_datum)}
        )
    else:
        grens = max_verlengd_tot(termijn)
        if grens is not None and tot > grens:
            errors.setdefault("tot", []).append(
                _(
                    "At most until %(grens)s: %(grondslag)s, extended by no more than the "
                    "gemeente's policy allows (within the legal maximum of %(max)d months)."
                )
                % {
                    "grens": weergave.datum(grens),
                    "grondslag": regel.grondslag,
                    "max": INBURGERINGSTERMIJN_MAX_VERLENGING_MAANDEN,
                }
            )
    if errors:
        raise ValidationError(errors)
    assert tot is not None
    van = termijn.uiterste_datum
    Verlenging.objects.create(
        termijn=termijn, van_datum=van, tot_datum=tot, reden=reden.strip(), actor=user
    )
    termijn.uiterste_datum = tot
    termijn.status = _status(tot, None, timezone.localdate())
    _opslaan(termijn, user=user, reden=reden.strip())
    # warnings about the old due date are superseded; the sweep warns again for the new one
    _signalen_sluiten([termijn.pk], user=user)
    _gebeurtenis(
        termijn,
        user,
        tijdlijn.TERMIJN_VERLENGD,
        van=van.isoformat(),
        tot=tot.isoformat(),
        reden=reden.strip(),
    )
    return termijn


@transaction.atomic
def termijn_gehaald_markeren(
    *, user: User, termijn: Termijn, datum: date | None, toelichting: str = ""
) -> Termijn:
    """Record that a clock met by a werkcoach's finding (PVT, MAP, a voortgangsgesprek…) was
    met on ``datum``. Clocks met by a recorded fact (intake, PIP) are refused."""
    _ensure_beheren(user, termijn)
    termijn = Termijn.objects.select_for_update().select_related("dossier").get(pk=termijn.pk)
    regel = _regel(termijn)
    if not regel.handmatig_gehaald:
        raise ValidationError(
            _("“%(regel)s” is met by recording the fact itself (%(grondslag)s), not by hand.")
            % {"regel": termijn.omschrijving, "grondslag": regel.grondslag}
        )
    if termijn.status not in LOPEND:
        raise ValidationError(
            _("This termijn is already %(status)s.") % {"status": termijn.get_status_display()}
        )
    if datum is None:
        raise ValidationError({"datum": [_("Give the date it was met.")]})
    # The one rule for fact dates (rules.feitdatum_weigering), with this clock's own wording.
    weigering = feitdatum_weigering(
        datum, vandaag=timezone.localdate(), niet_voor=termijn.startdatum
    )
    if weigering == "toekomst":
        raise ValidationError({"datum": [_("A met-on date cannot be in the future.")]})
    if weigering == "voor_start":
        raise ValidationError(
            {
                "datum": [
                    _("A met-on date cannot be before the termijn started (%(start)s).")
                    % {"start": weergave.datum(termijn.startdatum)}
                ]
            }
        )
    termijn.gehaald_op = datum
    termijn.handmatig_gehaald = True
    termijn.toelichting = toelichting.strip()
    termijn.status = _status(termijn.uiterste_datum, datum, timezone.localdate())
    _opslaan(termijn, user=user, reden=toelichting.strip() or _("Marked met"))
    _signalen_sluiten([termijn.pk], user=user)
    _gebeurtenis(
        termijn,
        user,
        tijdlijn.TERMIJN_GEHAALD,
        status=termijn.status,
        datum=datum.isoformat(),
    )
    return termijn


@transaction.atomic
def signalen_afhandelen(*, user: User, signaal_ids: Iterable[int]) -> int:
    """Mark the user's own signals handled. Someone else's signal is refused, not skipped."""
    ids = set(signaal_ids)
    if not ids:
        return 0
    mine = Signaal.objects.filter(pk__in=ids, ontvanger=user)
    if mine.count() != len(ids):
        raise PermissionDenied(_("You can only handle your own signals."))
    # Claim with one conditional UPDATE on the table itself (no join, no subquery): a concurrent
    # call waits for the row lock, PostgreSQL re-checks "not yet handled" on the committed row,
    # and only the first claim counts — who and when are never overwritten. (Filtering through
    # the scoped manager would join the dossier, and Django then updates ``WHERE id IN
    # (SELECT …)`` whose snapshot the re-check does not refresh: every caller "won".)
    return Signaal._base_manager.filter(
        pk__in=ids, ontvanger=user, afgehandeld_op__isnull=True
    ).update(afgehandeld_op=timezone.now(), afgehandeld_door=user)


# --- the gemeente's deadline policy ------------------------------------------------------------

BELEID_VELDEN = {
    "waarschuwingsdagen",
    "pip_na_intake_weken",
    "taalstart_weken",
    "mb_maanden",
    "max_verlenging_inburgeringstermijn_maanden",
    "min_voortgangsgesprekken_per_jaar",
}
# The policy values the termijn rules compute clocks from (``pip_plans.termijnregels``): a change
# of one of these recomputes the running clocks of the gemeente's open dossiers. Lead times of
# warnings are read by each sweep, the extension cap when someone extends.
BELEID_KLOK_VELDEN = {"pip_na_intake_weken", "taalstart_weken", "mb_maanden"}
BELEID_CHUNK = 200  # dossiers per transaction when recomputing after a policy change
BELEID_CHUNKS_PER_TAAK = 25  # then the task queues its successor (a bounded run per message)


@transaction.atomic
def termijnbeleid_wijzigen(
    *, user: User | None, beleid: TermijnBeleid, reden: str, **velden: Any
) -> TermijnBeleid:
    """Change (or create) a gemeente's deadline policy, with the actor and a required reason in
    the history; a change of a clock length recomputes the running clocks of that gemeente's
    open dossiers in the background, in chunks (``tasks.termijnbeleid_herberekenen``), queued
    once this transaction commits."""
    nieuw = beleid.pk is None
    ensure_has_perm(user, "cases.add_termijnbeleid" if nieuw else "cases.change_termijnbeleid")
    unknown = set(velden) - BELEID_VELDEN
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    if not reden.strip():
        raise ValidationError(
            {"reden": [_("Give the reason for the policy change; it is kept in the history.")]}
        )
    if not nieuw:
        beleid = TermijnBeleid.objects.select_for_update().get(pk=beleid.pk)
    oud = {f: getattr(beleid, f) for f in velden}
    for field, value in velden.items():
        setattr(beleid, field, value)
    changed = [f for f in velden if oud[f] != getattr(beleid, f)]
    if not nieuw and not changed:
        return beleid
    beleid._history_user = user  # type: ignore[attr-defined]
    beleid._change_reason = reden.strip()  # type: ignore[attr-defined]
    beleid.full_clean()
    beleid.save()
    if nieuw or BELEID_KLOK_VELDEN & set(changed):
        record = beleid.history.order_by("-history_id").first()  # type: ignore[attr-defined]
        assert record is not None
        from .tasks import termijnbeleid_herberekenen

        history_id = record.history_id
        transaction.on_commit(lambda: termijnbeleid_herberekenen.delay(history_id))
    return beleid


def beleid_chunk_herberekenen(
    *, history_id: int, na_id: int = 0, grootte: int = BELEID_CHUNK
) -> tuple[int, int]:
    """Recompute the running clocks of the next ``grootte`` open dossiers (by id, after
    ``na_id``) of the gemeente whose policy changed in history record ``history_id``, in one
    transaction. Returns how many were done and the last id (keyset pagination: resumable and
    the same cost for the last chunk as the first)."""
    record = TermijnBeleid.history.select_related("history_user").get(  # type: ignore[attr-defined]
        history_id=history_id
    )
    reden = _("Deadline policy changed: %(reden)s") % {"reden": record.history_change_reason or "—"}
    with transaction.atomic():
        dossiers = list(
            Dossier.objects.filter(
                gemeente_id=record.gemeente_id, fase__in=OPEN_FASEN, pk__gt=na_id
            )
            .select_related("inburgeraar")
            .order_by("pk")[:grootte]
        )
        for dossier in dossiers:
            herberekenen(dossier, user=record.history_user, reden=reden, alleen_lopend=True)
    return len(dossiers), (dossiers[-1].pk if dossiers else na_id)
