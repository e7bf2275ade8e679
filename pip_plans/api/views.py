"""REST API (/api/v1/) for the brede intake and the PIP: the same access policy (querysets from
``pip_plans.selectors``) and the same services as the UI, so both refuse identically."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from inburgering.accounts.models import User
from inburgering.core.api import ScopedViewMixin
from inburgering.documents.responses import PdfRenderer

from .. import selectors, services
from ..constants import Domein
from ..models import BredeIntake, IntakeGesprek, Pip
from .filters import IntakeFilter, PipFilter
from .serializers import (
    AfschalenSerializer,
    BredeIntakeDetailSerializer,
    BredeIntakeSerializer,
    DomeinBeoordelingSerializer,
    DomeinOpslaanSerializer,
    IntakeAfrondenSerializer,
    IntakeBijwerkenSerializer,
    IntakeGesprekSerializer,
    IntakeStartenSerializer,
    PipAanmakenSerializer,
    PipBijwerkenSerializer,
    PipNieuweVersieSerializer,
    PipSerializer,
    PipTerugsturenSerializer,
    PipVaststellenSerializer,
    RouteSwitchSerializer,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


class IntakeViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Brede intakes of the dossiers the caller may see."""

    lookup_field = "uuid"
    filterset_class = IntakeFilter

    def get_queryset(self) -> QuerySet[BredeIntake]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return BredeIntake._base_manager.none()
        qs = selectors.intakes_for(self.request.user).order_by("-aangemaakt_op", "id")
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch("gesprekken", queryset=IntakeGesprek.objects.select_related("werkcoach")),
                "kinderen",
            )
        return qs

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return BredeIntakeSerializer
        return BredeIntakeDetailSerializer

    def _detail(self, intake: BredeIntake, code: int = status.HTTP_200_OK) -> Response:
        intake = self.get_queryset().get(pk=intake.pk)
        return Response(
            BredeIntakeDetailSerializer(intake, context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(
        request=IntakeStartenSerializer,
        responses={201: BredeIntakeDetailSerializer},
        description="Start the brede intake of a dossier (returns the existing one if started).",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = IntakeStartenSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        intake = services.intake_starten(
            user=_user(request), dossier=serializer.validated_data["dossier"]
        )
        return self._detail(intake, status.HTTP_201_CREATED)

    @extend_schema(request=IntakeBijwerkenSerializer, responses={200: BredeIntakeDetailSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        intake = self.get_object()
        serializer = IntakeBijwerkenSerializer(intake, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.intake_bijwerken(user=_user(request), intake=intake, **serializer.validated_data)
        return self._detail(intake)

    @extend_schema(
        request=IntakeGesprekSerializer,
        responses={201: IntakeGesprekSerializer},
        description="Record a conversation (including no-show and non-cooperation).",
    )
    @action(detail=True, methods=["post"])
    def gesprekken(self, request: Request, uuid: Any = None) -> Response:
        intake = self.get_object()
        serializer = IntakeGesprekSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        gesprek = services.intake_gesprek_toevoegen(
            user=_user(request), intake=intake, **serializer.validated_data
        )
        return Response(IntakeGesprekSerializer(gesprek).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DomeinBeoordelingSerializer,
        responses={200: DomeinBeoordelingSerializer},
        description="Save one life domain (save as you go). Medical domains need need-to-know.",
    )
    @action(detail=True, methods=["post"], url_path="domeinen")
    def domeinen(self, request: Request, uuid: Any = None) -> Response:
        intake = self.get_object()
        serializer = DomeinBeoordelingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = services.intake_domein_opslaan(
            user=_user(request), intake=intake, **serializer.validated_data
        )
        return Response(DomeinBeoordelingSerializer(obj).data)

    @extend_schema(
        request=DomeinOpslaanSerializer,
        responses={200: DomeinBeoordelingSerializer},
        parameters=[
            OpenApiParameter("domein", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Domein.values)
        ],
        description="Save one life domain (save as you go). Medical domains need need-to-know.",
    )
    @action(
        detail=True,
        methods=["put"],
        url_path=r"domeinen/(?P<domein>[a-z_]+)",
        url_name="domein",
    )
    def domein(self, request: Request, uuid: Any = None, domein: str = "") -> Response:
        intake = self.get_object()
        if domein not in Domein.values:
            raise Http404
        serializer = DomeinOpslaanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = services.intake_domein_opslaan(
            user=_user(request), intake=intake, domein=domein, **serializer.validated_data
        )
        return Response(DomeinBeoordelingSerializer(obj).data)

    @extend_schema(
        request=IntakeAfrondenSerializer,
        responses={200: BredeIntakeDetailSerializer},
        description="Complete the intake: every domain assessed, leerbaarheidstoets recorded.",
    )
    @action(detail=True, methods=["post"])
    def afronden(self, request: Request, uuid: Any = None) -> Response:
        intake = self.get_object()
        serializer = IntakeAfrondenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.intake_afronden(
            user=_user(request), intake=intake, datum=serializer.validated_data.get("datum")
        )
        return self._detail(intake)


class PipViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """PIP versions of the dossiers the caller may see. From ``vastgesteld`` on a version is a
    beschikking and immutable; a change is a new version."""

    lookup_field = "uuid"
    filterset_class = PipFilter
    serializer_class = PipSerializer

    def get_queryset(self) -> QuerySet[Pip]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Pip._base_manager.none()
        return (
            selectors.pips_for(self.request.user)
            .select_related("goedgekeurd_door", "teruggestuurd_door")
            .order_by("dossier_id", "-versie")
        )

    def _out(self, pip: Pip, code: int = status.HTTP_200_OK) -> Response:
        pip = self.get_queryset().get(pk=pip.pk)
        return Response(PipSerializer(pip, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PipAanmakenSerializer, responses={201: PipSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PipAanmakenSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        pip = services.pip_aanmaken(
            user=_user(request), dossier=serializer.validated_data["dossier"]
        )
        return self._out(pip, status.HTTP_201_CREATED)

    @extend_schema(
        request=PipBijwerkenSerializer,
        responses={200: PipSerializer},
        description="Edit a concept PIP. A vastgestelde PIP is changed only by a new version.",
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pip = self.get_object()
        serializer = PipBijwerkenSerializer(pip, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.pip_bijwerken(user=_user(request), pip=pip, **serializer.validated_data)
        return self._out(pip)

    @extend_schema(request=None, responses={200: PipSerializer})
    @action(detail=True, methods=["post"], url_path="ter-ondertekening")
    def ter_ondertekening(self, request: Request, uuid: Any = None) -> Response:
        pip = services.pip_ter_ondertekening(user=_user(request), pip=self.get_object())
        return self._out(pip)

    @extend_schema(request=None, responses={200: PipSerializer})
    @action(detail=True, methods=["post"])
    def goedkeuren(self, request: Request, uuid: Any = None) -> Response:
        pip = services.pip_goedkeuren(user=_user(request), pip=self.get_object())
        return self._out(pip)

    @extend_schema(
        request=PipTerugsturenSerializer,
        responses={200: PipSerializer},
        description=(
            "Teamleider: return a PIP awaiting approval (`ter_ondertekening`) to the werkcoach "
            "as `concept`, with a required comment (`terugstuurOpmerking`) that the werkcoach "
            "sees until the PIP is submitted again; the history and the dossier timeline keep "
            "it. Needs `pip_plans.goedkeuren_pip`."
        ),
    )
    @action(detail=True, methods=["post"])
    def terugsturen(self, request: Request, uuid: Any = None) -> Response:
        pip = self.get_object()
        serializer = PipTerugsturenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pip = services.pip_terugsturen(
            user=_user(request), pip=pip, opmerking=serializer.validated_data["opmerking"]
        )
        return self._out(pip)

    @extend_schema(
        request=PipVaststellenSerializer,
        responses={202: PipSerializer},
        description=(
            "Issue the beschikking. The PDF is rendered in the background; the PIP is "
            "`wordt_vastgesteld` until it exists and becomes `vastgesteld` then (or returns to "
            "its previous status with `renderFout` when rendering fails)."
        ),
    )
    @action(detail=True, methods=["post"])
    def vaststellen(self, request: Request, uuid: Any = None) -> Response:
        pip = self.get_object()
        serializer = PipVaststellenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pip = services.pip_vaststellen(
            user=_user(request), pip=pip, datum=serializer.validated_data.get("datum")
        )
        return self._out(pip, status.HTTP_202_ACCEPTED)

    @extend_schema(request=PipNieuweVersieSerializer, responses={201: PipSerializer})
    @action(detail=True, methods=["post"], url_path="nieuwe-versie")
    def nieuwe_versie(self, request: Request, uuid: Any = None) -> Response:
        pip = self.get_object()
        serializer = PipNieuweVersieSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nieuw = services.pip_nieuwe_versie(
            user=_user(request), pip=pip, reden=serializer.validated_data["reden"]
        )
        return self._out(nieuw, status.HTTP_201_CREATED)

    @extend_schema(
        request=RouteSwitchSerializer,
        responses={201: PipSerializer},
        description="Switch of leerroute (at most once, until 18 months); makes a new version.",
    )
    @action(detail=True, methods=["post"], url_path="route-switch")
    def route_switch(self, request: Request, uuid: Any = None) -> Response:
        pip = self.get_object()
        serializer = RouteSwitchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nieuw = services.route_switchen(user=_user(request), pip=pip, **serializer.validated_data)
        return self._out(nieuw, status.HTTP_201_CREATED)

    @extend_schema(
        request=AfschalenSerializer,
        responses={201: PipSerializer},
        description=(
            "Afschalen B1 → A2 on one exam part: only after 18 months, 600 lesson hours and a "
            "judgement of sufficient effort. Makes a new version."
        ),
    )
    @action(detail=True, methods=["post"])
    def afschalen(self, request: Request, uuid: Any = None) -> Response:
        pip = self.get_object()
        serializer = AfschalenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nieuw = services.afschalen(user=_user(request), pip=pip, **serializer.validated_data)
        return self._out(nieuw, status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The beschikking (PDF/A)."
            ),
            404: OpenApiResponse(description="No such PIP, or no beschikking yet."),
        },
        description="Download the stored beschikking of this PIP version.",
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, PdfRenderer],
    )
    def beschikking(self, request: Request, uuid: Any = None) -> FileResponse:
        pip = self.get_object()
        if not pip.pdf:
            raise Http404
        response = FileResponse(
            pip.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{pip.kenmerk or pip.uuid}.pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
