"""Checking one registry row (docs/formats/voter-import.md): ``RowValidator`` is the one authority on what a
valid row is and on every error message; it turns a valid row into a staging line for PostgreSQL ``COPY``.
Pure Python; the set-based fast path (``voters.imports.fastpath``) accepts only rows it would accept.
"""

from __future__ import annotations

import operator
import re
from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.identity import CITIZEN_PASSPORT
from core.names import normalize_name, normalize_patronymic
from core.pinfl import PinflError, parse_pinfl
from core.tabular import registry_date
from core.text import NAME_PATTERN, TEXT_BAD_CHARS, name_error, text_error
from voters.imports.reader import COLUMNS

SEX = {"M": "M", "F": "F", "E": "M", "A": "F", "М": "M", "Ж": "F", "m": "M", "f": "F", "e": "M", "a": "F"}
STATUS = {"": "active", "active": "active", "deceased": "deceased", "incapable": "incapable", "excluded": "excluded"}
_PASSPORT = CITIZEN_PASSPORT
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DMY_DATE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")


# the name and text rules of core.text for three cells at once (the fast path of a valid row)
_NAMES3 = re.compile(rf"(?!\x1f){NAME_PATTERN}\x1f{NAME_PATTERN}\x1f(?:{NAME_PATTERN})?")
_TEXT1 = rf"(?![=+\-@])[^{TEXT_BAD_CHARS}]*"
_TEXT3 = re.compile(rf"{_TEXT1}\x1f{_TEXT1}\x1f{_TEXT1}")

#: The columns of a voter that a registry row sets, apart from its PINFL, in staging and merge order.
VOTER_DATA_COLUMNS = (
    "passport",
    "surname",
    "given_name",
    "patronymic",
    "surname_key",
    "given_key",
    "patronymic_key",
    "birth_date",
    "sex",
    "district_id",
    "mahalla_id",
    "street",
    "house",
    "flat",
    "status",
)


