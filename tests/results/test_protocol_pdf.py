"""The accepted protocol printed as A4 with a QR code of all its figures: the round trip from the PDF back to
the figures, a tampered code refused, and a photo of the page read by the higher commission."""

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from results import qr, services
from results.models import ProtocolScan
from results.printing import protocol_pdf
from tests.results.conftest import figures
from tests.results.test_protocol_entry import accepted

pytestmark = pytest.mark.django_db


def test_the_printed_qr_code_holds_every_figure(contest):
    version = accepted(contest).current
    pdf = protocol_pdf(version)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    [image] = reader.pages[0].images
    png = io.BytesIO()
    image.image.save(png, format="PNG")
    decoded = qr.decode_image(png.getvalue())
    assert decoded.figures == version.figures
    assert decoded.checksum == version.checksum
    assert decoded.version == 1
    text = reader.pages[0].extract_text()
    assert "Nomzod0" in text and version.checksum in text


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils' pdftoppm renders the page like a scan")
def test_a_scan_of_the_whole_page_is_read(contest, tmp_path):
    version = accepted(contest).current
    (tmp_path / "p.pdf").write_bytes(protocol_pdf(version))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "p.pdf"), str(tmp_path / "scan")], check=True)
    assert qr.decode_image((tmp_path / "scan.png").read_bytes()).figures == version.figures


def test_an_altered_code_is_refused(contest):
    version = accepted(contest).current
    text = qr.payload("1/2/3", 1, version.figures)
    assert qr.parse(text).figures == version.figures
    tampered = text.replace("invalid=1", "invalid=0")
    with pytest.raises(qr.QrError, match="checksum"):
        qr.parse(tampered)
    with pytest.raises(qr.QrError, match="not the QR code"):
        qr.parse("https://example.org/")
    with pytest.raises(qr.QrError, match="not an image"):
        qr.decode_image(b"%PDF-1.4 not an image")


def scan_png(version) -> bytes:
    [image] = PdfReader(io.BytesIO(protocol_pdf(version))).pages[0].images
    png = io.BytesIO()
    image.image.save(png, format="PNG")
    return png.getvalue()


def test_the_higher_commission_checks_a_paper_protocol(country, contest):
    protocol = accepted(contest)
    check = services.protocol_qr_check(actor=country.users["district"], protocol=protocol, image=scan_png(protocol.current))
    assert check.matches and check.differing == []
    with pytest.raises(PermissionDenied):
        services.protocol_qr_check(actor=contest["members"][0], protocol=protocol, image=scan_png(protocol.current))
    # after a correction the old paper no longer matches: which lines differ is named
    a, b = (f"votes:n{n.pk}" for n in contest["candidates"])
    old_paper = scan_png(protocol.current)
    correction = services.protocol_correction_open(
        actor=country.users["district"], protocol=protocol, figures=figures(contest, **{a: 8, b: 6}), reason="Recount"
    )
    services.protocol_correction_approve(actor=country.users["cec"], correction=correction)
    protocol.refresh_from_db()
    check = services.protocol_qr_check(actor=country.users["cec"], protocol=protocol, image=old_paper)
    assert not check.matches and (check.version, check.current) == (1, 2) and check.differing == sorted([a, b])
    with pytest.raises(ValidationError) as exc:
        services.protocol_qr_check(actor=country.users["cec"], protocol=protocol, image=b"not an image")
    assert exc.value.error_dict["image"][0].code == "qr_unreadable"


def test_the_signed_scan_is_kept_with_its_version(country, contest, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    protocol = accepted(contest)
    scan = services.protocol_scan_upload(
        actor=contest["members"][0], protocol=protocol, uploaded_file=SimpleUploadedFile("signed.png", scan_png(protocol.current))
    )
    assert (scan.version, scan.content_type) == (protocol.current, "image/png")
    pdf = services.protocol_scan_upload(
        actor=country.users["district"],
        protocol=protocol,
        uploaded_file=SimpleUploadedFile("signed.pdf", protocol_pdf(protocol.current)),
    )
    assert pdf.content_type == "application/pdf"
    assert protocol.current.scans.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.protocol_scan_upload(
            actor=contest["members"][0], protocol=protocol, uploaded_file=SimpleUploadedFile("signed.pdf", b"GIF89a not a scan")
        )
    assert exc.value.error_dict["file"][0].code == "wrong_content"
    with pytest.raises(PermissionDenied):
        services.protocol_scan_upload(
            actor=country.users["observer"],
            protocol=protocol,
            uploaded_file=SimpleUploadedFile("x.png", scan_png(protocol.current)),
        )
    assert ProtocolScan.objects.count() == 2
