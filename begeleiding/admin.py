from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BegeleidingBeleid


@admin.register(BegeleidingBeleid)
class BegeleidingBeleidAdmin(SimpleHistoryAdmin):
    list_display = ["gemeente", "toestemming_vereist", "contact_weken", "standaard_maanden"]
