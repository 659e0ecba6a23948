"""The results API: thin views over ``results.services`` and ``results.selectors``."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import IsOfficial
from core.api.viewsets import ScopedReadOnlyViewSet
from elections.models import Election
from elections.selectors import constituency_of, covered_precinct, get_scoped
from results import public, selectors, services
from results.api import serializers as s
from results.printing import protocol_pdf


def _precinct(request, pk):
    """The precinct named in a request, in the caller's area (404 otherwise: nothing learnt)."""
    return covered_precinct(request.user, pk)


class TurnoutViewSet(ScopedReadOnlyViewSet):
    """Turnout reports of the caller's area; the precinct commission enters them, the CEC publishes a time."""

    selector = selectors.turnout_reports_for
    serializer_class = s.TurnoutReportSerializer
    permission_classes = [IsOfficial]
    filterset_fields = ["election", "precinct", "at"]

    @extend_schema(request=s.TurnoutEnterSerializer, responses={201: s.TurnoutReportSerializer})
    def create(self, request):
        body = s.TurnoutEnterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = services.turnout_report_enter(
            actor=request.user,
            election=get_scoped(Election.objects.all(), pk=data["election"]),
            precinct=_precinct(request, data["precinct"]),
            at=data["at"],
            voted_station=data["voted_station"],
            voted_early=data["voted_early"],
            voted_home=data["voted_home"],
            reason=data["reason"],
            request=request,
        )
        return Response(s.TurnoutReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TurnoutPublishSerializer, responses={200: s.TurnoutPublishSerializer})
    @action(detail=False, methods=["post"])
    def publish(self, request):
        body = s.TurnoutPublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        election = get_scoped(Election.objects.all(), pk=body.validated_data["election"])
        services.turnout_publish(actor=request.user, election=election, at=body.validated_data["at"], request=request)
        return Response(body.data)


class ProtocolEntryView(APIView):
    """A member's blind entry of the precinct protocol: waiting, matched (the protocol) or the lines that differ."""

    permission_classes = [IsOfficial]

    @extend_schema(request=s.ProtocolEntrySerializer, responses={201: s.EntryResultSerializer})
    def post(self, request):
        body = s.ProtocolEntrySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        precinct = _precinct(request, data["precinct"])
        constituency = constituency_of(data["constituency"])
        result = services.protocol_entry_submit(
            actor=request.user, constituency=constituency, precinct=precinct, figures=data["figures"], request=request
        )
        out = {
            "outcome": result.outcome,
            "protocol": result.protocol.pk if result.protocol else None,
            "mismatched": result.mismatched,
        }
        return Response(s.EntryResultSerializer(out).data, status=status.HTTP_201_CREATED)


class ProtocolViewSet(ScopedReadOnlyViewSet):
    """Protocols of the caller's area with their current version; verify, certify, publish, correct."""

    selector = selectors.protocols_for
    serializer_class = s.ProtocolSerializer
    permission_classes = [IsOfficial]
    filterset_fields = ["election", "constituency", "precinct", "status"]

    def _transition(self, request, name):
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        protocol = services.protocol_transition(
            actor=request.user, protocol=self.get_object(), name=name, reason=body.validated_data["reason"], request=request
        )
        return Response(s.ProtocolSerializer(selectors.protocols_for(request.user).get(pk=protocol.pk)).data)

    @extend_schema(request=s.TransitionSerializer, responses=s.ProtocolSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._transition(request, "verify")

    @extend_schema(request=s.TransitionSerializer, responses=s.ProtocolSerializer)
    @action(detail=True, methods=["post"])
    def certify(self, request, pk=None):
        return self._transition(request, "certify")

    @extend_schema(request=s.TransitionSerializer, responses=s.ProtocolSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, "publish")

    @extend_schema(request=s.CorrectionOpenSerializer, responses={201: s.CorrectionSerializer})
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        protocol = self.get_object()  # out of the caller's area: 404 before anything else
        body = s.CorrectionOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        correction = services.protocol_correction_open(
            actor=request.user,
            protocol=protocol,
            figures=data["figures"],
            reason=data["reason"],
            recount=data["recount"],
            request=request,
        )
        return Response(s.CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        protocol = self.get_object()
        response = HttpResponse(protocol_pdf(protocol.current), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="protocol-{protocol.pk}-v{protocol.current.number}.pdf"'
        return response


class CorrectionViewSet(ScopedReadOnlyViewSet):
    """Corrections of protocols in the caller's area; a commission above the precinct approves one."""

    selector = selectors.corrections_for
    serializer_class = s.CorrectionSerializer
    permission_classes = [IsOfficial]
    filterset_fields = ["protocol"]

    @extend_schema(request=None, responses=s.ProtocolVersionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        version = services.protocol_correction_approve(actor=request.user, correction=self.get_object(), request=request)
        return Response(s.ProtocolVersionSerializer(version).data)


class PublicResultsView(APIView):
    """Published results of an election: each contest's summary of published protocols and the published
    turnout; nothing unpublished."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: dict})
    def get(self, request, election_id: int):
        election = get_scoped(Election.objects.all(), pk=election_id)
        return Response(public.cached(election.pk, "summary", lambda: selectors.public_results(election)))
