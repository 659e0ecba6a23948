from core.api.permissions import IsOfficial, IsVerifiedUser
from core.api.viewsets import ScopedReadOnlyViewSet
from elections import filtersets, selectors
from elections.api import serializers


class RegionViewSet(ScopedReadOnlyViewSet):
    selector = selectors.scoped_regions
    serializer_class = serializers.RegionSerializer
    permission_classes = [IsOfficial]
    filterset_fields = ["code"]


class DistrictViewSet(ScopedReadOnlyViewSet):
    selector = selectors.scoped_districts
    serializer_class = serializers.DistrictSerializer
    permission_classes = [IsOfficial]
    filterset_class = filtersets.DistrictFilterSet


class MahallaViewSet(ScopedReadOnlyViewSet):
    selector = selectors.scoped_mahallas
    serializer_class = serializers.MahallaSerializer
    permission_classes = [IsOfficial]
    filterset_class = filtersets.MahallaFilterSet


class PrecinctViewSet(ScopedReadOnlyViewSet):
    selector = selectors.scoped_precincts
    serializer_class = serializers.PrecinctSerializer
    permission_classes = [IsOfficial]
    filterset_class = filtersets.PrecinctFilterSet


class ElectionViewSet(ScopedReadOnlyViewSet):
    selector = selectors.elections_visible
    serializer_class = serializers.ElectionSerializer
    permission_classes = [IsVerifiedUser]
    filterset_class = filtersets.ElectionFilterSet


class CommissionViewSet(ScopedReadOnlyViewSet):
    selector = selectors.scoped_commissions
    serializer_class = serializers.CommissionSerializer
    permission_classes = [IsOfficial]
    filterset_class = filtersets.CommissionFilterSet
