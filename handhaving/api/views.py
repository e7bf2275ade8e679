"""REST API (/api/v1/) of the fine procedure: verzuimen, procedures and their actions. The
same visibility (``handhaving.policy``: a procedure outside it is a 404) and the same services
as the UI, so both refuse identically: a rule as a 400 naming the field, an action the role
may not take as a 403 (the services' ``vereis``; auditors never write), a lost race as a 409.

Each action is ``POST /procedures/{uuid}/<actie>`` and calls exactly one service; it answers
200 with the procedure as it is now. Its body names the procedure's own fields it sets (see
``serializers``). Recording a verzuim from an intake conversation is done in the UI (the
conversations have no identifier in this API); here a verzuim is recorded by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from inburgering.accounts.models import User
from inburgering.core.api import ScopedViewMixin
from inburgering.core.integrity import ConflictError
from inburgering.documents.responses import PdfRenderer, document_response

from .. import selectors, services
from ..constants import BriefSoort, BriefStatus
from ..models import Brief, Procedure, Verzuim
from ..policy import brieven_for, procedures_for, verzuimen_for
from .filters import ProcedureFilter, VerzuimFilter
from .serializers import (
    BetaalstatusSerializer,
    BezwaarBeslissenSerializer,
    BezwaarSerializer,
    BoeteSerializer,
    GeenBoeteSerializer,
    GesprekSerializer,
    IntrekkenSerializer,
    ProcedureSerializer,
    PwMaatregelSerializer,
    RapportSerializer,
    TerugsturenSerializer,
    VerzuimSerializer,
    ZienswijzeSerializer,
    invoer_veldnamen,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _hernoemd(exc: DjangoValidationError, namen: dict[str, str]) -> DjangoValidationError:
    """A service's refusal with its parameters renamed to the input fields that fed them."""
    if isinstance(exc, ConflictError) or not hasattr(exc, "error_dict") or not namen:
        return exc
    return DjangoValidationError(
        {namen.get(veld, veld): fouten for veld, fouten in exc.error_dict.items()}
    )


