"""The access policy: the one place that decides who sees and changes which case data.

Two layers, so that a forgotten filter fails loudly instead of leaking:

1. **Tenancy (django-scopes).** Case models use a ``ScopedManager`` on the ``gemeente``
   dimension. ``AccessScopeMiddleware`` activates ``scope(gemeente=[...])`` with the gemeenten the
   user's organisation serves for every request; any query on a scoped model outside a scope
   (a Celery task, a management command, a new code path) raises ``ScopeError`` unless it says
   ``scopes_disabled()`` explicitly.
2. **Role (this module).** ``dossiers_for(user)`` narrows further: a begeleider sees only
   dossiers assigned to them, a partner-organisation auditor those of their colleagues, a
   functioneel beheerder none. Every view, API endpoint, export and PDF download starts from
   these functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django_scopes import scope

from inburgering.accounts.constants import OrganisatieSoort, Rol

if TYPE_CHECKING:
    from cases.models import Dossier, Inburgeraar


def gemeente_ids(user: Any) -> list[int]:
    """The gemeenten whose data this user's organisation may see (empty when anonymous)."""
    if not getattr(user, "is_authenticated", False) or not user.organisatie_id:
        return []
    cached = getattr(user, "_gemeente_ids_cache", None)
    if cached is None:
        cached = list(user.organisatie.gemeenten.values_list("id", flat=True))
        user._gemeente_ids_cache = cached
    return cached


@contextmanager
def user_scope(user: Any) -> Iterator[None]:
    """Activate the tenancy scope for ``user`` (used by the middleware and by tests)."""
    with scope(gemeente=gemeente_ids(user)):
        yield


def is_read_only(user: Any) -> bool:
    """Auditors never write, whatever other permissions they may have been given."""
    return user.heeft_rol(Rol.AUDITOR)


def dossiers_for(user: Any) -> QuerySet[Dossier]:
    """Every dossier ``user`` may see. Requires an active scope (see module docstring)."""
    from cases.models import Dossier

    qs = Dossier.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.has_perm("cases.view_dossier"):
        return qs.none()
    soort = user.organisatie.soort if user.organisatie_id else None
    if soort == OrganisatieSoort.GEMEENTELIJK_TEAM:
        return qs  # the scope already restricts to the team's gemeenten
    if soort == OrganisatieSoort.PARTNER:
        if user.heeft_rol(Rol.BEGELEIDER):
            return qs.filter(begeleider=user)
        if user.heeft_rol(Rol.AUDITOR):
            return qs.filter(begeleider__organisatie_id=user.organisatie_id)
    return qs.none()


def inburgeraars_for(user: Any) -> QuerySet[Inburgeraar]:
    """Every inburgeraar with at least one dossier ``user`` may see."""
    from cases.models import Inburgeraar

    return Inburgeraar.objects.filter(Exists(dossiers_for(user).filter(inburgeraar=OuterRef("pk"))))


def can_view_medical(user: Any, dossier: Dossier) -> bool:
    """Medical intake domains (physical and mental health) are need-to-know."""
    return user.has_perm("cases.view_medisch") and dossiers_for(user).filter(pk=dossier.pk).exists()


def can_edit_dossier(user: Any, dossier: Dossier) -> bool:
    if user is None:  # system actions (demo data, tasks) carry no user
        return True
    return (
        not is_read_only(user)
        and user.has_perm("cases.change_dossier")
        and dossier.gemeente_id in gemeente_ids(user)
    )


def ensure_can_edit_dossier(user: Any, dossier: Dossier) -> None:
    if not can_edit_dossier(user, dossier):
        raise PermissionDenied(_("You may not change this dossier."))


def ensure_has_perm(user: Any, perm: str) -> None:
    """Services call this so that every path (UI, API, commands) refuses the same way."""
    if user is None:
        return
    if is_read_only(user) or not user.has_perm(perm):
        raise PermissionDenied(_("Your role does not allow this action."))
