"""Forms of the retention pages; the services decide, the forms carry their refusals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inburgering.accounts.models import Gemeente

from .constants import BlokkadeReden


class VoorstelForm(forms.Form):
    gemeente = forms.ModelChoiceField(queryset=Gemeente.objects.none(), label=_("Gemeente"))
    peildatum = forms.DateField(
        label=_("Reference date"),
        required=False,
        help_text=_("Leave empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, gemeenten: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "voorstel_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["gemeente"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = gemeenten if gemeenten is not None else Gemeente.objects.none()


class AfwijzenForm(forms.Form):
    afwijzing_reden = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "afwijzen_%s")
        super().__init__(*args, **kwargs)


class GoedkeurenForm(forms.Form):
    bevestigd = forms.BooleanField(
        label=_("I have checked the list: these dossiers may be destroyed."), required=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "goedkeuren_%s")
        super().__init__(*args, **kwargs)


class BlokkadeForm(forms.Form):
    reden = forms.ChoiceField(label=_("Reason"), choices=BlokkadeReden.choices)
    toelichting = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the objection's date and case number. No BSN."),
    )
    sinds = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "blokkade_%s")
        super().__init__(*args, **kwargs)


class OpheffenForm(forms.Form):
    opheffing_toelichting = forms.CharField(
        label=_("Reason for lifting"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "opheffen_%s")
        super().__init__(*args, **kwargs)
