"""The functioneel beheerder keeps each gemeente's deadline policy here. Case data itself stays
out of the admin (it would bypass the access policy); ``TermijnBeleid`` is configuration.

Saving goes through ``termijnen.termijnbeleid_wijzigen`` (history with the actor and the reason
asked for here, and the running clocks of the gemeente's open dossiers recomputed), never
around it."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import termijnen
from .models import TermijnBeleid


class TermijnBeleidForm(forms.ModelForm):
    wijziging_reden = forms.CharField(
        label=_("Reason for the change"),
        help_text=_(
            "Kept in the history. A new clock length recomputes the running deadlines of this "
            "gemeente's open dossiers."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = TermijnBeleid
        fields = ["gemeente", *sorted(termijnen.BELEID_VELDEN)]


@admin.register(TermijnBeleid)
class TermijnBeleidAdmin(SimpleHistoryAdmin):
    form = TermijnBeleidForm
    list_display = [
        "gemeente",
        "waarschuwingsdagen",
        "pip_na_intake_weken",
        "taalstart_weken",
        "mb_maanden",
        "max_verlenging_inburgeringstermijn_maanden",
        "min_voortgangsgesprekken_per_jaar",
    ]
    list_select_related = ["gemeente"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("gemeente",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        velden = {
            f: form.cleaned_data[f]
            for f in termijnen.BELEID_VELDEN
            if f in form.cleaned_data and (not change or f in form.changed_data)
        }
        if change:
            beleid = TermijnBeleid.objects.get(pk=obj.pk)
        else:
            beleid = TermijnBeleid(gemeente=form.cleaned_data["gemeente"])
        saved = termijnen.termijnbeleid_wijzigen(
            user=request.user,  # type: ignore[arg-type]
            beleid=beleid,
            reden=form.cleaned_data["wijziging_reden"],
            **velden,
        )
        obj.pk = saved.pk
