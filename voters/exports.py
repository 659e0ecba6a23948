"""Printable and spreadsheet exports of precinct voter lists.

Pure functions (no views): the callers (views, Celery tasks) choose the
precincts, check permissions and provide the output stream.

* :func:`precinct_list_rows` - the rows of one precinct's list for one election;
* :func:`write_precinct_csv` - CSV (UTF-8 with BOM, safe against formula injection);
* :func:`write_precinct_pdf` / :func:`write_district_pdf` - printable A4 lists with a
  signature column, built with ReportLab platypus.

Who is on a precinct's list for an election: every active voter (status
``active``, not merged into another record) whose ``Voter.precinct`` is the
precinct and who has no :class:`~voters.models.ListEntryOverride` for that
election, plus every active voter with an override placing them on this
precinct for that election.  Without an election the list is the default one
(``Voter.precinct`` only).

Rows are ordered by address (street, house by its leading number and then as
text, flat by its leading number and then as text) and then by name; the
sorting is done by PostgreSQL and rows are streamed with a server-side cursor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from xml.sax.saxutils import escape

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import ActionFlowable

from core.pdf import FONT, FONT_BOLD, register_fonts
from voters.models import ListEntryOverride, Voter

__all__ = [
    "CSV_FORMULA_PREFIXES",
    "csv_safe",
    "precinct_list_rows",
    "precinct_voters",
    "write_district_pdf",
    "write_precinct_csv",
    "write_precinct_pdf",
]

Progress = Callable[[int, int], None]

#: How many rows the server-side cursor fetches at a time.
CHUNK_SIZE = 2000
#: First characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_FIELDS = ("surname", "given_name", "patronymic", "birth_date", "street", "house", "flat")


# ---------------------------------------------------------------------------
# The list itself
# ---------------------------------------------------------------------------


class _LeadingNumber(Func):
    """PostgreSQL: the leading digits of a text column as an integer; NULL when it does not start with a digit."""

    template = "CAST(SUBSTRING(%(expressions)s FROM '^[0-9]{1,9}') AS integer)"
    output_field = IntegerField()


def precinct_voters(precinct, election=None) -> QuerySet:
    """The voters on ``precinct``'s list for ``election`` (or the default list), in list order."""
    base = Voter.objects.listed()
    if election is None:
        voters = base.filter(precinct=precinct)
    else:
        # The voters moved here are few; fetching their ids first keeps the query an
        # index scan (precinct index OR primary key) instead of a scan of the whole table.
        moved_here = list(
            ListEntryOverride.objects.filter(election=election, precinct=precinct).values_list("voter_id", flat=True)
        )
        moved_away = ListEntryOverride.objects.filter(election=election, voter=OuterRef("pk"))
        on_list = Q(precinct=precinct) & ~Exists(moved_away)
        if moved_here:
            on_list |= Q(pk__in=moved_here)
        voters = base.filter(on_list)
    return voters.annotate(_house_no=_LeadingNumber("house"), _flat_no=_LeadingNumber("flat")).order_by(
        "street",
        F("_house_no").asc(nulls_last=True),
        "house",
        F("_flat_no").asc(nulls_last=True),
        "flat",
        "surname",
        "given_name",
        "patronymic",
        "pk",
    )


def _records(precinct, election=None, chunk_size: int = CHUNK_SIZE) -> Iterator[tuple]:
    """(surname, given name, patronymic, birth date, street, house, flat), streamed in list order."""
    return precinct_voters(precinct, election).values_list(*_FIELDS).iterator(chunk_size=chunk_size)


def _full_name(surname: str, given: str, patronymic: str) -> str:
    return " ".join(part for part in (surname, given, patronymic) if part)


def format_address(street: str, house: str, flat: str) -> str:
    """``"street house, flat"`` without dangling separators for missing parts."""
    address = " ".join(part for part in (street, house) if part)
    if flat:
        address = f"{address}, {flat}" if address else flat
    return address


