"""Who a person is, checked the same way for observers and journalists (``core.models.PersonIdentity``).

A foreigner is identified by passport number and country (here); a citizen is an active voter whose PINFL,
surname and given name match the voter list, which the voter list checks (``voters.selectors.citizen_voter``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.errors import field_error
from core.text import name_error

COUNTRY = re.compile(r"^[A-Z]{2}$")
#: A foreign passport number: 5 to 20 Latin capitals and digits.
PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
#: A citizen's passport number as the voter list keeps it: two Latin capitals and 7 digits (AB1234567).
CITIZEN_PASSPORT_PATTERN = r"[A-Z]{2}\d{7}"
CITIZEN_PASSPORT = re.compile(CITIZEN_PASSPORT_PATTERN)


def is_citizen_passport(value: str, *, any_case: bool = False) -> bool:
    """Whether ``value`` is a citizen's passport number (upper-cased first where ``any_case``: a search)."""
    return CITIZEN_PASSPORT.fullmatch(value.upper() if any_case else value) is not None


def clean_passport(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def clean_country(value: str) -> str:
    return (value or "").strip().upper()


def country_code(value: str, *, field: str = "country", required: bool = True, home_allowed: bool = True) -> str:
    """A country as a two-letter ISO 3166 code, cleaned (``""`` when absent and not ``required``);
    ``ValidationError`` on ``field`` otherwise.  Only where ``home_allowed`` may it be UZ."""
    country = clean_country(value)
    if not country:
        if required:
            raise field_error(field, _("The country is required."), "country_required")
        return ""
    if home_allowed:
        if not COUNTRY.match(country):
            raise field_error(field, _("The country is a two-letter ISO 3166 code, e.g. KZ."), "country_invalid")
    elif not COUNTRY.match(country) or country == "UZ":
        raise field_error(field, _("The country is a two-letter ISO 3166 code other than UZ, e.g. KZ."), "country_invalid")
    return country


def foreign_names(surname: str, given_name: str, patronymic: str) -> None:
    """A foreigner's names (not checked against the voter list) follow the one name rule (``core.text``):
    ``ValidationError`` naming the first bad one."""
    for name_field, value, required in (
        ("surname", surname, True),
        ("given_name", given_name, True),
        ("patronymic", patronymic, False),
    ):
        problem = name_error(value, required)
        if problem is not None:
            raise field_error(name_field, problem[1], problem[0])


def foreign_passport(
    *,
    pinfl: str,
    passport_number: str,
    country: str,
    no_pinfl_message: str,
    passport_required_message: str,
    home_country_allowed: bool,
) -> tuple[str, str]:
    """A foreigner's (passport number, country), cleaned; ``ValidationError`` naming the field otherwise.

    The two messages name the role (observer, journalist).  Only where
    ``home_country_allowed`` may the country be UZ.
    """
    passport_number = clean_passport(passport_number)
    if (pinfl or "").strip():
        raise field_error("pinfl", no_pinfl_message, "pinfl_foreign")
    if not passport_number:
        raise field_error("passport_number", passport_required_message, "passport_required")
    if not PASSPORT.match(passport_number):
        raise field_error("passport_number", _("A passport number has 5 to 20 letters and digits."), "passport_invalid")
    return passport_number, country_code(country, home_allowed=home_country_allowed)
