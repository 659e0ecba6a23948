from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import IsOfficial, IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet
from incidents import selectors, services
from incidents.api.serializers import IncidentAnswerSerializer, IncidentCreateSerializer, IncidentSerializer


class IncidentViewSet(ScopedReadOnlyViewSet):
    """Incident reports: commissions see those in their area (and answer and close them); reporters their own."""

    selector = selectors.incidents_for
    serializer_class = IncidentSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["election", "precinct", "status", "category"]

    @extend_schema(
        request={"application/json": IncidentCreateSerializer, "multipart/form-data": IncidentCreateSerializer},
        responses={201: IncidentSerializer},
    )
    def create(self, request):
        """An accredited observer or journalist reports an incident (``may_report_incident``)."""
        body = IncidentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        incident = services.incident_report(
            actor=request.user,
            election=data["election"],
            precinct=data["precinct"],
            category=data["category"],
            description=data["description"],
            occurred_at=data["occurred_at"],
            photos=request.FILES.getlist("photos") or data["photos"],
            request=request,
        )
        return Response(IncidentSerializer(incident).data, status=status.HTTP_201_CREATED)

    def _handle(self, request, service):
        body = IncidentAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = service(actor=request.user, incident=self.get_object(), answer=body.validated_data["answer"], request=request)
        return Response(IncidentSerializer(incident).data)

    @extend_schema(request=IncidentAnswerSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOfficial])
    def answer(self, request, pk=None):
        return self._handle(request, services.incident_answer)

    @extend_schema(request=IncidentAnswerSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsOfficial])
    def close(self, request, pk=None):
        return self._handle(request, services.incident_close)
