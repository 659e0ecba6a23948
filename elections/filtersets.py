"""One FilterSet per model, shared by pages and API."""

import django_filters

from elections.models import Commission, District, Election, Mahalla, Precinct


class DistrictFilterSet(django_filters.FilterSet):
    region = django_filters.NumberFilter(field_name="region_id")
    region_code = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = District
        fields = ["region", "region_code", "code", "kind"]


class MahallaFilterSet(django_filters.FilterSet):
    district = django_filters.NumberFilter(field_name="district_id")

    class Meta:
        model = Mahalla
        fields = ["district", "code"]


class PrecinctFilterSet(django_filters.FilterSet):
    district = django_filters.NumberFilter(field_name="district_id")
    region = django_filters.NumberFilter(field_name="district__region_id")
    abroad = django_filters.BooleanFilter(method="filter_abroad")

    class Meta:
        model = Precinct
        fields = ["district", "region", "number", "code", "abroad_country"]

    def filter_abroad(self, queryset, name, value):
        return queryset.exclude(abroad_country="") if value else queryset.filter(abroad_country="")


class ElectionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Election
        fields = ["kind", "is_active"]


class CommissionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Commission
        fields = ["level", "region", "district", "precinct"]
