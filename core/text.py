"""The rules for text people type or files carry: names, addresses and other plain text.

One place for every app: the registry import and officials' corrections (voters), signature rows
(candidates), foreigners' names (observers, media).  Each rule answers ``(code, message)`` of what is
wrong, or None; ``PlainTextValidator`` is the address rule as a model-field validator, so ``full_clean``
applies it to what officials write (a status reason, an answer).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: A name: letters, with spaces, hyphens, apostrophes (every spelling of the Uzbek oʻ/gʻ) and periods between.
NAME_PATTERN = r"[^\W\d_]+(?:[ \-'ʻʼ`‘’.]+[^\W\d_]*)*\.?"
NAME = re.compile(NAME_PATTERN)
#: What plain text may not hold: control characters, backslashes and the brackets of markup.
TEXT_BAD_CHARS = r"<>\x00-\x1f\x7f\\"
TEXT_BAD = re.compile(f"[{TEXT_BAD_CHARS}]")
#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")
#: Longest name part the voter list keeps.
NAME_MAX = 100


def name_error(value: str, required: bool) -> tuple[str, str] | None:
    """The one name rule: ``(code, message)`` of what is wrong with ``value``, or None."""
    if not value:
        return ("required", _("This field is required.")) if required else None
    if value[0] in FORMULA_PREFIXES:
        return "formula", _("Values may not start with = + - @ (spreadsheet formulas).")
    if len(value) > NAME_MAX:
        return "too_long", _("At most 100 characters.")
    if not NAME.fullmatch(value):
        return "invalid_characters", _("Only letters, spaces, hyphens, apostrophes and periods are allowed.")
    return None


def is_name(value: str, required: bool = True) -> bool:
    return name_error(value, required) is None


def text_error(value: str, limit: int) -> tuple[str, str] | None:
    """The one plain-text rule (addresses, reasons): ``(code, message)`` of what is wrong with ``value``, or None."""
    if value and value[0] in FORMULA_PREFIXES:
        return "formula", _("Values may not start with = + - @ (spreadsheet formulas).")
    if len(value) > limit:
        return "too_long", _("At most %(n)s characters.") % {"n": limit}
    if TEXT_BAD.search(value):
        return "invalid_characters", _("Control characters, backslashes and < > are not allowed.")
    return None


def formula_value(row: list[str]) -> str | None:
    """The first cell of ``row`` that a spreadsheet would run as a formula (= + - @), or None."""
    for value in row:
        if value and value.lstrip()[:1] in FORMULA_PREFIXES:
            return value
    return None


def clean_reason(value: str, *, limit: int, field: str = "reason") -> str:
    """A decision's reason as an official typed it: stripped, line breaks allowed, otherwise ``text_error``'s
    rule; ``ValidationError`` on ``field`` when it breaks it."""
    reason = (value or "").strip()
    problem = text_error(reason.replace("\r\n", " ").replace("\n", " "), limit)
    if problem:
        raise ValidationError({field: ValidationError(problem[1], code=problem[0])})
    return reason


@deconstructible
class PlainTextValidator:
    """``text_error`` as a model-field validator (the length is the field's own ``max_length``).

    Line breaks are allowed where ``multiline`` (an answer, a description); never other control characters.
    """

    message = gettext_lazy("Control characters, backslashes and < > are not allowed.")

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        text = str(value or "")
        if self.multiline:
            text = text.replace("\r\n", " ").replace("\n", " ")
        problem = text_error(text, len(text))
        if problem is not None:
            raise ValidationError(problem[1], code=problem[0])

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline
