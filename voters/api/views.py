import json
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import ratelimit
from core.api.permissions import IsCEC, IsOfficial
from core.api.viewsets import ScopedReadOnlyViewSet
from core.identity import is_citizen_passport
from elections.models import Election, Precinct
from voters import selectors, services
from voters.api import serializers as s


class VoterViewSet(ScopedReadOnlyViewSet):
    """The voter list, narrowed to the caller's area."""

    selector = selectors.scoped_voters
    serializer_class = s.VoterSerializer
    permission_classes = [IsOfficial]
    filterset_fields = ["pinfl", "passport", "birth_date", "precinct", "status", "district"]

    def get_queryset(self):
        qs = super().get_queryset().order_by("id")
        q = self.request.query_params.get("q")
        if q:
            qs = selectors.voter_search(self.request.user, q=q)
        return qs

    def retrieve(self, request, *args, **kwargs):
        voter = self.get_object()
        services.voter_view_record(actor=request.user, voter=voter, request=request)
        return Response(self.get_serializer(voter).data)

    @extend_schema(responses=s.VoterChangeSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])  # a plain list (up to 500), as documented
    def history(self, request, pk=None):
        voter = self.get_object()
        return Response(s.VoterChangeSerializer(selectors.voter_history(voter)[:500], many=True).data)


class ImportViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Registry imports (CEC staff): start one, follow its progress, read its error report."""

    selector = selectors.import_jobs
    serializer_class = s.ImportJobSerializer
    permission_classes = [IsCEC]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=s.ImportUploadSerializer, responses={201: s.ImportJobSerializer})
    def create(self, request, *args, **kwargs):
        upload = s.ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        if not request.user.is_cec:
            raise PermissionDenied()
        job = services.voter_import_start(
            actor=request.user,
            uploaded_file=upload.validated_data["file"],
            encoding=upload.validated_data["encoding"],
            request=request,
        )
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ImportRowErrorSerializer(many=True))
    @action(detail=True)
    def errors(self, request, pk=None):
        job = self.get_object()
        page = self.paginate_queryset(job.errors.order_by("row", "id"))
        return self.get_paginated_response(s.ImportRowErrorSerializer(page, many=True).data)


class DuplicateViewSet(ScopedReadOnlyViewSet):
    selector = selectors.duplicates_open
    serializer_class = s.DuplicateSerializer
    permission_classes = [IsOfficial]

    @extend_schema(request=s.DuplicateConfirmSerializer, responses=s.DuplicateSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        candidate = self.get_object()
        body = s.DuplicateConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        keep = candidate.voter_a if body.validated_data["keep"] == candidate.voter_a_id else candidate.voter_b
        if body.validated_data["keep"] not in (candidate.voter_a_id, candidate.voter_b_id):
            raise ValidationError({"keep": _("Keep one of the two records.")})
        return Response(
            s.DuplicateSerializer(
                services.duplicate_confirm(
                    actor=request.user,
                    candidate=candidate,
                    keep=keep,
                    reason=body.validated_data.get("reason", ""),
                    request=request,
                )
            ).data
        )

    @extend_schema(request=s.DuplicateRejectSerializer, responses=s.DuplicateSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        candidate = self.get_object()
        body = s.DuplicateRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")
        return Response(
            s.DuplicateSerializer(
                services.duplicate_reject(actor=request.user, candidate=candidate, reason=reason, request=request)
            ).data
        )


class LocationRequestViewSet(ScopedReadOnlyViewSet):
    selector = selectors.location_requests_for
    serializer_class = s.LocationRequestSerializer
    permission_classes = [IsOfficial]
    filterset_fields = ["status", "election", "precinct"]

    @extend_schema(request=s.DecisionSerializer, responses=s.LocationRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        req = services.location_request_decide(
            actor=request.user,
            req=self.get_object(),
            request=request,
            approve=body.validated_data["decision"] == "approve",
            reason=body.validated_data["reason"],
        )
        return Response(s.LocationRequestSerializer(req).data)


_PINFL = re.compile(r"\d{14}")


def _check_limits(request):
    if not (
        ratelimit.hit("lookup", ratelimit.client_ip(request), settings.PUBLIC_LOOKUP_RATE_PER_CLIENT)
        and ratelimit.hit("lookup", "all", settings.PUBLIC_LOOKUP_RATE_TOTAL)
    ):
        raise Throttled()


def _json_body(request) -> dict:
    """A JSON object body read as it is; any other body (a form, bad JSON) through DRF's parsers and errors.

    DRF's parser negotiation costs more per request than everything else the lookup does in Python.
    """
    if request.content_type.split(";")[0].strip() == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return data
    return request.data


class PublicLookupView(APIView):
    """Check a registration: the polling station only; a miss and a wrong birth date look the same."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []  # limited per client and overall by core.ratelimit (lifted for benchmarks)

    @extend_schema(request=s.PublicLookupSerializer, responses=s.PublicLookupResultSerializer)
    def post(self, request):
        _check_limits(request)
        data = _json_body(request)
        try:  # the common, well-formed request skips the serializer (this endpoint takes the public's load)
            pinfl, passport = str(data.get("pinfl") or ""), str(data.get("passport") or "")
            born = date.fromisoformat(str(data.get("birth_date") or ""))
            if not ((_PINFL.fullmatch(pinfl) and not passport) or (is_citizen_passport(passport, any_case=True) and not pinfl)):
                raise ValueError
        except (ValueError, AttributeError):
            body = s.PublicLookupSerializer(data=data)
            body.is_valid(raise_exception=True)
            pinfl, passport = body.validated_data.get("pinfl", ""), body.validated_data.get("passport", "")
            born = body.validated_data["birth_date"]
        precinct = selectors.public_lookup(
            pinfl=pinfl, passport=passport, birth_date=born, election=selectors.active_election_id()
        )
        if precinct is None:
            return Response({"found": False})
        return Response(
            {
                "found": True,
                "precinct_number": precinct.number,
                "district": precinct.district_name,
                "address": precinct.address,
                "phone": precinct.phone,
            }
        )


class PublicLocationRequestView(APIView):
    """Ask to vote at another precinct for one election; answers the tracking code."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []  # limited per client and overall by core.ratelimit (lifted for benchmarks)

    @extend_schema(request=s.PublicRequestSerializer, responses={201: s.PublicRequestReceiptSerializer})
    def post(self, request):
        _check_limits(request)
        body = s.PublicRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        req = services.location_request_submit(
            pinfl=data["pinfl"],
            birth_date=data["birth_date"],
            election=get_object_or_404(Election, pk=data["election"]),  # the service refuses an inactive one
            precinct=get_object_or_404(Precinct, pk=data["precinct"]),
            reason=data["reason"],
            contact=data["contact"],
            request=request,
        )
        return Response(s.PublicRequestReceiptSerializer(req).data, status=201)


class PingView(APIView):
    """A minimal JSON view: the baseline of the lookup benchmark."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []  # limited per client and overall by core.ratelimit (lifted for benchmarks)

    @extend_schema(request=None, responses={200: dict})
    def get(self, request):
        return Response({"ok": True})
