"""REST API (/api/v1/) for inburgeraars, dossiers, termijnen and signalen: the same access
policy and services as the UI. No BSN in any URI: persons are addressed by uuid; search by BSN
is a POST."""

from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inburgering.accounts.models import User
from inburgering.core.access import vereis
from inburgering.core.api import ScopedViewMixin

from .. import services
from .. import termijnen as termijn_services
from ..hub import hub
from ..models import Dossier, Inburgeraar, Signaal, Termijn, Verlenging
from ..policy import (
    dossiers_for,
    gebeurtenissen_voor,
    inburgeraars_for,
    signalen_om_af_te_handelen,
)
from .filters import DossierFilter, InburgeraarFilter, SignaalFilter
from .permissions import TermijnPermission
from .schema import problem_responses
from .serializers import (
    BsnZoekSerializer,
    DossierSerializer,
    DossierUpdateSerializer,
    FaseWijzigenSerializer,
    GebeurtenisSerializer,
    InburgeraarAanmeldenSerializer,
    InburgeraarSerializer,
    NotitieSerializer,
    SignaalSerializer,
    SignalenAfgehandeldSerializer,
    SignalenAfhandelenSerializer,
    TermijnGehaaldSerializer,
    TermijnSerializer,
    TermijnVerlengenSerializer,
    VerhuizenSerializer,
)


