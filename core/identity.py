"""Who a person is, checked the same way for observers and journalists (``core.models.PersonIdentity``).

A citizen is an active voter whose PINFL, surname and given name match the voter
list (in either script), with one message for every miss so that nothing about the
person leaks; a foreigner is identified by passport number and country.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.pinfl import PinflError, parse_pinfl

COUNTRY = re.compile(r"^[A-Z]{2}$")
PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


def _error(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


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
            raise _error(field, _("The country is required."), "country_required")
        return ""
    if home_allowed:
        if not COUNTRY.match(country):
            raise _error(field, _("The country is a two-letter ISO 3166 code, e.g. KZ."), "country_invalid")
    elif not COUNTRY.match(country) or country == "UZ":
        raise _error(field, _("The country is a two-letter ISO 3166 code other than UZ, e.g. KZ."), "country_invalid")
    return country


def foreign_names(surname: str, given_name: str, patronymic: str) -> None:
    """A foreigner's names (not checked against the voter list) follow the voter import's name rule
    (``voters.importing.RowValidator``): ``ValidationError`` naming the first bad one."""
    from voters.importing import RowValidator

    for name_field, value, required in (("surname", surname, True), ("given_name", given_name, True),
                                        ("patronymic", patronymic, False)):
        problem = RowValidator.name_error(value, required)
        if problem is not None:
            raise _error(name_field, problem[1], problem[0])


def citizen_voter(*, pinfl: str, passport_number: str, country: str, surname: str, given_name: str,
                  voters: dict | None = None):
    """The active voter a citizen is; ``ValidationError`` naming the field otherwise.

    ``voters`` (PINFL -> voter, ``voters.selectors.voters_by_pinfl``) lets a bulk check
    look every row up in one query.
    """
    from voters.models import VoterStatus
    from voters.selectors import voter_by_identity

    if clean_passport(passport_number) or clean_country(country):
        raise _error("passport_number", _("A citizen is identified by PINFL, not by passport and country."),
                     "passport_citizen")
    pinfl = (pinfl or "").strip()
    try:  # the one PINFL rule (form, check digit): says nothing about the person, only about the number
        parse_pinfl(pinfl)
    except PinflError as exc:
        raise _error("pinfl", exc.message, "pinfl_invalid") from exc
    voter = voter_by_identity(pinfl, surname, given_name, voters=voters)
    if voter is None or voter.status != VoterStatus.ACTIVE:
        # one answer whether the PINFL is unknown, the name differs or the voter is not active (deceased,
        # incapable by a court's decision, excluded): whoever knows a PINFL and a name learns nothing more
        raise _error("pinfl", _("No active voter with this PINFL and name is on the voter list."),
                     "not_in_voter_list")
    return voter


def foreign_passport(*, pinfl: str, passport_number: str, country: str, no_pinfl_message: str,
                     passport_required_message: str, home_country_allowed: bool) -> tuple[str, str]:
    """A foreigner's (passport number, country), cleaned; ``ValidationError`` naming the field otherwise.

    The two messages name the role (observer, journalist).  Only where
    ``home_country_allowed`` may the country be UZ.
    """
    passport_number = clean_passport(passport_number)
    if (pinfl or "").strip():
        raise _error("pinfl", no_pinfl_message, "pinfl_foreign")
    if not passport_number:
        raise _error("passport_number", passport_required_message, "passport_required")
    if not PASSPORT.match(passport_number):
        raise _error("passport_number", _("A passport number has 5 to 20 letters and digits."), "passport_invalid")
    return passport_number, country_code(country, home_allowed=home_country_allowed)
