"""Template filters of the shared workflow's pages (``core.workflow``)."""

from django import template

register = template.Library()


@register.filter
def state_label(obj, code: str) -> str:
    """The reader's name of state ``code`` of ``obj``'s workflow (a status history keeps the codes)."""
    if not code:
        return ""
    return str(dict(obj._meta.get_field("status").choices).get(code, code))
