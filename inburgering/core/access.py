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


def can_view_signalen(user: Any, dossier: Dossier) -> bool:
    """Signals of trauma or domestic violence and referrals (Veilig Thuis, GGZ) recorded in the
    brede intake are special-category data (AVG art. 9), need-to-know like the medical domains:
    the same permission, ``cases.view_medisch``, in every channel (page, API, history, PDF)."""
    return can_view_medical(user, dossier)


def is_partner_user(user: Any) -> bool:
    """Anyone outside a municipal team: partner begeleiders and auditors, language providers."""
    organisatie = getattr(user, "organisatie", None) if user is not None else None
    return organisatie is None or organisatie.soort != OrganisatieSoort.GEMEENTELIJK_TEAM


def can_view_full_bsn(user: Any, dossier: Dossier | None) -> bool:
    """Municipal team members see the full BSN; partner roles see it masked unless the gemeente
    of the dossier grants them more (``Gemeente.partner_ziet_volledig_bsn``)."""
    if user is None:  # system paths (PDF rendering, tasks) carry no user
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if not is_partner_user(user):
        return True
    return dossier is not None and bool(dossier.gemeente.partner_ziet_volledig_bsn)


def mask_bsn(bsn: str) -> str:
    """Only the last three digits: ``******123``."""
    if not bsn:
        return ""
    return "*" * (len(bsn) - 3) + bsn[-3:]


def bsn_voor(user: Any, inburgeraar: Inburgeraar, dossier: Dossier | None = None) -> str:
    """The BSN as ``user`` may see it: every template, serializer and export asks this.

    Without a ``dossier``, a partner user sees the full number only when a gemeente of one of
    the person's dossiers that the user may see grants it."""
    if user is None or (getattr(user, "is_authenticated", False) and not is_partner_user(user)):
        return inburgeraar.bsn
    if dossier is not None:
        volledig = can_view_full_bsn(user, dossier)
    else:
        volledig = (
            dossiers_for(user)
            .filter(inburgeraar_id=inburgeraar.pk, gemeente__partner_ziet_volledig_bsn=True)
            .exists()
        )
    return inburgeraar.bsn if volledig else mask_bsn(inburgeraar.bsn)


def zoekterm_voor(user: Any, zoekterm: str) -> str:
    """A search term shown back on the caseload: a BSN is masked for partner roles there too."""
    from cases.rules import is_valid_bsn, normalise_bsn

    bsn = normalise_bsn(zoekterm.strip())
    if is_partner_user(user) and is_valid_bsn(bsn):
        return mask_bsn(bsn)
    return zoekterm


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
    the editor does not hold themselves (a superuser may always)."""
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
