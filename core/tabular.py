"""Tabular files people upload and download: reading registry-style CSV/XLSX, writing CSV safely.

One reader for every file kind of the portal (the voter registry, signature sheets, bulk observer lists):
``open_registry_file(path, layout=...)`` detects the format (CSV or XLSX), the encoding (UTF-8, with or
without BOM, or Windows-1251) and the delimiter (, or ;), checks the header against the kind's
``ColumnLayout`` and streams raw rows; a file it cannot read raises ``FileRejected`` with a code and a
message that says why.  ``registry_date`` is the one reading of dates in such files.  Every CSV the portal
writes goes through ``csv_safe`` (no cell a spreadsheet would run as a formula) and ``csv_lines`` / ``Utf8Sink``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import openpyxl
from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class ColumnLayout:
    """The columns a file kind may have (in the order the error message lists them) and those it must have."""

    columns: tuple[str, ...]
    required: tuple[str, ...]


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
        raise FileRejected("encoding", _("The file looks like UTF-16 or a binary file. Save it as CSV in UTF-8 or Windows-1251."))
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


def _check_header(header: list[str], layout: ColumnLayout) -> list[str]:
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
        raise FileRejected(
            "header",
            _("Wrong header (row 1): %(problems)s. Expected columns: %(expected)s.")
            % {"problems": "; ".join(problems), "expected": ", ".join(layout.columns)},
        )
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
        raise FileRejected(
            "encoding",
            _("The file is not valid %(encoding)s text at row %(row)s.")
            % {"encoding": encoding, "row": _bad_byte_line(path, encoding)},
        )
    except csv.Error as exc:
        raise FileRejected(
            "format", _("The CSV file is malformed near row %(row)s: %(error)s") % {"row": reader.line_num, "error": exc}
        )


def open_registry_file(path: str, *, layout: ColumnLayout, encoding: str = "auto") -> RegistryFile:
    """Open a registry file for streaming; raise ``FileRejected`` for a file we cannot read.

    ``layout`` names the columns of the file kind (the voter registry's, signature sheets' ...).
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
        raise FileRejected("encoding", _("The file is not valid %(encoding)s text in its first row.") % {"encoding": enc})
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    names = _check_header(header, layout)
    return RegistryFile("csv", enc, delimiter, names, _csv_rows(stream, delimiter, enc, path))


def _open_xlsx(path: str, layout: ColumnLayout) -> RegistryFile:
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


# --------------------------------------------------------------------------- writing CSV

#: First characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell text, with a leading ``'`` if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(CSV_FORMULA_PREFIXES):
        return "'" + text
    return text


class _Line:
    """A ``write`` that hands back what the csv writer wrote (one line at a time, for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV text, line by line: a BOM (so spreadsheets read UTF-8), the header, then the rows; every cell safe."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([csv_safe(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in row])


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """``csv_lines`` as one string (a small file)."""
    return "".join(csv_lines(header, rows))


class Utf8Sink:
    """A ``write(str)`` adapter over a binary stream (file, ``HttpResponse``, ``BytesIO``)."""

    def __init__(self, out):
        self._write = out.write

    def write(self, text: str):
        return self._write(text.encode("utf-8"))


def text_sink(out):
    """``out`` itself when it takes text, else a ``Utf8Sink`` over it."""
    return out if isinstance(out, io.TextIOBase) else Utf8Sink(out)
