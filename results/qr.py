"""The QR code of a printed protocol: every figure and a checksum, so a higher commission can check a paper
protocol against the stored one by scanning it (``decode_image``) or reading it (``parse``).

Payload (one line of text)::

    ESAYLOV-P1|<election>/<constituency>/<precinct>|v<version>|<line>=<n>;<line>=<n>...|<sha-256>
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import zxingcpp
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from results import protocol as rules

PREFIX = "ESAYLOV-P1"


class QrError(ValueError):
    """The image holds no protocol code, or the code's checksum does not match its figures."""


@dataclass(frozen=True)
class QrProtocol:
    subject: str  # "<election>/<constituency>/<precinct>"
    version: int
    figures: dict[str, int]
    checksum: str


def payload(subject: str, version: int, figures: dict[str, int]) -> str:
    return "|".join((PREFIX, subject, f"v{version}", rules.canonical(figures), rules.checksum(subject, figures)))


def parse(text: str) -> QrProtocol:
    """The protocol a QR code's text holds; ``QrError`` when it is not one or its checksum is wrong."""
    parts = (text or "").strip().split("|")
    if len(parts) != 5 or parts[0] != PREFIX or not parts[2].startswith("v"):
        raise QrError(_("This is not the QR code of an E-saylov protocol."))
    subject, version, body, digest = parts[1], parts[2][1:], parts[3], parts[4]
    try:
        figures = {k: int(v) for k, v in (item.split("=", 1) for item in body.split(";") if item)}
        number = int(version)
    except ValueError as exc:
        raise QrError(_("The QR code's figures cannot be read.")) from exc
    if rules.checksum(subject, figures) != digest:
        raise QrError(_("The QR code's checksum does not match its figures: the code was altered or misread."))
    return QrProtocol(subject=subject, version=number, figures=figures, checksum=digest)


def decode_image(data: bytes) -> QrProtocol:
    """Find and read the protocol QR code in a photo or scan (PNG or JPEG)."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise QrError(_("The file is not an image that can be read.")) from exc
    for code in zxingcpp.read_barcodes(image.convert("L")):
        if code.text.startswith(PREFIX):
            return parse(code.text)
    raise QrError(_("No protocol QR code was found in the image."))
