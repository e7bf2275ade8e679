"""Serializers of the fine procedure. The rules are the services' (UI and API refuse alike);
these shape output and check input types.

An action's body names the procedure's own fields it sets, as ``GET /procedures/{uuid}`` shows
them (``gesprekDatum``, ``rapportPlaats``, ``zienswijzeSoort``, ``bezwaarUitkomst``…); each input
field's ``source`` is the service's parameter, and the view maps a refusal of that parameter
back to the field (``invoer_veldnamen``), so a 400 names what the client sent."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api.serializers import UuidRefField
from cases.models import Dossier, Termijn
from cases.policy import dossiers_for

from .. import selectors
from ..constants import (
    Betaalstatus,
    BezwaarUitkomst,
    BoeteCategorie,
    BriefStatus,
    GesprekUitkomst,
    Verlagingsgrond,
    VerzuimSoort,
    ZienswijzeSoort,
)
from ..models import Brief, Procedure, Verzuim
from ..policy import mag_handhaving_zien

# the clocks of a procedure, in the order of the procedure
TERMIJN_CODES = ("boete_zienswijze", "boete_beslistermijn", "boete_verval")


@extend_schema_field(OpenApiTypes.UUID)
class DossierRefField(serializers.SlugRelatedField):
    """A dossier by uuid, among those the caller may see (another one does not exist)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "uuid")
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        if request is None or not mag_handhaving_zien(request.user):
            return Dossier.objects.none()
        return dossiers_for(request.user)


def invoer_veldnamen(serializer: serializers.Serializer | None) -> dict[str, str]:
    """The service parameter each input field feeds (its ``source``) → the field's name."""
    if serializer is None:
        return {}
    return {field.source: name for name, field in serializer.fields.items() if field.source}


def _datum(help_text: Any, **kwargs: Any) -> serializers.DateField:
    # optional for the parser: a missing date is refused by the service's rule ("Give the date")
    return serializers.DateField(
        required=False, allow_null=True, default=None, help_text=help_text, **kwargs
    )


def _tekst(help_text: Any, **kwargs: Any) -> serializers.CharField:
    # optional for the parser: a missing text is refused by the service's rule, named
    return serializers.CharField(
        required=False, allow_blank=True, default="", help_text=help_text, **kwargs
    )


# --- output ---------------------------------------------------------------------------------


class VerzuimSerializer(serializers.ModelSerializer):
    """A recorded failure; as input (``POST /verzuimen``) its writable fields open a
    procedure."""

    dossier = DossierRefField(help_text=_("The dossier (uuid) the failure belongs to."))
    soort = serializers.ChoiceField(
        choices=VerzuimSoort.choices, help_text=_("The obligation that was broken.")
    )
    categorie = serializers.ChoiceField(
        choices=BoeteCategorie.choices,
        read_only=True,
        help_text=_(
            "The fine this failure can lead to (intake or PIP); its amount is in the fine table."
        ),
    )
    datum = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The day of the failure: not in the future."),
    )
    omschrijving = _tekst(_("What happened: a verzuim names its facts (required)."))
    bewijs = _tekst(_("The evidence (e.g. the attendance list, the invitation)."))
    procedure = UuidRefField(help_text=_("The procedure (uuid) this failure opened."))

    class Meta:
        model = Verzuim
        fields = [
            "uuid",
            "dossier",
            "procedure",
            "soort",
            "categorie",
            "datum",
            "omschrijving",
            "bewijs",
            "bron",
            "aangemaakt_op",
        ]
        read_only_fields = ["uuid", "procedure", "categorie", "bron", "aangemaakt_op"]


class BriefSerializer(serializers.ModelSerializer):
    """A letter of the procedure; ``downloadUrl`` once it was sent."""

    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the sent letter (PDF/A); null until it was sent.")
    )

    class Meta:
        model = Brief
        fields = [
            "uuid",
            "soort",
            "status",
            "kenmerk",
            "dagtekening",
            "pdf_sha256",
            "render_fout",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, brief: Brief) -> str | None:
        if brief.status != BriefStatus.VERZONDEN:
            return None
        return reverse(
            "procedure-brief",
            kwargs={"uuid": brief.procedure.uuid, "soort": brief.soort},
        )


