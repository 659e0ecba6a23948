"""Paper signature sheets the portal prints for a nomination, and the code that proves a scan is one of them.

A party asks for a batch of sheets (``sheets_issue``); the batch takes the next free sheet numbers of the
nomination, so no number is printed twice and a scan whose number was never issued is refused.  Each sheet is
one A4 landscape page (``sheets_pdf``) in the legal layout of its election kind (``FORMS``, data), with

- a QR code in the header holding the nomination, the sheet number, the form version and an HMAC of the three
  (``sheet_code`` / ``parse_sheet_code``), so a forged sheet, or one printed for another nomination, is refused;
- four square corner markers, for aligning a scan to the template;
- per row, single-character boxes for the PINFL, the birth date and the signing date, one box for the name and
  address, and the signature box (kept as an image, never read).

Every position is in millimetres from the page's top-left corner and comes from ``SheetForm``'s geometry, so
the printer and the reader of scans use the same boxes.
"""

from __future__ import annotations

import hmac
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from candidates.models import Nomination, SignatureSheetBatch
from candidates.selectors import acts_for_party
from candidates.services import signatures_exempt
from core.pdf import FONT, FONT_BOLD, register_fonts
from core.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

PREFIX = "ESAYLOV-S1"
MAX_SHEETS = 200  # per batch: one PDF of about 0.6 MB, drawn in about 1.3 s
PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm


@dataclass(frozen=True)
class Box:
    """A rectangle on the sheet, in millimetres from the top-left corner of the page."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class SheetForm:
    """The layout of one election kind's signature sheet (version ``version``): its title, the statement the
    signers make, and how many rows it has.  The geometry below is shared by every form."""

    kind: str
    version: int
    rows: int
    title: Promise
    statement: Promise  # with %(candidate)s, %(party)s, %(election)s, %(constituency)s

    # geometry, mm
    margin = 10.0
    marker = 8.0  # side of a corner marker
    qr = 30.0
    cell = 4.6  # side of a single-character box
    table_top = 54.0
    head_h = 9.0
    row_h = 11.0
    col_no = 8.0
    gap = 2.0

    def markers(self) -> list[Box]:
        """The four corner markers: top-left, top-right, bottom-right, bottom-left."""
        m, s = self.margin, self.marker
        return [
            Box(m, m, s, s),
            Box(PAGE_W - m - s, m, s, s),
            Box(PAGE_W - m - s, PAGE_H - m - s, s, s),
            Box(m, PAGE_H - m - s, s, s),
        ]

    def qr_box(self) -> Box:
        return Box(PAGE_W - self.margin - self.marker - 4 - self.qr, self.margin + 4, self.qr, self.qr)

    def columns(self) -> list[tuple[str, float, float, int]]:
        """``(field, x, width, cells)`` of every column left to right; ``cells`` is 0 for a free box."""
        x = self.text_left()
        spec = [("no", 0), ("pinfl", 14), ("birth_date", 8), ("name_address", 0), ("date_signed", 8), ("signature", 0)]
        free = {"no": self.col_no, "name_address": 62.0, "signature": 0.0}
        out = []
        for field, cells in spec:
            width = cells * self.cell + (2 * self.gap if field in ("birth_date", "date_signed") else 0) if cells else free[field]
            if field == "signature":
                width = PAGE_W - self.margin - self.marker - 2 - x
            out.append((field, x, width, cells))
            x += width + (self.gap if field != "no" else 1)
        return out

    def row_top(self, row: int) -> float:
        """Top of row ``row`` (1-based)."""
        return self.table_top + self.head_h + (row - 1) * self.row_h

    def field_boxes(self, row: int) -> dict[str, list[Box]]:
        """Every box of row ``row``: the single-character cells of the PINFL and both dates (DD MM YYYY with a
        gap after the day and the month), and one box each for the name and address and the signature."""
        top = self.row_top(row) + (self.row_h - self.cell) / 2
        boxes: dict[str, list[Box]] = {}
        for field, x, width, cells in self.columns():
            if field == "no":
                continue
            if not cells:
                boxes[field] = [Box(x, self.row_top(row) + 0.8, width, self.row_h - 1.6)]
                continue
            cx, cell_boxes = x, []
            for i in range(cells):
                if field != "pinfl" and i in (2, 4):
                    cx += self.gap
                cell_boxes.append(Box(cx, top, self.cell, self.cell))
                cx += self.cell
            boxes[field] = cell_boxes
        return boxes

    def text_left(self) -> float:
        """Where the header's text starts (right of the top-left marker)."""
        return self.margin + self.marker + 2

    def text_width(self) -> float:
        """How wide the header's text may run (up to the QR code), in mm."""
        return self.qr_box().x - 4 - self.text_left()

    def footer_top(self) -> float:
        return self.row_top(self.rows + 1) + 4


