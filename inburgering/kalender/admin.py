"""The functioneel beheerder adds decree days (Atw art. 3 lid 3) here when a decree appears."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AtwExtraDag


@admin.register(AtwExtraDag)
class AtwExtraDagAdmin(SimpleHistoryAdmin):
    list_display = ["datum", "omschrijving", "besluit"]
    date_hierarchy = "datum"
    search_fields = ["omschrijving", "besluit"]
