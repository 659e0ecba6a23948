from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from candidates import selectors, services
from candidates.api.serializers import NominationSerializer, NominationTransitionSerializer, PartySerializer
from core.api.permissions import IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet


class PartyViewSet(ScopedReadOnlyViewSet):
    """Parties: CEC staff see all; a representative sees only their own party."""

    selector = selectors.parties_for
    serializer_class = PartySerializer
    permission_classes = [IsVerifiedUser]


class NominationViewSet(ScopedReadOnlyViewSet):
    """Nominations: a representative sees their party's; officials those in their area; CEC all."""

    selector = selectors.nominations_for
    serializer_class = NominationSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["election", "party", "status", "constituency"]

    @extend_schema(request=NominationTransitionSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        body = NominationTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        nomination = services.nomination_transition(actor=request.user, nomination=self.get_object(),
                                                    name=body.validated_data["action"],
                                                    reason=body.validated_data["reason"], request=request)
        return Response(NominationSerializer(nomination).data)