def _termijnen(qs: QuerySet[Termijn]) -> QuerySet[Termijn]:
    """Termijnen with what ``TermijnSerializer`` reads, in a fixed number of queries."""
    return qs.select_related("dossier").prefetch_related(
        Prefetch("verlengingen", queryset=Verlenging.objects.select_related("actor"))
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
        return Response(
            InburgeraarSerializer(matches, many=True, context=self.get_serializer_context()).data
        )


class DossierViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Dossiers the caller may see. The phase changes through `fase`, the gemeente only by
    relocation (`verhuizen`); the timeline is `tijdlijn`, notes are added through `notities`."""

    lookup_field = "uuid"
    filterset_class = DossierFilter
    sleutelpaginering = True  # next/previous by cursor: page 1,000 costs what page 1 does

    def get_queryset(self) -> QuerySet[Dossier]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Dossier._base_manager.none()
        qs = dossiers_for(self.request.user).select_related(
            "inburgeraar", "gemeente", "werkcoach", "begeleider", "vorig_dossier"
        )
        # what the hub's parts add to the resource, in this one query
        for annoteer in dict.fromkeys(v.annoteer for v in hub.api_velden() if v.annoteer):
            qs = annoteer(qs)
        # by name (the dossier's copy of it, read in index order), then registration
        return qs.order_by("sorteer_achternaam", "sorteer_voornamen", "id")

    def get_serializer_class(self) -> Any:
        if self.action in ("update", "partial_update"):
            return DossierUpdateSerializer
        if self.action == "fase":
            return FaseWijzigenSerializer
        if self.action == "termijnen":
            return TermijnSerializer
        if self.action == "verhuizen":
            return VerhuizenSerializer
        if self.action == "notities":
            return NotitieSerializer
        if self.action == "tijdlijn":
            return GebeurtenisSerializer
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

    @extend_schema(
        request=FaseWijzigenSerializer,
        responses={200: DossierSerializer, **problem_responses(400, 403, 404)},
        description=(
            "Change the phase by hand, with a reason. Phases move forward only and never past "
            "a phase whose legal fact is missing (Wi2021: the PIP phase needs a completed "
            "brede intake, art. 14; inburgering and later a vastgestelde PIP, art. 15); the "
            "dates a phase requires must be recorded. Completing the intake and issuing the "
            "PIP move the phase themselves."
        ),
    )
    @action(detail=True, methods=["post"])
    def fase(self, request: Request, uuid: Any = None) -> Response:
        instance = self.get_object()
        serializer = FaseWijzigenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dossier_fase_wijzigen(
            user=cast(User, request.user), dossier=instance, **serializer.validated_data
        )
        return Response(DossierSerializer(instance, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={200: TermijnSerializer(many=True), **problem_responses(403, 404)},
        description=(
            "The dossier's termijnen (statutory and policy deadlines), by due date, each with "
            "its legal basis, whether and how far it may be extended, and its extensions. "
            "Needs `cases.view_termijn` (werkcoach, teamleider, auditor)."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[TermijnPermission],
        pagination_class=None,
        filter_backends=[],
    )
    def termijnen(self, request: Request, uuid: Any = None) -> Response:
        dossier = self.get_object()
        qs = _termijnen(Termijn.objects.filter(dossier=dossier)).order_by(
            "uiterste_datum", "code", "volgnummer"
        )
        return Response(
            TermijnSerializer(qs, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=VerhuizenSerializer,
        responses={200: DossierSerializer, **problem_responses(400, 403, 404)},
        description=(
            "Relocation (Wi 2021, verhuizing): close this dossier as `verhuisd` on "
            "`datumVerhuizing` and open the next one in `nieuweGemeente`, which adopts the "
            "phase; that gemeente's team assigns its own werkcoach. Answers the closed dossier "
            "(its timeline names the new one). The same rules as the UI: only an open dossier, "
            "another gemeente, a date not in the future (400 naming the field); needs "
            "`cases.verhuizen_dossier` (auditors never write: 403)."
        ),
    )
    @action(detail=True, methods=["post"])
    def verhuizen(self, request: Request, uuid: Any = None) -> Response:
        instance = self.get_object()
        serializer = VerhuizenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dossier_verhuizen(
            user=cast(User, request.user), dossier=instance, **serializer.validated_data
        )
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(DossierSerializer(instance, context=self.get_serializer_context()).data)

    @extend_schema(
        request=NotitieSerializer,
        responses={201: GebeurtenisSerializer, **problem_responses(400, 403, 404)},
        description=(
            "Add a note to the dossier's timeline (append-only). An empty note is refused "
            "(400 naming `tekst`); needs `cases.notitie_dossier` (auditors never write: 403)."
        ),
    )
    @action(detail=True, methods=["post"])
    def notities(self, request: Request, uuid: Any = None) -> Response:
        instance = self.get_object()
        serializer = NotitieSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        gebeurtenis = services.dossier_notitie_toevoegen(
            user=cast(User, request.user),
            dossier=instance,
            tekst=serializer.validated_data["tekst"],
        )
        return Response(
            GebeurtenisSerializer(gebeurtenis, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={200: GebeurtenisSerializer(many=True), **problem_responses(404)},
        parameters=[
            OpenApiParameter("page", int, description="A page number within the paginated result."),
            OpenApiParameter("pageSize", int, description="Number of results per page (max 100)."),
        ],
        description=(
            "The dossier's timeline: business events and notes, newest first, as on the "
            "dossier page."
        ),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def tijdlijn(self, request: Request, uuid: Any = None) -> Response:
        instance = self.get_object()
        qs = gebeurtenissen_voor(request.user, instance).select_related("actor")
        page = self.paginate_queryset(qs.order_by("-tijdstip", "-id"))
        data = GebeurtenisSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class TermijnViewSet(ScopedViewMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Termijnen of the dossiers the caller may see. Changed only through the actions below,
    which call the services of ``cases.termijnen``: a refusal names the field and its rule."""

    lookup_field = "uuid"
    serializer_class = TermijnSerializer
    permission_classes = [TermijnPermission]

    def get_queryset(self) -> QuerySet[Termijn]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Termijn._base_manager.none()
        return _termijnen(Termijn.objects.filter(dossier__in=dossiers_for(self.request.user)))

    def get_serializer_class(self) -> Any:
        if self.action == "verlengen":
            return TermijnVerlengenSerializer
        if self.action == "gehaald":
            return TermijnGehaaldSerializer
        return TermijnSerializer

    def _out(self, termijn: Termijn) -> Response:
        termijn = self.get_queryset().get(pk=termijn.pk)
        return Response(TermijnSerializer(termijn, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={200: TermijnSerializer, **problem_responses(403, 404)},
        description="One termijn with its rule and extensions.",
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=TermijnVerlengenSerializer,
        responses={200: TermijnSerializer, **problem_responses(400, 403, 404)},
        description=(
            "Extend an open or overdue termijn to `tot`, with a reason. Refused (400, naming "
            "the field and the rule) without a reason, for a termijn the law does not let be "
            "extended, and beyond `maxVerlengdTot`. Needs `cases.beheren_termijn`."
        ),
    )
    @action(detail=True, methods=["post"])
    def verlengen(self, request: Request, uuid: Any = None) -> Response:
        termijn = self.get_object()
        serializer = TermijnVerlengenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        termijn = termijn_services.termijn_verlengen(
            user=cast(User, request.user), termijn=termijn, **serializer.validated_data
        )
        return self._out(termijn)

    @extend_schema(
        request=TermijnGehaaldSerializer,
        responses={200: TermijnSerializer, **problem_responses(400, 403, 404)},
        description=(
            "Record that a termijn met by a werkcoach's finding (`handmatigMarkeerbaar`: PVT, "
            "MAP, a voortgangsgesprek…) was met on `datum`. A termijn met by recording the "
            "fact itself (intake, PIP) is refused, as is a date in the future or before the "
            "start. Needs `cases.beheren_termijn`."
        ),
    )
    @action(detail=True, methods=["post"])
    def gehaald(self, request: Request, uuid: Any = None) -> Response:
        termijn = self.get_object()
        serializer = TermijnGehaaldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        termijn = termijn_services.termijn_gehaald_markeren(
            user=cast(User, request.user), termijn=termijn, **serializer.validated_data
        )
        return self._out(termijn)


class SignaalViewSet(ScopedViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own signals about termijnen (warnings, overdue, escalations), newest
    first. Nobody sees or handles someone else's signals."""

    lookup_field = "uuid"
    filterset_class = SignaalFilter
    serializer_class = SignaalSerializer

    def get_queryset(self) -> QuerySet[Signaal]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Signaal._base_manager.none()
        return (
            Signaal.objects.filter(
                ontvanger=cast(User, self.request.user),
                dossier__in=dossiers_for(self.request.user),
            )
            .select_related("termijn", "dossier")
            .order_by("-aangemaakt_op", "-id")
        )

    def get_serializer_class(self) -> Any:
        if self.action == "afhandelen":
            return SignalenAfhandelenSerializer
        return SignaalSerializer

    @extend_schema(
        request=SignalenAfhandelenSerializer,
        responses={200: SignalenAfgehandeldSerializer, **problem_responses(400, 403, 404)},
        description=(
            "Mark your own signals handled, all or none. A uuid you do not reach (unknown, or "
            "outside your dossiers) refuses the whole request with 404; someone else's signal "
            "on a dossier you see with 403, as in the UI; signals already handled are not "
            "counted."
        ),
    )
    @action(detail=False, methods=["post"])
    def afhandelen(self, request: Request) -> Response:
        serializer = SignalenAfhandelenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = cast(User, request.user)
        vereis(user, "signaal.afhandelen")  # a read-only role, before any lookup
        # 404 for a signal the caller does not reach, 403 for someone else's (as in the UI)
        ids = signalen_om_af_te_handelen(user, serializer.validated_data["signalen"])
        aantal = termijn_services.signalen_afhandelen(user=user, signaal_ids=ids)
        return Response(SignalenAfgehandeldSerializer({"afgehandeld": aantal}).data)
