"""Forms for the brede intake and the PIP editor. They only shape input: every rule is checked by
``pip_plans.services`` and its refusals are put back on the form with ``apply_service_errors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE_WIDGET, EigenIdsMixin

from .constants import INTAKE_VELDEN, Beoordeling, Examendeel, Leerroute, VasteLast
from .models import BredeIntake, IntakeGesprek, Pip
from .services import PIP_BEWERKBARE_VELDEN

Label = str | Promise
TEXTAREA_SMALL = forms.Textarea(attrs={"rows": 3})


class _ServiceValidatedModelForm(forms.ModelForm):
    """Model validation runs in the service (with the refusal naming the rule), not here; the
    instance is never touched by the form."""

    def _post_clean(self) -> None:
        pass


class GesprekForm(EigenIdsMixin, _ServiceValidatedModelForm):
    id_prefix = "gesprek"

    class Meta:
        model = IntakeGesprek
        fields = [
            "datum",
            "locatie",
            "participatieconsulent",
            "begeleider_aanwezig",
            "tolk_taal",
            "verschenen",
            "meegewerkt",
            "notities",
        ]
        widgets = {"datum": DATE_WIDGET, "notities": TEXTAREA_SMALL}


class IntakeForm(_ServiceValidatedModelForm):
    """Leerbaarheidstoets, Taalstart, diploma recognition, signals."""

    GROEPEN = [
        (_("Leerbaarheidstoets"), INTAKE_VELDEN[0:5]),
        (_("Taalstart report (optional)"), INTAKE_VELDEN[5:12]),
        (_("Diploma recognition, signals and referrals"), INTAKE_VELDEN[12:]),
    ]

    class Meta:
        model = BredeIntake
        fields = list(INTAKE_VELDEN)
        widgets = {
            "leerbaarheid_datum": DATE_WIDGET,
            "leerbaarheid_advies": TEXTAREA_SMALL,
            "taalstart_studievaardigheden": TEXTAREA_SMALL,
            "taalstart_zelfsturing": TEXTAREA_SMALL,
            "taalstart_digitaal": TEXTAREA_SMALL,
            "signalen": TEXTAREA_SMALL,
        }

    def __init__(self, *args: Any, toon_signalen: bool = False, **kwargs: Any) -> None:
        """``toon_signalen``: whether the user has need-to-know for signals and referrals
        (``access.can_view_signalen``); without it the field is not on the form at all, so its
        value is neither shown nor accepted."""
        super().__init__(*args, **kwargs)
        if not toon_signalen:
            del self.fields["signalen"]

    def groepen(self) -> list[tuple[Label, list[forms.BoundField]]]:
        return [
            (titel, [self[name] for name in velden if name in self.fields])
            for titel, velden in self.GROEPEN
        ]


class DomeinForm(forms.Form):
    """One life domain; prefixed with the domain code so 14 of them can share a page."""

    beoordeling = forms.ChoiceField(
        label=_("Assessment"), choices=[("", "—"), *Beoordeling.choices]
    )
    toelichting = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class KindForm(EigenIdsMixin, forms.Form):
    id_prefix = "kind"
    geboortejaar = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100)
    vve_keuze = forms.CharField(
        label=_("Early-education (VVE) choice"), required=False, max_length=200
    )


class AfrondenForm(EigenIdsMixin, forms.Form):
    id_prefix = "afronden"
    datum = forms.DateField(label=_("Date completed"), required=False, widget=DATE_WIDGET)


PIP_THEMAS: list[tuple[str, Label, list[str]]] = [
    (
        "inburgering",
        _("1. Inburgering"),
        [
            "leerroute",
            "route_motivatie",
            "onderwijsroute_overwogen",
            "einddoel",
            "a2_examendelen",
            "aanbieder",
            "uren_per_week",
            "verwachte_duur_maanden",
            "knm",
            "map_vrijgesteld",
            "map_vrijstelling_grond",
            "pvt",
        ],
    ),
    ("participatie", _("2. Participatie"), ["participatie", "participatie_uren_per_week"]),
    (
        "ontzorgen",
        _("3. Ontzorgen"),
        [
            "heeft_uitkering",
            "ontzorgen_vaste_lasten",
            "ontzorgen_start",
            "ontzorgen_maanden",
            "ontzorgen_motivatie",
            "financiele_training",
        ],
    ),
    (
        "begeleiding",
        _("4. Begeleiding en ondersteuning"),
        [
            "voortgangsgesprekken_per_jaar",
            "maatschappelijke_begeleiding",
            "workshops",
            "kinderopvang",
            "vve",
        ],
    ),
]

assert {v for _t, _l, velden in PIP_THEMAS for v in velden} == PIP_BEWERKBARE_VELDEN


class PipForm(_ServiceValidatedModelForm):
    a2_examendelen = forms.MultipleChoiceField(
        label=_("A2 on exam parts"),
        choices=Examendeel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ontzorgen_vaste_lasten = forms.MultipleChoiceField(
        label=_("Fixed costs paid by the gemeente"),
        choices=VasteLast.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Pip
        fields = [v for _t, _l, velden in PIP_THEMAS for v in velden]
        widgets = {
            "ontzorgen_start": DATE_WIDGET,
            "route_motivatie": TEXTAREA_SMALL,
            "onderwijsroute_overwogen": TEXTAREA_SMALL,
            "map_vrijstelling_grond": TEXTAREA_SMALL,
            "participatie": TEXTAREA_SMALL,
            "ontzorgen_motivatie": TEXTAREA_SMALL,
            "workshops": TEXTAREA_SMALL,
            "kinderopvang": TEXTAREA_SMALL,
            "vve": TEXTAREA_SMALL,
        }

    def __init__(self, *args: Any, alleen_lezen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if alleen_lezen:
            for field in self.fields.values():
                field.disabled = True

    def themas(self) -> list[tuple[str, Label, list[forms.BoundField]]]:
        return [(code, titel, [self[v] for v in velden]) for code, titel, velden in PIP_THEMAS]

    def data_voor_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name, field in self.fields.items():
            # CharFields with a blank model field are "" not None in the model
            if data.get(name) is None and isinstance(field, forms.CharField):
                data[name] = ""
        return data


class NieuweVersieForm(EigenIdsMixin, forms.Form):
    id_prefix = "nieuwe-versie"
    reden = forms.CharField(
        label=_("Reason for the new version"), required=False, widget=TEXTAREA_SMALL
    )


class RouteSwitchForm(EigenIdsMixin, forms.Form):
    id_prefix = "route-switch"
    nieuwe_route = forms.ChoiceField(label=_("New leerroute"), choices=Leerroute.choices)
    datum = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    motivatie = forms.CharField(label=_("Motivation"), widget=TEXTAREA_SMALL)


class AfschalenForm(EigenIdsMixin, forms.Form):
    id_prefix = "afschalen"
    examendeel = forms.ChoiceField(label=_("Exam part"), choices=Examendeel.choices)
    datum = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    lesuren = forms.IntegerField(
        label=_("Lesson hours followed (incl. alfabetisering)"), min_value=0
    )
    voldoende_inspanning = forms.BooleanField(
        label=_("Sufficient effort has been judged and recorded"), required=False
    )
    motivatie = forms.CharField(label=_("Motivation"), widget=TEXTAREA_SMALL)


class TerugsturenForm(EigenIdsMixin, forms.Form):
    """Teamleider: send a PIP awaiting approval back to the werkcoach, saying why."""

    id_prefix = "terugsturen"
    opmerking = forms.CharField(
        label=_("What should the werkcoach change?"),
        help_text=_("The werkcoach sees this on the PIP page and in the timeline."),
        required=False,  # required by the service, which names the rule (same in the API)
        max_length=2000,
        widget=TEXTAREA_SMALL,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opmerking"].toon_verplicht = True  # type: ignore[attr-defined]


VASTSTELLEN_FORM_ID = "pip-form"  # the PIP editor: vaststellen posts it, so unsaved edits show


class VaststellenForm(EigenIdsMixin, forms.Form):
    """The confirmation before a legally binding decision is issued (no JavaScript needed).

    Its checkbox and the vaststellen button belong to the PIP editor's form (HTML ``form``
    attribute), so what is posted includes the PIP's fields and the view can refuse when they
    hold edits that were not saved."""

    id_prefix = "vaststellen"
    bevestigd = forms.BooleanField(
        label=_(
            "I understand that this issues a beschikking: a legally binding decision, sent to "
            "the inburgeraar, that can only be changed by a new version."
        ),
        error_messages={
            "required": _(
                "Confirm that you understand that vaststellen issues a legally binding "
                "decision (Awb art. 1:3)."
            )
        },
        widget=forms.CheckboxInput(attrs={"form": VASTSTELLEN_FORM_ID}),
    )
