"""The accepted protocol printed as A4 with a QR code of all its figures: the round trip from the PDF back to
the figures, a tampered code refused, and a photo of the page read by the higher commission."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from results import qr
from results.printing import protocol_pdf
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
