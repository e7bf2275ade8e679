from datetime import timedelta
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inburgering.accounts.models import Gemeente, User
from inburgering.core import weergave

from . import rules
from .constants import PERSOON_VELDEN, ContactKanaal, Doelgroep, Fase, Regime
from .models import Dossier, Inburgeraar, Termijn, validate_bsn
from .selectors import gemeenten_voor, werkcoaches_voor

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EigenIdsMixin:
    """For a form that shares its page with others: its ids (and the wrapper ids of
    ``components/field.html``) carry ``id_prefix`` — ``id_afronden-datum`` — so no two forms render
    ``id_datum`` and a label never points at another form's field. Field names, and so what the
    form posts, stay the same."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organisatie = f" ({obj.organisatie})" if obj.organisatie_id else ""
        return f"{obj}{organisatie}"


def apply_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal on the form: field errors where the field is shown."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class BsnField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("BSN"))
        kwargs.setdefault("max_length", 11)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value: Any) -> str:
        value = rules.normalise_bsn(super().clean(value) or "")
        validate_bsn(value)
        return value


class PersoonForm(forms.ModelForm):
    bsn = BsnField()
    contactkanalen = forms.MultipleChoiceField(
        label=_("Contact channels"),
        choices=ContactKanaal.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Inburgeraar
        fields = list(PERSOON_VELDEN)
        widgets = {"geboortedatum": DATE_WIDGET}

    def validate_unique(self) -> None:
        """Uniqueness is checked by the service across all gemeenten (not just visible ones)."""

    def _post_clean(self) -> None:
        """Model validation runs in the service, together with the dossier's."""


