"""Reading and checking registry files (docs/formats/voter-import.md).

``open_registry_file`` detects the format, encoding and delimiter and yields raw
rows; ``RowValidator`` checks one row and turns it into a staging line for
PostgreSQL ``COPY``.  Both are pure Python: the pipeline that uses them (stage,
merge) lives in ``voters.services``.
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from core.identity import CITIZEN_PASSPORT
from core.names import normalize_name, normalize_patronymic
from core.pinfl import PinflError, parse_pinfl
from core.text import NAME_PATTERN, TEXT_BAD_CHARS, name_error, text_error

REQUIRED = ("pinfl", "surname", "given_name", "birth_date", "sex", "district_code")
OPTIONAL = ("patronymic", "mahalla_code", "street", "house", "flat", "status", "passport")
COLUMNS = REQUIRED + OPTIONAL

SEX = {"M": "M", "F": "F", "E": "M", "A": "F", "М": "M", "Ж": "F", "m": "M", "f": "F", "e": "M", "a": "F"}
STATUS = {"": "active", "active": "active", "deceased": "deceased", "incapable": "incapable",
          "excluded": "excluded"}
_PASSPORT = CITIZEN_PASSPORT
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DMY_DATE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")


def registry_date(raw: str) -> date | None:
    """A date as registry and signature files write it, YYYY-MM-DD or DD.MM.YYYY, or None.

    Nothing else: ``date.fromisoformat`` alone would also take ISO week dates (2004-W01-1)
    and compact forms, which PostgreSQL and the SQL checks do not.
    """
    try:
        if _ISO_DATE.fullmatch(raw):
            return date(int(raw[:4]), int(raw[5:7]), int(raw[8:]))
        if _DMY_DATE.fullmatch(raw):
            return date(int(raw[6:]), int(raw[3:5]), int(raw[:2]))
    except ValueError:  # no such day
        return None
    return None
# the name and text rules of core.text for three cells at once (the fast path of a valid row)
_NAMES3 = re.compile(rf"(?!\x1f){NAME_PATTERN}\x1f{NAME_PATTERN}\x1f(?:{NAME_PATTERN})?")
_TEXT1 = rf"(?![=+\-@])[^{TEXT_BAD_CHARS}]*"
_TEXT3 = re.compile(rf"{_TEXT1}\x1f{_TEXT1}\x1f{_TEXT1}")


@dataclass(frozen=True)
class ColumnLayout:
    """The columns a file kind may have (in the order the error message lists them) and those it must have."""

    columns: tuple[str, ...]
    required: tuple[str, ...]


#: The voter registry layout (docs/formats/voter-import.md); other readers pass their own.
REGISTRY_LAYOUT = ColumnLayout(COLUMNS, REQUIRED)


class FileRejected(Exception):
    """The whole file is refused (wrong header, encoding, empty ...); nothing is changed."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class RegistryFile:
    kind: str  # "csv" or "xlsx"
    encoding: str
    delimiter: str
    header: list[str]
    rows: Iterator[list[str]]  # data rows; row numbers start at 2 (the header is row 1)


def _sniff_encoding(head: bytes, requested: str) -> str:
    if b"\x00" in head:
        raise FileRejected("encoding", _("The file looks like UTF-16 or a binary file. Save it as CSV in UTF-8 "
                                         "or Windows-1251."))
    if requested and requested != "auto":
        return requested
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1251")
    except UnicodeDecodeError:
        raise FileRejected("encoding", _("The file is neither UTF-8 nor Windows-1251 text."))
    return "cp1251"


def _check_header(header: list[str], layout: ColumnLayout = REGISTRY_LAYOUT) -> list[str]:
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    missing = [c for c in layout.required if c not in names]
    unknown = [h for h in names if h and h not in layout.columns]
    repeated = sorted({h for h in names if h and names.count(h) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(unknown[:10])})
    if repeated:
        problems.append(_("repeated columns: %(cols)s") % {"cols": ", ".join(repeated)})
    if problems:
        raise FileRejected("header", _("Wrong header (row 1): %(problems)s. Expected columns: %(expected)s.")
                           % {"problems": "; ".join(problems), "expected": ", ".join(layout.columns)})
    return names


