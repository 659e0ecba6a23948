"""Template filters of the results pages: translated labels for the codes a calculation sheet stores."""

from django import template
from django.utils.translation import gettext_lazy as _

from results import protocol as rules

register = template.Library()

OUTCOMES = {
    "elected": _("elected"),
    "repeat_vote": _("repeat vote"),
    "no_winner": _("no winner"),
    "invalid": _("election invalid (turnout below the threshold)"),
    "allocated": _("seats allocated"),
}
METHODS = {"hare": _("the Hare quota and largest remainders"), "dhondt": _("D'Hondt"), "sainte_lague": _("Sainte-Laguë")}


@register.filter
def outcome_label(code: str) -> str:
    return str(OUTCOMES.get(code, code))


@register.filter
def method_label(code: str) -> str:
    return str(METHODS.get(code, code))


@register.filter
def line_label(labels: dict, key: str) -> str:
    """The candidate's or party's name for a sheet key (``n12`` / ``p3``)."""
    return labels.get(rules.vote_line(key), key)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)
