"""Reads for the intake and PIP, through the access policy. Medical domains are filtered here,
so every view, API endpoint, export and PDF that lists domains gets the same answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import Dossier, Termijn
from cases.policy import can_view_medical, dossiers_for
from inburgering.core.access import heeft_leesrecht

from . import rules
from .constants import MEDISCHE_DOMEINEN
from .models import BredeIntake, DomeinBeoordeling, Pip

INBURGERINGSTERMIJN_REGEL = "inburgeringstermijn"  # the code of its clock (pip_plans.termijnregels)


def intakes_for(user: Any) -> QuerySet[BredeIntake]:
    """The intakes of the dossiers ``user`` sees, for a role that reads intakes (a partner's
    coördinator reaches the dossier of a begeleiding, not its intake)."""
    if not heeft_leesrecht(user, "pip_plans.view_bredeintake"):
        return BredeIntake.objects.none()
    return BredeIntake.objects.filter(dossier__in=dossiers_for(user)).select_related(
        "dossier__inburgeraar", "dossier__gemeente"
    )


def pips_for(user: Any) -> QuerySet[Pip]:
    """The PIPs of the dossiers ``user`` sees, for a role that reads PIPs."""
    if not heeft_leesrecht(user, "pip_plans.view_pip"):
        return Pip.objects.none()
    return Pip.objects.filter(dossier__in=dossiers_for(user)).select_related(
        "dossier__inburgeraar", "dossier__gemeente", "vorige_versie"
    )


def domeinen_voor(user: Any, intake: BredeIntake) -> QuerySet[DomeinBeoordeling]:
    """The domain assessments this user may read: medical ones only with need-to-know."""
    qs = DomeinBeoordeling.objects.filter(intake=intake)
    if user is not None and not can_view_medical(user, intake.dossier):
        qs = qs.exclude(domein__in=MEDISCHE_DOMEINEN)
    return qs.order_by("id")


def teamleider_wachtrij(user: Any) -> QuerySet[Pip]:
    """PIPs awaiting a teamleider's approval, oldest first."""
    return pips_for(user).filter(status="ter_ondertekening").order_by("gewijzigd_op")


def dossier_intake(dossier: Dossier) -> BredeIntake | None:
    return BredeIntake.objects.filter(dossier=dossier).first()


# --- the inburgeringstermijn ------------------------------------------------------------------


@dataclass(frozen=True)
class Inburgeringstermijn:
    """The termijn that applies to a PIP (every version of one dossier shares it)."""

    start: date  # the day after the first PIP was vastgesteld (Wi 2021 art. 7)
    berekende_eind: date  # three years on, by the statute
    eind: date  # the last day in force: ``berekende_eind`` moved by any extension
    eerste_vastgesteld: date  # the date of the decision that started it

    @property
    def verlengd(self) -> bool:
        return self.eind > self.berekende_eind


def _eerste_versie(pip: Pip) -> Pip:
    """The version that started the termijn: the root of this PIP's chain of versions. Walks the
    ``vorige_versie`` links (so it also works on unsaved instances, e.g. the benchmark)."""
    eerste = pip
    while eerste.vorige_versie_id is not None or Pip.vorige_versie.is_cached(eerste):
        vorige = eerste.vorige_versie
        if vorige is None:
            break
        eerste = vorige
    return eerste


def inburgeringstermijn_voor(
    pip: Pip, *, met_verlenging: bool = True
) -> Inburgeringstermijn | None:
    """Which inburgeringstermijn applies to this PIP — the one answer the beschikking (PDF), the
    services, the termijn rules and the API all use.

    * Version 1 starts it: the day after its own vaststelling (None while it has no date).
    * A later version (route switch, afschalen, other change) never restarts it: the dates are
      those the first version stored when it was vastgesteld.
    * ``met_verlenging``: the end moved by recorded extensions (the dossier's
      ``inburgeringstermijn`` clock, ``Termijn.uiterste_datum``)."""
    eerste = _eerste_versie(pip)
    if eerste.termijn_start is not None and eerste.termijn_eind is not None:
        start, berekend = eerste.termijn_start, eerste.termijn_eind
        vastgesteld = eerste.datum_vastgesteld or start
    elif eerste.datum_vastgesteld is not None:
        termijn = rules.inburgeringstermijn(eerste.datum_vastgesteld)
        start, berekend = termijn.start, termijn.eind
        vastgesteld = eerste.datum_vastgesteld
    else:
        return None
    eind = berekend
    if met_verlenging and pip.dossier_id:
        # Pinned to this PIP's own dossier (which the caller already holds), so it needs no
        # scope of its own: the PDF renders it in the task and outside a request too.
        with scopes_disabled():
            uiterste = (
                Termijn.objects.filter(
                    dossier_id=pip.dossier_id,
                    code=INBURGERINGSTERMIJN_REGEL,
                    volgnummer=1,
                    startdatum=start,
                )
                .values_list("uiterste_datum", flat=True)
                .first()
            )
        if uiterste is not None and uiterste > berekend:
            eind = uiterste
    return Inburgeringstermijn(
        start=start, berekende_eind=berekend, eind=eind, eerste_vastgesteld=vastgesteld
    )


def route_advies_voor(intake: BredeIntake, peildatum: date | None = None) -> str:
    """The route the system proposes for this intake's person today (``rules.route_advies``):
    the one place the page and the API take the intake's facts from."""
    persoon = intake.dossier.inburgeraar
    return rules.route_advies(
        geboortedatum=persoon.geboortedatum,
        peildatum=peildatum or timezone.localdate(),
        doelgroep=persoon.doelgroep,
        leerbaarheid_laag=intake.leerbaarheid_laag,
        leersnelheid=intake.taalstart_leersnelheid,
        geletterd=intake.taalstart_geletterd,
        regime=persoon.regime,
    )