class DossierGegevensForm(forms.Form):
    """Assignment and key dates of a dossier (shared by the create and edit forms). The
    maatschappelijk begeleider is not chosen here: a partner organisation reaches a dossier
    only through a referral its coördinator accepted (``begeleiding``)."""

    werkcoach = UserChoiceField(queryset=None, label=_("Werkcoach"), required=False)  # type: ignore[arg-type]
    datum_koppeling = forms.DateField(
        label=_("Date of koppeling"), required=False, widget=DATE_WIDGET
    )
    datum_huisvesting = forms.DateField(
        label=_("Date of housing"), required=False, widget=DATE_WIDGET
    )
    datum_brp_inschrijving = forms.DateField(
        label=_("Date of BRP registration"), required=False, widget=DATE_WIDGET
    )
    coa_referentie = forms.CharField(label=_("COA/TVS reference"), required=False, max_length=50)

    def __init__(self, *args: Any, user: User, gemeente: Gemeente | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["werkcoach"].queryset = werkcoaches_voor(user, gemeente)  # type: ignore[attr-defined]


class DossierVeldenForm(DossierGegevensForm):
    gemeente: "forms.ModelChoiceField[Gemeente]" = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label=_("Gemeente"),
    )
    fase = forms.ChoiceField(
        label=_("Phase"), choices=[(f.value, f.label) for f in Fase if rules.is_open(f)]
    )
    field_order = ["gemeente", "fase"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["gemeente"].queryset = gemeenten_voor(user)  # type: ignore[attr-defined]


class AanmeldForm(PersoonForm):
    """Register a person with their first dossier in one go."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossier_form = DossierVeldenForm(*args, user=user, **kwargs)
        self.fields.update(self.dossier_form.fields)
        self.fields["doelgroep"].initial = Doelgroep.ASIELMIGRANT
        self.fields["regime"].initial = Regime.WI2021

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        dossier_keys = set(DossierVeldenForm.base_fields)
        persoon = {k: v for k, v in self.cleaned_data.items() if k not in dossier_keys}
        dossier = {k: v for k, v in self.cleaned_data.items() if k in dossier_keys}
        dossier["coa_referentie"] = dossier.get("coa_referentie") or ""
        return persoon, dossier


class RedenField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Reason for the change"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class PersoonBewerkenForm(PersoonForm):
    reden = RedenField()


class DossierBewerkenForm(DossierGegevensForm):
    reden = RedenField()

    def __init__(self, *args: Any, user: User, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, user=user, gemeente=dossier.gemeente, **kwargs)


class FaseForm(forms.Form):
    fase = forms.ChoiceField(label=_("New phase"), choices=[])
    reden = RedenField(label=_("Reason"))

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every phase change needs a reason; the service judges it (the same refusal in the API).
        self.fields["reden"].toon_verplicht = True  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["fase"]).choices = [
            (f.value, f.label)
            for f in Fase
            if rules.fase_overgang_weigering(dossier.fase, f) is None
        ]


class VerhuizenForm(forms.Form):
    nieuwe_gemeente: "forms.ModelChoiceField[Gemeente]" = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label=_("New gemeente"),
    )
    datum_verhuizing = forms.DateField(label=_("Date of relocation"), widget=DATE_WIDGET)
    reden = RedenField(label=_("Reason"))

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["nieuwe_gemeente"].queryset = Gemeente.objects.exclude(pk=dossier.gemeente_id)  # type: ignore[attr-defined]


class NotitieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Note"),
        # a fixed id: the dossier header's "Add note" links to it, and the browser focuses it
        widget=forms.Textarea(attrs={"rows": 3, "id": "notitie-tekst"}),
        max_length=4000,
    )


class ZoekForm(forms.Form):
    zoekterm = forms.CharField(label=_("Search by name or BSN"), required=False, max_length=100)


class ToewijzenForm(forms.Form):
    dossiers: "forms.ModelMultipleChoiceField[Dossier]" = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        to_field_name="uuid",
        label=_("Dossiers"),
        error_messages={"required": _("Select at least one dossier.")},
    )
    werkcoach = UserChoiceField(queryset=None, label=_("Assign to werkcoach"))  # type: ignore[arg-type]
    reden = RedenField(label=_("Reason"))

    def __init__(self, *args: Any, user: User, dossiers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = dossiers  # type: ignore[attr-defined]
        self.fields["werkcoach"].queryset = werkcoaches_voor(user)  # type: ignore[attr-defined]


class TermijnVerlengenForm(forms.Form):
    """Extend one termijn. Both fields are checked by ``termijn_verlengen`` so a refusal says
    what the law or policy requires; the form only parses the date."""

    tot = forms.DateField(label=_("New due date"), required=False, widget=DATE_WIDGET)
    reden = forms.CharField(
        label=_("Reason for the extension"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, termijn: Termijn, max_tot: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"verlengen-{termijn.uuid}")
        super().__init__(*args, **kwargs)
        for name in ("tot", "reden"):
            self.fields[name].toon_verplicht = True  # type: ignore[attr-defined]
            self.fields[name].widget.attrs["aria-required"] = "true"
        tot = self.fields["tot"]
        tot.widget.attrs["min"] = (termijn.uiterste_datum + timedelta(days=1)).isoformat()
        if max_tot is not None:
            tot.widget.attrs["max"] = max_tot.isoformat()
            tot.help_text = _("After %(huidig)s and at most until %(max)s.") % {
                "huidig": weergave.datum(termijn.uiterste_datum),
                "max": weergave.datum(max_tot),
            }
        else:
            tot.help_text = _("After the current due date, %(huidig)s.") % {
                "huidig": weergave.datum(termijn.uiterste_datum)
            }


class TermijnGehaaldForm(forms.Form):
    """Record by hand that a termijn was met (the service checks the date)."""

    datum = forms.DateField(label=_("Met on"), required=False, widget=DATE_WIDGET)
    toelichting = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, termijn: Termijn, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"gehaald-{termijn.uuid}")
        super().__init__(*args, **kwargs)
        datum = self.fields["datum"]
        datum.toon_verplicht = True  # type: ignore[attr-defined]
        datum.widget.attrs["aria-required"] = "true"
        datum.widget.attrs["min"] = termijn.startdatum.isoformat()
        datum.widget.attrs["max"] = timezone.localdate().isoformat()
