"""The access policy of the platform: users, roles, gemeenten, accounts, and the action engine.

Access is decided in layers, so that a forgotten filter fails loudly instead of leaking:

1. **Tenancy (django-scopes).** Case models use a ``ScopedManager`` on the ``gemeente``
   dimension (their history models too). ``AccessScopeMiddleware`` activates
   ``scope(gemeente=[...])`` with the gemeenten the user's organisation serves for every
   request; any query on a scoped model outside a scope (a Celery task, a management command, a
   new code path) raises ``ScopeError`` unless it says ``scopes_disabled()`` explicitly.
2. **Visibility (each domain's policy).** ``cases.policy.dossiers_for(user)`` narrows further:
   a partner organisation reaches a dossier only through a part of the hub that grants it
   (``cases.hub.Hub.partner_toegang``: the begeleiding app's running begeleidingen its
   coördinator accepted, until their end date) — a begeleider only their own, the coördinator
   and a partner-organisation auditor every one of the organisation; a functioneel beheerder
   none. Every view, API endpoint, export and PDF download starts from the domain's
   visibility querysets; an object outside them is a 404.
3. **Acting (this module's engine).** Every "may this user do X (to this object)" question is a
   named action: ``mag(user, "pip.goedkeuren", pip)`` answers it, ``vereis(...)`` refuses with
   the action's message (a 403). Each domain app registers its actions from
   ``AppConfig.ready()`` (``cases.policy``, ``pip_plans.policy``); an unknown name raises, so a
   typo fails loudly instead of answering "no". Views, templates (``{% if user|mag:"…" %}``),
   API permissions and services ask the engine; none of them asks ``has_perm`` itself.

The platform knows no domain app: the actions and the visibility rules about case data live in
the domain apps that own that data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from inburgering.accounts.constants import OrganisatieSoort, Rol

GEEN_ROL = gettext_lazy("Your role does not allow this action.")


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


def is_partner_user(user: Any) -> bool:
    """Anyone outside a municipal team: partner begeleiders and auditors, language providers."""
    organisatie = getattr(user, "organisatie", None) if user is not None else None
    return organisatie is None or organisatie.soort != OrganisatieSoort.GEMEENTELIJK_TEAM


def mask_bsn(bsn: str) -> str:
    """Only the last three digits: ``******123``."""
    if not bsn:
        return ""
    return "*" * (len(bsn) - 3) + bsn[-3:]


def ensure_has_perm(user: Any, perm: str) -> None:
    """Services call this so that every path (UI, API, commands) refuses the same way."""
    if not heeft_recht(user, perm):
        raise PermissionDenied(str(GEEN_ROL))


def heeft_recht(user: Any, perm: str) -> bool:
    """A Django permission held by a user who may write (auditors never do); ``None`` is a
    system path (demo data, tasks) and may. The building block of action predicates."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return not is_read_only(user) and bool(user.has_perm(perm))


def heeft_leesrecht(user: Any, perm: str) -> bool:
    """A Django permission for reading: auditors read what their permissions allow."""
    if user is None:
        return True
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(perm))


def heeft_rol(user: Any, *rollen: str) -> bool:
    """One of ``rollen``: for the policy modules, never for views or templates."""
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and user.heeft_rol(*rollen)
    )


# --- the action engine ---------------------------------------------------------------------------

Predikaat = Callable[[Any, Any], bool]


class OnbekendeActie(LookupError):
    """An action name nobody registered: a typo in a view, template or service."""


@dataclass(frozen=True)
class Actie:
    """A named action: ``predikaat(user, obj)`` decides, ``weigering`` is the 403's message."""

    naam: str
    predikaat: Predikaat
    weigering: str | Promise


_ACTIES: dict[str, Actie] = {}


def actie_registreren(
    naam: str, predikaat: Predikaat, weigering: str | Promise = GEEN_ROL
) -> Actie:
    """Register one action (from an app's ``ready()``). Registering the same name twice with
    another predicate is a configuration error; the same predicate again is a no-op."""
    if "." not in naam:
        raise ImproperlyConfigured(f"Action names are '<domain>.<verb>': {naam!r}")
    bestaand = _ACTIES.get(naam)
    if bestaand is not None:
        if bestaand.predikaat is predikaat:
            return bestaand
        raise ImproperlyConfigured(f"Action {naam!r} is registered twice.")
    actie = Actie(naam=naam, predikaat=predikaat, weigering=weigering)
    _ACTIES[naam] = actie
    return actie