def _bad_byte_line(path: str, encoding: str) -> int:
    """The line number (1-based) of the first byte that is not valid ``encoding`` text."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, lines = 0, 1
    with open(path, "rb") as fh:
        while block := fh.read(1 << 16):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return lines + block[: max(0, exc.start)].count(b"\n")
            lines += block.count(b"\n")
            offset += len(block)
    return lines


def _csv_rows(stream, delimiter: str, encoding: str, path: str) -> Iterator[list[str]]:
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        yield from reader
    except UnicodeDecodeError:
        raise FileRejected("encoding", _("The file is not valid %(encoding)s text at row %(row)s.")
                           % {"encoding": encoding, "row": _bad_byte_line(path, encoding)})
    except csv.Error as exc:
        raise FileRejected("format", _("The CSV file is malformed near row %(row)s: %(error)s")
                           % {"row": reader.line_num, "error": exc})


def open_registry_file(path: str, *, encoding: str = "auto", layout: ColumnLayout = REGISTRY_LAYOUT) -> RegistryFile:
    """Open a registry file for streaming; raise ``FileRejected`` for a file we cannot read.

    ``layout`` names the columns of the file kind (voter registry by default; signature sheets pass theirs).
    """
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if not head.strip():
        raise FileRejected("empty", _("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, layout)
    enc = _sniff_encoding(head, encoding)
    raw = open(path, "rb")  # noqa: SIM115 - closed by the generator's consumer at exhaustion
    stream = io.TextIOWrapper(raw, encoding=enc, errors="strict", newline="")
    try:
        first_line = stream.readline()
    except UnicodeDecodeError:
        raise FileRejected("encoding", _("The file is not valid %(encoding)s text in its first row.")
                           % {"encoding": enc})
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    names = _check_header(header, layout)
    return RegistryFile("csv", enc, delimiter, names, _csv_rows(stream, delimiter, enc, path))


def _open_xlsx(path: str, layout: ColumnLayout = REGISTRY_LAYOUT) -> RegistryFile:
    import openpyxl

    try:
        book = openpyxl.load_workbook(open(path, "rb"), read_only=True, data_only=False)  # noqa: SIM115
    except Exception:
        raise FileRejected("format", _("The XLSX file cannot be opened."))
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        book.close()
        raise FileRejected("empty", _("The file is empty."))
    try:
        names = _check_header(["" if h is None else str(h) for h in header], layout)
    except FileRejected:
        book.close()
        raise

    def cells(value):
        if value is None:
            return ""
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def gen():
        try:
            for row in rows:
                yield [cells(v) for v in row]
        finally:
            book.close()

    return RegistryFile("xlsx", "xlsx", "", names, gen())


class RowValidator:
    """Checks rows and renders valid ones as tab-separated staging lines for COPY."""

    STAGE_COLUMNS = ("row_no", "pinfl", "passport", "surname", "given_name", "patronymic", "surname_key", "given_key",
                     "patronymic_key", "birth_date", "sex", "district_id", "mahalla_id", "street", "house", "flat",
                     "status")

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
            return None, [("row", "columns", _("Expected %(n)s columns, found %(m)s.")
                           % {"n": self.width, "m": len(row)}, "")]
        row.append("")
        (pinfl, surname, given, raw_date, raw_sex, district_code, patronymic, mahalla_code, street, house, flat,
         raw_status, passport) = map(str.strip, self.getter(row))
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
            if (info.birth_date == born and info.sex == sex and district_id is not None and mahalla is not None
                    and mahalla[1] == district_id and status is not None
                    and _NAMES3.fullmatch(f"{surname}\x1f{given}\x1f{patronymic}")
                    and len(surname) <= 100 and len(given) <= 100 and len(patronymic) <= 100
                    and _TEXT3.fullmatch(f"{street}\x1f{house}\x1f{flat}")
                    and len(street) <= 150 and len(house) <= 20 and len(flat) <= 20
                    and (not passport or _PASSPORT.fullmatch(passport))):
                return "\t".join((
                    str(row_no), pinfl, passport, surname, given, patronymic,
                    # keys cut to their column's length (a long Cyrillic name can spell longer in Latin)
                    normalize_name(surname)[:100], normalize_name(given)[:100],
                    normalize_patronymic(patronymic)[:100] if patronymic else "",
                    born.isoformat(), sex, str(district_id),
                    str(mahalla[0]) if mahalla[0] else r"\N", street, house, flat, status,
                )), None
        return None, self._errors(pinfl, surname, given, patronymic, raw_date, raw_sex, district_code,
                                  mahalla_code, street, house, flat, raw_status, passport)

    def _errors(self, pinfl, surname, given, patronymic, raw_date, raw_sex, district_code, mahalla_code, street,
                house, flat, raw_status, passport) -> list[tuple]:
        errors = []
        info = None
        try:
            info = parse_pinfl(pinfl, latest_birth=self.tomorrow)
        except PinflError as exc:
            errors.append(("pinfl", exc.code, str(exc.message), pinfl[:30]))
        born = registry_date(raw_date)
        if born is None:
            errors.append(("birth_date", "invalid" if raw_date else "required",
                           _("Use YYYY-MM-DD or DD.MM.YYYY.") if raw_date else _("This field is required."),
                           raw_date[:30]))
        if born is not None and born > self.tomorrow:
            errors.append(("birth_date", "future", _("The birth date is in the future."), raw_date))
            born = None
        sex = SEX.get(raw_sex)
        if sex is None:
            errors.append(("sex", "invalid", _("Use M or F."), raw_sex[:10]))
        if info is not None:
            if born is not None and info.birth_date != born:
                errors.append(("pinfl", "birth_date_mismatch",
                               _("The PINFL encodes the birth date %(date)s.") % {"date": info.birth_date}, pinfl))
            if sex is not None and info.sex != sex:
                errors.append(("pinfl", "sex_mismatch", _("The PINFL encodes the other sex."), pinfl))
        for field, value, required in (("surname", surname, True), ("given_name", given, True),
                                       ("patronymic", patronymic, False)):
            problem = self.name_error(value, required)
            if problem:
                errors.append((field, problem[0], problem[1], value[:100]))
        district_id = self.districts.get(district_code)
        if district_id is None:
            errors.append(("district_code", "unknown" if district_code else "required",
                           _("Unknown district code.") if district_code else _("This field is required."),
                           district_code[:20]))
        if mahalla_code:
            found = self.mahallas.get(mahalla_code)
            if found is None:
                errors.append(("mahalla_code", "unknown", _("Unknown mahalla code."), mahalla_code[:20]))
            elif district_id is not None and found[1] != district_id:
                errors.append(("mahalla_code", "wrong_district",
                               _("This mahalla is not in the given district."), mahalla_code))
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