class ProcedureTermijnSerializer(serializers.ModelSerializer):
    """One of the procedure's three clocks (the full termijn: ``/termijnen/{uuid}``)."""

    omschrijving = serializers.CharField(read_only=True)
    grondslag = serializers.SerializerMethodField(help_text=_("The legal basis of the termijn."))

    class Meta:
        model = Termijn
        fields = [
            "uuid",
            "code",
            "omschrijving",
            "grondslag",
            "startdatum",
            "uiterste_datum",
            "status",
            "gehaald_op",
        ]
        read_only_fields = fields

    def get_grondslag(self, termijn: Termijn) -> str:
        regel = termijn.regel
        return str(regel.grondslag) if regel else ""


class ProcedureSerializer(serializers.ModelSerializer):
    """A procedure with every step's fields, its letters and its clocks. Amounts are decimal
    strings in euros."""

    dossier = UuidRefField()
    verzuim = VerzuimSerializer(read_only=True)
    rapport_door = UuidRefField(help_text=_("Who drew up the rapport (user uuid)."))
    goedgekeurd_door = UuidRefField(help_text=_("The teamleider who approved the fine."))
    brieven = BriefSerializer(many=True, read_only=True)
    termijnen = serializers.SerializerMethodField(
        help_text=_(
            "The procedure's clocks: the zienswijze term (Awb 5:50), the decision within 13 "
            "weeks of the rapport (Awb 5:51) and the lapse of the power to fine (Awb 5:45)."
        )
    )

    class Meta:
        model = Procedure
        fields = [
            "uuid",
            "dossier",
            "verzuim",
            "volgnummer",
            "status",
            "categorie",
            "zware_boete",
            "voornemen_vereist",
            # 2. hearing conversation
            "gesprek_datum",
            "gesprek_verslag",
            "gesprek_tolk",
            "afgedaan_reden",
            # 3. rapport
            "rapport_datum",
            "rapport_plaats",
            "rapport_feiten",
            "rapport_door",
            # 4. voornemen and zienswijze
            "voornemen_datum",
            "zienswijze_tot",
            "taal",
            "zienswijze_soort",
            "zienswijze_datum",
            "zienswijze_inhoud",
            # 5. decision
            "besluit_datum",
            "motivering",
            "geen_boete_op",
            "pw_participatieconsulent",
            "pw_maatregel",
            # 6. boetebeschikking
            "verwijtbaarheid",
            "zienswijze_weging",
            "basisbedrag",
            "verlaging_grond",
            "verlaging_motivering",
            "verlaging",
            "bedrag",
            "goedgekeurd_door",
            "terugstuur_opmerking",
            "bezwaar_tot",
            "betaalstatus",
            # 7. after
            "bezwaar_ontvangen_op",
            "bezwaar_uitkomst",
            "bezwaar_beslist_op",
            "ingetrokken_op",
            "intrekking_reden",
            "brieven",
            "termijnen",
            "aangemaakt_op",
            "gewijzigd_op",
        ]
        read_only_fields = fields

    @extend_schema_field(ProcedureTermijnSerializer(many=True))
    def get_termijnen(self, procedure: Procedure) -> list[dict[str, Any]]:
        # a list computes the clocks of its page once (the view puts them in the context)
        klokken = self.context.get("termijnen")
        if klokken is None:
            klokken = selectors.termijnen_van([procedure])
        eigen = klokken.get((procedure.dossier_id, procedure.volgnummer), {})
        return ProcedureTermijnSerializer(  # type: ignore[return-value]
            [eigen[code] for code in TERMIJN_CODES if code in eigen], many=True
        ).data


# --- input of the actions -------------------------------------------------------------------


