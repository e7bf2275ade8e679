from datetime import date
from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inburgering.accounts.models import Gemeente, User
from inburgering.core.access import gemeente_ids, mask_bsn

from .. import rules
from ..constants import OPEN_FASE_CHOICES, PERSOON_VELDEN, Fase
from ..feiten import Feiten
from ..hub import ApiVeld, hub
from ..models import (
    Dossier,
    Gebeurtenis,
    Inburgeraar,
    Signaal,
    Termijn,
    Verlenging,
    validate_bsn,
)
from ..policy import bsn_voor, inburgeraars_for
from ..termijnen import max_verlengd_tot
from ..termijnregels import Verlengbaar


class BsnSerializerField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("help_text", _("Burgerservicenummer: nine digits passing the elfproef."))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = rules.normalise_bsn(super().to_internal_value(data))
        try:
            validate_bsn(value)
        except Exception as exc:
            raise serializers.ValidationError(
                str(_("This is not a valid BSN: it must be nine digits that pass the elfproef."))
            ) from exc
        return value


@extend_schema_field(OpenApiTypes.UUID)
class UserRefField(serializers.SlugRelatedField):
    """A colleague by uuid; whether they may hold the dossier is checked by the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        kwargs.setdefault("queryset", User.objects.filter(is_active=True))
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.UUID)
class GemeenteRefField(serializers.SlugRelatedField):
    """A gemeente by uuid, limited to the gemeenten the requesting user's team serves."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return Gemeente.objects.filter(pk__in=gemeente_ids(request.user if request else None))


@extend_schema_field(OpenApiTypes.UUID)
class InburgeraarRefField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return inburgeraars_for(request.user) if request else Inburgeraar.objects.none()


class InburgeraarSerializer(serializers.ModelSerializer):
    """BSN uniqueness is checked by the services across all gemeenten, not by DRF.

    The ``bsn`` is served as the caller may see it (``access.bsn_voor``): partner roles get the
    last three digits (``******123``) unless the gemeente grants them the full number."""

    bsn = BsnSerializerField(
        help_text=_(
            "Burgerservicenummer: nine digits passing the elfproef. Partner organisations "
            "read it masked (******123) unless the gemeente grants them the full number."
        )
    )
    volledige_naam = serializers.CharField(read_only=True)
    reden = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=_("Reason for the change (history)."),
    )

    class Meta:
        model = Inburgeraar
        fields = ["uuid", *PERSOON_VELDEN, "volledige_naam", "reden"]
        read_only_fields = ["uuid"]
        validators: list[Any] = []

    def to_representation(self, instance: Inburgeraar) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        # no request: a serializer used without context must not leak (fail closed)
        data["bsn"] = bsn_voor(request.user, instance) if request else mask_bsn(instance.bsn)
        return data


class InburgeraarAanmeldenSerializer(InburgeraarSerializer):
    """Register a person together with their first dossier (a person is visible through it)."""

    gemeente = GemeenteRefField(write_only=True)
    fase = serializers.ChoiceField(
        choices=OPEN_FASE_CHOICES,
        default=Fase.AANGEMELD,
        write_only=True,
    )
    werkcoach = UserRefField(write_only=True)
    datum_koppeling = serializers.DateField(write_only=True, required=False, allow_null=True)
    datum_huisvesting = serializers.DateField(write_only=True, required=False, allow_null=True)
    datum_brp_inschrijving = serializers.DateField(write_only=True, required=False, allow_null=True)
    coa_referentie = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=50
    )

    class Meta(InburgeraarSerializer.Meta):
        fields = [
            *InburgeraarSerializer.Meta.fields,
            "gemeente",
            "fase",
            "werkcoach",
            "datum_koppeling",
            "datum_huisvesting",
            "datum_brp_inschrijving",
            "coa_referentie",
        ]


class HubVeld(serializers.Field):
    """A read-only field a domain app registers on the dossier resource (``cases.hub.ApiVeld``):
    typed (and documented) by the field the app gives, valued by the app's own function."""

    def __init__(self, veld: ApiVeld) -> None:
        self.schema_veld = veld.veld()
        self.waarde = veld.waarde
        super().__init__(
            read_only=True, source="*", help_text=getattr(self.schema_veld, "help_text", None)
        )
        set_override(self, "field", self.schema_veld)

    def to_representation(self, dossier: Any) -> Any:
        value = self.waarde(dossier)
        return None if value is None else self.schema_veld.to_representation(value)


