"""Forms of the begeleiding screens. They only shape input: every rule (informed before sharing,
consent where the gemeente asks, a contact after it took place, a signal with its explanation,
a due date after the contact) is checked by ``begeleiding.services`` and its refusal is put back
on the form at its field with ``cases.forms.apply_service_errors``. So fields the service
requires are ``required=False`` here (marked as required for the reader): the refusal then
names the rule, as in the API."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE_WIDGET, EigenIdsMixin
from inburgering.accounts.models import Organisatie, User

from .constants import Aanwezige, ActieEigenaar, ContactSoort, Onderwerp
from .services import NieuweActie

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_ACTIES = 3


class _Form(EigenIdsMixin, forms.Form):
    """``verplicht`` names the fields the service requires (shown as such); ``id_prefix`` may
    be given per instance (several rows of one page each carry their own forms)."""

    verplicht: tuple[str, ...] = ()

    def __init__(self, *args: Any, id_prefix: str | None = None, **kwargs: Any) -> None:
        if id_prefix is not None:
            self.id_prefix = id_prefix
        super().__init__(*args, **kwargs)
        for naam in self.verplicht:
            self.fields[naam].toon_verplicht = True  # type: ignore[attr-defined]

    def tekst(self, naam: str) -> str:
        return self.cleaned_data.get(naam) or ""


def _tekst(label: Any, help_text: Any = "", *, rijen: int = 3, max_length: int = 4000) -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rijen}),
    )


def _datum(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, help_text=help_text, required=False, widget=DATE_WIDGET)


def naam_van(user: User) -> str:
    return user.get_full_name() or user.username


class BegeleiderField(forms.ChoiceField):
    """A begeleider of the organisation, from a list read once for the whole page (so a page
    with one form per referral runs one query for all of them)."""

    def __init__(self, *, begeleiders: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.zetten(begeleiders)

    def zetten(self, begeleiders: Sequence[User]) -> None:
        self.begeleiders = {str(b.pk): b for b in begeleiders}
        self.choices = [("", "—"), *((str(b.pk), naam_van(b)) for b in begeleiders)]

    def clean(self, value: Any) -> User | None:  # type: ignore[override]
        value = super().clean(value)
        return self.begeleiders.get(str(value)) if value else None


# --- the referral (werkcoach) ------------------------------------------------------------------


class AanmeldenForm(_Form):
    id_prefix = "aanmelden"
    verplicht = ("organisatie", "afspraken", "geinformeerd_op")
    organisatie = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisatie.objects.none(),
        required=False,
        empty_label="—",
    )
    afspraken = _tekst(
        _("Agreements on begeleiding (PIP, theme 4)"),
        _("Shared with the partner. Prefilled from the PIP where there is one."),
        rijen=4,
        max_length=2000,
    )
    voor_partner = _tekst(
        _("What the partner needs to know"),
        _("Only what the begeleider needs for the begeleiding; never medical details."),
        max_length=2000,
    )
    geinformeerd_op = _datum(
        _("Person informed about what is shared on"),
        _("Nothing is shared with the partner before the person was informed (AVG art. 13)."),
    )
    toestemming_op = _datum(_("Consent given on"))
    einddatum = _datum(
        _("End of the begeleiding"),
        _("Prefilled with the gemeente's policy; the begeleider's access ends on this day."),
    )

    def __init__(
        self,
        *args: Any,
        organisaties: Any,
        toestemming_vereist: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].queryset = organisaties  # type: ignore[attr-defined]
        veld = self.fields["toestemming_op"]
        if toestemming_vereist:
            veld.toon_verplicht = True  # type: ignore[attr-defined]
            veld.help_text = _(
                "This gemeente's policy asks for the person's consent before anything is "
                "shared with a partner."
            )
        else:
            veld.help_text = _("Only when the person gave consent; this gemeente does not ask it.")

    def voor_service(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "organisatie": d.get("organisatie"),
            "afspraken": self.tekst("afspraken"),
            "voor_partner": self.tekst("voor_partner"),
            "geinformeerd_op": d.get("geinformeerd_op"),
            "toestemming_op": d.get("toestemming_op"),
            "einddatum": d.get("einddatum"),
        }


class IntrekkenForm(_Form):
    id_prefix = "intrekken"
    verplicht = ("ingetrokken_reden",)
    ingetrokken_reden = _tekst(
        _("Reason for withdrawing"), _("The partner's access ends at once."), max_length=2000
    )


class EinddatumForm(_Form):
    id_prefix = "einddatum"
    verplicht = ("einddatum", "reden")
    einddatum = _datum(_("New end date"))
    reden = forms.CharField(label=_("Reason"), required=False, max_length=500)


class EvaluatieForm(_Form):
    id_prefix = "evaluatie"
    verplicht = ("evaluatie_op", "evaluatie_verslag")
    evaluatie_op = _datum(_("Review held on"))
    evaluatie_verslag = _tekst(_("What the review concluded"), max_length=2000)


# --- the partner's coördinator -----------------------------------------------------------------


class AccepterenForm(_Form):
    verplicht = ("begeleider",)
    begeleider = BegeleiderField(label=_("Begeleider"), required=False)
    startdatum = _datum(_("Start"), _("Today when left empty."))

    def __init__(self, *args: Any, begeleiders: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["begeleider"].zetten(begeleiders)  # type: ignore[attr-defined]


class AfwijzenForm(_Form):
    verplicht = ("afwijsreden",)
    afwijsreden = _tekst(_("Reason for declining"), _("The werkcoach reads it."), rijen=2)


class ToewijzenForm(_Form):
    verplicht = ("begeleider",)
    begeleider = BegeleiderField(label=_("Hand over to"), required=False)

    def __init__(self, *args: Any, begeleiders: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["begeleider"].zetten(begeleiders)  # type: ignore[attr-defined]


# --- contacts (begeleider) ---------------------------------------------------------------------


class _ContactVelden(_Form):
    verplicht = ("soort", "tijdstip", "duur_minuten", "verslag")
    soort = forms.ChoiceField(
        label=_("Kind of contact"),
        choices=ContactSoort.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    tijdstip = forms.DateTimeField(label=_("Date and time"), required=False, widget=DATETIME_WIDGET)
    duur_minuten = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 600}),
    )
    aanwezig = forms.MultipleChoiceField(
        label=_("Also present"),
        choices=Aanwezige.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    onderwerpen = forms.MultipleChoiceField(
        label=_("Topics"),
        help_text=_("Health only as a topic: write no medical details."),
        choices=Onderwerp.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    verslag = _tekst(
        _("Short report"),
        _("What was discussed and agreed; no medical details."),
        rijen=4,
        max_length=2000,
    )
    signaal_werkcoach = forms.BooleanField(
        label=_("Signal for the werkcoach"),
        help_text=_("The werkcoach gets a signal and follows it up within a week."),
        required=False,
    )
    signaal_toelichting = _tekst(
        _("What the werkcoach should know or do"),
        _("Required with a signal."),
        rijen=2,
        max_length=500,
    )

    def velden(self) -> dict[str, Any]:
        """The contact's fields as the service's keyword arguments."""
        d = self.cleaned_data
        tijdstip = d.get("tijdstip")
        return {
            "tijdstip": tijdstip if isinstance(tijdstip, datetime) else None,
            "soort": d.get("soort") or "",
            "duur_minuten": d.get("duur_minuten"),
            "aanwezig": list(d.get("aanwezig") or []),
            "onderwerpen": list(d.get("onderwerpen") or []),
            "verslag": self.tekst("verslag"),
            "signaal_werkcoach": bool(d.get("signaal_werkcoach")),
            "signaal_toelichting": self.tekst("signaal_toelichting"),
        }


class ContactForm(_ContactVelden):
    """A new contact. ``uuid`` is made when the form is rendered, so a double submit (or a
    reload of the POST) records it once."""

    id_prefix = "contact"
    uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_ACTIES + 1):
            self.fields[f"actie_{i}_omschrijving"] = forms.CharField(
                label=_("Action"), required=False, max_length=300
            )
            self.fields[f"actie_{i}_eigenaar"] = forms.ChoiceField(
                label=_("Who does it"),
                choices=[("", "—"), *ActieEigenaar.choices],
                required=False,
            )
            self.fields[f"actie_{i}_deadline"] = _datum(_("Due"))
        if not self.is_bound:
            self.initial.setdefault("uuid", uuidlib.uuid4())
            self.initial.setdefault(
                "tijdstip", timezone.localtime().replace(second=0, microsecond=0)
            )

    @property
    def contact_velden(self) -> list[forms.BoundField]:
        return [self[n] for n in _ContactVelden.base_fields]

    @property
    def actie_rijen(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (i, [self[f"actie_{i}_{n}"] for n in ("omschrijving", "eigenaar", "deadline")])
            for i in range(1, MAX_ACTIES + 1)
        ]

    def vervolgacties(self) -> list[NieuweActie]:
        """The rows the user filled in (an untouched row is no action)."""
        acties = []
        for i in range(1, MAX_ACTIES + 1):
            omschrijving = self.cleaned_data.get(f"actie_{i}_omschrijving") or ""
            eigenaar = self.cleaned_data.get(f"actie_{i}_eigenaar") or ""
            deadline: date | None = self.cleaned_data.get(f"actie_{i}_deadline")
            if omschrijving.strip() or eigenaar or deadline:
                acties.append(NieuweActie(omschrijving, eigenaar, deadline))
        return acties


class ContactCorrigerenForm(_ContactVelden):
    """A correction names the version it corrects (``versie``): a newer one on the server is
    a conflict the user resolves, never a silent overwrite."""

    id_prefix = "corrigeren"
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AfsluitenForm(_Form):
    id_prefix = "afsluiten"
    verplicht = ("afsluitend_verslag",)
    afsluitend_verslag = _tekst(
        _("Closing report"), _("What was reached, what not."), rijen=4, max_length=4000
    )
    open_punten = _tekst(
        _("Open points for the werkcoach"),
        _("The warm handover: what the werkcoach picks up."),
        max_length=2000,
    )


class LegeForm(_Form):
    """A button without fields (signal followed up, action done)."""
