"""REST API (/api/v1/) of maatschappelijke begeleiding: referrals (``aanmeldingen``) and their
actions, the begeleider's contacts (``contactmomenten``) and follow-up actions
(``vervolgacties``). The same visibility as the UI (``begeleiding.policy``: outside it is a 404)
and the same services, so both refuse identically: a rule as a 400 naming the field as sent, an
action the role may not take as a 403 (auditors never write), and a contact that changed on the
server meanwhile as a 409 carrying the server's version (``huidige``) — never an overwrite.

A contact is created with a uuid the client made (the offline app): posting the same body again
answers the contact already made (200), so a replay creates it once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.schema import problem_responses
from handhaving.api.serializers import invoer_veldnamen
from inburgering.accounts.models import User
from inburgering.core.access import vereis
from inburgering.core.api import ScopedViewMixin
from inburgering.core.integrity import ConflictError
from inburgering.core.problems import PROBLEM_CONTENT_TYPE

from .. import selectors, services
from ..models import Aanmelding, Contactmoment, Vervolgactie
from ..policy import aanmeldingen_for, contactmomenten_for, vervolgacties_for
from .filters import AanmeldingFilter, ContactmomentFilter, VervolgactieFilter
from .serializers import (
    AanmeldenSerializer,
    AanmeldingIntrekkenSerializer,
    AanmeldingSerializer,
    AccepterenSerializer,
    AfrondenSerializer,
    AfsluitenSerializer,
    AfwijzenSerializer,
    ContactConflictSerializer,
    ContactCorrigerenSerializer,
    ContactmomentSerializer,
    ContactVastleggenSerializer,
    EinddatumSerializer,
    EvaluatieSerializer,
    ToewijzenSerializer,
    VervolgactieSerializer,
)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _hernoemd(
    exc: DjangoValidationError, namen: Mapping[str, str], extra: Mapping[str, str] | None = None
) -> DjangoValidationError:
    """A service's refusal with its parameters renamed to the input fields that fed them."""
    namen = {**namen, **(extra or {})}
    if isinstance(exc, ConflictError) or not hasattr(exc, "error_dict") or not namen:
        return exc
    return DjangoValidationError(
        {namen.get(veld, veld): fouten for veld, fouten in exc.error_dict.items()}
    )


def _invoer(
    klasse: type[serializers.Serializer], request: Request, context: Mapping[str, Any]
) -> serializers.Serializer:
    invoer = klasse(data=request.data, context=context)
    invoer.is_valid(raise_exception=True)
    return invoer


CONFLICT = {
    (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ContactConflictSerializer,
        description=(
            "The contact changed on the server since the version you corrected, or this uuid "
            "was used for other content: nothing was overwritten; `huidige` is the server's "
            "version to compare with."
        ),
    )
}


# --- referrals --------------------------------------------------------------------------------


def _aanmelding_schema(invoer: type[serializers.Serializer], beschrijving: str) -> Any:
    return extend_schema(
        request=invoer,
        responses={200: AanmeldingSerializer, **problem_responses(400, 403, 404)},
        description=beschrijving,
    )


class AanmeldingViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals to maatschappelijke begeleiding and the begeleidingen they became. The
    gemeente sees those of the dossiers it sees; a partner's coördinator (and auditor) every
    referral to the organisation; a begeleider their running begeleidingen, until the end
    date. Shared with the partner: the person's name, telephone, language and address and what
    the werkcoach wrote for it — never the BSN, nothing medical."""

    lookup_field = "uuid"
    filterset_class = AanmeldingFilter
    serializer_class = AanmeldingSerializer

    def get_queryset(self) -> QuerySet[Aanmelding]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Aanmelding._base_manager.none()
        return selectors.met_contactgegevens(aanmeldingen_for(self.request.user)).order_by(
            "-aangemeld_op", "-id"
        )

    def _out(self, aanmelding: Aanmelding, code: int = status.HTTP_200_OK) -> Response:
        # after closing or withdrawing, the actor may no longer reach it: answer what they did
        aanmelding = (
            self.get_queryset().filter(pk=aanmelding.pk).first()
            or selectors.met_contactgegevens(Aanmelding.objects.filter(pk=aanmelding.pk)).get()
        )
        return Response(
            AanmeldingSerializer(aanmelding, context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(
        request=AanmeldenSerializer,
        responses={201: AanmeldingSerializer, **problem_responses(400, 403)},
        description=(
            "The werkcoach refers the dossier to a partner organisation with the PIP's "
            "agreements on begeleiding (theme 4). Nothing is shared before the person was "
            "informed (`geinformeerdOp`, AVG art. 13), nor without their consent "
            "(`toestemmingOp`) where the gemeente's policy asks; one referral or begeleiding "
            "at a time per dossier. The partner's coördinator then accepts or declines."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invoer = _invoer(AanmeldenSerializer, request, self.get_serializer_context())
        try:
            aanmelding = services.aanmelden(user=_user(request), **invoer.validated_data)
        except DjangoValidationError as exc:
            raise _hernoemd(exc, invoer_veldnamen(invoer)) from exc
        return self._out(aanmelding, status.HTTP_201_CREATED)

    def _uitvoeren(
        self,
        request: Request,
        service: Callable[..., Aanmelding],
        invoer_klasse: type[serializers.Serializer],
        actie: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> Response:
        """One action: the visible referral (else 404), the role's right to act (else 403,
        before any input is read), its input checked for types, then its one service; a
        refusal names the input field that fed the refused parameter."""
        aanmelding = self.get_object()
        if actie is not None:
            vereis(_user(request), actie, aanmelding)
        invoer = _invoer(invoer_klasse, request, self.get_serializer_context())
        try:
            aanmelding = service(
                user=_user(request), aanmelding=aanmelding, **invoer.validated_data
            )
        except DjangoValidationError as exc:
            raise _hernoemd(exc, invoer_veldnamen(invoer), extra) from exc
        return self._out(aanmelding)

    @_aanmelding_schema(
        AccepterenSerializer,
        "The partner's coördinator accepts the referral and assigns a begeleider of the "
        "organisation: from then on the begeleider (and the coördinator) reach the dossier, "
        "until the end date.",
    )
    @action(detail=True, methods=["post"])
    def accepteren(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(
            request, services.accepteren, AccepterenSerializer, "begeleiding.beoordelen"
        )

    @_aanmelding_schema(
        AfwijzenSerializer, "The partner's coördinator declines, with a reason for the werkcoach."
    )
    @action(detail=True, methods=["post"])
    def afwijzen(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(
            request, services.afwijzen, AfwijzenSerializer, "begeleiding.beoordelen"
        )

    @_aanmelding_schema(
        ToewijzenSerializer,
        "The coördinator hands the running begeleiding to another begeleider; the previous "
        "one no longer reaches the dossier.",
    )
    @action(detail=True, methods=["post"])
    def toewijzen(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(
            request, services.toewijzen, ToewijzenSerializer, "begeleiding.toewijzen"
        )

    @_aanmelding_schema(
        AanmeldingIntrekkenSerializer,
        "The werkcoach withdraws the referral or ends the begeleiding early, with a reason: "
        "the partner's access ends at once.",
    )
    @action(detail=True, methods=["post"])
    def intrekken(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(
            request,
            services.intrekken,
            AanmeldingIntrekkenSerializer,
            "begeleiding.beheren",
            {"ingetrokken_reden": "reden"},
        )

    @_aanmelding_schema(
        EinddatumSerializer,
        "The werkcoach extends or shortens the begeleiding (the policy months are a "
        "guideline), with a reason; not into the past.",
    )
    @action(detail=True, methods=["post"])
    def einddatum(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(
            request, services.einddatum_wijzigen, EinddatumSerializer, "begeleiding.beheren"
        )

    @_aanmelding_schema(
        EvaluatieSerializer,
        "The review three months before the end (werkcoach or begeleider).",
    )
    @action(detail=True, methods=["post"])
    def evaluatie(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(request, services.evaluatie_vastleggen, EvaluatieSerializer)

    @_aanmelding_schema(
        AfsluitenSerializer,
        "The begeleider's closing report (afsluitend verslag) and warm handover: the werkcoach "
        "gets a signal to pick up the open points; the partner's access ends.",
    )
    @action(detail=True, methods=["post"])
    def afsluiten(self, request: Request, uuid: Any = None) -> Response:
        return self._uitvoeren(
            request, services.afsluiten, AfsluitenSerializer, "begeleiding.afsluiten"
        )


# --- contacts ---------------------------------------------------------------------------------


def _contacten(qs: QuerySet[Contactmoment]) -> QuerySet[Contactmoment]:
    """What the representation reads, in a fixed number of queries for any number of rows."""
    return qs.select_related("auteur", "aanmelding", "dossier").prefetch_related(
        Prefetch("vervolgacties", queryset=Vervolgactie.objects.order_by("id"))
    )


class ContactmomentViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The begeleider's visits and other contacts. Written once: a correction (`PATCH`) is a
    new version naming the version it corrects; every version stays in the history. Only the
    begeleider the begeleiding is assigned to writes, while it runs; the werkcoach reads them
    and follows up their signals."""

    lookup_field = "uuid"
    filterset_class = ContactmomentFilter
    serializer_class = ContactmomentSerializer

    def get_queryset(self) -> QuerySet[Contactmoment]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Contactmoment._base_manager.none()
        return _contacten(contactmomenten_for(self.request.user)).order_by("-tijdstip", "-id")

    def _data(self, contact: Contactmoment) -> Any:
        contact = self.get_queryset().get(pk=contact.pk)
        return ContactmomentSerializer(contact, context=self.get_serializer_context()).data

    def _conflict(self, request: Request, exc: services.VersieConflict) -> Response:
        if not self.get_queryset().filter(pk=exc.huidige.pk).exists():
            # another begeleiding's contact under this uuid: say nothing of it
            raise DjangoValidationError({"uuid": _("This identifier is already in use.")})
        return Response(
            {
                "type": "about:blank",
                "title": _("The contact changed on the server meanwhile."),
                "status": status.HTTP_409_CONFLICT,
                "detail": exc.bericht,
                "instance": request.path,
                "huidige": self._data(exc.huidige),
            },
            status=status.HTTP_409_CONFLICT,
            content_type=PROBLEM_CONTENT_TYPE,
        )

    @extend_schema(
        request=ContactVastleggenSerializer,
        responses={
            201: ContactmomentSerializer,
            200: OpenApiResponse(
                ContactmomentSerializer,
                description="A replay: this uuid was already recorded with the same content.",
            ),
            **problem_responses(400, 403),
            **CONFLICT,
        },
        description=(
            "Record a contact of a running begeleiding (its begeleider only). The `uuid` is "
            "made by the client: the first post answers 201 with a `Location`, the same body "
            "again 200 with the same contact (a replay creates it once); other content under "
            "the same uuid is a 409 with the server's version in `huidige`. A signal for the "
            "werkcoach lands in their inbox at once. Refused with the rule named: a time in "
            "the future or outside the begeleiding, no report, a signal without explanation, "
            "an action without description, owner or due date."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invoer = _invoer(ContactVastleggenSerializer, request, self.get_serializer_context())
        velden = dict(invoer.validated_data)
        aanmelding = velden.pop("aanmelding")
        try:
            contact, nieuw = services.contact_vastleggen(
                user=_user(request), aanmelding=aanmelding, **velden
            )
        except services.VersieConflict as exc:
            return self._conflict(request, exc)
        data = self._data(contact)
        if not nieuw:
            return Response(data)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    @extend_schema(
        request=ContactCorrigerenSerializer,
        responses={200: ContactmomentSerializer, **problem_responses(400, 403, 404), **CONFLICT},
        description=(
            "Correct a contact: a new version (`versie` + 1), the previous one kept in the "
            "history. Send `versie`, the version you corrected, and the fields you change "
            "(new `vervolgacties` are added). If the server has a newer version, it is a 409 "
            "with that version in `huidige`: compare and correct again. A signal once sent "
            "cannot be taken back."
        ),
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        invoer = _invoer(ContactCorrigerenSerializer, request, self.get_serializer_context())
        try:
            contact = services.contact_corrigeren(
                user=_user(request), contact=contact, **invoer.validated_data
            )
        except services.VersieConflict as exc:
            return self._conflict(request, exc)
        return Response(self._data(contact))

    @extend_schema(
        request=None,
        responses={200: ContactmomentSerializer, **problem_responses(400, 403, 404)},
        description=(
            "The werkcoach followed up the begeleider's signal: its clock is met. A contact "
            "without a signal is refused (400 naming `signaalWerkcoach`)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="signaal-opgevolgd")
    def signaal_opgevolgd(self, request: Request, uuid: Any = None) -> Response:
        contact = self.get_object()
        contact = services.signaal_opvolgen(user=_user(request), contact=contact)
        return Response(self._data(contact))


# --- follow-up actions ------------------------------------------------------------------------


class VervolgactieViewSet(
    ScopedViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Follow-up actions agreed in the contacts the caller may see, open ones first by due
    date. Added with their contact; done by the begeleider or the werkcoach."""

    lookup_field = "uuid"
    filterset_class = VervolgactieFilter
    serializer_class = VervolgactieSerializer

    def get_queryset(self) -> QuerySet[Vervolgactie]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no scope
            return Vervolgactie._base_manager.none()
        return (
            vervolgacties_for(self.request.user)
            .select_related("contactmoment__aanmelding", "dossier")
            .order_by("afgerond_op", "deadline", "id")
        )

    @extend_schema(
        request=AfrondenSerializer,
        responses={200: VervolgactieSerializer, **problem_responses(400, 403, 404)},
        description=(
            "Mark the action done (default today; not in the future). Done once: a second "
            "request finds it done."
        ),
    )
    @action(detail=True, methods=["post"])
    def afronden(self, request: Request, uuid: Any = None) -> Response:
        actie = self.get_object()
        invoer = _invoer(AfrondenSerializer, request, self.get_serializer_context())
        try:
            actie = services.vervolgactie_afronden(
                user=_user(request), actie=actie, **invoer.validated_data
            )
        except DjangoValidationError as exc:
            raise _hernoemd(exc, invoer_veldnamen(invoer)) from exc
        actie = self.get_queryset().get(pk=actie.pk)
        return Response(VervolgactieSerializer(actie, context=self.get_serializer_context()).data)
