"""Serializers of maatschappelijke begeleiding. The rules are the services' (UI, API and the
offline app's replay refuse alike); these shape output and check input types.

What a partner sees of the person is what the referral shares: name, telephone, language,
interpreter and home address — never the BSN, nothing medical. An input field's ``source`` is
the service's parameter; the view maps a refusal of that parameter back to the field the client
sent (``handhaving.api.serializers.invoer_veldnamen``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api.serializers import UuidRefField
from cases.models import Dossier
from cases.policy import dossiers_for
from inburgering.accounts.constants import OrganisatieSoort
from inburgering.accounts.models import Organisatie, User

from .. import services
from ..constants import AanmeldingStatus, Aanwezige, ActieEigenaar, ContactSoort, Onderwerp
from ..models import Aanmelding, Contactmoment, Vervolgactie
from ..policy import aanmeldingen_for


def _naam(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _datum(help_text: Any, **kwargs: Any) -> serializers.DateField:
    # optional for the parser: a missing date is refused by the service's rule, named
    return serializers.DateField(
        required=False, allow_null=True, default=None, help_text=help_text, **kwargs
    )


def _tekst(help_text: Any, **kwargs: Any) -> serializers.CharField:
    # optional for the parser: a missing text is refused by the service's rule, named
    return serializers.CharField(
        required=False, allow_blank=True, default="", help_text=help_text, **kwargs
    )


# --- references -------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.UUID)
class DossierRefField(serializers.SlugRelatedField):
    """A dossier by uuid, among those the caller may see (another one does not exist)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        if request is None:
            return Dossier.objects.none()
        return dossiers_for(request.user)


@extend_schema_field(OpenApiTypes.UUID)
class PartnerRefField(serializers.SlugRelatedField):
    """A partner organisation by uuid; whether it works in the dossier's gemeente is the
    service's rule."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        kwargs.setdefault("queryset", Organisatie.objects.filter(soort=OrganisatieSoort.PARTNER))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.UUID)
class BegeleiderRefField(serializers.SlugRelatedField):
    """A colleague of the caller's own organisation by uuid (no one else exists here); whether
    they are a begeleider is the service's rule."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        organisatie_id = getattr(request.user, "organisatie_id", None) if request else None
        if organisatie_id is None:
            return User.objects.none()
        return User.objects.filter(organisatie_id=organisatie_id, is_active=True)