def precinct_list_rows(precinct, election=None, *, chunk_size: int = CHUNK_SIZE) -> Iterator[tuple[int, str, date, str]]:
    """Stream ``(No., full name, birth date, address)`` for the precinct's list, in list order.

    ``No.`` counts from 1; the full name is written as in the register (surname,
    given name, patronymic); the birth date is a :class:`datetime.date`; the
    address is ``"street house, flat"``.
    """
    for number, (surname, given, patronymic, born, street, house, flat) in enumerate(
        _records(precinct, election, chunk_size), 1
    ):
        yield number, _full_name(surname, given, patronymic), born, format_address(street, house, flat)


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def csv_safe(value) -> str:
    """The cell text, with a leading ``'`` if a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(CSV_FORMULA_PREFIXES):
        return "'" + text
    return text


class _Utf8Sink:
    """A ``write(str)`` adapter over a binary stream (file, ``HttpResponse``, ``BytesIO``)."""

    def __init__(self, out):
        self._write = out.write

    def write(self, text: str):
        return self._write(text.encode("utf-8"))


def _as_precincts(precincts) -> Iterable:
    return [precincts] if hasattr(precincts, "pk") and hasattr(precincts, "number") else precincts


def write_precinct_csv(out, precincts, election=None) -> int:
    """Write the lists of ``precincts`` (one precinct or an iterable) as CSV to ``out``; return the row count.

    ``out`` is a binary stream (the text is written as UTF-8 with a BOM, so Excel
    opens Cyrillic correctly) or a text stream (``io.TextIOBase``; the BOM is
    written as U+FEFF, so open it with ``encoding="utf-8"``, not ``"utf-8-sig"``).
    Columns: precinct number, No., surname, given name, patronymic, birth date
    (ISO), address.  Text cells starting with ``= + - @``, tab or CR get a
    leading ``'`` so that spreadsheets do not evaluate them.
    """
    sink = out if isinstance(out, io.TextIOBase) else _Utf8Sink(out)
    sink.write("\ufeff")
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow(
        [csv_safe(h) for h in (_("Precinct"), _("No."), _("Surname"), _("Given name"), _("Patronymic"),
                               _("Birth date"), _("Address"))]
    )
    written = 0
    for precinct in _as_precincts(precincts):
        for number, (surname, given, patronymic, born, street, house, flat) in enumerate(_records(precinct, election), 1):
            writer.writerow([
                precinct.number,
                number,
                csv_safe(surname),
                csv_safe(given),
                csv_safe(patronymic),
                born.isoformat() if born else "",
                csv_safe(format_address(street, house, flat)),
            ])
            written += 1
    return written


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------

PAGE_SIZE = A4
MARGIN_X = 14 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 16 * mm
#: No., full name, birth date, address, signature (the rest of the width, ~42 mm).
COL_WIDTHS = (11 * mm, 57 * mm, 20 * mm, 52 * mm)
FONT_SIZE = 8.5
LEADING = 10.2
HEADER_FONT_SIZE = 8
CELL_PAD_X = 3
CELL_PAD_Y = 2.5
#: Rows are at least this tall so that there is room to sign (about 7 mm).
MIN_ROW_HEIGHT = 20
#: Room for the total in "page X of Y" (the total is drawn later, as a form XObject).
_TOTAL_WIDTH = 24


def _col_widths(frame_width: float) -> list[float]:
    return [*COL_WIDTHS, frame_width - sum(COL_WIDTHS)]


def _fit(text: str, width: float, font: str, size: float) -> tuple[str, int]:
    """The text broken into lines that fit ``width``, and the number of lines."""
    if not text or pdfmetrics.stringWidth(text, font, size) <= width:
        return text, 1
    lines = simpleSplit(text, font, size, width)
    return "\n".join(lines), len(lines)


class _ListTable(Table):
    """The voter table; the class marks its pieces (split pages) for progress counting."""


class _Section:
    """A precinct's part of the document: its footer text and page count."""

    def __init__(self, index: int, label: str):
        self.index = index
        self.label = label
        self.pages = 0

    @property
    def form(self) -> str:
        return f"esaylovTotal{self.index}"


