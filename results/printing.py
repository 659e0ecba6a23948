"""The accepted protocol printed on A4 for the members to sign, with the QR code of all its figures."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from core.pdf import FONT, FONT_BOLD, register_fonts
from results import protocol as rules
from results import qr
from results.models import ProtocolVersion
from results.selectors import contest_lines


def protocol_pdf(version: ProtocolVersion) -> bytes:
    """One A4 page: the contest and precinct, every line with its figure, the version and checksum, room for
    the members' signatures, and a QR code holding every figure with the checksum."""
    register_fonts()
    protocol = version.protocol
    width, height = A4
    out = io.BytesIO()
    canv = Canvas(out, pagesize=A4, pageCompression=1)
    title = _("Precinct result protocol")
    canv.setTitle(f"{title} {protocol.precinct} v{version.number}")
    canv.setAuthor(_("E-saylov"))
    left, right = 18 * mm, width - 18 * mm
    y = height - 20 * mm

    canv.setFont(FONT_BOLD, 14)
    canv.drawString(left, y, title)
    y -= 7 * mm
    canv.setFont(FONT, 10)
    for line in (
        str(protocol.election),
        f"{_('Constituency')}: {protocol.constituency}",
        f"{protocol.precinct} — {protocol.precinct.district}",
        _("Version %(number)s (%(kind)s), %(when)s")
        % {
            "number": version.number,
            "kind": version.get_kind_display(),
            "when": date_format(timezone.localtime(version.created_at), "DATETIME_FORMAT"),
        },
    ):
        for part in simpleSplit(line, FONT, 10, right - left - 50 * mm):
            canv.drawString(left, y, part)
            y -= 5 * mm

    qr_size = 48 * mm
    code = segno.make(qr.payload(rules.subject_of(protocol), version.number, version.figures), error="m")
    png = io.BytesIO()
    code.save(png, kind="png", scale=5, border=4)
    png.seek(0)
    canv.drawImage(ImageReader(png), right - qr_size, height - 16 * mm - qr_size, qr_size, qr_size)

    y = min(y, height - 20 * mm - qr_size) - 4 * mm
    canv.setLineWidth(0.4)
    number = 0
    sections = [
        (None, [(key, str(label)) for key, label in rules.LINES]),
        (_("Votes for each candidate or party"), contest_lines(protocol.constituency)),
    ]
    for heading, lines in sections:
        if heading:
            y -= 2 * mm
            canv.setFont(FONT_BOLD, 10)
            canv.drawString(left, y, heading)
            y -= 6 * mm
        for key, label in lines:
            number += 1
            canv.setFont(FONT, 10)
            parts = simpleSplit(f"{number}. {label}", FONT, 10, right - left - 40 * mm)
            for i, part in enumerate(parts):
                canv.drawString(left, y - i * 4.5 * mm, part)
            canv.setFont(FONT_BOLD, 11)
            canv.drawRightString(right, y, number_format(version.figures.get(key, 0), force_grouping=True))
            y -= 4.5 * mm * len(parts) + 1.5 * mm
            canv.setStrokeColor(colors.lightgrey)
            canv.line(left, y + 2 * mm, right, y + 2 * mm)

    y -= 6 * mm
    canv.setFont(FONT, 8)
    canv.drawString(left, y, f"{_('Checksum')}: {version.checksum}")
    y -= 12 * mm
    canv.setFont(FONT, 10)
    for role in (_("Chair"), _("Deputy chair"), _("Secretary"), _("Members")):
        canv.drawString(left, y, role)
        canv.setStrokeColor(colors.black)
        canv.line(left + 40 * mm, y - 1 * mm, right, y - 1 * mm)
        y -= 11 * mm
    canv.showPage()
    canv.save()
    return out.getvalue()
