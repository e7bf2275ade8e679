"""Configuration screens for the functioneel beheerder (gemeenten, organisations, users).

Dossiers and inburgeraars are deliberately *not* in the admin: the admin would bypass the access
policy, so all case data goes through the application's own views and API.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Gemeente, Organisatie, User


@admin.register(Gemeente)
class GemeenteAdmin(SimpleHistoryAdmin):
    list_display = ["naam", "cbs_code", "ondertekenaar_naam"]
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
    fieldsets = (*BaseUserAdmin.fieldsets, ("Organisatie", {"fields": ("organisatie",)}))  # type: ignore[misc]