_PARTY_STATEMENT = gettext_lazy(
    "We, the undersigned, support the nomination of %(candidate)s by %(party)s as a candidate in the "
    "%(election)s (%(constituency)s)."
)

#: One form per election kind (the law's layout; ``version`` goes into the QR code, so a reader knows which
#: template a scan follows).  Parliamentary and local sheets hold 10 rows, presidential ones 10 as well.
FORMS: dict[str, SheetForm] = {
    kind: SheetForm(kind=kind, version=1, rows=10, title=title, statement=statement)
    for kind, title, statement in (
        ("presidential", gettext_lazy("Signature sheet in support of a presidential candidate"), _PARTY_STATEMENT),
        ("parliamentary", gettext_lazy("Signature sheet in support of a candidate for deputy"), _PARTY_STATEMENT),
        ("local", gettext_lazy("Signature sheet in support of a candidate for the local council"), _PARTY_STATEMENT),
        (
            "referendum",
            gettext_lazy("Signature sheet in support of a referendum initiative"),
            gettext_lazy("We, the undersigned, support the initiative of %(party)s for the %(election)s."),
        ),
    )
}


def form_for(nomination: Nomination) -> SheetForm:
    return FORMS[nomination.election.kind]


# --------------------------------------------------------------------------- the signed code


class SheetCodeError(ValueError):
    """A scanned sheet's code is not one the portal printed for this nomination."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class SheetCode:
    nomination_id: int
    sheet_no: int
    form_version: int


def _mac(nomination_id: int, sheet_no: int, form_version: int) -> str:
    # 80 bits of HMAC-SHA256 under the project's secret: enough against forgery, short enough for a small code
    value = f"{nomination_id}|{sheet_no}|{form_version}"
    return salted_hmac("candidates.sheets", value, algorithm="sha256").hexdigest()[:20]


def sheet_code(nomination_id: int, sheet_no: int, form_version: int) -> str:
    """The text of a sheet's QR code: ``ESAYLOV-S1|<nomination>|<sheet>|f<form version>|<hmac>``."""
    return f"{PREFIX}|{nomination_id}|{sheet_no}|f{form_version}|{_mac(nomination_id, sheet_no, form_version)}"


def parse_sheet_code(text: str, *, nomination: Nomination | None = None) -> SheetCode:
    """The sheet a QR code's text names; ``SheetCodeError`` when it is no sheet of ours, was altered, belongs
    to another nomination than ``nomination``, or carries a number never issued to it."""
    parts = (text or "").strip().split("|")
    if len(parts) != 5 or parts[0] != PREFIX or not parts[3].startswith("f"):
        raise SheetCodeError(_("This is not the code of an E-saylov signature sheet."), "not_a_sheet")
    try:
        nomination_id, sheet_no, version = int(parts[1]), int(parts[2]), int(parts[3][1:])
    except ValueError:
        raise SheetCodeError(_("This is not the code of an E-saylov signature sheet."), "not_a_sheet") from None
    if not hmac.compare_digest(parts[4], _mac(nomination_id, sheet_no, version)):
        raise SheetCodeError(_("The sheet's code was not issued by E-saylov: the sheet is forged or altered."), "forged")
    code = SheetCode(nomination_id=nomination_id, sheet_no=sheet_no, form_version=version)
    if nomination is not None:
        if nomination_id != nomination.pk:
            raise SheetCodeError(_("This sheet was printed for another nomination."), "other_nomination")
        if not sheet_issued(nomination, sheet_no):
            raise SheetCodeError(_("Sheet No. %(n)s was never issued for this nomination.") % {"n": sheet_no}, "not_issued")
    return code


