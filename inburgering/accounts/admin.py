"""Configuration screens for the functioneel beheerder (gemeenten, organisations, users).

Dossiers and inburgeraars are deliberately *not* in the admin: the admin would bypass the access
policy, so all case data goes through the application's own views and API.

Accounts cannot be used to escalate (``inburgering.core.access.role_change_refusals``): nobody
changes the roles or status of their own account, only a superuser grants superuser or staff
status or changes a superuser's account, and nobody grants a group or permission they do not hold
themselves. The fields are read-only where they may not change, and the form refuses the change
server-side too (a hand-made POST changes nothing). Role changes are in the user's history.
"""

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from inburgering.core.access import (
    ROL_VELDEN,
    may_manage_account,
    may_set_password,
    role_change_refusals,
)

from . import tweefactor
from .models import Gemeente, Organisatie, User
from .tweefactor import herbevestiging_vereist

# The second factor's devices are not edited in the admin: their pages would show TOTP keys and
# recovery codes. The beheerder resets a user's second factor with the action on the user list.
for _device in (
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "django_otp_webauthn.WebAuthnCredential",
    "django_otp_webauthn.WebAuthnAttestation",
):
    _model = apps.get_model(_device)
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Gemeente)
class GemeenteAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "cbs_code", "ondertekenaar_naam", "partner_ziet_volledig_bsn"]
    search_fields = ["naam", "cbs_code"]


@admin.register(Organisatie)
class OrganisatieAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "soort"]
    list_filter = ["soort"]
    filter_horizontal = ["gemeenten"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisatie", "is_active"]
    list_filter = ["organisatie", "groups", "is_active"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Organisation"), {"fields": ("organisatie",)}))  # type: ignore[misc]
    actions = ["sessies_beeindigen", "tweede_factor_resetten"]

    # roles are changed here: the second factor once more first (tweefactor.py)
    @method_decorator(herbevestiging_vereist)
    def change_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().change_view(request, *args, **kwargs)

    @method_decorator(herbevestiging_vereist)
    def add_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().add_view(request, *args, **kwargs)

    @admin.action(description=_("Reset the second factor of the selected users"))
    def tweede_factor_resetten(self, request: HttpRequest, queryset: Any) -> Any:
        """A lost phone: every second factor of the user is removed (they set up a new one at
        their next log-in) and their sessions end. Not one's own (that would remove the
        second factor without giving it); on record, and the user is e-mailed."""
        if tweefactor.verplicht() and not tweefactor.recent_gegeven(request):
            return herbevestiging_vereist(lambda r: None)(request)
        beheerbaar = [
            u for u in queryset if u.pk != request.user.pk and may_manage_account(request.user, u)
        ]
        for u in beheerbaar:
            tweefactor.resetten(request, u)
        self.message_user(
            request,
            _(
                "The second factor of %(users)d users was reset; they set up a new one at their "
                "next log-in."
            )
            % {"users": len(beheerbaar)},
        )
        return None

    @admin.action(description=_("Log the selected users out everywhere"))
    def sessies_beeindigen(self, request: HttpRequest, queryset: Any) -> None:
        """The functioneel beheerder ends all sessions of users they may manage (a lost
        phone, a suspected break-in); on record as the request's audit event."""
        from . import sessies

        beheerbaar = [u for u in queryset if may_manage_account(request.user, u)]
        aantal = sum(sessies.beeindigd_op_verzoek(request, u) for u in beheerbaar)
        self.message_user(
            request,
            _("%(sessies)d sessions of %(users)d users ended.")
            % {"sessies": aantal, "users": len(beheerbaar)},
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        editor: Any = request.user
        if not editor.is_superuser:
            readonly += ["is_superuser", "is_staff"]
        if obj is not None and obj.pk == editor.pk:
            readonly += list(ROL_VELDEN)
        return list(dict.fromkeys(readonly))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and may_manage_account(request.user, obj)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        base = super().get_form(request, obj, change=change, **kwargs)
        editor = request.user

        class RolBewakingForm(base):  # type: ignore[valid-type,misc]
            """Refuses an escalation even when the POST contains fields the page did not show."""

            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                changes = {veld: cleaned[veld] for veld in ROL_VELDEN if veld in cleaned}
                refusals = role_change_refusals(editor=editor, target=obj, changes=changes)
                if refusals:
                    raise ValidationError(refusals)
                return cleaned

        return RolBewakingForm

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        target = self.get_object(request, unquote(id))
        if target is not None and not may_set_password(request.user, target):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)