class GesprekSerializer(serializers.Serializer):
    gesprek_datum = _datum(
        _("The day of the hearing conversation: not before the failure."), source="datum"
    )
    gesprek_verslag = _tekst(_("What was said (hoor en wederhoor)."), source="verslag")
    uitkomst = serializers.ChoiceField(
        choices=GesprekUitkomst.choices,
        help_text=_("Whether enforcement ends with this conversation or goes on to a rapport."),
    )
    afgedaan_reden = _tekst(_("Why it ends here (required when it does)."), source="reden")
    gesprek_tolk = _tekst(_("The interpreter's language, if one took part."), source="tolk")


class RapportSerializer(serializers.Serializer):
    rapport_datum = _datum(
        _("The date of the rapport (Awb 5:48); it starts the 13-week term."), source="datum"
    )
    rapport_plaats = _tekst(_("The place of the failure."), source="plaats")
    rapport_feiten = _tekst(_("The facts of the failure."), source="feiten")


class ZienswijzeSerializer(serializers.Serializer):
    zienswijze_soort = serializers.ChoiceField(
        choices=ZienswijzeSoort.choices,
        source="soort",
        help_text=_("Written, oral (with a verslag), or none within the term."),
    )
    zienswijze_datum = _datum(
        _("The day it was received (for none: default today)."), source="datum"
    )
    zienswijze_inhoud = _tekst(_("What it says, or the verslag of the oral one."), source="inhoud")


class GeenBoeteSerializer(serializers.Serializer):
    motivering = _tekst(_("Why no fine is imposed (the notice is final: Awb 5:43)."))


class PwMaatregelSerializer(serializers.Serializer):
    pw_participatieconsulent = _tekst(
        _("The participatieconsulent the measure was agreed with."),
        source="participatieconsulent",
    )
    pw_maatregel = _tekst(_("The Participatiewet measure."), source="maatregel")
    besluit_datum = _datum(_("The day it was decided."), source="datum")


class BoeteSerializer(serializers.Serializer):
    verwijtbaarheid = _tekst(_("Why the failure can be blamed on the person (Awb 5:41)."))
    bedrag = serializers.DecimalField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "The amount in euros; default the fixed amount on the decision date. Lower only "
            "with a ground and its motivation (Awb 5:46), never above it."
        ),
        max_digits=8,
        decimal_places=2,
    )
    verlaging_grond = serializers.ChoiceField(
        choices=Verlagingsgrond.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The ground for a lower amount (Awb 5:46)."),
    )
    verlaging_motivering = _tekst(_("Why the amount is lower."))
    zienswijze_weging = _tekst(_("How the zienswijze was weighed (required when one was given)."))
    besluit_datum = _datum(
        _("The decision date (default today): it decides the amount table."), source="datum"
    )


class TerugsturenSerializer(serializers.Serializer):
    terugstuur_opmerking = _tekst(
        _("What the werkcoach should change (required)."), source="opmerking", max_length=2000
    )


class BezwaarSerializer(serializers.Serializer):
    bezwaar_ontvangen_op = _datum(_("The day the objection was received."), source="ontvangen_op")


class BezwaarBeslissenSerializer(serializers.Serializer):
    bezwaar_uitkomst = serializers.ChoiceField(
        choices=BezwaarUitkomst.choices, source="uitkomst", help_text=_("The outcome.")
    )
    bezwaar_beslist_op = _datum(_("The day the objection was decided."), source="datum")
    bedrag = serializers.DecimalField(
        required=False,
        allow_null=True,
        default=None,
        source="nieuw_bedrag",
        help_text=_("The new amount (partly founded only): above €0, below the fine."),
        max_digits=8,
        decimal_places=2,
    )


class BetaalstatusSerializer(serializers.Serializer):
    betaalstatus = serializers.ChoiceField(
        choices=Betaalstatus.choices, source="status", help_text=_("The payment status.")
    )


class IntrekkenSerializer(serializers.Serializer):
    intrekking_reden = _tekst(_("Why the fine is withdrawn (a new decision)."), source="reden")
