"""PINFL (JShShIR), the 14-digit personal identification number: the ONE validator.

The rule below comes from public community code, not from an official text, so
it lives here and nowhere else; change it here if it turns out to be different.

Position (1-based) and meaning::

    1       century and sex: 1/2 born 1800-1899, 3/4 1900-1999, 5/6 2000-2099;
            odd = male, even = female
    2-7     birth date, DDMMYY
    8-10    area code (not 000)
    11-13   serial number (not 000)
    14      check digit: sum of digits 1-13 weighted 7, 3, 1, 7, 3, 1, ... modulo 10

A birth date in the future (beyond tomorrow, to allow for time zones) is
refused as an invalid birth date.  Values are validated as given: callers
strip surrounding white space first (or use :func:`clean_pinfl`).

Error codes (``PinflError.code`` and ``ValidationError.code``): ``length``,
``digits``, ``century``, ``birth_date``, ``area``, ``serial``, ``check_digit``,
and from the cross-checks of :func:`validate_pinfl`: ``birth_date_mismatch``,
``sex_mismatch``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "PINFL_LENGTH",
    "PinflError",
    "PinflInfo",
    "clean_pinfl",
    "django_validator",
    "make_pinfl",
    "parse_pinfl",
    "pinfl_check_digit",
    "validate_pinfl",
]

PINFL_LENGTH = 14
#: Weights of digits 1-13 for the check digit.
WEIGHTS = (7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7)
#: First digit -> first year of the century.
CENTURY_START = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
_FIRST_DIGIT_BASE = {1800: 1, 1900: 3, 2000: 5}
_ASCII_ZERO_SUM = ord("0") * sum(WEIGHTS)

MESSAGES = {
    "length": _("A PINFL has exactly 14 digits."),
    "digits": _("A PINFL consists of digits only."),
    "century": _("The first digit of a PINFL must be 1 to 6."),
    "birth_date": _("Digits 2 to 7 of the PINFL are not a valid birth date."),
    "area": _("The area code of the PINFL (digits 8 to 10) cannot be 000."),
    "serial": _("The serial number of the PINFL (digits 11 to 13) cannot be 000."),
    "check_digit": _("The check digit of the PINFL is wrong; please check the number."),
    "birth_date_mismatch": _("The PINFL does not match the birth date."),
    "sex_mismatch": _("The PINFL does not match the sex."),
}


class PinflError(ValueError):
    """An invalid PINFL; ``code`` says why, ``message`` is the (lazy) translated text."""

    def __init__(self, code: str, message=None):
        super().__init__(code)
        self.code = code
        self.message = MESSAGES.get(code, code) if message is None else message

    def __str__(self) -> str:
        try:
            return str(self.message)
        except Exception:  # translations need configured settings; scripts may run without them
            return self.code


@dataclass(frozen=True, slots=True)
class PinflInfo:
    """What a valid PINFL says about its holder."""

    birth_date: date
    sex: str  # "M" or "F"
    area: str  # 3 digits
    serial: str  # 3 digits


def _weighted_sum(first13: str) -> int:
    b = first13.encode("ascii")
    return (
        7 * (b[0] + b[3] + b[6] + b[9] + b[12])
        + 3 * (b[1] + b[4] + b[7] + b[10])
        + (b[2] + b[5] + b[8] + b[11])
        - _ASCII_ZERO_SUM
    )


def pinfl_check_digit(first13: str) -> int:
    """The check digit (0-9) for the first 13 digits of a PINFL."""
    if not (first13.isascii() and first13.isdigit()):
        raise PinflError("digits")
    if len(first13) != PINFL_LENGTH - 1:
        raise PinflError("length")
    return _weighted_sum(first13) % 10


@lru_cache(maxsize=1 << 16)
def _birth_date(first: str, ddmmyy: str) -> date | None:
    try:
        return date(CENTURY_START[first] + int(ddmmyy[4:6]), int(ddmmyy[2:4]), int(ddmmyy[0:2]))
    except ValueError:
        return None


def parse_pinfl(value: str, *, latest_birth: date | None = None) -> PinflInfo:
    """Validate a PINFL and return what it encodes; raise :class:`PinflError` if it is invalid.

    ``latest_birth`` (default: tomorrow) lets bulk callers compute "today" once.
    """
    if not isinstance(value, str):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        else:
            raise PinflError("digits")
    if not (value.isascii() and value.isdigit()) and value:
        raise PinflError("digits")
    if len(value) != PINFL_LENGTH:
        raise PinflError("length")
    first = value[0]
    if first not in CENTURY_START:
        raise PinflError("century")
    born = _birth_date(first, value[1:7])
    if born is None or born > (latest_birth or date.today() + timedelta(days=1)):
        raise PinflError("birth_date")
    area = value[7:10]
    if area == "000":
        raise PinflError("area")
    serial = value[10:13]
    if serial == "000":
        raise PinflError("serial")
    if _weighted_sum(value[:13]) % 10 != ord(value[13]) - 48:
        raise PinflError("check_digit")
    return PinflInfo(born, "M" if ord(first) % 2 else "F", area, serial)


def _sex_code(sex) -> str:
    s = str(sex).strip().upper()[:1]
    if s not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    return s


def validate_pinfl(value: str, *, birth_date: date | None = None, sex: str | None = None) -> PinflInfo:
    """:func:`parse_pinfl`, plus a cross-check against the birth date and sex on record (when given)."""
    info = parse_pinfl(value)
    if birth_date is not None:
        if isinstance(birth_date, datetime):
            birth_date = birth_date.date()
        if info.birth_date != birth_date:
            raise PinflError("birth_date_mismatch")
    if sex is not None and info.sex != _sex_code(sex):
        raise PinflError("sex_mismatch")
    return info


def clean_pinfl(value) -> str:
    """Strip surrounding white space, validate, and return the 14-digit string (for imports and forms)."""
    text = str(value).strip() if value is not None else ""
    parse_pinfl(text)
    return text


def make_pinfl(birth_date: date, sex: str, area: int, serial: int) -> str:
    """Build a valid PINFL (for data generators and tests)."""
    if isinstance(birth_date, datetime):
        birth_date = birth_date.date()
    base = _FIRST_DIGIT_BASE.get(birth_date.year // 100 * 100)
    if base is None:
        raise ValueError(f"a PINFL birth year must be 1800-2099, not {birth_date.year}")
    if not 1 <= area <= 999:
        raise ValueError(f"area must be 1-999, not {area}")
    if not 1 <= serial <= 999:
        raise ValueError(f"serial must be 1-999, not {serial}")
    first = base + (0 if _sex_code(sex) == "M" else 1)
    first13 = f"{first}{birth_date.day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{area:03d}{serial:03d}"
    return first13 + str(_weighted_sum(first13) % 10)


def django_validator(value) -> None:
    """Validator for model and form fields: raises ``ValidationError`` with the PINFL error's code."""
    try:
        parse_pinfl(value)
    except PinflError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
