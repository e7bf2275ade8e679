"""Forms of the handhaving screens. They only shape input: every rule (a date in the future, an
empty verslag, an amount above the fixed one, a reduction without its ground, no blame) is
checked by ``handhaving.services`` and its refusal is put back on the form at its field with
``cases.forms.apply_service_errors``. So fields the service requires are ``required=False``
here (marked as required for the reader): the refusal then names the rule, as in the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE_WIDGET, EigenIdsMixin

from .constants import (
    Betaalstatus,
    BezwaarUitkomst,
    GesprekUitkomst,
    Verlagingsgrond,
    VerzuimSoort,
    ZienswijzeSoort,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class _StapForm(EigenIdsMixin, forms.Form):
    """A step's form; ``verplicht`` names the fields the service requires (shown as such)."""

    verplicht: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for naam in self.verplicht:
            self.fields[naam].toon_verplicht = True  # type: ignore[attr-defined]

    def voor_service(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments ("" for an empty text)."""
        data = dict(self.cleaned_data)
        for naam, veld in self.fields.items():
            if data.get(naam) is None and isinstance(veld, forms.CharField):
                data[naam] = ""
        return data


def _tekst(label: Any, help_text: Any = "", *, rijen: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": rijen}),
    )


def _datum(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, help_text=help_text, required=False, widget=DATE_WIDGET)


class VerzuimForm(_StapForm):
    id_prefix = "verzuim"
    verplicht = ("soort", "datum", "omschrijving")
    soort = forms.ChoiceField(
        label=_("Obligation broken"),
        choices=[("", "—"), *VerzuimSoort.choices],
        required=False,
    )
    datum = _datum(_("Date of the failure"))
    omschrijving = _tekst(_("What happened"))
    bewijs = _tekst(
        _("Evidence"), _("Where the facts are recorded: a letter, a report, an attendance list.")
    )


class GesprekForm(_StapForm):
    """The hearing conversation (hoor en wederhoor)."""

    id_prefix = "gesprek"
    verplicht = ("datum", "verslag", "uitkomst")
    datum = _datum(_("Date of the conversation"))
    verslag = _tekst(_("Report of the conversation"), rijen=4)
    tolk = forms.CharField(
        label=_("Interpreter (language)"),
        help_text=_("Leave empty when no interpreter took part."),
        required=False,
        max_length=100,
    )
    uitkomst = forms.ChoiceField(
        label=_("How does the procedure go on?"),
        choices=GesprekUitkomst.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reden = _tekst(
        _("Why enforcement ends with this conversation"),
        _("Only when the procedure is settled with the conversation."),
    )


class RapportForm(_StapForm):
    """The rapport (Awb 5:48)."""

    id_prefix = "rapport"
    verplicht = ("datum", "plaats", "feiten")
    datum = _datum(
        _("Date of the rapport"), _("The decision follows within 13 weeks of it (Awb 5:51).")
    )
    plaats = forms.CharField(label=_("Place of the failure"), required=False, max_length=200)
    feiten = _tekst(_("Facts"), _("What happened, when, and which obligation was broken."), rijen=4)


class ZienswijzeForm(_StapForm):
    id_prefix = "zienswijze"
    verplicht = ("soort",)
    soort = forms.ChoiceField(
        label=_("Zienswijze"),
        choices=ZienswijzeSoort.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    datum = _datum(_("Zienswijze received on"))
    inhoud = _tekst(_("Zienswijze (or the verslag of the oral one)"), rijen=4)


class GeenBoeteForm(_StapForm):
    id_prefix = "geen-boete"
    verplicht = ("motivering",)
    motivering = _tekst(
        _("Why no fine is imposed"),
        _("A written notice is sent; this verzuim can never be fined later (Awb 5:43)."),
    )


class PwMaatregelForm(_StapForm):
    id_prefix = "pw"
    verplicht = ("participatieconsulent", "maatregel", "datum")
    participatieconsulent = forms.CharField(
        label=_("Participatieconsulent"), required=False, max_length=100
    )
    maatregel = _tekst(_("Participatiewet measure"))
    datum = _datum(_("Agreed on"))


class BoeteForm(_StapForm):
    """Draft the fine: the fixed amount unless a ground for a lower one is recorded."""

    id_prefix = "boete"
    verplicht = ("verwijtbaarheid",)
    verwijtbaarheid = _tekst(_("Why the failure can be blamed on the person (Awb 5:41)"), rijen=4)
    zienswijze_weging = _tekst(
        _("How the zienswijze was weighed"),
        _("Required when a zienswijze was given: the decision answers it."),
    )
    bedrag = forms.DecimalField(
        label=_("Amount (€)"),
        help_text=_("Leave empty for the fixed amount."),
        required=False,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )
    verlaging_grond = forms.ChoiceField(
        label=_("Ground for a lower amount (Awb 5:46)"),
        choices=[("", "—"), *Verlagingsgrond.choices],
        required=False,
    )
    verlaging_motivering = _tekst(_("Motivation of the lower amount"))


class LegeForm(EigenIdsMixin, forms.Form):
    """A step without fields (submit, approve, send): carries the refusal of its service."""

    def __init__(self, *args: Any, id_prefix: str = "", **kwargs: Any) -> None:
        self.id_prefix = id_prefix
        super().__init__(*args, **kwargs)


class TerugsturenForm(_StapForm):
    id_prefix = "terugsturen"
    verplicht = ("opmerking",)
    opmerking = _tekst(
        _("What should the werkcoach change?"),
        _("The werkcoach sees this on the procedure page and in the timeline."),
    )


class BezwaarForm(_StapForm):
    id_prefix = "bezwaar"
    verplicht = ("ontvangen_op",)
    ontvangen_op = _datum(_("Objection received on"))


class BezwaarBeslissenForm(_StapForm):
    id_prefix = "bezwaar-beslissen"
    verplicht = ("uitkomst", "datum")
    uitkomst = forms.ChoiceField(
        label=_("Outcome of the objection"),
        choices=BezwaarUitkomst.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    datum = _datum(_("Decided on"))
    nieuw_bedrag = forms.DecimalField(
        label=_("New amount (€)"),
        help_text=_("Only when the objection is partly founded."),
        required=False,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )


class BetaalstatusForm(_StapForm):
    id_prefix = "betaalstatus"
    verplicht = ("betaalstatus",)
    betaalstatus = forms.ChoiceField(
        label=_("Payment"), choices=[("", "—"), *Betaalstatus.choices], required=False
    )


class IntrekkenForm(_StapForm):
    id_prefix = "intrekken"
    verplicht = ("reden",)
    reden = _tekst(_("Reason for the withdrawal"), _("A withdrawal letter is sent."))