def sheet_issued(nomination: Nomination, sheet_no: int) -> bool:
    return nomination.sheet_batches.filter(first__lte=sheet_no, last__gte=sheet_no).exists()


# --------------------------------------------------------------------------- issuing a batch


def may_issue_sheets(user, nomination: Nomination) -> bool:
    """Whether ``user`` may ask for more sheets now (``sheets_issue``'s checks, which say why not)."""
    return acts_for_party(user, nomination.party) and nomination.is_open and not signatures_exempt(nomination)


def sheets_issue(
    *, actor: User, nomination: Nomination, count: int, language: str, request: HttpRequest | None = None
) -> SignatureSheetBatch:
    """Give the nomination ``count`` more sheets, numbered on from the last one issued (audited)."""
    if not acts_for_party(actor, nomination.party):
        raise PermissionDenied
    if not nomination.is_open:
        raise ValidationError(
            _("Signature sheets cannot be issued: the nomination is %(state)s.") % {"state": nomination.get_status_display()},
            code="closed",
        )
    if signatures_exempt(nomination):
        raise ValidationError(_("This nomination needs no signatures."), code="exempt")
    if not 1 <= count <= MAX_SHEETS:
        raise ValidationError({"count": _("Between 1 and %(n)s sheets at a time.") % {"n": MAX_SHEETS}}, code="count")
    form = form_for(nomination)
    with transaction.atomic():
        Nomination.objects.select_for_update().filter(pk=nomination.pk).get()  # numbers follow one another
        last = nomination.sheet_batches.aggregate(last=Max("last"))["last"] or 0
        batch = SignatureSheetBatch.objects.create(
            nomination=nomination,
            first=last + 1,
            last=last + count,
            form_version=form.version,
            language=language,
            issued_by=actor,
        )
        audit_record(
            actor=actor,
            action="candidates.sheets.issue",
            obj=nomination,
            request=request,
            after={"batch": batch.pk, "first": batch.first, "last": batch.last, "form_version": form.version},
        )
    return batch


# --------------------------------------------------------------------------- the PDF


