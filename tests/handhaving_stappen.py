"""Driving the fine procedure (issue 11) through its services in tests, one step at a time or up
to a step (``procedure_tot``), and the rendering task's last step with stand-in bytes
(``verzend``; the letters' real PDFs are tested in test_handhaving_brieven).

Dates default relative to ``timezone.localdate()``: a module travelling with
``klok.vandaag_fixture(VANDAAG)`` gets them relative to its VANDAAG. Every step acts as
``user`` (default: the werkcoach of gemeente A, ``world.werkcoach_a``); the teamleider approves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cases.models import Dossier
from handhaving import services
from handhaving.constants import (
    BriefSoort,
    BriefStatus,
    GesprekUitkomst,
    ProcedureStatus,
    ZienswijzeSoort,
)
from handhaving.models import Brief, Procedure
from inburgering.core.access import user_scope

from .factories import DossierFactory, InburgeraarFactory

PDF = b"%PDF-1.7 test"
SHA = hashlib.sha256(PDF).hexdigest()
ALS_USER: Any = object()  # ``verzender``'s default: the letter is stored by the acting user


def media_fixture() -> Callable[..., None]:
    """An autouse fixture storing the letters under a temporary MEDIA_ROOT (assign it to a
    module-level name, like ``klok.vandaag_fixture``)."""

    @pytest.fixture(autouse=True)
    def _media(settings, tmp_path) -> None:
        settings.MEDIA_ROOT = tmp_path

    return _media


def _dagen_terug(dagen: int) -> date:
    return timezone.localdate() - timedelta(days=dagen)


def nieuw_dossier(world, *, met_begeleider: bool = True, **persoon: Any) -> Dossier:
    """A dossier of gemeente A with werkcoach A (and begeleider A) for a new person."""
    extra = {"begeleider": world.begeleider_a} if met_begeleider else {}
    with scopes_disabled():
        return DossierFactory(
            gemeente=world.gemeente_a,
            werkcoach=world.werkcoach_a,
            inburgeraar=InburgeraarFactory(**persoon),
            **extra,
        )


# --- the steps ----------------------------------------------------------------------------------


def verzuim(
    world,
    *,
    dossier=None,
    soort: str = "pvt",
    datum: date | None = None,
    omschrijving: str = "Niet verschenen",
    user=None,
) -> Procedure:
    """A verzuim (30 days ago) recorded: its procedure at GESPREK."""
    wie = user or world.werkcoach_a
    with user_scope(wie):
        return services.verzuim_vastleggen(
            user=wie,
            dossier=dossier or world.dossier_a,
            soort=soort,
            datum=datum or _dagen_terug(30),
            omschrijving=omschrijving,
        )


def gesprek(
    world,
    p: Procedure,
    *,
    datum: date | None = None,
    verslag: str = "Besproken",
    uitkomst: str = GesprekUitkomst.VERDER,
    user=None,
) -> Procedure:
    """The hearing conversation (five days after the verzuim)."""
    wie = user or world.werkcoach_a
    with user_scope(wie):
        return services.gesprek_vastleggen(
            user=wie,
            procedure=p,
            datum=datum or p.verzuim.datum + timedelta(days=5),
            verslag=verslag,
            uitkomst=uitkomst,
        )


def rapport(
    world,
    p: Procedure,
    *,
    datum: date | None = None,
    plaats: str = "Huizen",
    feiten: str = "Niet verschenen op de afspraak",
    user=None,
) -> Procedure:
    """The rapport (the day after the conversation)."""
    wie = user or world.werkcoach_a
    with user_scope(wie):
        return services.rapport_opmaken(
            user=wie,
            procedure=p,
            datum=datum or p.gesprek_datum + timedelta(days=1),
            plaats=plaats,
            feiten=feiten,
        )


def verzend(procedure: Procedure | str, soort: str, user=None) -> Brief:
    """The rendering task's last step, with stand-in bytes: the letter (being made) is sent.
    ``procedure`` is a Procedure (refreshed afterwards) or its uuid."""
    waar = {"procedure": procedure} if isinstance(procedure, Procedure) else {}
    waar = waar or {"procedure__uuid": procedure}
    with scopes_disabled():  # as the task runs it: without a user scope
        brief = Brief.objects.get(soort=soort, **waar)
        assert brief.status == BriefStatus.WORDT_GEMAAKT
        services.brief_vastleggen(brief=brief, pdf_bytes=PDF, sha256=SHA, user=user)
        if isinstance(procedure, Procedure):
            procedure.refresh_from_db()
        brief.refresh_from_db()
    return brief


def voornemen(world, p: Procedure, *, user=None, verzender: Any = ALS_USER) -> Procedure:
    """The intent letter sent (made with stand-in bytes): the procedure at ZIENSWIJZE."""
    wie = user or world.werkcoach_a
    with user_scope(wie):
        p = services.voornemen_versturen(user=wie, procedure=p)
    verzend(p, BriefSoort.VOORNEMEN, wie if verzender is ALS_USER else verzender)
    return p


def zienswijze(
    world,
    p: Procedure,
    *,
    datum: date | None = None,
    soort: str = ZienswijzeSoort.SCHRIFTELIJK,
    inhoud: str = "Ik was ziek",
    user=None,
) -> Procedure:
    """A written zienswijze (on the intent letter's date)."""
    wie = user or world.werkcoach_a
    with user_scope(wie):
        return services.zienswijze_vastleggen(
            user=wie, procedure=p, soort=soort, datum=datum or p.voornemen_datum, inhoud=inhoud
        )


def opstellen(world, p: Procedure, *, user=None, **velden: Any) -> Procedure:
    """The fine drafted (``velden``: boete_opstellen's fields over the two it requires)."""
    wie = user or world.werkcoach_a
    standaard: dict[str, Any] = {"verwijtbaarheid": "Wist ervan", "zienswijze_weging": "Gewogen"}
    with user_scope(wie):
        return services.boete_opstellen(user=wie, procedure=p, **{**standaard, **velden})


def ter_goedkeuring(world, p: Procedure, *, user=None) -> Procedure:
    wie = user or world.werkcoach_a
    with user_scope(wie):
        return services.boete_ter_goedkeuring(user=wie, procedure=p)


def goedgekeurd(world, p: Procedure, *, user=None) -> Procedure:
    """Offered for approval and approved by teamleider A."""
    p = ter_goedkeuring(world, p, user=user)
    with user_scope(world.teamleider_a):
        return services.boete_goedkeuren(user=world.teamleider_a, procedure=p)


def versturen(world, p: Procedure, *, user=None) -> Procedure:
    """The boetebeschikking ordered (WORDT_VERSTUURD; ``verzend`` sends it)."""
    wie = user or world.werkcoach_a
    with user_scope(wie):
        return services.boete_versturen(user=wie, procedure=p)


# --- up to a step -------------------------------------------------------------------------------


def procedure_tot(
    world,
    tot: str = ProcedureStatus.GESPREK,
    *,
    dossier=None,
    soort: str = "pvt",
    user=None,
    verzender: Any = ALS_USER,
    stappen: Mapping[str, Mapping[str, Any]] | None = None,
) -> Procedure:
    """A verzuim's procedure driven through the steps above until its status is ``tot``
    (no intent letter where the procedure needs none; the letters sent by ``verzender``).
    ``stappen`` overrides a step's keywords by its name: ``{"gesprek": {"datum": ...}}``."""
    extra = dict(stappen or {})
    onbekend = set(extra) - {"verzuim", "gesprek", "rapport", "zienswijze", "opstellen"}
    assert not onbekend, onbekend
    door = (user or world.werkcoach_a) if verzender is ALS_USER else verzender

    def volgende(p: Procedure) -> Procedure:
        s = ProcedureStatus
        if p.status == s.GESPREK:
            return gesprek(world, p, user=user, **extra.get("gesprek", {}))
        if p.status == s.RAPPORT:
            return rapport(world, p, user=user, **extra.get("rapport", {}))
        if p.status == s.VOORNEMEN:
            return voornemen(world, p, user=user, verzender=door)
        if p.status == s.ZIENSWIJZE:
            return zienswijze(world, p, user=user, **extra.get("zienswijze", {}))
        if p.status == s.BESLUIT:
            return opstellen(world, p, user=user, **extra.get("opstellen", {}))
        if p.status == s.BOETE_CONCEPT:
            return ter_goedkeuring(world, p, user=user)
        if p.status == s.TER_GOEDKEURING:
            with user_scope(world.teamleider_a):
                return services.boete_goedkeuren(user=world.teamleider_a, procedure=p)
        if p.status == s.GOEDGEKEURD:
            return versturen(world, p, user=user)
        assert p.status == s.WORDT_VERSTUURD, p.status
        verzend(p, BriefSoort.BOETEBESCHIKKING, door)
        return p

    p = verzuim(world, dossier=dossier, soort=soort, user=user, **extra.get("verzuim", {}))
    while p.status != tot:
        p = volgende(p)
    return p


def tot_besluit(world, *, datum: date | None = None, **kwargs: Any) -> Procedure:
    """At the decision (``datum``: the verzuim's; ``kwargs``: procedure_tot's)."""
    return procedure_tot(
        world, ProcedureStatus.BESLUIT, stappen={"verzuim": {"datum": datum}}, **kwargs
    )


def opgelegd(world, *, datum: date | None = None, **kwargs: Any) -> Procedure:
    """The fine imposed: drafted, approved, its boetebeschikking sent."""
    return procedure_tot(
        world, ProcedureStatus.OPGELEGD, stappen={"verzuim": {"datum": datum}}, **kwargs
    )
