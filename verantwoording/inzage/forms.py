"""The privacy officer's forms: registering an inzageverzoek (the person found by BSN among the
persons the officer reaches) and recording to whom and when the answer was delivered."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.policy import inburgeraars_for
from inburgering.core.bsn import is_valid_bsn, normalise_bsn


class RegistrerenForm(forms.Form):
    bsn = forms.CharField(
        label=_("BSN of the person"),
        max_length=20,
        help_text=_("The person is looked up among the dossiers you may see."),
    )
    ontvangen_op = forms.DateField(
        label=_("Request received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    toelichting = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the request came in, and how the person's identity was checked."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.inburgeraar: Any = None

    def clean_bsn(self) -> str:
        bsn = normalise_bsn(self.cleaned_data["bsn"].strip())
        if not is_valid_bsn(bsn):
            raise forms.ValidationError(_("This is not a valid BSN (eleven test)."))
        self.inburgeraar = inburgeraars_for(self.user).filter(bsn=bsn).first()
        if self.inburgeraar is None:
            raise forms.ValidationError(_("No person with this BSN has a dossier you may see."))
        return bsn

    def clean_ontvangen_op(self) -> Any:
        datum = self.cleaned_data["ontvangen_op"]
        if datum > timezone.localdate():
            raise forms.ValidationError(_("A request cannot be received in the future."))
        return datum


class VerstrekkenForm(forms.Form):
    verstrekt_aan = forms.CharField(
        label=_("Delivered to"),
        max_length=200,
        help_text=_("The person, or their authorised representative."),
    )
    verstrekt_op = forms.DateField(
        label=_("Delivered on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, verzoek: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.verzoek = verzoek

    def clean_verstrekt_op(self) -> Any:
        datum = self.cleaned_data["verstrekt_op"]
        if datum > timezone.localdate():
            raise forms.ValidationError(_("A delivery cannot be in the future."))
        if datum < self.verzoek.ontvangen_op:
            raise forms.ValidationError(_("A delivery cannot be before the request was received."))
        return datum
