"""Form fields of the geography that other apps' forms share."""

from django.utils.translation import gettext_lazy as _

from core.forms import GroupedModelChoiceField
from elections.models import District


def districts_by_region(districts=None):
    """``districts`` (every district by default) in the order of the grouped choice: region by region (by
    code), then by code."""
    return (District.objects.all() if districts is None else districts).select_related("region").order_by("region__code", "code")


class DistrictField(GroupedModelChoiceField):
    """A district chosen among about 200: grouped by region, each name in the reader's language."""

    def __init__(self, *, label=None, queryset=None, **kwargs):
        super().__init__(
            queryset=districts_by_region() if queryset is None else queryset,
            group_by=lambda district: district.region,
            label=_("District") if label is None else label,
            **kwargs,
        )
