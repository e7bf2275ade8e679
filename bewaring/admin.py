"""The functioneel beheerder keeps each gemeente's retention periods here (configuration, with
history). Runs, holds and statements are not in the admin: they go through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bewaartermijn


@admin.register(Bewaartermijn)
class BewaartermijnAdmin(SimpleHistoryAdmin):
    list_display = ["gemeente", "soort", "jaren", "grondslag"]
    list_filter = ["soort"]
    list_select_related = ["gemeente"]
