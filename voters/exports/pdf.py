"""Printable precinct lists: A4, Cyrillic and Latin as written (DejaVu fonts), a signature column, one precinct
or a whole district in one document, built with ReportLab platypus; rows from ``voters.selectors``."""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape

from django.utils.formats import date_format
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
from voters.selectors import format_address, full_name, list_records, precinct_voters

Progress = Callable[[int, int], None]


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
    election = ParagraphStyle("election", fontName=FONT_BOLD, fontSize=11, leading=14, alignment=TA_CENTER, spaceAfter=3)
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
        story.append(
            Paragraph(
                escape(_("Election day: %(date)s") % {"date": date_format(election.election_day, "DATE_FORMAT")}), line_style
            )
        )
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
    for text, width in zip((_("No."), _("Full name"), _("Birth date"), _("Address"), _("Signature")), text_widths, strict=True):
        fitted, n = _fit(text, width, FONT_BOLD, HEADER_FONT_SIZE)
        header.append(fitted)
        header_lines = max(header_lines, n)
    data = [header]
    heights = [header_lines * (HEADER_FONT_SIZE + 2) + 2 * CELL_PAD_Y + 2]

    name_w, addr_w = text_widths[1], text_widths[3]
    for surname, given, patronymic, born, street, house, flat in list_records(precinct, election):
        name, name_lines = _fit(full_name(surname, given, patronymic), name_w, FONT, FONT_SIZE)
        address, addr_lines = _fit(format_address(street, house, flat), addr_w, FONT, FONT_SIZE)
        data.append([str(len(data)), name, date_format(born, "SHORT_DATE_FORMAT") if born else "", address, ""])
        heights.append(max(MIN_ROW_HEIGHT, max(name_lines, addr_lines) * LEADING + 2 * CELL_PAD_Y))

    table = _ListTable(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
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
            ]
        )
    )
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
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width - 2 * MARGIN_X,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="list",
    )
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
    doc = _Doc(
        out,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author="E-saylov",
        subject=election.name if election else "",
        creator="E-saylov",
        pageTemplates=[PageTemplate("list", [frame], onPageEnd=footer)],
    )

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
    precincts = list(precincts)
    total = sum(precinct_voters(p, election).count() for p in precincts) if progress is not None else 0
    return _build(out, precincts, election, progress, total)
