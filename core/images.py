"""Uploaded images checked by their content (never by their name): one check for every app."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, UnidentifiedImageError

#: Pillow format name -> (content type, file extension) of the images we accept.
ACCEPTED = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
DEFAULT_MAX_BYTES = 5 * 2**20
MAX_PIXELS = 40_000_000


def image_check(uploaded, *, max_bytes: int = DEFAULT_MAX_BYTES, field: str = "photo") -> tuple[str, str]:
    """Return ``(content_type, extension)`` of a JPEG or PNG image; raise ``ValidationError`` otherwise.

    The file must be at most ``max_bytes`` and Pillow must recognise and verify it
    (a renamed PDF or a truncated image is refused).  The file is rewound.
    """

    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            {
                field: ValidationError(
                    _("The image is larger than %(mb)s MB.") % {"mb": round(max_bytes / 2**20, 1)}, code="too_large"
                )
            }
        )
    if size == 0:
        raise ValidationError({field: ValidationError(_("The file is empty."), code="empty")})
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as img:
            fmt = img.format
            if img.width * img.height > MAX_PIXELS:
                raise ValidationError({field: ValidationError(_("The image has too many pixels."), code="too_large")})
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        fmt = None
    finally:
        uploaded.seek(0)
    if fmt not in ACCEPTED:
        raise ValidationError(
            {
                field: ValidationError(
                    _("The content of this file is not a JPEG or PNG image (whatever its name says)."), code="wrong_content"
                )
            }
        )
    return ACCEPTED[fmt]


def placeholder_portrait(name: str):
    """A plain grey portrait placeholder for demo data: a real PNG, so it passes ``image_check``."""

    img = Image.new("RGB", (300, 400), (225, 228, 232))
    draw = ImageDraw.Draw(img)
    draw.ellipse((95, 70, 205, 190), fill=(150, 156, 165))
    draw.rounded_rectangle((55, 210, 245, 400), radius=60, fill=(150, 156, 165))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
