from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.scope import scope_for
from core.api.permissions import is_verified_request


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField()
    is_official = serializers.BooleanField()
    scope = serializers.DictField()


class MeView(APIView):
    """The signed-in user, their role and the area they may see."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        scope = scope_for(request.user)
        return Response(
            MeSerializer(
                {
                    "id": request.user.pk,
                    "username": request.user.get_username(),
                    "role": request.user.role,
                    "is_official": request.user.is_official,
                    "scope": {
                        "everything": scope.everything,
                        "regions": sorted(scope.region_ids),
                        "districts": sorted(scope.district_ids),
                        "precincts": sorted(scope.precinct_ids),
                    },
                }
            ).data
        )


class TokenView(APIView):
    """Issue a new API token (replacing the old one) to a session that passed 2FA."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("Token", {"token": serializers.CharField()}))
    def post(self, request):
        if not is_verified_request(request):
            raise PermissionDenied("two_factor_required")
        token = services.api_token_issue(user=request.user, request=request)
        return Response({"token": token.key}, status=201)
