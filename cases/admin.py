"""The functioneel beheerder keeps each gemeente's deadline policy here. Case data itself stays
out of the admin (it would bypass the access policy); ``TermijnBeleid`` is configuration."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import TermijnBeleid


@admin.register(TermijnBeleid)
class TermijnBeleidAdmin(SimpleHistoryAdmin):
    list_display = [
        "gemeente",
        "waarschuwingsdagen",
        "pip_na_intake_weken",
        "taalstart_weken",
        "mb_maanden",
        "max_verlenging_inburgeringstermijn_maanden",
    ]
    list_select_related = ["gemeente"]