class DossierSerializer(serializers.ModelSerializer):
    inburgeraar = InburgeraarRefField()
    inburgeraar_naam = serializers.CharField(source="inburgeraar.volledige_naam", read_only=True)
    gemeente = GemeenteRefField()
    werkcoach = UserRefField()
    begeleider = UserRefField(
        read_only=True,
        queryset=None,
        help_text=_(
            "The begeleider of the running maatschappelijke begeleiding (read-only: a partner "
            "organisation is reached through a referral, see aanmeldingen)."
        ),
    )
    vorig_dossier: "serializers.SlugRelatedField[Dossier]" = serializers.SlugRelatedField(
        slug_field="uuid", read_only=True
    )
    fase = serializers.ChoiceField(choices=OPEN_FASE_CHOICES, default=Fase.AANGEMELD)
    reden = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=_("Reason for the change (history)."),
    )
    links = serializers.SerializerMethodField(
        help_text=_(
            "Links to the dossier's parts in the other domains (each part registered on the "
            "dossier hub), by name."
        )
    )

    class Meta:
        model = Dossier
        fields = [
            "uuid",
            "inburgeraar",
            "inburgeraar_naam",
            "gemeente",
            "werkcoach",
            "begeleider",
            "fase",
            "datum_koppeling",
            "datum_huisvesting",
            "datum_brp_inschrijving",
            "coa_referentie",
            "vorig_dossier",
            "datum_afgesloten",
            "aangemaakt_op",
            "gewijzigd_op",
            "reden",
            "links",
        ]
        read_only_fields = ["uuid", "datum_afgesloten", "aangemaakt_op", "gewijzigd_op"]
        # The one-open-dossier rule is checked by the service across all gemeenten (a
        # DRF validator would only see the caller's scope) and reported on a named field.
        validators: list[Any] = []

    def get_fields(self) -> dict[str, serializers.Field]:
        """The fields of the dossier's own model, then those the hub's parts register (read
        only; their values come from the annotations ``DossierViewSet`` adds)."""
        fields = super().get_fields()
        links = fields.pop("links")
        for veld in hub.api_velden():
            fields[veld.naam] = HubVeld(veld)
        fields["links"] = links
        return fields

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Relative URLs of the dossier's parts, by name.",
        }
    )
    def get_links(self, dossier: Dossier) -> dict[str, str]:
        return {link.naam: link.pad(dossier) for link in hub.api_links()}


class DossierUpdateSerializer(DossierSerializer):
    """Updates change assignment and dates; phase and gemeente have their own actions."""

    inburgeraar: "serializers.SlugRelatedField[Inburgeraar]" = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="uuid", read_only=True
    )
    gemeente: "serializers.SlugRelatedField[Gemeente]" = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="uuid", read_only=True
    )
    fase = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta(DossierSerializer.Meta):
        read_only_fields = [
            *DossierSerializer.Meta.read_only_fields,
            "inburgeraar",
            "gemeente",
            "fase",
        ]


class BsnZoekSerializer(serializers.Serializer):
    bsn = BsnSerializerField()


class FaseWijzigenSerializer(serializers.Serializer):
    fase = serializers.ChoiceField(choices=Fase.choices)
    # Every phase change states its reason: the service refuses a blank one at this field
    # together with any other refusal, the same as in the UI.
    reden = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=(
            "Why the phase changes (required: a missing or blank reason is refused); kept in "
            "the history and on the timeline."
        ),
    )


