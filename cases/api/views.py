"""REST API (/api/v1/) for inburgeraars and dossiers: the same access policy and services as
the UI. No BSN in any URI: persons are addressed by uuid; search by BSN is a POST."""

from typing import Any, cast

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inburgering.accounts.models import User
from inburgering.core.access import dossiers_for, inburgeraars_for
from inburgering.core.api import ScopedViewMixin

from .. import services
from ..models import Dossier, Inburgeraar
from .filters import DossierFilter, InburgeraarFilter
from .serializers import (
    BsnZoekSerializer,
    DossierSerializer,
    DossierUpdateSerializer,
    FaseWijzigenSerializer,
    InburgeraarAanmeldenSerializer,
    InburgeraarSerializer,
)


class InburgeraarViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Persons with at least one dossier the caller may see."""

    lookup_field = "uuid"
    filterset_class = InburgeraarFilter

    def get_queryset(self) -> QuerySet[Inburgeraar]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Inburgeraar._base_manager.none()
        return inburgeraars_for(self.request.user).order_by("achternaam", "voornamen", "id")

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return InburgeraarAanmeldenSerializer
        if self.action == "zoeken":
            return BsnZoekSerializer
        return InburgeraarSerializer

    @extend_schema(
        request=InburgeraarAanmeldenSerializer,
        responses={201: InburgeraarSerializer},
        description="Register a person together with their first dossier in `gemeente`.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("reden", None)
        dossier_data = {k: data.pop(k) for k in list(data) if k in services.DOSSIER_CREATE_FIELDS}
        dossier = services.inburgeraar_aanmelden(
            user=cast(User, request.user), persoon=data, dossier=dossier_data
        )
        output = InburgeraarSerializer(dossier.inburgeraar, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reden = data.pop("reden", "")
        services.inburgeraar_update(user=request.user, inburgeraar=instance, reden=reden, **data)  # type: ignore[arg-type]
        return Response(InburgeraarSerializer(instance, context=self.get_serializer_context()).data)

    @extend_schema(
        request=BsnZoekSerializer,
        responses={200: InburgeraarSerializer(many=True)},
        description="Find a person by BSN. A POST, so the number never appears in a URI or log.",
    )
    @action(detail=False, methods=["post"])
    def zoeken(self, request: Request) -> Response:
        serializer = BsnZoekSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        matches = self.get_queryset().filter(bsn=serializer.validated_data["bsn"])
        return Response(InburgeraarSerializer(matches, many=True).data)


class DossierViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "uuid"
    filterset_class = DossierFilter

    def get_queryset(self) -> QuerySet[Dossier]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Dossier._base_manager.none()
        from pip_plans.models import Pip

        vastgesteld = Pip.objects.filter(dossier=OuterRef("pk"), status="vastgesteld").order_by(
            "-versie"
        )
        return (
            dossiers_for(self.request.user)
            .select_related("inburgeraar", "gemeente", "werkcoach", "begeleider", "vorig_dossier")
            .annotate(
                inburgeringstermijn_start=Subquery(vastgesteld.values("termijn_start")[:1]),
                inburgeringstermijn_eind=Subquery(vastgesteld.values("termijn_eind")[:1]),
            )
            .order_by("inburgeraar__achternaam", "id")
        )

    def get_serializer_class(self) -> Any:
        if self.action in ("update", "partial_update"):
            return DossierUpdateSerializer
        if self.action == "fase":
            return FaseWijzigenSerializer
        return DossierSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reden = data.pop("reden", "")
        dossier = services.dossier_create(user=request.user, reden=reden, **data)  # type: ignore[arg-type]
        output = DossierSerializer(dossier, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reden = data.pop("reden", "")
        services.dossier_update(user=request.user, dossier=instance, reden=reden, **data)  # type: ignore[arg-type]
        return Response(DossierSerializer(instance, context=self.get_serializer_context()).data)

    @extend_schema(request=FaseWijzigenSerializer, responses={200: DossierSerializer})
    @action(detail=True, methods=["post"])
    def fase(self, request: Request, uuid: Any = None) -> Response:
        instance = self.get_object()
        serializer = FaseWijzigenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dossier_fase_wijzigen(
            user=cast(User, request.user), dossier=instance, **serializer.validated_data
        )
        return Response(DossierSerializer(instance, context=self.get_serializer_context()).data)
