"""Template filters of the shared workflow's pages (``core.workflow``) and the statuses every list shows."""

from django import template
from django.utils.html import format_html

from core.workflow import WARNING_STATES

register = template.Library()

#: Statuses shown in the warning style (the workflows' own, and a failed job or a voter off the list) and as
#: done (approved, finished), by code.
_WARNING = WARNING_STATES | {"failed", "deceased", "incapable", "excluded"}
_DONE = frozenset({"approved", "published", "certified", "done", "answered", "closed", "active", "sent", "dismissed"})


@register.filter
def state_label(obj, code: str) -> str:
    """The reader's name of state ``code`` of ``obj``'s workflow (a status history keeps the codes)."""
    if not code:
        return ""
    return str(dict(obj._meta.get_field("status").choices).get(code, code))


@register.filter
def status_tag(obj) -> str:
    """``obj``'s status as a tag: its name in the reader's language, its code in ``data-status-tag``."""
    code = getattr(obj, "status", "")
    tone = "warning" if code in _WARNING else "done" if code in _DONE else ""
    return format_html('<span class="tag {}" data-status-tag="{}">{}</span>', tone, code, obj.get_status_display())
