from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.permissions import IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet
from observers import selectors, services
from observers.api.serializers import (
    AccreditationCreateSerializer,
    AccreditationTransitionSerializer,
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
        accreditation = services.accreditation_transition(
            actor=request.user,
            accreditation=self.get_object(),
            name=body.validated_data["action"],
            reason=body.validated_data["reason"],
            request=request,
        )
        return Response(ObserverAccreditationSerializer(accreditation).data)