@extend_schema_field(OpenApiTypes.UUID)
class AanmeldingRefField(serializers.SlugRelatedField):
    """A begeleiding by uuid, among those the caller may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        if request is None:
            return Aanmelding.objects.none()
        return aanmeldingen_for(request.user)


class PersoonRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(read_only=True)


def _persoon_ref(user: User | None) -> dict[str, Any] | None:
    return {"uuid": user.uuid, "naam": _naam(user)} if user else None


# --- output ---------------------------------------------------------------------------------


class PersoonSerializer(serializers.Serializer):
    """What the referral shares of the person (no BSN, nothing medical)."""

    naam = serializers.CharField(source="volledige_naam", read_only=True)
    telefoonnummer = serializers.CharField(read_only=True)
    taal = serializers.CharField(
        source="talen", read_only=True, help_text=_("Languages spoken, comma separated.")
    )
    tolk_nodig = serializers.BooleanField(read_only=True)
    tolk_taal = serializers.CharField(read_only=True)
    woonadres = serializers.SerializerMethodField(
        help_text=_("The home address on one line; empty when it is not complete.")
    )

    def get_woonadres(self, inburgeraar: Any) -> str:
        adres = inburgeraar.woonadres
        return str(adres) if adres else ""


class OrganisatieRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(read_only=True)


class AanmeldingSerializer(serializers.ModelSerializer):
    """A referral to a partner organisation and, once accepted, the begeleiding it became;
    with its last contact, the next contact deadline and its open follow-up actions."""

    url = serializers.SerializerMethodField(help_text=_("This resource (relative URL)."))
    dossier = UuidRefField()
    status = serializers.ChoiceField(choices=AanmeldingStatus.choices, read_only=True)
    persoon = PersoonSerializer(source="dossier.inburgeraar", read_only=True)
    organisatie = OrganisatieRefSerializer(read_only=True)
    begeleider = serializers.SerializerMethodField()
    laatste_contact = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("The last contact, if any.")
    )
    contact_uiterlijk = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("The next contact is due by this day (the contact-frequency rule)."),
    )
    open_vervolgacties = serializers.IntegerField(
        source="open_acties", read_only=True, help_text=_("Open follow-up actions.")
    )

    class Meta:
        model = Aanmelding
        fields = [
            "uuid",
            "url",
            "status",
            "dossier",
            "persoon",
            "organisatie",
            "begeleider",
            "startdatum",
            "einddatum",
            "afspraken",
            "voor_partner",
            "geinformeerd_op",
            "toestemming_op",
            "evaluatie_op",
            "afgesloten_op",
            "laatste_contact",
            "contact_uiterlijk",
            "open_vervolgacties",
        ]
        read_only_fields = fields

    def get_url(self, aanmelding: Aanmelding) -> str:
        return reverse("aanmelding-detail", kwargs={"uuid": aanmelding.uuid})

    @extend_schema_field(PersoonRefSerializer(allow_null=True))
    def get_begeleider(self, aanmelding: Aanmelding) -> dict[str, Any] | None:
        return _persoon_ref(aanmelding.begeleider)


class ActieSerializer(serializers.ModelSerializer):
    """A follow-up action, as part of its contact."""

    class Meta:
        model = Vervolgactie
        fields = ["uuid", "omschrijving", "eigenaar", "deadline", "afgerond_op"]
        read_only_fields = fields


class VervolgactieSerializer(serializers.ModelSerializer):
    """A follow-up action with the contact and begeleiding it belongs to."""

    url = serializers.SerializerMethodField(help_text=_("This resource (relative URL)."))
    contactmoment = UuidRefField()
    aanmelding = serializers.UUIDField(source="contactmoment.aanmelding.uuid", read_only=True)
    dossier = UuidRefField()

    class Meta:
        model = Vervolgactie
        fields = [
            "uuid",
            "url",
            "contactmoment",
            "aanmelding",
            "dossier",
            "omschrijving",
            "eigenaar",
            "deadline",
            "afgerond_op",
        ]
        read_only_fields = fields

    def get_url(self, actie: Vervolgactie) -> str:
        return reverse("vervolgactie-detail", kwargs={"uuid": actie.uuid})


class ContactmomentSerializer(serializers.ModelSerializer):
    """One contact, in its current version, with its follow-up actions."""

    url = serializers.SerializerMethodField(help_text=_("This resource (relative URL)."))
    aanmelding = UuidRefField()
    dossier = UuidRefField()
    auteur = serializers.SerializerMethodField()
    vervolgacties = ActieSerializer(many=True, read_only=True)

    class Meta:
        model = Contactmoment
        fields = [
            "uuid",
            "url",
            "aanmelding",
            "dossier",
            "auteur",
            "tijdstip",
            "soort",
            "duur_minuten",
            "aanwezig",
            "onderwerpen",
            "verslag",
            "signaal_werkcoach",
            "signaal_toelichting",
            "signaal_opgevolgd_op",
            "versie",
            "aangemaakt_op",
            "gewijzigd_op",
            "vervolgacties",
        ]
        read_only_fields = fields

    def get_url(self, contact: Contactmoment) -> str:
        return reverse("contactmoment-detail", kwargs={"uuid": contact.uuid})

    @extend_schema_field(PersoonRefSerializer)
    def get_auteur(self, contact: Contactmoment) -> dict[str, Any] | None:
        return _persoon_ref(contact.auteur)


class ContactConflictSerializer(serializers.Serializer):
    """A 409: the contact changed on the server meanwhile (or a replay of its uuid carries
    other content). Nothing was overwritten; ``huidige`` is the server's version."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    huidige = ContactmomentSerializer(help_text=_("The contact as it is on the server now."))


# --- input: referrals -------------------------------------------------------------------------


