"""Tags of the shared components (``templates/components/``)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current address with ``page`` set to ``number`` (the other filters kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag
def page_numbers(page) -> list:
    """The page numbers to offer around ``page`` (the first, the last, two either side; "…" between)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
