"""Database constraint violations as domain errors.

Two requests racing past a service's own check (both see "no person with this BSN yet", both
insert) meet the named constraint in the database; the loser gets an ``IntegrityError``. That is
not a server error: it is the same refusal the service gives when the requests come one after
the other, found a moment later. ``conflict_for`` maps the constraint (by its name, see the
``Meta.constraints`` of the models) to the field and the rule; the API answers 409 problem+json
(``inburgering.core.problems``), a form shows it at the field (services raise it as a
``ConflictError`` through ``constraint_conflicts``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

MSG_CONCURRENT = _(
    "Another request changed the same data at the same moment; reload and try again."
)


@dataclass(frozen=True)
class Conflict:
    field: str
    message: Any  # a (lazy) translated string


# Named constraints (Meta.constraints) → the field and the rule they enforce.
CONSTRAINTS: dict[str, Conflict] = {
    "uniq_inburgeraar_bsn": Conflict(
        "bsn",
        _("Another person is registered with this BSN (a BSN identifies one person)."),
    ),
    "uniq_open_dossier_per_inburgeraar": Conflict(
        "inburgeraar",
        _(
            "This person already has an open dossier (possibly in another gemeente). A person "
            "has at most one open dossier; ask that gemeente to relocate it."
        ),
    ),
    "uniq_domein_per_intake": Conflict(
        "domein",
        _(
            "This life domain was saved at the same moment by another request; reload and "
            "try again."
        ),
    ),
    "uniq_pip_versie": Conflict(
        "dossier",
        _("This PIP version was created at the same moment by another request."),
    ),
    "uniq_pip_in_bewerking_per_dossier": Conflict(
        "dossier",
        _("This dossier already has a PIP in progress (one PIP in progress per dossier)."),
    ),
    "uniq_termijn_per_dossier_regel": Conflict("nonFieldErrors", MSG_CONCURRENT),
    "uniq_signaal_per_termijn_drempel": Conflict("nonFieldErrors", MSG_CONCURRENT),
    "handhaving_verzuim_een_per_feit": Conflict(
        "dossier",
        _("A verzuim for this fact was recorded at the same moment (one verzuim per fact)."),
    ),
    "handhaving_procedure_volgnummer": Conflict("dossier", MSG_CONCURRENT),
    "handhaving_brief_eenmaal": Conflict(
        "nonFieldErrors",
        _("This letter was made at the same moment by another request (one letter of a kind)."),
    ),
    "handhaving_geen_boete_is_definitief": Conflict(
        "status", _("A verzuim with a “no fine” notice can never be fined (Awb 5:43).")
    ),
}

# Unique columns (``unique=True``, ``OneToOneField``) get a generated constraint name; they are
# recognised by table and column instead.
UNIQUE_COLUMNS: dict[tuple[str, str], Conflict] = {
    ("pip_plans_bredeintake", "dossier_id"): Conflict(
        "dossier", _("This dossier already has a brede intake (one per dossier).")
    ),
}


class ConflictError(ValidationError):
    """A refusal found by a database constraint (a concurrent request won): the API answers
    409 Conflict, a form shows it at the field like any other ``ValidationError``."""


def constraint_name(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return (getattr(diag, "constraint_name", None) or "") if diag is not None else ""


def conflict_for(exc: IntegrityError) -> Conflict:
    """The field and rule a constraint violation stands for (a generic conflict if unnamed)."""
    name = constraint_name(exc)
    if name in CONSTRAINTS:
        return CONSTRAINTS[name]
    diag = getattr(exc.__cause__, "diag", None)
    table = getattr(diag, "table_name", "") or ""
    for (tabel, kolom), conflict in UNIQUE_COLUMNS.items():
        if table == tabel and name.startswith(f"{tabel}_{kolom}"):
            return conflict
    return Conflict("nonFieldErrors", MSG_CONCURRENT)


def as_conflict_error(exc: IntegrityError) -> ConflictError:
    conflict = conflict_for(exc)
    if conflict.field == "nonFieldErrors":
        return ConflictError(conflict.message, code="conflict")
    return ConflictError({conflict.field: ValidationError(conflict.message, code="conflict")})


@contextmanager
def constraint_conflicts() -> Iterator[None]:
    """Run a write in a savepoint; a constraint violation becomes a ``ConflictError`` naming the
    field, and the surrounding transaction stays usable (nothing of the write is kept)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise as_conflict_error(exc) from exc


def lock_row(obj: Any) -> None:
    """Serialise writes that first check and then insert under ``obj`` (one intake per dossier,
    one PIP in progress, one assessment per domain): ``SELECT … FOR NO KEY UPDATE`` on the
    parent row, so a concurrent identical request waits and then sees the first one's row.
    ``NO KEY`` keeps inserts that merely reference the row (timeline events) unblocked."""
    type(obj)._base_manager.select_for_update(no_key=True).filter(pk=obj.pk).values_list(
        "pk", flat=True
    ).first()