# --- termijnen and signalen --------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.UUID)
class UuidRefField(serializers.SlugRelatedField):
    """A read-only reference by uuid."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class VerlengingSerializer(serializers.ModelSerializer):
    van = serializers.DateField(source="van_datum", read_only=True)
    tot = serializers.DateField(source="tot_datum", read_only=True)
    actor = UuidRefField(help_text=_("The user who extended the termijn."))
    actor_naam = serializers.SerializerMethodField()

    class Meta:
        model = Verlenging
        fields = ["van", "tot", "reden", "actor", "actor_naam", "tijdstip"]
        read_only_fields = fields

    def get_actor_naam(self, verlenging: Verlenging) -> str:
        actor = verlenging.actor
        return actor.get_full_name() or actor.username


VERLENGBAAR_CHOICES = [
    (Verlengbaar.NEE.value, _("not extendable")),
    (Verlengbaar.BEPERKT.value, _("extendable up to a maximum")),
    (Verlengbaar.VRIJ.value, _("extendable with a reason")),
]


class TermijnSerializer(serializers.ModelSerializer):
    """A termijn with the rule it comes from. `uitersteDatum` is the due date in force (after
    extensions), `berekendeDatum` the one the rule gives."""

    dossier = UuidRefField()
    omschrijving = serializers.CharField(read_only=True)
    grondslag = serializers.SerializerMethodField(
        help_text=_("The legal or policy basis of the termijn.")
    )
    verlengbaar = serializers.SerializerMethodField(
        help_text=_(
            "`nee`: the law gives no extension; `beperkt`: up to `maxVerlengdTot`; "
            "`vrij`: a policy termijn, extendable with a reason."
        )
    )
    max_verlengd_tot = serializers.SerializerMethodField(
        help_text=_("The latest due date an extension may set; null when not capped.")
    )
    handmatig_markeerbaar = serializers.SerializerMethodField(
        help_text=_(
            "Whether the termijn is met by a werkcoach's finding (`gehaald`) rather than by "
            "recording the fact itself (intake, PIP)."
        )
    )
    verlengingen = VerlengingSerializer(many=True, read_only=True)

    class Meta:
        model = Termijn
        fields = [
            "uuid",
            "dossier",
            "code",
            "volgnummer",
            "omschrijving",
            "soort",
            "grondslag",
            "startdatum",
            "berekende_datum",
            "uiterste_datum",
            "status",
            "gehaald_op",
            "handmatig_gehaald",
            "toelichting",
            "verlengbaar",
            "max_verlengd_tot",
            "handmatig_markeerbaar",
            "verlengingen",
            "gewijzigd_op",
        ]
        read_only_fields = fields

    def get_grondslag(self, termijn: Termijn) -> str:
        regel = termijn.regel
        return str(regel.grondslag) if regel else ""

    @extend_schema_field(serializers.ChoiceField(choices=VERLENGBAAR_CHOICES))
    def get_verlengbaar(self, termijn: Termijn) -> str:
        regel = termijn.regel
        return (regel.verlengbaar if regel else Verlengbaar.NEE).value

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_max_verlengd_tot(self, termijn: Termijn) -> date | None:
        regel = termijn.regel
        if regel is None or regel.verlengbaar is not Verlengbaar.BEPERKT:
            return None
        # the facts of a dossier are read once per response, not once per termijn
        context = cast(dict[str, Any], self.context)  # the root's own dict, shared by a list
        cache: dict[int, Feiten] = context.setdefault("feiten", {})
        if termijn.dossier_id not in cache:
            cache[termijn.dossier_id] = hub.feiten(termijn.dossier)
        return max_verlengd_tot(termijn, cache[termijn.dossier_id])

    def get_handmatig_markeerbaar(self, termijn: Termijn) -> bool:
        regel = termijn.regel
        return bool(regel and regel.handmatig_gehaald)


class TermijnVerlengenSerializer(serializers.Serializer):
    """Both fields are needed; a missing one is refused by the rule (named in the error)."""

    tot = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("The new due date.")
    )
    reden = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the termijn is extended (Awb art. 3:46: a decision is motivated)."),
    )


class TermijnGehaaldSerializer(serializers.Serializer):
    datum = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The day the termijn was met: not in the future, not before its start."),
    )
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")


class SignaalTermijnSerializer(serializers.ModelSerializer):
    omschrijving = serializers.CharField(read_only=True)

    class Meta:
        model = Termijn
        fields = ["uuid", "code", "omschrijving"]
        read_only_fields = fields


class SignaalSerializer(serializers.ModelSerializer):
    termijn = SignaalTermijnSerializer(read_only=True)
    dossier = UuidRefField()

    class Meta:
        model = Signaal
        fields = [
            "uuid",
            "soort",
            "dagen_voor",
            "uiterste_datum",
            "aangemaakt_op",
            "afgehandeld_op",
            "termijn",
            "dossier",
        ]
        read_only_fields = fields


class SignalenAfhandelenSerializer(serializers.Serializer):
    signalen = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=False,
        max_length=1000,
        help_text=_("Your own signals to mark handled (all or none)."),
    )


class SignalenAfgehandeldSerializer(serializers.Serializer):
    afgehandeld = serializers.IntegerField(
        help_text=_("How many signals were marked handled (not counting those already handled).")
    )


# --- relocation and the timeline ----------------------------------------------------------------


@extend_schema_field(OpenApiTypes.UUID)
class AnyGemeenteRefField(serializers.SlugRelatedField):
    """Any gemeente by uuid: a person may move anywhere, also to a gemeente this team does not
    serve (its own team takes the new dossier over)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        kwargs.setdefault("queryset", Gemeente.objects.all())
        super().__init__(**kwargs)


class VerhuizenSerializer(serializers.Serializer):
    """The same fields as the UI's relocation form; the rules are the service's."""

    nieuwe_gemeente = AnyGemeenteRefField(help_text=_("The gemeente the person moved to."))
    datum_verhuizing = serializers.DateField(
        help_text=_("The day of the move (BRP): not in the future.")
    )
    reden = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Reason for the change (history)."),
    )


class NotitieSerializer(serializers.Serializer):
    tekst = serializers.CharField(
        max_length=4000,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("The note; refused when empty."),
    )


class GebeurtenisSerializer(serializers.ModelSerializer):
    """One timeline entry: a business event written by a service, or a note."""

    soort = serializers.CharField(
        read_only=True,
        help_text=_(
            "The kind of event, a code namespaced by domain: “dossier.notitie”, "
            "“dossier.fase”, “termijn.verlengd”, “intake.afgerond”, “pip.vastgesteld” …"
        ),
    )
    actor = UuidRefField(allow_null=True, help_text=_("The user who acted; null for the system."))
    actor_naam = serializers.SerializerMethodField()
    omschrijving = serializers.CharField(
        source="tekst",
        read_only=True,
        help_text=_("The event in the request's language; a note as written."),
    )

    class Meta:
        model = Gebeurtenis
        fields = ["soort", "tijdstip", "actor", "actor_naam", "omschrijving"]
        read_only_fields = fields

    def get_actor_naam(self, gebeurtenis: Gebeurtenis) -> str:
        actor = gebeurtenis.actor
        if actor is None:
            return ""
        return actor.get_full_name() or actor.username
