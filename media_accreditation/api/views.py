from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.roles import Role
from core.api.permissions import IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet
from media_accreditation import selectors, services
from media_accreditation.api.serializers import (
    JournalistSerializer,
    MediaAccreditationApplySerializer,
    MediaAccreditationSerializer,
    MediaAccreditationTransitionSerializer,
    MediaOutletSerializer,
)


class IsMediaEditorSide(IsVerifiedUser):
    """The CEC press service and media editors (others have no media rows to read: 403, not an empty list)."""

    roles = (Role.MEDIA_EDITOR,)

    def has_permission(self, request, view):
        return super().has_permission(request, view) and (request.user.is_cec or request.user.role in self.roles)


class IsMediaSide(IsMediaEditorSide):
    """The press service, media editors and journalists."""

    roles = (Role.MEDIA_EDITOR, Role.JOURNALIST)


class MediaOutletViewSet(ScopedReadOnlyViewSet):
    """Media outlets: the CEC press service sees all; an editor only their own outlets."""

    selector = selectors.outlets_for
    serializer_class = MediaOutletSerializer
    permission_classes = [IsMediaEditorSide]
    filterset_fields = ["kind", "is_active"]


class JournalistViewSet(ScopedReadOnlyViewSet):
    """Journalists: an editor sees their outlets' journalists; a journalist themself; the press service all."""

    selector = selectors.journalists_for
    serializer_class = JournalistSerializer
    permission_classes = [IsMediaSide]
    filterset_fields = ["outlet", "is_foreign"]


class MediaAccreditationViewSet(ScopedReadOnlyViewSet):
    """Media accreditations and their workflow transitions (apply, withdraw, decide, revoke)."""

    selector = selectors.accreditations_for
    serializer_class = MediaAccreditationSerializer
    permission_classes = [IsMediaSide]
    filterset_fields = ["election", "status", "scope", "journalist"]

    @extend_schema(request=MediaAccreditationApplySerializer, responses={201: MediaAccreditationSerializer})
    def create(self, request):
        """Apply for a journalist's accreditation (created and submitted at once, before the deadline)."""
        body = MediaAccreditationApplySerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        accreditation = services.accreditation_apply(actor=request.user, request=request, **body.validated_data)
        return Response(MediaAccreditationSerializer(accreditation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MediaAccreditationTransitionSerializer, responses=MediaAccreditationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        body = MediaAccreditationTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        accreditation = services.accreditation_transition(
            actor=request.user,
            accreditation=self.get_object(),
            name=body.validated_data["action"],
            reason=body.validated_data["reason"],
            request=request,
        )
        return Response(MediaAccreditationSerializer(accreditation).data)
