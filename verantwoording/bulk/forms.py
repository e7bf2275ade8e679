"""The export form: gemeente (only the user's own), period, kind and format."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inburgering.accounts.models import Gemeente
from inburgering.core.access import gemeente_ids

from .export import HISTORIE, SOORTEN, toegestane_soorten

MAX_JAREN = 7  # the Archiefwet's usual retention of financial records; longer is two exports
DATUM = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORMATEN = (("csv", _("CSV (comma-separated)")), ("xlsx", _("Excel workbook (XLSX)")))


class ExportForm(forms.Form):
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Gemeente.objects.none(), empty_label=None
    )
    van = forms.DateField(label=_("From"), widget=DATUM)
    tot = forms.DateField(label=_("To"), widget=DATUM)
    soort = forms.ChoiceField(
        label=_("Export"),
        choices=list(SOORTEN.items()),
        widget=forms.RadioSelect,
        initial=HISTORIE,
    )
    formaat = forms.ChoiceField(
        label=_("Format"), choices=FORMATEN, widget=forms.RadioSelect, initial="csv"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tot"].help_text = gettext(
            "Inclusive; at most %(jaren)d years after “From”."
        ) % {"jaren": MAX_JAREN}
        # only the kinds the user's read permissions cover
        soorten = toegestane_soorten(user)
        self.fields["soort"].choices = [(k, v) for k, v in SOORTEN.items() if k in soorten]  # type: ignore[attr-defined]
        if soorten and HISTORIE not in soorten:
            self.fields["soort"].initial = soorten[0]
        # a user of several gemeenten chooses among their own, never another's
        self.fields["gemeente"].queryset = Gemeente.objects.filter(  # type: ignore[attr-defined]
            id__in=gemeente_ids(user)
        ).order_by("naam")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        van, tot = data.get("van"), data.get("tot")
        if van and tot:
            if tot < van:
                self.add_error("tot", _("The end date lies before the start date."))
            else:
                try:
                    grens = van.replace(year=van.year + MAX_JAREN)
                except ValueError:  # 29 February
                    grens = date(van.year + MAX_JAREN, 3, 1)
                if tot >= grens:
                    self.add_error(
                        "tot",
                        _("The period may be at most %(jaren)d years; split the export.")
                        % {"jaren": MAX_JAREN},
                    )
        return data