class _SetSection(ActionFlowable):
    def __init__(self, state: _BuildState, section: _Section):
        super().__init__()
        self._state, self._section = state, section

    def apply(self, doc):
        self._state.section = self._section


class _Then(ActionFlowable):
    """Calls ``action`` when the layout reaches it (used to load the next precinct lazily)."""

    def __init__(self, action: Callable[[], None]):
        super().__init__()
        self._action = action

    def apply(self, doc):
        self._action()


class _BuildState:
    def __init__(self, total: int, progress: Progress | None):
        self.sections: list[_Section] = []
        self.section: _Section | None = None
        self.done = 0
        self.total = total
        self.progress = progress

    def new_section(self, label: str) -> _Section:
        section = _Section(len(self.sections), label)
        self.sections.append(section)
        return section


def _styles():
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=14, leading=17, alignment=TA_CENTER, spaceAfter=2)
    election = ParagraphStyle("election", fontName=FONT_BOLD, fontSize=11, leading=14, alignment=TA_CENTER,
                              spaceAfter=3)
    line = ParagraphStyle("line", fontName=FONT, fontSize=9.5, leading=12, alignment=TA_CENTER)
    return title, election, line


def _precinct_label(precinct) -> str:
    return _("Precinct No. %(number)s") % {"number": precinct.number}


def _precinct_story(state: _BuildState, precinct, election, frame_width: float) -> list:
    """The flowables of one precinct: title block and the voter table."""
    title_style, election_style, line_style = _styles()
    label = _precinct_label(precinct)
    footer = f"{label} · {election.name}" if election is not None else label
    section = state.new_section(footer)

    story: list = [_SetSection(state, section)]
    if election is not None:
        story.append(Paragraph(escape(election.name), election_style))
        story.append(Paragraph(escape(_("Election day: %(date)s") % {"date": election.election_day.strftime("%d.%m.%Y")}),
                               line_style))
    story.append(Spacer(0, 3 * mm))
    story.append(Paragraph(escape(_("List of voters")), title_style))
    district = getattr(precinct, "district", None)
    place = f"{label}, {district.name}" if district is not None else label
    story.append(Paragraph(escape(place), line_style))
    if precinct.address:
        story.append(Paragraph(escape(precinct.address), line_style))
    story.append(Spacer(0, 5 * mm))

    widths = _col_widths(frame_width)
    text_widths = [w - 2 * CELL_PAD_X for w in widths]

    header, header_lines = [], 1
    for text, width in zip((_("No."), _("Full name"), _("Birth date"), _("Address"), _("Signature")), text_widths,
                           strict=True):
        fitted, n = _fit(text, width, FONT_BOLD, HEADER_FONT_SIZE)
        header.append(fitted)
        header_lines = max(header_lines, n)
    data = [header]
    heights = [header_lines * (HEADER_FONT_SIZE + 2) + 2 * CELL_PAD_Y + 2]

    name_w, addr_w = text_widths[1], text_widths[3]
    for surname, given, patronymic, born, street, house, flat in _records(precinct, election):
        name, name_lines = _fit(_full_name(surname, given, patronymic), name_w, FONT, FONT_SIZE)
        address, addr_lines = _fit(format_address(street, house, flat), addr_w, FONT, FONT_SIZE)
        data.append([str(len(data)), name, born.strftime("%d.%m.%Y") if born else "", address, ""])
        heights.append(max(MIN_ROW_HEIGHT, max(name_lines, addr_lines) * LEADING + 2 * CELL_PAD_Y))

    table = _ListTable(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, FONT_SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, HEADER_FONT_SIZE, HEADER_FONT_SIZE + 2),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
        ("ALIGN", (2, 1), (2, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.Color(0.6, 0.6, 0.6)),
    ]))
    story.append(table)
    if len(data) == 1:
        story.append(Spacer(0, 4 * mm))
        story.append(Paragraph(escape(_("No voters on this list.")), line_style))
    return story


