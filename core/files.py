"""Uploaded files: what every app that keeps one needs to know of it."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.images import image_check

#: PDFs are recognised by their first bytes, never by their name.
PDF_MAGIC = b"%PDF-"


def sha256_hex(uploaded_file) -> str:
    """The SHA-256 of an uploaded file's content, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def pdf_check(uploaded_file, *, limit: int, field: str = "file") -> str:
    """The SHA-256 of an uploaded file whose content (not name) is a PDF of at most ``limit`` bytes.

    Raises ``ValidationError`` on ``field`` (codes ``too_large``, ``wrong_content``); stores nothing.
    """
    if uploaded_file.size > limit:
        raise ValidationError(
            {field: ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20}, code="too_large")}
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(len(PDF_MAGIC))
    uploaded_file.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            {
                field: ValidationError(
                    _("The content of this file is not %(types)s (whatever its name says).") % {"types": "PDF"},
                    code="wrong_content",
                )
            }
        )
    return sha256_hex(uploaded_file)


def scan_check(uploaded_file, *, limit: int, field: str = "file") -> tuple[str, str]:
    """``(content type, sha256)`` of a scan or photo of a paper document: a PDF, a JPEG or a PNG by content."""
    uploaded_file.seek(0)
    head = uploaded_file.read(len(PDF_MAGIC))
    uploaded_file.seek(0)
    if head == PDF_MAGIC:
        return "application/pdf", pdf_check(uploaded_file, limit=limit, field=field)
    try:
        content_type = image_check(uploaded_file, max_bytes=limit, field=field)[0]
    except ValidationError as exc:
        raise ValidationError(
            {
                field: ValidationError(
                    _("The content of this file is not %(types)s (whatever its name says).") % {"types": "PDF, JPEG, PNG"},
                    code=exc.error_dict[field][0].code,
                )
            }
        ) from exc
    return content_type, sha256_hex(uploaded_file)
