"""Serializers for the brede intake and the PIP. Validation of the rules happens in the
services (so UI and API refuse identically); these only shape input and output."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api.serializers import UserRefField
from cases.models import Dossier
from cases.policy import can_view_signalen, dossiers_for

from .. import selectors
from ..constants import INTAKE_VELDEN, PIP_VELDEN, Beoordeling, Domein, Examendeel, Leerroute
from ..models import BredeIntake, DomeinBeoordeling, IntakeGesprek, Kind, Pip


@extend_schema_field(OpenApiTypes.UUID)
class DossierRefField(serializers.SlugRelatedField):
    """A dossier by uuid, limited to the dossiers the requesting user may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return dossiers_for(request.user) if request else Dossier.objects.none()


@extend_schema_field(OpenApiTypes.UUID)
class UuidRefField(serializers.SlugRelatedField):
    """A read-only reference by uuid."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


# --- brede intake ---------------------------------------------------------------------------


class IntakeGesprekSerializer(serializers.ModelSerializer):
    werkcoach = UserRefField()

    class Meta:
        model = IntakeGesprek
        fields = [
            "id",
            "datum",
            "locatie",
            "werkcoach",
            "participatieconsulent",
            "begeleider_aanwezig",
            "tolk_taal",
            "verschenen",
            "meegewerkt",
            "notities",
        ]
        read_only_fields = ["id"]


class DomeinBeoordelingSerializer(serializers.ModelSerializer):
    domein = serializers.ChoiceField(choices=Domein.choices)
    beoordeling = serializers.ChoiceField(choices=Beoordeling.choices)
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = DomeinBeoordeling
        fields = ["domein", "beoordeling", "toelichting"]
        validators: list[Any] = []  # uniqueness: the service updates the existing row


class DomeinOpslaanSerializer(serializers.Serializer):
    """Save one domain (PUT .../domeinen/{domein} takes the domain from the path)."""

    beoordeling = serializers.ChoiceField(choices=Beoordeling.choices)
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")


class KindSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kind
        fields = ["geboortejaar", "vve_keuze"]


class BredeIntakeSerializer(serializers.ModelSerializer):
    """List representation: the intake's own fields, no conversations or domains.

    ``signalen`` (trauma, domestic violence, referrals) is need-to-know like the medical
    domains (``access.can_view_signalen``): ``null`` for everyone else."""

    dossier = UuidRefField()
    signalen = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Signals (trauma, domestic violence) and referrals. Need-to-know (AVG art. 9): "
            "null for users without it."
        ),
    )

    def to_representation(self, instance: BredeIntake) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = request.user if request else None
        if user is None or not can_view_signalen(user, instance.dossier):
            data["signalen"] = None
        return data

    class Meta:
        model = BredeIntake
        fields = ["uuid", "dossier", "datum_afgerond", *INTAKE_VELDEN, "aangemaakt_op"]
        read_only_fields = ["uuid", "dossier", "datum_afgerond", "aangemaakt_op"]


class BredeIntakeDetailSerializer(BredeIntakeSerializer):
    """Detail representation: conversations, children and the domains this user may read
    (medical domains only with need-to-know, through ``selectors.domeinen_voor``)."""

    gesprekken = IntakeGesprekSerializer(many=True, read_only=True)
    kinderen = KindSerializer(many=True, read_only=True)
    domeinen = serializers.SerializerMethodField()
    route_advies = serializers.SerializerMethodField()

    class Meta(BredeIntakeSerializer.Meta):
        fields = [
            *BredeIntakeSerializer.Meta.fields,
            "gesprekken",
            "kinderen",
            "domeinen",
            "route_advies",
        ]

    @extend_schema_field(DomeinBeoordelingSerializer(many=True))
    def get_domeinen(self, intake: BredeIntake) -> list[dict[str, Any]]:
        request = self.context.get("request")
        user = request.user if request else None
        return DomeinBeoordelingSerializer(selectors.domeinen_voor(user, intake), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.ChoiceField(choices=Leerroute.choices))
    def get_route_advies(self, intake: BredeIntake) -> str:
        return str(selectors.route_advies_voor(intake))


class IntakeStartenSerializer(serializers.Serializer):
    dossier = DossierRefField()


class IntakeBijwerkenSerializer(serializers.ModelSerializer):
    class Meta:
        model = BredeIntake
        fields = list(INTAKE_VELDEN)


class IntakeAfrondenSerializer(serializers.Serializer):
    datum = serializers.DateField(
        required=False, allow_null=True, help_text=_("Completion date (default: today).")
    )


# --- PIP ------------------------------------------------------------------------------------


class InburgeringstermijnSerializer(serializers.Serializer):
    """The inburgeringstermijn that applies to a PIP (``selectors.inburgeringstermijn_voor``)."""

    start = serializers.DateField(
        help_text=_("First day: the day after the first PIP version was issued (Wi 2021 art. 7).")
    )
    berekende_eind = serializers.DateField(help_text=_("Last day by the statute: three years on."))
    eind = serializers.DateField(help_text=_("Last day in force, including recorded extensions."))
    verlengd = serializers.BooleanField(help_text=_("Whether an extension moved the last day."))


class PipSerializer(serializers.ModelSerializer):
    dossier = UuidRefField()
    vorige_versie = UuidRefField()
    goedgekeurd_door = UuidRefField()
    teruggestuurd_door = UuidRefField()
    heeft_beschikking = serializers.SerializerMethodField()
    termijn_start = serializers.SerializerMethodField(
        help_text=_(
            "First day of the inburgeringstermijn that applies to this PIP (a later version "
            "keeps the termijn the first one started)."
        )
    )
    termijn_eind = serializers.SerializerMethodField(
        help_text=_("Last day of the inburgeringstermijn in force, including extensions.")
    )
    inburgeringstermijn = serializers.SerializerMethodField()

    class Meta:
        model = Pip
        fields = [
            "uuid",
            "dossier",
            "versie",
            "vorige_versie",
            "status",
            *PIP_VELDEN,
            "kenmerk",
            "goedgekeurd_door",
            "terugstuur_opmerking",
            "teruggestuurd_door",
            "datum_vastgesteld",
            "termijn_start",
            "termijn_eind",
            "inburgeringstermijn",
            "bezwaar_tot",
            "heeft_beschikking",
            "pdf_sha256",
            "render_fout",
            "aangemaakt_op",
            "gewijzigd_op",
        ]
        read_only_fields = [f for f in fields if f not in PIP_VELDEN]

    def get_heeft_beschikking(self, pip: Pip) -> bool:
        return bool(pip.pdf)

    def _termijn(self, pip: Pip) -> selectors.Inburgeringstermijn | None:
        cache: dict[int, selectors.Inburgeringstermijn | None] = self.__dict__.setdefault(
            "_termijnen", {}
        )
        if pip.pk not in cache:
            cache[pip.pk] = selectors.inburgeringstermijn_voor(pip)
        return cache[pip.pk]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_termijn_start(self, pip: Pip) -> date | None:
        termijn = self._termijn(pip)
        return termijn.start if termijn else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_termijn_eind(self, pip: Pip) -> date | None:
        termijn = self._termijn(pip)
        return termijn.eind if termijn else None

    @extend_schema_field(InburgeringstermijnSerializer(allow_null=True))
    def get_inburgeringstermijn(self, pip: Pip) -> dict[str, Any] | None:
        termijn = self._termijn(pip)
        if termijn is None:
            return None
        return InburgeringstermijnSerializer(
            {
                "start": termijn.start,
                "berekende_eind": termijn.berekende_eind,
                "eind": termijn.eind,
                "verlengd": termijn.verlengd,
            }
        ).data


class PipAanmakenSerializer(serializers.Serializer):
    dossier = DossierRefField()


class PipBijwerkenSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pip
        fields = list(PIP_VELDEN)


class PipTerugsturenSerializer(serializers.Serializer):
    opmerking = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_(
            "What the werkcoach should change (required: a missing or blank comment is "
            "refused). Shown to the werkcoach and kept in the history."
        ),
    )


class PipVaststellenSerializer(serializers.Serializer):
    datum = serializers.DateField(
        required=False, allow_null=True, help_text=_("Date of the decision (default: today).")
    )


class PipNieuweVersieSerializer(serializers.Serializer):
    reden = serializers.CharField(required=False, allow_blank=True, default="")


class RouteSwitchSerializer(serializers.Serializer):
    nieuwe_route = serializers.ChoiceField(choices=Leerroute.choices)
    datum = serializers.DateField()
    motivatie = serializers.CharField()


class AfschalenSerializer(serializers.Serializer):
    examendeel = serializers.ChoiceField(choices=Examendeel.choices)
    datum = serializers.DateField()
    lesuren = serializers.IntegerField(min_value=0)
    voldoende_inspanning = serializers.BooleanField()
    motivatie = serializers.CharField()
