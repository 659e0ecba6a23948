"""What the count prints on A4: the accepted protocol for the members to sign, with the QR code of all its
figures, and the published calculation sheet of a contest's seats (with the seat chart its page shows too)."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from fractions import Fraction
from xml.sax.saxutils import escape

import segno
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Circle, Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.pdf import FONT, FONT_BOLD, register_fonts
from results import protocol as rules
from results import qr
from results.models import ProtocolVersion, SeatCalculation
from results.selectors import contest_lines
from results.templatetags.results import METHODS, OUTCOMES


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


# --------------------------------------------------------------------------- the seat calculation sheet

#: Seat colours of the chart, in the order of the parties (most seats first); every dot also has a dark outline,
#: and the legend and the table carry the numbers, so no reader depends on telling the colours apart.
SEAT_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#59636e")


@dataclass(frozen=True)
class SeatPart:
    """One party's share of the seats in the chart: its sheet key, name, seats and colour."""

    key: str
    name: str
    seats: int
    colour: str


def seat_parts(sheet: dict, labels: dict[str, str]) -> list[SeatPart]:
    """The parties that won seats in a party-list calculation, most seats first (then by key); empty for a
    single-mandate contest or a calculation without an allocation.  ``labels`` maps ``votes:<key>`` to names."""
    seats = (sheet.get("allocation") or {}).get("seats") or {}
    keys = sorted((k for k, n in seats.items() if n), key=lambda k: (-seats[k], k))
    return [
        SeatPart(key=k, name=labels.get(rules.vote_line(k), k), seats=seats[k], colour=SEAT_COLOURS[i % len(SEAT_COLOURS)])
        for i, k in enumerate(keys)
    ]


def hemicycle(seats: int, *, inner: float = 0.45) -> tuple[list[tuple[float, float]], float]:
    """Where the seats of a hemicycle sit: ``(x, y)`` with x in [-1, 1] and y in [0, 1] (the outer row has radius
    1, the inner one ``inner``), ordered from the left end to the right one, and the radius of a seat's dot.

    As few rows as hold the seats with about the same gap between seats as between rows; each row takes a
    share of the seats in proportion to its length (largest remainders)."""
    if seats <= 0:
        return [], 0.0
    rows = 1
    while True:
        gap = min(0.3, (1 - inner) / (rows - 1)) if rows > 1 else 0.3
        radii = [1.0] if rows == 1 else [inner + (1 - inner) * i / (rows - 1) for i in range(rows)]
        capacity = [int(math.pi * r / gap) + 1 for r in radii]
        if sum(capacity) >= seats:
            break
        rows += 1
    shares = [seats * c / sum(capacity) for c in capacity]
    counts = [int(s) for s in shares]
    for i in sorted(range(rows), key=lambda i: shares[i] - counts[i], reverse=True)[: seats - sum(counts)]:
        counts[i] += 1
    points = []
    for radius, count in zip(radii, counts, strict=True):
        for j in range(count):
            angle = math.pi / 2 if count == 1 else math.pi * (1 - j / (count - 1))
            points.append((angle, radius))
    points.sort(key=lambda p: (-p[0], p[1]))
    return [(r * math.cos(a), r * math.sin(a)) for a, r in points], min(gap * 0.4, 0.09)


