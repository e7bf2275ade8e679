"""Fail loud (issue 9 §3): every model that carries case data — a relation to a gemeente or a
dossier, directly or through another case model — is scoped: a query outside a django-scopes
scope raises ``ScopeError``. So is its history: ``Model.history.all()`` and the historical
model's own ``objects``. A new model that forgets its ``ScopedManager`` (or a history that
forgets ``gescoopte_historie``) fails here, not in production.

Inside a scope the history is narrowed like the live table, and a person's history shows only
the changes made for the gemeenten in scope (a relocated person has dossiers in two)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django_scopes import ScopeError, scopes_disabled

from cases import services
from cases.models import Dossier, Inburgeraar
from inburgering.accounts.models import Gemeente
from inburgering.core.access import user_scope

from .test_services import TODAY, persoon

# Platform models that relate to a gemeente but are not case data. Each says why.
VRIJGESTELD = {
    # which organisation serves which gemeenten: the scope itself is derived from it
    "accounts.Organisatie",
    "accounts.HistoricalOrganisatie",
    "accounts.HistoricalOrganisatie_gemeenten",
    # a gemeente's deadline policy: configuration kept by the functioneel beheerder in the
    # admin, no personal data (its changes are audited in its own history)
    "cases.TermijnBeleid",
    "cases.HistoricalTermijnBeleid",
    # a gemeente's enforcement settings: configuration like the deadline policy above
    "handhaving.HandhavingBeleid",
    "handhaving.HistoricalHandhavingBeleid",
    # a gemeente's begeleiding settings (consent, contact weeks, length): configuration too
    "begeleiding.BegeleidingBeleid",
    "begeleiding.HistoricalBegeleidingBeleid",
    # the last kenmerk number per gemeente, year and kind of letter: a counter, no case data,
    # only ever read under a row lock by the service that creates a letter
    "handhaving.KenmerkTeller",
}

# Case data without a forward relation to a gemeente or dossier: scoped by its own rule.
OOK_CASE_DATA = {"cases.Inburgeraar"}  # visible where the person has a dossier


def _forward_relaties(model: type[models.Model]) -> list[type[models.Model]]:
    return [
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation
        and not f.auto_created
        and (f.many_to_one or f.one_to_one or f.many_to_many)
        if f.related_model is not None and f.related_model is not model
    ]


def case_modellen() -> list[type[models.Model]]:
    """The fixpoint: models relating to Gemeente, Dossier or another case model."""
    alle = [m for m in apps.get_models() if m._meta.label not in VRIJGESTELD]
    kern: set[type[models.Model]] = {Gemeente, Dossier}
    gevonden = {m for m in alle if m._meta.label in OOK_CASE_DATA} | {Dossier}
    veranderd = True
    while veranderd:
        veranderd = False
        for model in alle:
            if model in gevonden:
                continue
            if any(r in kern or r in gevonden for r in _forward_relaties(model)):
                gevonden.add(model)
                veranderd = True
    return sorted(gevonden, key=lambda m: m._meta.label)


CASE_MODELLEN = case_modellen()
MET_HISTORIE = [
    m for m in CASE_MODELLEN if getattr(m._meta, "simple_history_manager_attribute", None)
]


def test_the_list_is_the_case_data_we_know():
    """A guard on the walk itself: the known case models are all found (a new one is added to
    what is checked automatically)."""
    labels = {m._meta.label for m in CASE_MODELLEN}
    assert {
        "cases.Inburgeraar",
        "cases.Dossier",
        "cases.Gebeurtenis",
        "cases.Termijn",
        "cases.Verlenging",
        "cases.Signaal",
        "cases.HistoricalDossier",
        "cases.HistoricalInburgeraar",
        "cases.HistoricalTermijn",
        "pip_plans.BredeIntake",
        "pip_plans.IntakeGesprek",
        "pip_plans.DomeinBeoordeling",
        "pip_plans.Kind",
        "pip_plans.Pip",
        "pip_plans.RouteWijziging",
        "pip_plans.HistoricalPip",
        "pip_plans.HistoricalBredeIntake",
        "begeleiding.Aanmelding",
        "begeleiding.Contactmoment",
        "begeleiding.Vervolgactie",
        "begeleiding.HistoricalAanmelding",
        "begeleiding.HistoricalContactmoment",
    } <= labels
    assert not labels & {"accounts.User", "accounts.Gemeente", "kalender.AtwExtraDag"}


def _faalt_luid(qs) -> None:
    with pytest.raises(ScopeError):
        list(qs.all())
    with pytest.raises(ScopeError):
        qs.filter(pk=1).exists()
    with pytest.raises(ScopeError):
        qs.count()


@pytest.mark.django_db
@pytest.mark.parametrize("model", CASE_MODELLEN, ids=lambda m: m._meta.label)
def test_every_case_model_is_scoped(model):
    _faalt_luid(model._default_manager)
    _faalt_luid(model.objects)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MET_HISTORIE, ids=lambda m: m._meta.label)
def test_every_case_history_is_scoped(model):
    history = getattr(model, model._meta.simple_history_manager_attribute)
    _faalt_luid(history)
    _faalt_luid(history.model.objects)
    _faalt_luid(history.model._default_manager)
    assert history.model in CASE_MODELLEN  # and so checked on its own as well


def test_scopes_disabled_still_reads_everything(world):
    with scopes_disabled():
        assert Dossier.history.filter(id=world.dossier_b.pk).exists()  # type: ignore[attr-defined]


def test_history_in_a_scope_is_the_scope_s_history(world):
    with user_scope(world.werkcoach_b):
        assert Dossier.history.filter(id=world.dossier_b.pk).exists()  # type: ignore[attr-defined]
        assert not Dossier.history.filter(id=world.dossier_a.pk).exists()  # type: ignore[attr-defined]
        assert not world.dossier_a.history.exists()  # type: ignore[attr-defined]
        historical = Dossier.history.model  # type: ignore[attr-defined]
        assert set(historical.objects.values_list("id", flat=True)) == {world.dossier_b.pk}


def test_a_relocated_persons_history_shows_no_edits_of_the_other_gemeente(world):
    """Registered and edited in A, relocated to B, edited in B: each gemeente sees only the
    changes made for its own dossier; A's werkcoach never sees B's, nor B's A's."""
    with user_scope(world.werkcoach_a):
        dossier_a = services.inburgeraar_aanmelden(
            user=world.werkcoach_a,
            persoon=persoon(bsn="111222333"),
            dossier={"gemeente": world.gemeente_a, "werkcoach": world.werkcoach_a},
        )
        mens = dossier_a.inburgeraar
        services.inburgeraar_update(
            user=world.werkcoach_a, inburgeraar=mens, telefoonnummer="0612345678"
        )
    with scopes_disabled():
        services.dossier_verhuizen(
            user=None,
            dossier=Dossier.objects.get(pk=dossier_a.pk),
            nieuwe_gemeente=world.gemeente_b,
            datum_verhuizing=TODAY(),
        )
        mens = Inburgeraar.objects.get(pk=mens.pk)
    with user_scope(world.werkcoach_b):
        mens = Inburgeraar.objects.get(pk=mens.pk)
        services.inburgeraar_update(
            user=world.werkcoach_b, inburgeraar=mens, telefoonnummer="0687654321"
        )

    def telefoons(user) -> list[str]:
        with user_scope(user):
            records = Inburgeraar.history.filter(id=mens.pk).order_by("history_id")  # type: ignore[attr-defined]
            return [r.telefoonnummer for r in records]

    with scopes_disabled():
        alle = Inburgeraar.history.filter(id=mens.pk)  # type: ignore[attr-defined]
        gemeenten = set(alle.values_list("historie_gemeente_id", flat=True))
        assert gemeenten == {world.gemeente_a.pk, world.gemeente_b.pk}
    in_a, in_b = telefoons(world.werkcoach_a), telefoons(world.werkcoach_b)
    assert "0612345678" in in_a and "0687654321" not in in_a
    assert in_b == ["0687654321"]
    # a partner organisation serving A sees A's part only, like A's team
    assert "0687654321" not in telefoons(world.partner_auditor_a)
