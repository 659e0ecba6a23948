"""The signature verification report as PDF: totals, reasons, breakdowns and the decision with its sample.

The figures come from the upload's stored result (``candidates.signatures.summarize``); the fonts are the
portal's shared DejaVu registration, so Cyrillic and Uzbek Latin names print as written.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from candidates.models import SignatureReason, signature_check_label
from core.pdf import FONT, FONT_BOLD, register_fonts
from core.tabular import csv_lines


def signature_report_csv(upload):
    """The per-signature report as CSV text chunks (UTF-8 with BOM for spreadsheets), streamed from the rows."""
    rows = (
        upload.signatures.order_by("row_no")
        .values_list("row_no", "pinfl", "sheet_number", "collector", "valid", "reasons")
        .iterator(chunk_size=5000)
    )
    yield from csv_lines(
        [_("row"), _("PINFL"), _("sheet"), _("collector"), _("verdict"), _("reasons")],
        (
            (row_no, pinfl, sheet, collector, "valid" if valid else "invalid", " ".join(reasons))
            for row_no, pinfl, sheet, collector, valid, reasons in rows
        ),
    )


def report_response(upload, fmt: str):
    """The CSV (streamed) or PDF report of an upload as a download; pages and API both serve this."""

    if fmt == "csv":
        response = StreamingHttpResponse(signature_report_csv(upload), content_type="text/csv; charset=utf-8")
    else:
        buf = io.BytesIO()
        write_signature_report_pdf(buf, upload)
        response = HttpResponse(buf.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="signatures-{upload.nomination_id}-{upload.pk}.{fmt}"'
    return response


def _table(rows: list[list], widths: list[float], numeric_from: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def sample_rule_text(election, sample: dict) -> str:
    """The sampling rule of the election in words, with the seed that draws the sample again."""
    if not sample or sample.get("rule") in (None, "none"):
        return _("The election's rules prescribe no sample check.")
    if sample["rule"] == "size":
        rule = _("a random sample of %(size)s signatures") % {"size": election.rule("signature_sample_size")}
    else:
        rule = _("a random sample of %(share)s%% of the signatures") % {
            "share": round(float(election.rule("signature_sample_share")) * 100, 2)
        }
    text = _("Sampling rule: %(rule)s, seed %(seed)s; %(size)s checked, %(invalid)s invalid.") % {
        "rule": rule,
        "seed": sample.get("seed"),
        "size": sample.get("size"),
        "invalid": sample.get("invalid"),
    }
    if sample.get("extra_size"):
        text += " " + _("An extra sample of %(size)s found %(invalid)s invalid.") % {
            "size": sample["extra_size"],
            "invalid": sample["extra_invalid"],
        }
    verdict = (
        _("The sampling rule would have accepted the signatures.")
        if sample.get("accepted")
        else _("The sampling rule would have refused the signatures.")
    )
    return f"{text} {verdict}"


def write_signature_report_pdf(out, upload) -> None:
    """Write the report of a finished upload to the binary stream ``out``."""
    register_fonts()
    nomination = upload.nomination
    election = nomination.election
    result = upload.result or {}
    totals = result.get("totals") or {}
    decision = result.get("decision") or {}
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=14, leading=17, spaceAfter=4)
    heading = ParagraphStyle("heading", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)

    def p(text, style=body):
        return Paragraph(escape(str(text)), style)

    story = [
        p(_("Signature verification report"), title),
        p(
            f"{nomination.voter} · {nomination.party.name} · {election.name} · "
            f"{_('Constituency')} {nomination.constituency.number}"
        ),
        p(
            _("File: %(name)s; uploaded %(uploaded)s; verified %(finished)s; status: %(status)s.")
            % {
                "name": upload.original_name,
                "uploaded": date_format(timezone.localtime(upload.created_at), "DATETIME_FORMAT"),
                "finished": date_format(timezone.localtime(upload.finished_at), "DATETIME_FORMAT") if upload.finished_at else "—",
                "status": upload.get_status_display(),
            }
        ),
    ]
    if upload.status != upload.Status.DONE:
        story.append(p(upload.message or _("The verification has not finished.")))
    else:
        accepted = decision.get("accepted")
        story += [
            p(_("Decision"), heading),
            p(_("The signatures are sufficient.") if accepted else _("The signatures are not sufficient.")),
            _table(
                [[_("Check"), _("Value"), _("Limit"), _("Result")]]
                + [
                    [signature_check_label(c["check"]), c["value"], c["limit"], _("yes") if c["ok"] else _("no")]
                    for c in decision.get("checks", [])
                ],
                [80 * mm, 30 * mm, 30 * mm, 30 * mm],
            ),
            Spacer(1, 3 * mm),
            p(sample_rule_text(election, decision.get("sample") or {})),
            p(_("Totals"), heading),
            _table(
                [
                    [_("Signatures"), _("Valid"), _("Invalid"), _("Online"), _("Invalid share")],
                    [
                        totals.get("total", 0),
                        totals.get("valid", 0),
                        totals.get("invalid", 0),
                        totals.get("online", 0),
                        totals.get("invalid_share", 0),
                    ],
                ],
                [34 * mm] * 5,
                numeric_from=0,
            ),
            p(_("Invalid signatures by reason"), heading),
        ]
        labels = dict(SignatureReason.choices)
        story.append(
            _table(
                [[_("Reason"), _("Signatures")]]
                + [[str(labels.get(code, code)), count] for code, count in (result.get("by_reason") or {}).items()],
                [130 * mm, 40 * mm],
            )
        )
        for key, label in (("per_collector", _("By collector")), ("per_sheet", _("By sheet"))):
            story.append(p(label, heading))
            story.append(
                _table(
                    [
                        [
                            _("Collector") if key == "per_collector" else _("Sheet"),
                            _("Signatures"),
                            _("Valid"),
                            _("Invalid"),
                            _("Invalid share"),
                        ]
                    ]
                    + [
                        [Paragraph(escape(str(r["key"])), body), r["total"], r["valid"], r["invalid"], r["invalid_share"]]
                        for r in result.get(key, [])
                    ],
                    [70 * mm, 25 * mm, 25 * mm, 25 * mm, 25 * mm],
                )
            )
            flagged = [r["key"] for r in result.get(key, []) if r.get("flagged")]
            if flagged:
                story.append(p(_("Far above the average share of invalid signatures: %(keys)s.") % {"keys": ", ".join(flagged)}))
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Signature verification report"),
        author="E-saylov",
    )
    doc.build(story)
