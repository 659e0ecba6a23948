"""Printed signature sheets: numbered batches, the signed QR code of each sheet, the layout the reader of scans
will use, and who may print or read them."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import zxingcpp
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image
from pypdf import PdfReader

from accounts.roles import Role
from candidates import services
from candidates.models import SignatureSheetBatch
from candidates.sheets import (
    FORMS,
    MAX_SHEETS,
    PAGE_H,
    PAGE_W,
    SheetCodeError,
    parse_sheet_code,
    sheet_code,
    sheets_issue,
    sheets_pdf,
)
from core.models import AuditEvent
from tests import factories as f
from tests.candidates.test_nominations import _nominate, exempt, setup  # noqa: F401 - the fixture
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


NO_POPPLER = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) not installed")


def page_images(pdf: bytes, tmp_path, dpi: int = 150) -> list[Image.Image]:
    """Each page of ``pdf`` as a greyscale image, as a scanner would see it."""
    (tmp_path / "s.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(tmp_path / "s.pdf"), str(tmp_path / "p")], check=True)
    return [Image.open(p).convert("L") for p in sorted(tmp_path.glob("p*.png"))]


def page_codes(pdf: bytes, tmp_path) -> list[list[str]]:
    """The QR codes read from each printed page of ``pdf``."""
    return [[r.text for r in zxingcpp.read_barcodes(image)] for image in page_images(pdf, tmp_path)]


@NO_POPPLER
def test_the_party_prints_numbered_batches_and_each_sheet_carries_its_signed_code(country, setup, tmp_path):  # noqa: F811
    n = _nominate(country, setup)
    client = verified_client(country.users["party"])
    assert client.get(f"/nominations/{n.pk}/sheets/").status_code == 200

    r = client.post(f"/nominations/{n.pk}/sheets/", {"count": 3, "language": "en"})
    assert r.status_code == 302
    r = client.post(f"/nominations/{n.pk}/sheets/", {"count": 2, "language": "en"})
    assert r.status_code == 302
    first, second = SignatureSheetBatch.objects.filter(nomination=n).order_by("first")
    assert (first.first, first.last, second.first, second.last) == (1, 3, 4, 5)
    events = AuditEvent.objects.filter(action="candidates.sheets.issue")
    assert [(e.after["first"], e.after["last"]) for e in events.order_by("id")] == [(1, 3), (4, 5)]

    page = client.get(f"/nominations/{n.pk}/sheets/").content.decode()
    assert f"/nominations/{n.pk}/sheets/{second.pk}.pdf" in page
    r = client.get(f"/nominations/{n.pk}/sheets/{second.pk}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = r.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    text = reader.pages[0].extract_text()
    assert "Sheet No. 4" in text and "Rahimov" in text and "Adolat" in text
    codes = page_codes(pdf, tmp_path)
    assert codes == [[sheet_code(n.pk, 4, 1)], [sheet_code(n.pk, 5, 1)]]
    assert parse_sheet_code(codes[1][0], nomination=n).sheet_no == 5


def test_a_sheet_code_that_was_altered_foreign_or_never_issued_is_refused(country, setup):  # noqa: F811
    n = _nominate(country, setup)
    sheets_issue(actor=country.users["party"], nomination=n, count=2, language="uz")
    good = sheet_code(n.pk, 2, 1)
    assert parse_sheet_code(good, nomination=n).sheet_no == 2

    def refused(text, nomination=n) -> str:
        with pytest.raises(SheetCodeError) as exc:
            parse_sheet_code(text, nomination=nomination)
        return exc.value.code

    prefix, nom, _sheet, version, mac = good.split("|")
    assert refused("|".join((prefix, nom, "7", version, mac))) == "forged"  # another number, the same HMAC
    assert refused(good[:-1] + ("0" if good[-1] != "0" else "1")) == "forged"
    assert refused(sheet_code(n.pk, 3, 1)) == "not_issued"  # genuine, but sheet 3 was never printed
    other = _nominate(
        country, setup, constituency=setup["national"], pinfl=f.make_voter(country.precincts["A1-2"]).pinfl, list_position=1
    )
    assert refused(good, nomination=other) == "other_nomination"
    assert refused("ESAYLOV-P1|1/2/3|v1|a=1|x") == "not_a_sheet"
    assert refused("hello") == "not_a_sheet"


def test_the_layout_fits_the_page_and_no_boxes_overlap():
    for form in FORMS.values():
        boxes = list(form.markers()) + [form.qr_box()]
        for row in range(1, form.rows + 1):
            for field_boxes in form.field_boxes(row).values():
                boxes.extend(field_boxes)
        for b in boxes:
            assert 0 < b.x and b.x + b.w < PAGE_W and 0 < b.y and b.y + b.h < PAGE_H, b
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                overlap = min(a.x + a.w, b.x + b.w) - max(a.x, b.x) > 0.01 and min(a.y + a.h, b.y + b.h) - max(a.y, b.y) > 0.01
                assert not overlap, (a, b)
        cells = form.field_boxes(1)
        assert (len(cells["pinfl"]), len(cells["birth_date"]), len(cells["date_signed"])) == (14, 8, 8)
        assert form.footer_top() > form.row_top(form.rows) + form.row_h


@NO_POPPLER
def test_the_printed_page_has_its_markers_and_boxes_where_the_layout_says(country, setup, tmp_path):  # noqa: F811
    n = _nominate(country, setup)
    batch = sheets_issue(actor=country.users["party"], nomination=n, count=1, language="uz")
    (image,) = page_images(sheets_pdf(batch), tmp_path, dpi=100)
    px = image.width / PAGE_W  # pixels per mm

    def shade(x_mm: float, y_mm: float) -> int:
        return image.getpixel((round(x_mm * px), round(y_mm * px)))

    form = FORMS[n.election.kind]
    for m in form.markers():
        assert shade(m.x + m.w / 2, m.y + m.h / 2) < 60  # a filled marker
    for cell in form.field_boxes(3)["pinfl"]:
        assert shade(cell.x + cell.w / 2, cell.y + cell.h / 2) > 200  # an empty box for one digit
        assert min(shade(cell.x + cell.w / 2, cell.y + d) for d in (-0.2, 0, 0.2)) < 128  # its top edge is drawn
    name_box = form.field_boxes(3)["name_address"][0]
    assert shade(name_box.x + name_box.w / 2, name_box.y + name_box.h / 2) > 200


def test_sheets_are_printed_in_the_language_asked_for(country, setup):  # noqa: F811
    n = _nominate(country, setup)
    batch = sheets_issue(actor=country.users["party"], nomination=n, count=1, language="ru")
    text = PdfReader(io.BytesIO(sheets_pdf(batch))).pages[0].extract_text()
    assert "Подписной лист" in text and "Лист № 1" in text


def test_bad_counts_and_closed_or_exempt_nominations_issue_nothing(country, setup):  # noqa: F811
    n = _nominate(country, setup)
    client = verified_client(country.users["party"])
    for count in (0, MAX_SHEETS + 1, "ten"):
        r = client.post(f"/nominations/{n.pk}/sheets/", {"count": count, "language": "en"}, HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 400
        assert "error-summary" in r.content.decode()
    r = client.post(f"/nominations/{n.pk}/sheets/", {"count": 1, "language": "de"})
    assert r.status_code == 400 and "error-summary" in r.content.decode()
    assert not SignatureSheetBatch.objects.exists()
    with pytest.raises(ValidationError) as exc:
        sheets_issue(actor=country.users["party"], nomination=n, count=MAX_SHEETS + 1, language="uz")
    assert "count" in exc.value.message_dict

    n.status = "withdrawn"  # a closed nomination: no more sheets, and no form offering them
    n.save(update_fields=["status"])
    with pytest.raises(ValidationError) as exc:
        sheets_issue(actor=country.users["party"], nomination=n, count=1, language="uz")
    assert exc.value.code == "closed"
    assert 'id="sheet-issue"' not in client.get(f"/nominations/{n.pk}/sheets/").content.decode()
    n.status = "draft"
    n.save(update_fields=["status"])

    exempt(setup["election"])
    n.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        sheets_issue(actor=country.users["party"], nomination=n, count=1, language="uz")
    assert exc.value.code == "exempt"
    page = client.get(f"/nominations/{n.pk}/sheets/").content.decode()
    assert 'id="sheet-issue"' not in page
    assert client.post(f"/nominations/{n.pk}/sheets/", {"count": 1, "language": "en"}).status_code == 403
    assert not SignatureSheetBatch.objects.exists()


def test_who_may_print_and_read_sheets(country, setup):  # noqa: F811
    n = _nominate(country, setup)
    batch = sheets_issue(actor=country.users["party"], nomination=n, count=1, language="uz")
    stranger = f.UserFactory(username="rep2", role=Role.PARTY_REP)
    services.party_representative_add(actor=country.users["cec"], party=setup["other"], user=stranger)
    with pytest.raises(PermissionDenied):
        sheets_issue(actor=stranger, nomination=n, count=1, language="uz")
    with pytest.raises(PermissionDenied):
        sheets_issue(actor=country.users["district"], nomination=n, count=1, language="uz")
    other_party = verified_client(stranger)
    assert other_party.get(f"/nominations/{n.pk}/sheets/").status_code == 404
    assert other_party.get(f"/nominations/{n.pk}/sheets/{batch.pk}.pdf").status_code == 404
    assert verified_client(country.users["observer"]).get(f"/nominations/{n.pk}/sheets/").status_code == 403
    official = verified_client(country.users["district"])
    page = official.get(f"/nominations/{n.pk}/sheets/")
    assert page.status_code == 200 and 'id="sheet-issue"' not in page.content.decode()
    assert official.get(f"/nominations/{n.pk}/sheets/{batch.pk}.pdf").status_code == 200
    assert official.post(f"/nominations/{n.pk}/sheets/", {"count": 1, "language": "uz"}).status_code == 403
    outside = verified_client(country.users["precinct"])  # precinct A1-1 is in the constituency, yet not the whole
    assert outside.get(f"/nominations/{n.pk}/sheets/").status_code in (403, 404)
    assert SignatureSheetBatch.objects.count() == 1