def actie(naam: str, weigering: str | Promise = GEEN_ROL) -> Callable[[Predikaat], Predikaat]:
    """Decorator form of ``actie_registreren`` for a predicate ``(user, obj) -> bool``."""

    def deco(predikaat: Predikaat) -> Predikaat:
        actie_registreren(naam, predikaat, weigering)
        return predikaat

    return deco


def geregistreerde_acties() -> dict[str, Actie]:
    """Every registered action by name (a copy: for tests and documentation)."""
    return dict(_ACTIES)


def _actie(naam: str) -> Actie:
    try:
        return _ACTIES[naam]
    except KeyError:
        raise OnbekendeActie(f"Unknown action {naam!r}: register it in a policy module.") from None


def mag(user: Any, actie: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``actie`` (to ``obj``). Visibility comes first: callers look
    ``obj`` up through the visibility querysets (a 404) before asking this (a 403)."""
    return bool(_actie(actie).predikaat(user, obj))


def vereis(user: Any, actie: str, obj: Any = None) -> None:
    """Refuse with the action's message (``PermissionDenied``: a 403 in UI and API) unless
    ``mag(user, actie, obj)``."""
    gevonden = _actie(actie)
    if not gevonden.predikaat(user, obj):
        raise PermissionDenied(str(gevonden.weigering))  # in the reader's language, now


# --- accounts: no privilege escalation ---------------------------------------------------------

# The fields of an account that decide what it may do. Nobody changes them on their own account.
ROL_VELDEN = ("groups", "user_permissions", "is_staff", "is_superuser", "is_active", "organisatie")


def _perm_codes(perms: Any) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in perms.values_list("content_type__app_label", "codename")
    }


def may_manage_account(editor: Any, target: Any) -> bool:
    """Only a superuser changes a superuser's account (or its password)."""
    return bool(editor.is_superuser or target is None or not target.is_superuser)


def may_set_password(editor: Any, target: Any) -> bool:
    """Setting someone's password is logging in as them: only for accounts that hold nothing
    the editor does not hold themselves (a superuser may always). Nobody gives a password to
    a user who signs in through the identity provider only."""
    if target is not None and getattr(target, "alleen_oidc", False):
        return False
    if editor.is_superuser:
        return True
    if target is None:
        return True
    if target.is_superuser:
        return False
    held = editor.get_all_permissions()
    return target.get_all_permissions() <= held


def role_change_refusals(*, editor: Any, target: Any, changes: dict[str, Any]) -> dict[str, str]:
    """Why ``editor`` may not make these ``changes`` (field → value as the form cleaned it) to
    ``target``'s account; empty when allowed. The rule: nobody changes their own roles, nobody
    but a superuser grants superuser or staff status, and nobody grants a group or permission
    they do not hold themselves (a group is held when the editor has all its permissions)."""
    refusals: dict[str, str] = {}
    own = target is not None and target.pk is not None and target.pk == editor.pk
    for veld, nieuw in changes.items():
        if veld not in ROL_VELDEN:
            continue
        oud: Any = None
        if target is not None and target.pk is not None:
            if veld in ("groups", "user_permissions"):
                oud = set(getattr(target, veld).all())
            else:
                oud = getattr(target, veld if veld != "organisatie" else "organisatie_id")
        if veld in ("groups", "user_permissions"):
            nieuw_set = set(nieuw or [])
            gewijzigd = nieuw_set != (oud or set())
        elif veld == "organisatie":
            gewijzigd = (nieuw.pk if nieuw else None) != oud
        else:
            gewijzigd = bool(nieuw) != bool(oud)
        if not gewijzigd:
            continue
        if own:
            refusals[veld] = _("Nobody may change the roles or status of their own account.")
            continue
        if editor.is_superuser:
            continue
        if veld in ("is_superuser", "is_staff") and nieuw:
            refusals[veld] = _("Only a superuser may grant superuser or staff status.")
        elif veld == "groups":
            held = editor.get_all_permissions()
            te_veel = sorted(
                g.name for g in nieuw_set - (oud or set()) if not _perm_codes(g.permissions) <= held
            )
            if te_veel:
                refusals[veld] = _(
                    "You may not grant a role whose permissions you do not hold yourself: "
                    "%(rollen)s."
                ) % {"rollen": ", ".join(te_veel)}
        elif veld == "user_permissions":
            held = editor.get_all_permissions()
            te_veel = sorted(
                f"{p.content_type.app_label}.{p.codename}"
                for p in nieuw_set - (oud or set())
                if f"{p.content_type.app_label}.{p.codename}" not in held
            )
            if te_veel:
                refusals[veld] = _(
                    "You may not grant a permission you do not hold yourself: %(perms)s."
                ) % {"perms": ", ".join(te_veel)}
    return refusals