class RowValidator:
    """Checks rows and renders valid ones as tab-separated staging lines for COPY."""

    STAGE_COLUMNS = ("row_no", "pinfl", *VOTER_DATA_COLUMNS)

    def __init__(self, header: list[str], districts: dict[str, int], mahallas: dict[str, tuple[int, int]]):
        # Missing optional columns read the empty cell appended to every row (index -1).
        self.width = len(header)
        self.getter = operator.itemgetter(*[header.index(c) if c in header else -1 for c in COLUMNS])
        self.districts = districts
        self.mahallas = mahallas
        self.tomorrow = date.today() + timedelta(days=1)

    #: The one name and text rules (``core.text``), also used for officials' corrections.
    name_error = staticmethod(name_error)
    text_error = staticmethod(text_error)

    def check(self, row: list[str], row_no: int):
        """Return ``(line, None)`` for a valid row or ``(None, [(field, code, message, value), ...])``."""
        if len(row) != self.width:
            if not any(c.strip() for c in row):
                return None, []  # blank line: skipped silently
            return None, [("row", "columns", _("Expected %(n)s columns, found %(m)s.") % {"n": self.width, "m": len(row)}, "")]
        row.append("")
        (
            pinfl,
            surname,
            given,
            raw_date,
            raw_sex,
            district_code,
            patronymic,
            mahalla_code,
            street,
            house,
            flat,
            raw_status,
            passport,
        ) = map(str.strip, self.getter(row))
        # Fast path: every check at once; the detailed checks below run only for bad rows.
        try:
            info = parse_pinfl(pinfl, latest_birth=self.tomorrow)
            born = registry_date(raw_date)
        except PinflError:
            info = None
        if info is not None and born is not None:
            sex = SEX.get(raw_sex)
            district_id = self.districts.get(district_code)
            mahalla = self.mahallas.get(mahalla_code) if mahalla_code else (None, district_id)
            status = STATUS.get(raw_status) if raw_status.islower() or not raw_status else None
            if (
                info.birth_date == born
                and info.sex == sex
                and district_id is not None
                and mahalla is not None
                and mahalla[1] == district_id
                and status is not None
                and _NAMES3.fullmatch(f"{surname}\x1f{given}\x1f{patronymic}")
                and len(surname) <= 100
                and len(given) <= 100
                and len(patronymic) <= 100
                and _TEXT3.fullmatch(f"{street}\x1f{house}\x1f{flat}")
                and len(street) <= 150
                and len(house) <= 20
                and len(flat) <= 20
                and (not passport or _PASSPORT.fullmatch(passport))
            ):
                return "\t".join(
                    (
                        str(row_no),
                        pinfl,
                        passport,
                        surname,
                        given,
                        patronymic,
                        # keys cut to their column's length (a long Cyrillic name can spell longer in Latin)
                        normalize_name(surname)[:100],
                        normalize_name(given)[:100],
                        normalize_patronymic(patronymic)[:100] if patronymic else "",
                        born.isoformat(),
                        sex,
                        str(district_id),
                        str(mahalla[0]) if mahalla[0] else r"\N",
                        street,
                        house,
                        flat,
                        status,
                    )
                ), None
        return None, self._errors(
            pinfl,
            surname,
            given,
            patronymic,
            raw_date,
            raw_sex,
            district_code,
            mahalla_code,
            street,
            house,
            flat,
            raw_status,
            passport,
        )

    def _errors(
        self,
        pinfl,
        surname,
        given,
        patronymic,
        raw_date,
        raw_sex,
        district_code,
        mahalla_code,
        street,
        house,
        flat,
        raw_status,
        passport,
    ) -> list[tuple]:
        errors = []
        info = None
        try:
            info = parse_pinfl(pinfl, latest_birth=self.tomorrow)
        except PinflError as exc:
            errors.append(("pinfl", exc.code, str(exc.message), pinfl[:30]))
        born = registry_date(raw_date)
        if born is None:
            errors.append(
                (
                    "birth_date",
                    "invalid" if raw_date else "required",
                    _("Use YYYY-MM-DD or DD.MM.YYYY.") if raw_date else _("This field is required."),
                    raw_date[:30],
                )
            )
        if born is not None and born > self.tomorrow:
            errors.append(("birth_date", "future", _("The birth date is in the future."), raw_date))
            born = None
        sex = SEX.get(raw_sex)
        if sex is None:
            errors.append(("sex", "invalid", _("Use M or F."), raw_sex[:10]))
        if info is not None:
            if born is not None and info.birth_date != born:
                errors.append(
                    (
                        "pinfl",
                        "birth_date_mismatch",
                        _("The PINFL encodes the birth date %(date)s.") % {"date": info.birth_date},
                        pinfl,
                    )
                )
            if sex is not None and info.sex != sex:
                errors.append(("pinfl", "sex_mismatch", _("The PINFL encodes the other sex."), pinfl))
        for field, value, required in (
            ("surname", surname, True),
            ("given_name", given, True),
            ("patronymic", patronymic, False),
        ):
            problem = self.name_error(value, required)
            if problem:
                errors.append((field, problem[0], problem[1], value[:100]))
        district_id = self.districts.get(district_code)
        if district_id is None:
            errors.append(
                (
                    "district_code",
                    "unknown" if district_code else "required",
                    _("Unknown district code.") if district_code else _("This field is required."),
                    district_code[:20],
                )
            )
        if mahalla_code:
            found = self.mahallas.get(mahalla_code)
            if found is None:
                errors.append(("mahalla_code", "unknown", _("Unknown mahalla code."), mahalla_code[:20]))
            elif district_id is not None and found[1] != district_id:
                errors.append(("mahalla_code", "wrong_district", _("This mahalla is not in the given district."), mahalla_code))
        for field, value, limit in (("street", street, 150), ("house", house, 20), ("flat", flat, 20)):
            problem = self.text_error(value, limit)
            if problem:
                errors.append((field, problem[0], problem[1], value[:100]))
        if STATUS.get(raw_status.lower()) is None:
            errors.append(("status", "invalid", _("Use active, deceased, incapable or excluded."), raw_status[:20]))
        if passport and not _PASSPORT.fullmatch(passport.upper()):
            errors.append(("passport", "invalid", _("Two Latin letters and 7 digits, e.g. AB1234567."), passport[:20]))
        if not errors:  # e.g. upper-case status or passport: accepted spellings of valid values
            errors.append(("row", "invalid", _("The row could not be read."), ""))
        return errors
