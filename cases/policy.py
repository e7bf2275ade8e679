"""The access policy for case data: who sees which dossiers and persons, who sees which parts of
them, and the dossier, termijn, signaal and caseload actions (registered with the platform's
engine, ``inburgering.core.access``, from ``CasesConfig.ready()``).

Visibility (the querysets here) decides what a user reaches at all: an object outside it is a
404 in UI and API alike. Actions decide what a user may do to what they reach: a refusal is a
403 in both. Every view, API endpoint, export and PDF download starts from these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inburgering.accounts.constants import OrganisatieSoort, Rol
from inburgering.core.access import (
    actie_registreren,
    gemeente_ids,
    heeft_leesrecht,
    heeft_recht,
    heeft_rol,
    is_partner_user,
    is_read_only,
    mask_bsn,
    vereis,
)
from inburgering.core.bsn import is_valid_bsn, normalise_bsn

if TYPE_CHECKING:
    from .models import Dossier, Gebeurtenis, Inburgeraar, Signaal


# --- visibility ----------------------------------------------------------------------------------


def dossiers_for(user: Any) -> QuerySet[Dossier]:
    """Every dossier ``user`` may see. Requires an active scope (``inburgering.core.access``)."""
    from .models import Dossier

    qs = Dossier.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.has_perm("cases.view_dossier"):
        return qs.none()
    if ziet_hele_scope(user):
        return qs  # the scope already restricts to the team's gemeenten
    soort = user.organisatie.soort if user.organisatie_id else None
    if soort == OrganisatieSoort.PARTNER:
        # a partner reaches a dossier only through a domain part that grants it (the
        # begeleiding app: a running begeleiding its coördinator accepted, until its end date)
        from .hub import hub

        toegang = hub.partner_toegang(user)
        return qs.filter(toegang) if toegang is not None else qs.none()
    return qs.none()


def ziet_hele_scope(user: Any) -> bool:
    """Whether ``user`` sees every dossier of the gemeenten in their scope (a municipal team
    with the right to read dossiers): then what is kept per gemeente (``TermijnTeller``) may
    stand for ``dossiers_for(user)``."""
    return (
        getattr(user, "is_authenticated", False)
        and bool(user.organisatie_id)
        and user.organisatie.soort == OrganisatieSoort.GEMEENTELIJK_TEAM
        and user.has_perm("cases.view_dossier")
    )


def inburgeraars_for(user: Any) -> QuerySet[Inburgeraar]:
    """Every inburgeraar with at least one dossier ``user`` may see."""
    from .models import Inburgeraar

    return Inburgeraar.objects.filter(Exists(dossiers_for(user).filter(inburgeraar=OuterRef("pk"))))


def signalen_zichtbaar_voor(user: Any) -> QuerySet[Signaal]:
    """The signals ``user`` reaches: those of dossiers they may see. Whether they may *handle*
    one (only their own) is the ``signaal.afhandelen`` action: someone else's signal on a
    visible dossier is a 403, a signal of an invisible dossier a 404 — in UI and API alike."""
    from .models import Signaal

    return Signaal.objects.filter(dossier__in=dossiers_for(user))


def signalen_om_af_te_handelen(user: Any, uuids: Iterable[Any]) -> list[int]:
    """The ids of the signals ``uuids`` that ``user`` may handle, all or none, the same way in
    UI and API: a signal the user does not reach (unknown, another gemeente, an invisible
    dossier) is a 404 (``Http404``); a visible one that is not theirs a 403
    (``PermissionDenied``, the ``signaal.afhandelen`` action)."""
    gevraagd = set(uuids)
    gevonden = list(signalen_zichtbaar_voor(user).filter(uuid__in=gevraagd))
    if len(gevonden) != len(gevraagd):
        raise Http404(_("No signal found."))
    for signaal in gevonden:
        vereis(user, "signaal.afhandelen", signaal)
    return [signaal.pk for signaal in gevonden]


def eigen_signalen(user: Any) -> QuerySet[Signaal]:
    """The signals addressed to ``user`` on dossiers they may see ("Mijn signalen")."""
    return signalen_zichtbaar_voor(user).filter(ontvanger=user)


# --- need-to-know parts of a dossier ------------------------------------------------------------


def gebeurtenissen_voor(user: Any, dossier: Dossier) -> QuerySet[Gebeurtenis]:
    """The dossier's timeline as this user may read it: kinds that are need-to-know
    (``Gebeurtenissoort.leesrecht``, e.g. handhaving's) only with their permission. The
    timeline section and the API's timeline both read it here."""
    from . import tijdlijn

    qs = dossier.gebeurtenissen.all()
    verborgen = [
        code
        for perm, codes in tijdlijn.register.per_leesrecht().items()
        if not heeft_leesrecht(user, perm)
        for code in codes
    ]
    return qs.exclude(soort__in=verborgen) if verborgen else qs


def can_view_medical(user: Any, dossier: Dossier) -> bool:
    """Medical intake domains (physical and mental health) are need-to-know."""
    return user.has_perm("cases.view_medisch") and dossiers_for(user).filter(pk=dossier.pk).exists()


def can_view_signalen(user: Any, dossier: Dossier) -> bool:
    """Signals of trauma or domestic violence and referrals (Veilig Thuis, GGZ) recorded in the
    brede intake are special-category data (AVG art. 9), need-to-know like the medical domains:
    the same permission, ``cases.view_medisch``, in every channel (page, API, history, PDF)."""
    return can_view_medical(user, dossier)


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
    bsn = normalise_bsn(zoekterm.strip())
    if is_partner_user(user) and is_valid_bsn(bsn):
        return mask_bsn(bsn)
    return zoekterm


def begint_op_eigen_caseload(user: Any) -> bool:
    """A werkcoach's caseload opens on their own dossiers; everyone else's on all they see."""
    return heeft_rol(user, Rol.WERKCOACH)


def ontvangt_signalen(user: Any) -> bool:
    """Werkcoaches and teamleiders receive termijn signals ("Mijn signalen" in the header)."""
    return heeft_rol(user, Rol.WERKCOACH, Rol.TEAMLEIDER)


# --- changing a dossier ------------------------------------------------------------------------


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


# --- actions (registered by ``registreren``, called from ``CasesConfig.ready()``) -------------

DOSSIER_WIJZIGEN = gettext_lazy("You may not change this dossier.")
GEEN_ROL = gettext_lazy("Your role does not allow this action.")


def dossier_van(obj: Any) -> Dossier | None:
    """The dossier an action's object belongs to (a dossier, or anything with a ``dossier``:
    a termijn, a signaal, an intake, a PIP...)."""
    if obj is None:
        return None
    from .models import Dossier

    return obj if isinstance(obj, Dossier) else obj.dossier


def recht_op_dossier(perm: str) -> Any:
    """``perm`` (never for auditors) and, given a dossier, may change that dossier."""

    def predikaat(user: Any, obj: Any) -> bool:
        dossier = dossier_van(obj)
        return heeft_recht(user, perm) and (dossier is None or can_edit_dossier(user, dossier))

    return predikaat


def _dossier_bewerken(user: Any, obj: Any) -> bool:
    dossier = dossier_van(obj)
    if dossier is None:
        return heeft_recht(user, "cases.change_dossier")
    return can_edit_dossier(user, dossier)


def _recht(perm: str) -> Any:
    return lambda user, obj: heeft_recht(user, perm)


def _leesrecht(perm: str) -> Any:
    return lambda user, obj: heeft_leesrecht(user, perm)


def _signaal_afhandelen(user: Any, obj: Any) -> bool:
    """Someone's own signals only, and never read-only."""
    if user is None:
        return True
    if is_read_only(user) or not user.has_perm("cases.view_termijn"):
        return False
    return obj is None or obj.ontvanger_id == user.pk


def _termijnen_overzicht(user: Any, obj: Any) -> bool:
    return heeft_rol(user, Rol.TEAMLEIDER)


ACTIES: tuple[tuple[str, Any, Any], ...] = (
    ("inburgeraar.aanmelden", _recht("cases.add_inburgeraar"), GEEN_ROL),
    ("inburgeraar.bewerken", _recht("cases.change_inburgeraar"), GEEN_ROL),
    ("dossier.aanmaken", _recht("cases.add_dossier"), GEEN_ROL),
    ("dossier.bewerken", _dossier_bewerken, DOSSIER_WIJZIGEN),
    ("dossier.fase_wijzigen", _dossier_bewerken, DOSSIER_WIJZIGEN),
    ("dossier.toewijzen", _recht("cases.toewijzen_dossier"), GEEN_ROL),
    ("dossier.verhuizen", recht_op_dossier("cases.verhuizen_dossier"), GEEN_ROL),
    ("dossier.notitie", _recht("cases.notitie_dossier"), GEEN_ROL),
    ("dossier.historie_bekijken", _leesrecht("cases.view_historie_dossier"), GEEN_ROL),
    ("termijn.bekijken", _leesrecht("cases.view_termijn"), GEEN_ROL),
    ("termijn.beheren", recht_op_dossier("cases.beheren_termijn"), GEEN_ROL),
    (
        "termijnen.overzicht",
        _termijnen_overzicht,
        gettext_lazy("Only a teamleider sees the deadline overview."),
    ),
    ("termijnbeleid.aanmaken", _recht("cases.add_termijnbeleid"), GEEN_ROL),
    ("termijnbeleid.wijzigen", _recht("cases.change_termijnbeleid"), GEEN_ROL),
    ("signaal.bekijken", _leesrecht("cases.view_termijn"), GEEN_ROL),
    (
        "signaal.afhandelen",
        _signaal_afhandelen,
        gettext_lazy("You can only handle your own signals."),
    ),
)


def registreren() -> None:
    """Register the case actions with the platform's engine (idempotent)."""
    for naam, predikaat, weigering in ACTIES:
        actie_registreren(naam, predikaat, weigering)
