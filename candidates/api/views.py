from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from candidates import selectors, services
from candidates.api.serializers import (
    NominationDetailSerializer,
    NominationTransitionSerializer,
    ObjectionCreateSerializer,
    ObjectionSerializer,
    ObjectionTransitionSerializer,
    PartySerializer,
    SignatureResultSerializer,
    SignatureUploadCreateSerializer,
    SignatureUploadSerializer,
)
from candidates.reports import report_response
from candidates.signatures import signatures_upload
from core.api.permissions import IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet
from elections.selectors import get_scoped


class PartyViewSet(ScopedReadOnlyViewSet):
    """Parties: CEC staff see all; a representative sees only their own party."""

    selector = selectors.parties_for
    serializer_class = PartySerializer
    permission_classes = [IsVerifiedUser]


class NominationViewSet(ScopedReadOnlyViewSet):
    """Nominations: a representative sees their party's; officials those in their area; CEC all."""

    selector = selectors.nominations_for
    serializer_class = NominationDetailSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["election", "party", "status", "constituency"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("decisions__commission", "decisions__decided_by")

    @extend_schema(request=NominationTransitionSerializer, responses=NominationDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        body = NominationTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.nomination_transition(
            actor=request.user,
            nomination=self.get_object(),
            name=body.validated_data["action"],
            reason=body.validated_data["reason"],
            request=request,
        )
        return Response(NominationDetailSerializer(self.get_queryset().get(pk=pk)).data)


class SignatureUploadViewSet(ScopedReadOnlyViewSet):
    """Signature uploads of the nominations the caller may see: upload, progress, result and reports."""

    selector = selectors.signature_uploads_for
    serializer_class = SignatureUploadSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["nomination", "status"]

    @extend_schema(request={"multipart/form-data": SignatureUploadCreateSerializer}, responses={201: SignatureUploadSerializer})
    def create(self, request):
        body = SignatureUploadCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        nomination = get_scoped(selectors.nominations_for(request.user), pk=body.validated_data["nomination"])
        upload = signatures_upload(
            actor=request.user,
            nomination=nomination,
            request=request,
            uploaded_file=body.validated_data["file"],
            scans=body.validated_data.get("scans"),
        )
        return Response(SignatureUploadSerializer(upload).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: SignatureResultSerializer, 409: OpenApiResponse(description="not finished")})
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        upload = self.get_object()
        if upload.status != "done":
            return Response(
                {"status": 409, "code": "not_finished", "detail": upload.get_status_display()}, status=status.HTTP_409_CONFLICT
            )
        return Response(SignatureResultSerializer(upload.result).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="report.csv")
    def report_csv(self, request, pk=None):
        return report_response(self.get_object(), "csv")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="report.pdf")
    def report_pdf(self, request, pk=None):
        return report_response(self.get_object(), "pdf")


class ObjectionViewSet(ScopedReadOnlyViewSet):
    """Objections on the nominations the caller may see, and those the caller filed; filing and deciding."""

    selector = selectors.objections_for
    serializer_class = ObjectionSerializer
    permission_classes = [IsVerifiedUser]
    filterset_fields = ["nomination", "status"]

    @extend_schema(request={"multipart/form-data": ObjectionCreateSerializer}, responses={201: ObjectionSerializer})
    def create(self, request):
        body = ObjectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        nomination = get_scoped(selectors.objectable_nominations(request.user), pk=body.validated_data["nomination"])
        objection = services.objection_file(
            actor=request.user,
            nomination=nomination,
            request=request,
            text=body.validated_data["text"],
            evidence=body.validated_data.get("evidence"),
        )
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectionTransitionSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        body = ObjectionTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.objection_transition(
            actor=request.user,
            objection=self.get_object(),
            name=body.validated_data["action"],
            reason=body.validated_data["reason"],
            request=request,
        )
        return Response(ObjectionSerializer(objection).data)