def _build(out, precincts: list, election, progress: Progress | None, total: int) -> int:
    """Lay out the precincts, each from a new page; return the number of pages."""
    register_fonts()
    state = _BuildState(total, progress)
    width, height = PAGE_SIZE
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="list")
    page_text = _("Page %(page)s of %(total)s")
    before_total, _sep, after_total = page_text.partition("%(total)s")

    def footer(canv: Canvas, doc) -> None:
        section = state.section
        if section is None:
            return
        section.pages += 1
        canv.saveState()
        y = MARGIN_BOTTOM - 8 * mm
        canv.setStrokeColor(colors.Color(0.7, 0.7, 0.7))
        canv.setLineWidth(0.4)
        canv.line(MARGIN_X, y + 9, width - MARGIN_X, y + 9)
        canv.setFont(FONT, 7.5)
        canv.setFillColor(colors.Color(0.3, 0.3, 0.3))
        canv.drawString(MARGIN_X, y, section.label[:110])
        right = width - MARGIN_X
        if after_total:
            canv.drawRightString(right, y, after_total % {"page": section.pages})
            right -= pdfmetrics.stringWidth(after_total % {"page": section.pages}, FONT, 7.5)
        total_x = right - _TOTAL_WIDTH
        canv.drawRightString(total_x, y, before_total % {"page": section.pages})
        canv.translate(total_x, y)
        canv.doForm(section.form)  # the page count is known only at the end
        canv.restoreState()

    class _ListCanvas(Canvas):
        def save(self):
            for section in state.sections:
                self.beginForm(section.form)
                self.setFont(FONT, 7.5)
                self.setFillColor(colors.Color(0.3, 0.3, 0.3))
                self.drawString(0, 0, str(section.pages))
                self.endForm()
            super().save()

    class _Doc(BaseDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, _ListTable):
                state.done += len(flowable._cellvalues) - 1
                if state.progress is not None:
                    state.progress(state.done, max(state.total, state.done))

    title = _("List of voters")
    doc = _Doc(out, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
               bottomMargin=MARGIN_BOTTOM, title=title, author="E-saylov", subject=election.name if election else "",
               creator="E-saylov", pageTemplates=[PageTemplate("list", [frame], onPageEnd=footer)])

    story: list = []
    remaining = iter(precincts)

    def load_next(first: bool = False) -> None:
        precinct = next(remaining, None)
        if precinct is None:
            return
        if not first:
            story.append(PageBreak())
        story.extend(_precinct_story(state, precinct, election, frame.width))
        story.append(_Then(load_next))  # the next precinct is fetched only when this one is laid out

    load_next(first=True)
    if not story:
        story.append(Paragraph(escape(_("No voters on this list.")), _styles()[2]))
    doc.build(story, canvasmaker=_ListCanvas)
    if progress is not None:
        progress(state.done, state.done)
    return sum(section.pages for section in state.sections)


def write_precinct_pdf(out, precinct, election=None, *, progress: Progress | None = None) -> int:
    """Write the printable list of one precinct (A4 portrait) to ``out``; return the number of pages.

    ``out`` is a binary file-like object or a file name.  ``progress(done, total)``
    is called as table pages are laid out (voters done out of voters on the list).
    """
    total = precinct_voters(precinct, election).count() if progress is not None else 0
    return _build(out, [precinct], election, progress, total)


def write_district_pdf(out, precincts, election=None, progress: Progress | None = None) -> int:
    """Write the lists of several precincts into one PDF, each precinct from a new page; return the page count.

    Each precinct's pages are numbered on their own ("page X of Y" of that
    precinct), so the printed lists can be handed out separately.  Voters are
    fetched one precinct at a time.
    """
    precincts = list(_as_precincts(precincts))
    total = sum(precinct_voters(p, election).count() for p in precincts) if progress is not None else 0
    return _build(out, precincts, election, progress, total)