def _procedures(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """What the representation reads, in a fixed number of queries for any number of rows."""
    return qs.select_related(
        "dossier", "verzuim__dossier", "rapport_door", "goedgekeurd_door"
    ).prefetch_related(Prefetch("brieven", queryset=Brief.objects.order_by("aangemaakt_op", "id")))


class VerzuimViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Recorded failures of the dossiers the caller may see (handhaving's need-to-know)."""

    lookup_field = "uuid"
    filterset_class = VerzuimFilter
    serializer_class = VerzuimSerializer

    def get_queryset(self) -> QuerySet[Verzuim]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Verzuim._base_manager.none()
        return (
            verzuimen_for(self.request.user)
            .select_related("dossier", "procedure")
            .order_by("-datum", "-id")
        )

    @extend_schema(
        request=VerzuimSerializer,
        responses={201: ProcedureSerializer},
        description=(
            "Record a failure by hand, with its evidence, and open its procedure at the "
            "hearing conversation (always first a conversation). Answers 201 with the new "
            "**procedure** (its `verzuim` is the failure just recorded); the actions go on from "
            "there. Refused with the rule named: a date in the future, no description, a "
            "Wet inburgering 2013 dossier, a course fine for a gezinsmigrant or overige "
            "migrant. A no-show of an intake conversation is recorded from the dossier page."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invoer = VerzuimSerializer(data=request.data, context=self.get_serializer_context())
        invoer.is_valid(raise_exception=True)
        data = invoer.validated_data
        procedure = services.verzuim_vastleggen(
            user=_user(request),
            dossier=data["dossier"],
            soort=data["soort"],
            datum=data["datum"],
            omschrijving=data["omschrijving"],
            bewijs=data["bewijs"],
        )
        procedure = _procedures(procedures_for(request.user)).get(pk=procedure.pk)
        return Response(
            ProcedureSerializer(procedure, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


BRIEF_SOORT = OpenApiParameter(
    "soort", OpenApiTypes.STR, OpenApiParameter.PATH, enum=BriefSoort.values
)


def _actie_schema(invoer: type[serializers.Serializer] | None, beschrijving: str) -> Any:
    return extend_schema(
        request=invoer, responses={200: ProcedureSerializer}, description=beschrijving
    )


class ProcedureViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Enforcement procedures of the dossiers the caller may see, each with its steps, letters
    and clocks. Werkcoaches and teamleiders act; auditors read; anyone else sees none."""

    lookup_field = "uuid"
    filterset_class = ProcedureFilter
    serializer_class = ProcedureSerializer

    def get_queryset(self) -> QuerySet[Procedure]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Procedure._base_manager.none()
        return _procedures(procedures_for(self.request.user)).order_by("-aangemaakt_op", "-id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        procedures = list(page if page is not None else qs)
        context = {
            **self.get_serializer_context(),
            "termijnen": selectors.termijnen_van(procedures),  # one query for the page
        }
        data = ProcedureSerializer(procedures, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _out(self, procedure: Procedure) -> Response:
        procedure = self.get_queryset().get(pk=procedure.pk)
        return Response(ProcedureSerializer(procedure, context=self.get_serializer_context()).data)

    def _uitvoeren(
        self,
        request: Request,
        service: Callable[..., Procedure],
        invoer_klasse: type[serializers.Serializer] | None = None,
    ) -> Response:
        """One action: the visible procedure (else 404), its input checked for types, then
        its one service; a refusal names the input field that fed the refused parameter."""
        procedure = self.get_object()
        invoer = invoer_klasse(data=request.data) if invoer_klasse else None
        kwargs: dict[str, Any] = {}
        if invoer is not None:
            invoer.is_valid(raise_exception=True)
            kwargs = dict(invoer.validated_data)
        try:
            procedure = service(user=_user(request), procedure=procedure, **kwargs)
        except DjangoValidationError as exc:
            raise _hernoemd(exc, invoer_veldnamen(invoer)) from exc
        return self._out(procedure)

    @_actie_schema(
        GesprekSerializer,
        "Record the hearing conversation (hoor en wederhoor), always the first step: "
        "`uitkomst` `afgedaan` ends the procedure with `afgedaanReden`, `verder` goes on to "
        "the rapport.",
    )
    @action(detail=True, methods=["post"])
    def gesprek(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.gesprek_vastleggen, GesprekSerializer)

    @_actie_schema(
        RapportSerializer,
        "Draw up the rapport (Awb 5:48): date, place and facts. Its date starts the 13-week "
        "decision term (Awb 5:51).",
    )
    @action(detail=True, methods=["post"])
    def rapport(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.rapport_opmaken, RapportSerializer)

    @_actie_schema(
        None,
        "Send the intent letter (Awb 5:50) inviting a zienswijze within the gemeente's term. "
        "The letter is made in the background: the procedure is `voornemenWordtVerstuurd` "
        "until it exists, then `zienswijze`. A second request finds it on its way.",
    )
    @action(detail=True, methods=["post"])
    def voornemen(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.voornemen_versturen)

    @_actie_schema(
        ZienswijzeSerializer,
        "Record the zienswijze: written, oral (with a verslag), or none once the term passed.",
    )
    @action(detail=True, methods=["post"])
    def zienswijze(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.zienswijze_vastleggen, ZienswijzeSerializer)

    @_actie_schema(
        GeenBoeteSerializer,
        "Decide not to fine: a written notice, final — the same verzuim can never be fined "
        "later (Awb 5:43).",
    )
    @action(detail=True, methods=["post"], url_path="geen-boete")
    def geen_boete(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.geen_boete_besluiten, GeenBoeteSerializer)

    @_actie_schema(
        PwMaatregelSerializer,
        "A Participatiewet measure instead of a fine, for a benefit client, as agreed with the "
        "participatieconsulent.",
    )
    @action(detail=True, methods=["post"], url_path="pw-maatregel")
    def pw_maatregel(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.pw_maatregel_vastleggen, PwMaatregelSerializer)

    @_actie_schema(
        BoeteSerializer,
        "Draft the boetebeschikking: the fixed amount for this failure on the decision date, "
        "lower only on a recorded ground with its motivation (Awb 5:46), never above it, never "
        "without blame (Awb 5:41), never after the power lapsed (Awb 5:45), never after a "
        "“no fine” notice (Awb 5:43).",
    )
    @action(detail=True, methods=["post"])
    def boete(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.boete_opstellen, BoeteSerializer)

    @_actie_schema(None, "Submit the drafted fine for a teamleider's approval.")
    @action(detail=True, methods=["post"], url_path="ter-goedkeuring")
    def ter_goedkeuring(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.boete_ter_goedkeuring)

    @_actie_schema(
        None,
        "Teamleider: approve the fine (needs `handhaving.goedkeuren_boete`). Two approving at "
        "once: the second finds it approved.",
    )
    @action(detail=True, methods=["post"])
    def goedkeuren(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.boete_goedkeuren)

    @_actie_schema(
        TerugsturenSerializer,
        "Teamleider: return the fine awaiting approval to the werkcoach, with a comment.",
    )
    @action(detail=True, methods=["post"])
    def terugsturen(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.boete_terugsturen, TerugsturenSerializer)

    @_actie_schema(
        None,
        "Send the boetebeschikking (Awb 5:52), approved first where the gemeente requires it. "
        "It is made in the background: the procedure is `wordtVerstuurd` until the letter "
        "exists, then `opgelegd`. Once: a second request finds it on its way.",
    )
    @action(detail=True, methods=["post"])
    def versturen(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.boete_versturen)

    @_actie_schema(BezwaarSerializer, "Register an objection against the imposed fine.")
    @action(detail=True, methods=["post"])
    def bezwaar(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.bezwaar_registreren, BezwaarSerializer)

    @_actie_schema(
        BezwaarBeslissenSerializer,
        "Decide the objection: unfounded (the fine stands), founded (annulled) or partly "
        "founded with a new, lower `bedrag`.",
    )
    @action(detail=True, methods=["post"], url_path="bezwaar-beslissen")
    def bezwaar_beslissen(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.bezwaar_beslissen, BezwaarBeslissenSerializer)

    @_actie_schema(BetaalstatusSerializer, "Record the payment status of the imposed fine.")
    @action(detail=True, methods=["post"])
    def betaalstatus(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.betaalstatus_wijzigen, BetaalstatusSerializer)

    @_actie_schema(
        IntrekkenSerializer, "Withdraw the imposed fine: a new decision, with its own letter."
    )
    @action(detail=True, methods=["post"])
    def intrekken(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.boete_intrekken, IntrekkenSerializer)

    @extend_schema(
        parameters=[BRIEF_SOORT],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The letter as sent (PDF/A)."
            ),
            404: OpenApiResponse(description="No such procedure, or this letter was not sent."),
        },
        description="Download a sent letter of this procedure (`downloadUrl` of its `brieven`).",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"brieven/(?P<soort>[a-z_]+)",
        url_name="brief",
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, PdfRenderer],
    )
    def brief(self, request: Request, uuid: Any = None, soort: str = "") -> FileResponse:
        procedure = self.get_object()
        brief = (
            brieven_for(request.user)
            .filter(procedure=procedure, soort=soort, status=BriefStatus.VERZONDEN)
            .first()
        )
        if brief is None or not brief.pdf:
            raise Http404
        return document_response(brief.pdf, brief.kenmerk)
