from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import IsOfficial, IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet
from observers import selectors, services
from observers.api.serializers import (
    AccreditationCreateSerializer,
    AccreditationTransitionSerializer,
    IncidentAnswerSerializer,
    IncidentCreateSerializer,
    IncidentSerializer,
    ObserverAccreditationSerializer,
    ObserverOrganizationSerializer,
    ObserverSerializer,
)


class ObserverOrganizationViewSet(ScopedReadOnlyViewSet):
    """Observer organisations: CEC staff see all; a coordinator sees only their own."""

    selector = selectors.organizations_for
    serializer_class = ObserverOrganizationSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["kind", "is_active"]


class ObserverViewSet(ScopedReadOnlyViewSet):
    """Observers: a coordinator sees their organisation's; commissions those accredited in their area; CEC all."""

    selector = selectors.observers_for
    serializer_class = ObserverSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["organization", "is_foreign"]


class ObserverAccreditationViewSet(ScopedReadOnlyViewSet):
    """Observer accreditations and their workflow (apply, withdraw, review, accredit, refuse, revoke)."""

    selector = selectors.accreditations_for
    serializer_class = ObserverAccreditationSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["election", "organization", "status"]

    @extend_schema(request=AccreditationCreateSerializer, responses={201: ObserverAccreditationSerializer})
    def create(self, request):
        body = AccreditationCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        accreditation = services.accreditation_apply(actor=request.user, request=request, **body.validated_data)
        return Response(ObserverAccreditationSerializer(accreditation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AccreditationTransitionSerializer, responses=ObserverAccreditationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        body = AccreditationTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        accreditation = services.accreditation_transition(actor=request.user, accreditation=self.get_object(),
                                                          name=body.validated_data["action"],
                                                          reason=body.validated_data["reason"], request=request)
        return Response(ObserverAccreditationSerializer(accreditation).data)


class IncidentViewSet(ScopedReadOnlyViewSet):
    """Incident reports: commissions see those in their area (and answer and close them); reporters their own."""

    selector = selectors.incidents_for
    serializer_class = IncidentSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["election", "precinct", "status", "category"]

    @extend_schema(request={"application/json": IncidentCreateSerializer,
                            "multipart/form-data": IncidentCreateSerializer},
                   responses={201: IncidentSerializer})
    def create(self, request):
        """An accredited observer or journalist reports an incident (``may_report_incident``)."""
        body = IncidentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        incident = services.incident_report(actor=request.user, election=data["election"], precinct=data["precinct"],
                                            category=data["category"], description=data["description"],
                                            occurred_at=data["occurred_at"],
                                            photos=request.FILES.getlist("photos") or data["photos"],
                                            request=request)
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    def _handle(self, request, service):
        body = IncidentAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = service(actor=request.user, incident=self.get_object(), answer=body.validated_data["answer"],
                           request=request)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=IncidentAnswerSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOfficial])
    def answer(self, request, pk=None):
        return self._handle(request, services.incident_answer)

    @extend_schema(request=IncidentAnswerSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOfficial])
    def close(self, request, pk=None):
        return self._handle(request, services.incident_close)