TITLE = ParagraphStyle("sheet-title", fontName=FONT_BOLD, fontSize=14, leading=17, spaceAfter=4)
HEADING = ParagraphStyle("sheet-heading", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("sheet-body", fontName=FONT, fontSize=9, leading=12, spaceAfter=3)
CELL = ParagraphStyle("sheet-cell", fontName=FONT, fontSize=9, leading=11)
HEAD_CELL = ParagraphStyle("sheet-head-cell", parent=CELL, fontName=FONT_BOLD)
WARNING = ParagraphStyle("sheet-warning", parent=BODY, fontName=FONT_BOLD, textColor=colors.HexColor("#b42318"))


def _p(text, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _number(value) -> str:
    return number_format(value, force_grouping=True)


def _percent(share) -> str:
    return f"{number_format(round(float(share) * 100, 2), decimal_pos=2)}%"


def _fraction(value: dict | None) -> str:
    """A sheet's exact number (``{"exact": "p/q", "decimal": d}``) as "d (p/q)", or just d when whole."""
    if not value:
        return "—"
    exact = Fraction(value["exact"])
    if exact.denominator == 1:
        return _number(exact.numerator)
    return f"{number_format(value['decimal'])} ({value['exact']})"


def _seat_chart(parts: list[SeatPart]) -> Drawing:
    positions, radius = hemicycle(sum(p.seats for p in parts))
    scale = 56 * mm
    margin = scale * radius + 1 * mm
    width, height = 2 * (scale + margin), scale + 2 * margin
    drawing = Drawing(width, height)
    dots = iter(positions)
    for part in parts:
        for _seat in range(part.seats):
            x, y = next(dots)
            drawing.add(
                Circle(
                    width / 2 + scale * x,
                    margin + scale * y,
                    scale * radius,
                    fillColor=colors.HexColor(part.colour),
                    strokeColor=colors.HexColor("#1f2328"),
                    strokeWidth=0.3,
                )
            )
    return drawing


def _sheet_table(rows: list[list], widths: list[float], *, numeric_from: int = 1, header: bool = True) -> Table:
    if header:
        rows = [[_p(c, HEAD_CELL) if isinstance(c, str) else c for c in rows[0]], *rows[1:]]
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("ALIGN", (numeric_from, 1 if header else 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 9), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]
    table.setStyle(TableStyle(style))
    return table


def seat_sheet_pdf(calculation: SeatCalculation) -> bytes:
    """The calculation sheet of a contest's seats on A4, as the seats page shows it: the turnout and its
    validity threshold; for a single-mandate contest each candidate's votes against the majority and who is
    elected or goes to the repeat vote; for a party list the threshold, the quota or the divisors, each party's
    whole seats and remainder, who got the remaining seats and why, a chart of the seats, and the elected
    candidates down each list.  A tie names the parties or candidates the lot was drawn among and its seed."""
    register_fonts()
    sheet = calculation.sheet or {}
    constituency = calculation.constituency
    labels = dict(contest_lines(constituency))

    def name(key: str) -> str:
        return labels.get(rules.vote_line(key), key)

    def when(moment) -> str:
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "—"

    took_part, on_list = int(sheet.get("took_part", 0)), int(sheet.get("on_list", 0))
    validity = sheet.get("validity_share")
    allocation = sheet.get("allocation") or {}
    outcome = str(OUTCOMES.get(calculation.outcome, calculation.outcome))

    story = [
        _p(_("Calculation of the seats"), TITLE),
        _p(str(calculation.election)),
        _p(f"{_('Constituency')}: {constituency}"),
    ]
    if calculation.published_at is None:
        story.append(_p(_("Draft: this calculation is not published."), WARNING))
    summary = [
        [_("Outcome"), outcome],
        [_("Voters on the lists"), _number(on_list)],
        [
            _("Took part"),
            f"{_number(took_part)} ({_percent(took_part / on_list)})" if on_list else _number(took_part),
        ],
    ]
    if validity is not None:
        summary.append(
            [_("Validity threshold"), _("more than %(share)s of the voters on the lists") % {"share": _percent(validity)}]
        )
    if calculation.method:
        summary.append([_("Method"), str(METHODS.get(calculation.method, calculation.method))])
    if allocation:
        summary.append([_("Seats to fill"), _number(allocation.get("seats_total", 0))])
    summary += [
        [_("Calculated"), when(calculation.calculated_at)],
        [_("Published"), when(calculation.published_at)],
        [_("Lot seed"), str(calculation.seed)],
    ]
    story += [
        Spacer(1, 2 * mm),
        _sheet_table([[_p(a, CELL), _p(b, CELL)] for a, b in summary], [55 * mm, 115 * mm], header=False),
        Spacer(1, 2 * mm),
        _p(_("The lot seed is drawn before the calculation and stored with it; it decides a tie, and only a tie.")),
    ]

    if calculation.outcome == "invalid":
        story += [
            _p(_("The election is invalid"), HEADING),
            _p(
                _("%(took)s of the %(list)s voters on the lists took part: not more than %(share)s.")
                % {"took": _number(took_part), "list": _number(on_list), "share": _percent(validity or 0)}
            ),
        ]
    elif sheet.get("kind") == "single":
        story += _single_sheet(sheet, name, took_part)
    elif allocation:
        story += _list_sheet(sheet, name, labels, took_part)

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{_('Calculation of the seats')} {constituency}",
        author=_("E-saylov"),
    )
    doc.build(story, onFirstPage=_sheet_footer, onLaterPages=_sheet_footer)
    return out.getvalue()


def _sheet_footer(canv: Canvas, doc) -> None:
    canv.saveState()
    canv.setFont(FONT, 8)
    canv.drawRightString(A4[0] - 18 * mm, 10 * mm, _("Page %(page)s") % {"page": doc.page})
    canv.restoreState()


def _single_sheet(sheet, name, took_part) -> list:
    """A single-mandate contest: each candidate's votes against the majority, and the outcome."""
    votes: dict[str, int] = sheet.get("votes") or {}
    majority = sheet.get("majority_share", 0.5)
    bound = Fraction(str(majority)) * took_part
    runoff, tied = sheet.get("runoff") or [], sheet.get("tied") or []
    rows = [[_("Candidate"), _("Votes"), _("Share of those who took part"), _("Result")]]
    for key, n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
        result = _("elected") if key == sheet.get("winner") else (_("in the repeat vote") if key in runoff else "")
        share = _percent(n / took_part) if took_part else "—"
        rows.append([_p(name(key), CELL), _number(n), share, _p(result, CELL)])
    story = [
        _p(_("Votes"), HEADING),
        _p(
            _("Elected is the candidate with more than %(share)s of the votes of those who took part: more than %(votes)s.")
            % {"share": _percent(majority), "votes": number_format(round(float(bound), 2))}
        ),
        _sheet_table(rows, [75 * mm, 25 * mm, 35 * mm, 35 * mm]),
        Spacer(1, 2 * mm),
    ]
    if sheet.get("winner"):
        story.append(_p(_("%(name)s is elected.") % {"name": name(sheet["winner"])}))
    elif runoff:
        story.append(
            _p(
                _("No candidate has more than %(share)s: a repeat vote between %(first)s and %(second)s.")
                % {"share": _percent(majority), "first": name(runoff[0]), "second": name(runoff[-1])}
            )
        )
    else:
        story.append(
            _p(_("No candidate has more than %(share)s, and the rules hold no repeat vote.") % {"share": _percent(majority)})
        )
    if tied:
        story.append(
            _p(
                _("%(names)s were tied for a place in the repeat vote; the lot with seed %(seed)s decided.")
                % {"names": ", ".join(name(k) for k in tied), "seed": sheet.get("seed")}
            )
        )
    return story


def _list_sheet(sheet, name, labels, took_part) -> list:
    """A party list: the threshold, the quota or divisors, whole seats and remainders, the remaining seats and
    why, the chart, and the elected candidates."""
    votes: dict[str, int] = sheet.get("votes") or {}
    a = sheet["allocation"]
    passing = sheet.get("passing") or []
    share = sheet.get("threshold_share")
    bound = Fraction(str(share)) * took_part if share is not None else Fraction(0)
    hare = a.get("method") == "hare"
    story = [_p(_("The threshold"), HEADING)]
    if share is not None:
        story.append(
            _p(
                _("A party takes part in the distribution with at least %(share)s of the voters who took part: %(votes)s votes.")
                % {"share": _percent(share), "votes": number_format(round(float(bound), 2))}
            )
        )
    joined = [k for k in passing if votes.get(k, 0) < bound]
    if joined:
        story.append(
            _p(
                _("Only one party passed the threshold, so the next one takes part too: %(names)s.")
                % {"names": ", ".join(name(k) for k in joined)}
            )
        )
    story.append(_p(_("The seats"), HEADING))
    total_votes = sum(a.get("votes", {}).values())
    if hare:
        story.append(
            _p(
                _(
                    "Hare quota: the %(votes)s votes of the parties taking part divided by the %(seats)s seats is %(quota)s. "
                    "Each party first gets one seat for each whole quota in its votes; the seats left go to the largest "
                    "remainders (the part of a quota left over)."
                )
                % {"votes": _number(total_votes), "seats": _number(a.get("seats_total", 0)), "quota": _fraction(a.get("quota"))}
            )
        )
    else:
        story.append(
            _p(
                _(
                    "Highest averages (%(method)s): each party's votes are divided by %(divisors)s; "
                    "the %(seats)s seats go to the highest of these averages, one by one."
                )
                % {
                    "method": METHODS.get(a.get("method"), a.get("method")),
                    "divisors": ", ".join(str(d) for d in a.get("divisors", [])[:6])
                    + (" …" if len(a.get("divisors", [])) > 6 else ""),
                    "seats": _number(a.get("seats_total", 0)),
                }
            )
        )
    header = [_("Party"), _("Votes"), _("Takes part")]
    if hare:
        header += [_("Whole seats"), _("Remainder")]
    header.append(_("Seats"))
    rows = [header]
    for key, n in votes.items():
        row = [_p(name(key), CELL), _number(n), _p(_("yes") if key in passing else _("no, below the threshold"), CELL)]
        if hare:
            whole = (a.get("whole") or {}).get(key)
            row += [_number(whole) if whole is not None else "—", _fraction((a.get("remainders") or {}).get(key))]
        row.append(_number((a.get("seats") or {}).get(key, 0)))
        rows.append(row)
    widths = [50 * mm, 18 * mm, 27 * mm, 18 * mm, 40 * mm, 17 * mm] if hare else [80 * mm, 30 * mm, 40 * mm, 20 * mm]
    story.append(_sheet_table(rows, widths))

    awards = a.get("awards") or []
    if hare:
        story.append(_p(_("The remaining seats"), HEADING))
        whole_total = sum((a.get("whole") or {}).values())
        story.append(
            _p(
                ngettext(
                    "%(left)s of the %(seats)s seats was left after the whole quotas; it went to the largest remainder:",
                    "%(left)s of the %(seats)s seats were left after the whole quotas; they went to the largest remainders:",
                    len(awards),
                )
                % {"left": _number(len(awards)), "seats": _number(a.get("seats_total", 0))}
                if awards
                else _("Every seat went by whole quotas (%(whole)s); no seat was left for the remainders.")
                % {"whole": _number(whole_total)}
            )
        )
        lines = [
            _("%(party)s: remainder %(value)s") % {"party": name(award["key"]), "value": _fraction(award["value"])}
            + (f" — {_('by lot')}" if award.get("by_lot") else "")
            for award in awards
        ]
    else:
        story.append(_p(_("The seats in order"), HEADING))
        lines = []
        for award in awards:
            value = Fraction(award["value"]["exact"])
            divisor = Fraction(votes.get(award["key"], 0)) / value if value else Fraction(0)
            lines.append(
                _("%(party)s: %(votes)s ÷ %(divisor)s = %(value)s")
                % {
                    "party": name(award["key"]),
                    "votes": _number(votes.get(award["key"], 0)),
                    "divisor": _number(divisor.numerator) if divisor.denominator == 1 else str(divisor),
                    "value": _fraction(award["value"]),
                }
                + (f" — {_('by lot')}" if award.get("by_lot") else "")
            )
    story += [_p(f"{i}. {line}") for i, line in enumerate(lines, start=1)]
    if a.get("tied"):
        story.append(
            _p(
                _("%(names)s were tied at the last seats; the lot with seed %(seed)s decided among them.")
                % {"names": ", ".join(name(k) for k in a["tied"]), "seed": a.get("seed")}
            )
        )

    parts = seat_parts(sheet, labels)
    if parts:
        story += [_p(_("Seats per party"), HEADING), _seat_chart(parts)]
        legend = [[Paragraph("", CELL), _p(part.name, CELL), _number(part.seats)] for part in parts]
        table = _sheet_table(legend, [8 * mm, 120 * mm, 20 * mm], numeric_from=2, header=False)
        table.setStyle(TableStyle([("BACKGROUND", (0, i), (0, i), colors.HexColor(part.colour)) for i, part in enumerate(parts)]))
        story.append(table)

    story.append(_p(_("Elected candidates"), HEADING))
    elected = sheet.get("elected") or {}
    rows = [[_("Party"), _("List position"), _("Candidate")]]
    for key in sorted(elected, key=lambda k: (-(a.get("seats") or {}).get(k, 0), k)):
        for person in elected[key]:
            position = person.get("position")
            rows.append(
                [_p(name(key), CELL), _number(position) if position is not None else "—", _p(person.get("name", ""), CELL)]
            )
    if len(rows) > 1:
        story.append(_sheet_table(rows, [70 * mm, 25 * mm, 75 * mm], numeric_from=1))
    else:
        story.append(_p(_("No candidate is elected.")))
    return story