def _fit(canv: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width`` points."""
    while size > 5 and canv.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def sheets_pdf(batch: SignatureSheetBatch) -> bytes:
    """The batch's sheets, one A4 landscape page each, in the batch's language."""
    register_fonts()
    nomination = batch.nomination
    form = form_for(nomination)
    with translation.override(batch.language):
        out = io.BytesIO()
        canv = Canvas(out, pagesize=landscape(A4), pageCompression=1)
        canv.setTitle(f"{form.title} {batch.first}–{batch.last}")
        canv.setAuthor(_("E-saylov"))
        statement = form.statement % {
            "candidate": str(nomination.voter),
            "party": nomination.party.name,
            "election": nomination.election.name,
            "constituency": nomination.constituency.name,
        }
        canv.beginForm("sheet")
        _draw_template(canv, form, nomination, statement)
        canv.endForm()
        for sheet_no in range(batch.first, batch.last + 1):
            canv.doForm("sheet")
            _draw_number(canv, form, nomination, sheet_no)
            canv.showPage()
        canv.save()
        return out.getvalue()


def _rect(canv: Canvas, box: Box, *, fill: bool = False) -> None:
    canv.rect(box.x * mm, (PAGE_H - box.y - box.h) * mm, box.w * mm, box.h * mm, stroke=1, fill=int(fill))


def _text(canv: Canvas, x: float, y: float, text: str, font: str = FONT, size: float = 9) -> None:
    """``text`` with its baseline at ``y`` mm from the top."""
    canv.setFont(font, size)
    canv.drawString(x * mm, (PAGE_H - y) * mm, text)


def _draw_number(canv: Canvas, form: SheetForm, nomination: Nomination, sheet_no: int) -> None:
    """What differs from sheet to sheet: its number in the title and its QR code (drawn as squares, so it
    stays sharp however the page is printed)."""
    qr_box = form.qr_box()
    code = segno.make(sheet_code(nomination.pk, sheet_no, form.version), error="m")
    matrix = code.matrix
    border = 2
    module = qr_box.w / (len(matrix) + 2 * border)
    path = canv.beginPath()
    for r, line in enumerate(matrix):
        for c, dark in enumerate(line):
            if dark:
                path.rect(
                    (qr_box.x + (c + border) * module) * mm,
                    (PAGE_H - qr_box.y - (r + border + 1) * module) * mm,
                    module * mm + 0.05,
                    module * mm + 0.05,
                )
    canv.setFillColorRGB(0, 0, 0)
    canv.drawPath(path, stroke=0, fill=1)
    left, text_w = form.text_left(), form.text_width() * mm
    number = _("Sheet No. %(n)s") % {"n": sheet_no}
    title = f"{form.title} · {number}"
    _text(canv, left, 16, title, FONT_BOLD, _fit(canv, title, FONT_BOLD, 12, text_w))


def _draw_template(canv: Canvas, form: SheetForm, nomination: Nomination, statement: str) -> None:
    """What every sheet of the nomination shares: markers, header lines, the table of boxes, the footer."""
    canv.setFillColorRGB(0, 0, 0)
    canv.setStrokeColorRGB(0, 0, 0)
    for marker in form.markers():
        _rect(canv, marker, fill=True)
    left, text_w = form.text_left(), form.text_width() * mm
    y = 22.0
    for line in (
        nomination.election.name,
        f"{_('Party')}: {nomination.party.name}",
        f"{_('Candidate')}: {nomination.voter}",
        f"{_('Constituency')}: {nomination.constituency.name}",
    ):
        _text(canv, left, y, line, FONT, _fit(canv, line, FONT, 9, text_w))
        y += 4.6
    for part in simpleSplit(statement, FONT, 9, text_w)[:3]:
        _text(canv, left, y + 1, part)
        y += 4.4

    head_top = form.table_top
    labels = {
        "no": "№",
        "pinfl": _("PINFL (14 digits)"),
        "birth_date": _("Birth date (DD MM YYYY)"),
        "name_address": _("Surname, given name, patronymic; address"),
        "date_signed": _("Date signed (DD MM YYYY)"),
        "signature": _("Signature"),
    }
    canv.setLineWidth(0.5)
    for field, x, width, _cells in form.columns():
        _rect(canv, Box(x, head_top, width, form.head_h))
        label = str(labels[field])
        lines = simpleSplit(label, FONT, 6.5, (width - 1.5) * mm)[:2]
        for i, part in enumerate(lines):
            _text(canv, x + 0.8, head_top + 3.6 + i * 3.2, part, FONT, 6.5)
    canv.setLineWidth(0.35)
    _no, no_x, no_w, _cells = form.columns()[0]
    for row in range(1, form.rows + 1):
        top = form.row_top(row)
        _rect(canv, Box(no_x, top, no_w, form.row_h))
        _text(canv, no_x + 1.5, top + form.row_h / 2 + 1.3, str(row), FONT, 9)
        row_boxes = form.field_boxes(row)
        for boxes in row_boxes.values():
            for box in boxes:
                _rect(canv, box)
        for field in ("birth_date", "date_signed"):
            cells = row_boxes[field]
            for after in (1, 3):  # the dots between day, month and year
                a, b = cells[after], cells[after + 1]
                canv.circle(((a.x + a.w + b.x) / 2) * mm, (PAGE_H - a.y - a.h + 0.6) * mm, 0.35 * mm, stroke=0, fill=1)

    y = form.footer_top()
    _text(canv, left, y + 4, _("Signatures collected by (surname, given name, PINFL, signature, date):"), FONT, 8)
    canv.line(left * mm, (PAGE_H - y - 9) * mm, (PAGE_W - form.margin - form.marker - 2) * mm, (PAGE_H - y - 9) * mm)
    _text(canv, left, y + 14, _("Authorised representative of the party (signature, date):"), FONT, 8)
    canv.line((left + 95) * mm, (PAGE_H - y - 14) * mm, (left + 180) * mm, (PAGE_H - y - 14) * mm)
    printed = date_format(nomination.election.election_day, "DATE_FORMAT")
    footnote = _("Election day: %(day)s · form %(form)s") % {"day": printed, "form": f"{form.kind}-{form.version}"}
    _text(canv, left, PAGE_H - form.margin - 1, footnote, FONT, 6.5)