class AanmeldenSerializer(serializers.Serializer):
    dossier = DossierRefField(help_text=_("The dossier (uuid) to refer."))
    organisatie = PartnerRefField(help_text=_("The partner organisation (uuid)."))
    afspraken = _tekst(_("The PIP's agreements on begeleiding (theme 4)."), max_length=2000)
    voor_partner = _tekst(_("What the partner needs to know."), max_length=2000)
    geinformeerd_op = _datum(
        _("When the person was informed about what is shared (AVG art. 13): required.")
    )
    toestemming_op = _datum(_("When the person consented, where the gemeente's policy asks."))
    einddatum = _datum(_("The end of the begeleiding (default the gemeente's policy)."))


class AccepterenSerializer(serializers.Serializer):
    begeleider = BegeleiderRefField(help_text=_("The begeleider (user uuid) to assign."))
    startdatum = _datum(_("The start of the begeleiding (default today)."))


class AfwijzenSerializer(serializers.Serializer):
    afwijsreden = _tekst(_("The reason for declining, for the werkcoach."), source="reden")


class ToewijzenSerializer(serializers.Serializer):
    begeleider = BegeleiderRefField(help_text=_("The begeleider (user uuid) to assign."))


class AanmeldingIntrekkenSerializer(serializers.Serializer):
    reden = _tekst(_("The reason for withdrawing."))


class EinddatumSerializer(serializers.Serializer):
    einddatum = _datum(_("The new end of the begeleiding."))
    reden = _tekst(_("The reason for the new end date."))


class EvaluatieSerializer(serializers.Serializer):
    evaluatie_op = _datum(_("The day of the review."), source="datum")
    evaluatie_verslag = _tekst(_("What the review concluded."), source="verslag")


class AfsluitenSerializer(serializers.Serializer):
    afsluitend_verslag = _tekst(
        _("The closing report: what was reached, what not."), source="verslag"
    )
    open_punten = _tekst(_("The open points for the werkcoach (warm handover)."))


# --- input: contacts --------------------------------------------------------------------------


class NieuweActieSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Made by the client, so a replay creates the action once."),
    )
    omschrijving = _tekst(_("What is to be done (required)."), max_length=300)
    eigenaar = serializers.ChoiceField(
        choices=ActieEigenaar.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Who does it (required)."),
    )
    deadline = _datum(_("The day it is due (required): not before the contact."))

    def to_internal_value(self, data: Any) -> services.NieuweActie:
        waarden = super().to_internal_value(data)
        return services.NieuweActie(**waarden)


def _keuzes(choices: Any, help_text: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), required=False, help_text=help_text
    )


class _ContactVelden(serializers.Serializer):
    """The fields of a contact the client writes. Without defaults: a correction passes only
    what it changes (the service keeps the rest)."""

    tijdstip = serializers.DateTimeField(
        required=False, allow_null=True, help_text=_("When the contact took place.")
    )
    soort = serializers.ChoiceField(
        choices=ContactSoort.choices, required=False, help_text=_("The kind of contact.")
    )
    duur_minuten = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("The duration in minutes (1 to 600).")
    )
    aanwezig = _keuzes(Aanwezige.choices, _("Who else was present."))
    onderwerpen = _keuzes(
        Onderwerp.choices, _("The topics, from the list (health without details).")
    )
    verslag = serializers.CharField(
        required=False, allow_blank=True, help_text=_("The short report (required).")
    )
    signaal_werkcoach = serializers.BooleanField(
        required=False, help_text=_("A signal for the werkcoach (cannot be taken back).")
    )
    signaal_toelichting = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=_("What the werkcoach should know or do (required with a signal)."),
    )
    vervolgacties = NieuweActieSerializer(
        many=True, required=False, help_text=_("Follow-up actions to add.")
    )


class ContactVastleggenSerializer(_ContactVelden):
    uuid = serializers.UUIDField(
        help_text=_(
            "Made by the client: the same body posted again answers the contact already made "
            "(200); other content under the same uuid is a 409."
        )
    )
    aanmelding = AanmeldingRefField(help_text=_("The begeleiding (uuid) the contact belongs to."))


class ContactCorrigerenSerializer(_ContactVelden):
    versie = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The version you corrected (required): a newer one on the server is a 409."),
    )


class AfrondenSerializer(serializers.Serializer):
    afgerond_op = _datum(_("The day the action was done (default today)."), source="datum")
