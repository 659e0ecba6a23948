"""One FilterSet per model, shared by pages and API."""

import django_filters

from core.api.filters import IdFilterSet
from elections.models import Commission, District, Election, Mahalla, Precinct


class DistrictFilterSet(IdFilterSet):
    region = django_filters.NumberFilter(field_name="region_id")
    region_code = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = District
        fields = ["region", "region_code", "code", "kind"]


class MahallaFilterSet(IdFilterSet):
    district = django_filters.NumberFilter(field_name="district_id")

    class Meta:
        model = Mahalla
        fields = ["district", "code"]


class PrecinctFilterSet(IdFilterSet):
    district = django_filters.NumberFilter(field_name="district_id")
    region = django_filters.NumberFilter(field_name="district__region_id")
    abroad = django_filters.BooleanFilter(method="filter_abroad")

    class Meta:
        model = Precinct
        fields = ["district", "region", "number", "code", "abroad_country"]

    def filter_abroad(self, queryset, name, value):
        return queryset.exclude(abroad_country="") if value else queryset.filter(abroad_country="")


class ElectionFilterSet(IdFilterSet):
    class Meta:
        model = Election
        fields = ["kind", "is_active"]


class CommissionFilterSet(IdFilterSet):
    class Meta:
        model = Commission
        fields = ["level", "region", "district", "precinct"]
