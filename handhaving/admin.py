from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Boetetarief, HandhavingBeleid


@admin.register(Boetetarief)
class BoetetariefAdmin(SimpleHistoryAdmin):
    """Fine amounts per period: a new amount is a new row from its date, never an edit of the
    amount a decided fine used."""

    list_display = ("categorie", "geldig_vanaf", "maximum", "grondslag")
    list_filter = ("categorie",)

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # an amount in use stays as it was decided: only its wording may be corrected
        return ("categorie", "geldig_vanaf", "maximum") if obj is not None else ()


@admin.register(HandhavingBeleid)
class HandhavingBeleidAdmin(SimpleHistoryAdmin):
    list_display = (
        "gemeente",
        "voornemen_bij_intakeboete",
        "goedkeuring_vereist",
        "zienswijze_dagen",
    )
