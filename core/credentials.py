"""The shared credential component: observer badges and press cards (one implementation for both).

A credential is issued for a *subject* (an accreditation row of any app) and
printed as a card-sized PDF whose QR code opens the public verification page
``/verify/<token>/``.  The token is random (``secrets.token_urlsafe(32)``) and
never derived from the printed number.  Revocation takes effect at once: the
verification page reads the row on every request.

Interface (agreed between the observers and media apps; do not rename):
``credential_issue``, ``credential_revoke``, ``credential_for``,
``credential_status``, ``credential_pdf``.
"""

from __future__ import annotations

import io
from datetime import date

import segno
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from core.images import image_check
from core.models import Credential
from core.pdf import FONT, FONT_BOLD, register_fonts
from core.services import audit_record
from core.workflow import State

VALID, REVOKED, EXPIRED = "valid", "revoked", "expired"
_SEQUENCES = {Credential.Kind.OBSERVER_BADGE: "core_credential_ob_seq", Credential.Kind.PRESS_CARD: "core_credential_pc_seq"}


def _subject_filter(subject) -> dict:
    return {"content_type": ContentType.objects.get_for_model(type(subject)), "object_id": subject.pk}


def _next_number(kind: str) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(%s)", [_SEQUENCES[kind]])
        (value,) = cur.fetchone()
    return f"{Credential.PREFIX[kind]}-{value:06d}"


def _photo_content(photo) -> tuple[bytes, str] | None:
    """The photo's bytes and extension, checked as an image; None when there is no photo.

    ``photo`` is a stored file (``FieldFile``), an uploaded file, or bytes.
    """
    if not photo:
        return None
    if isinstance(photo, bytes | bytearray):
        photo = ContentFile(bytes(photo), name="photo")
    stored = isinstance(photo, FieldFile)
    if stored:
        photo.open("rb")
    try:
        _content_type, ext = image_check(photo)
        return photo.read(), ext
    finally:
        if stored:
            photo.close()


def credential_for(subject) -> Credential | None:
    """The subject's unrevoked credential, or None."""
    return Credential.objects.filter(**_subject_filter(subject), revoked_at__isnull=True).first()


def credential_of_approved(subject) -> Credential | None:
    """The credential to show or print for a workflow subject: its unrevoked credential while it is approved
    (``core.workflow.State.APPROVED``), else None."""
    return credential_for(subject) if subject.status == State.APPROVED else None


def check_accreditation_open(election) -> None:
    """Nobody is accredited once election day has passed (``Election.is_over``): badges and press cards are
    for the vote and the count, so an application still open then is refused or withdrawn, never approved.
    Raises ``ValidationError`` (code ``election_over``); both accreditation workflows check it on approval."""
    if election.is_over:
        raise ValidationError(
            _(
                "Cannot accredit: election day (%(day)s) has passed, and no badge or press card is issued after the "
                "election. Refuse the application instead."
            )
            % {"day": date_format(election.election_day, "DATE_FORMAT")},
            code="election_over",
        )


def credential_issue(
    *,
    subject,
    kind: str,
    holder_name: str,
    organisation: str,
    scope_text: str,
    election,
    photo,
    valid_until: date,
    actor,
    request=None,
) -> Credential:
    """Issue a credential for ``subject``; idempotent: an existing unrevoked credential is returned as it is."""
    if kind not in Credential.Kind.values:
        raise ValidationError({"kind": _("Unknown credential kind.")}, code="invalid")
    existing = credential_for(subject)
    if existing is not None:
        return existing
    content = _photo_content(photo)
    try:
        with transaction.atomic():
            credential = Credential(
                kind=kind,
                number=_next_number(kind),
                election=election,
                **_subject_filter(subject),
                holder_name=holder_name.strip()[:300],
                organisation=(organisation or "").strip()[:300],
                scope_text=(scope_text or "").strip()[:1000],
                valid_from=timezone.localdate(),
                valid_until=valid_until,
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            if valid_until < credential.valid_from:
                credential.valid_from = valid_until
            credential.full_clean(exclude=["photo", "token", "number", "content_type", "object_id"])
            if content is not None:
                data, ext = content
                credential.photo.save(f"{credential.number}{ext}", ContentFile(data), save=False)
            credential.save()
            audit_record(
                actor=actor,
                action="core.credential.issue",
                obj=credential,
                request=request,
                after={
                    "kind": kind,
                    "number": credential.number,
                    "subject": f"{subject._meta.label_lower}:{subject.pk}",
                    "valid_until": valid_until,
                },
            )
    except IntegrityError:
        # Another request issued one for the same subject at the same moment: that one stands.
        existing = credential_for(subject)
        if existing is None:
            raise
        return existing
    return credential


def credential_revoke(*, subject, reason: str, actor, request=None) -> Credential | None:
    """Revoke the subject's credential now (the verification page shows it at once); None if it had none."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A reason is required to revoke a credential.")}, code="reason_required")
    with transaction.atomic():
        credential = Credential.objects.select_for_update().filter(**_subject_filter(subject), revoked_at__isnull=True).first()
        if credential is None:
            return None
        credential.revoked_at = timezone.now()
        credential.revoked_reason = reason[:1000]
        credential.save(update_fields=["revoked_at", "revoked_reason"])
        audit_record(
            actor=actor,
            action="core.credential.revoke",
            obj=credential,
            request=request,
            before={"revoked_at": None},
            after={"revoked_at": credential.revoked_at, "reason": reason},
        )
    return credential


def credential_status(credential: Credential, *, today: date | None = None) -> str:
    """``"revoked"``, ``"expired"`` (after ``valid_until``) or ``"valid"``."""
    if credential.revoked_at is not None:
        return REVOKED
    if (today or timezone.localdate()) > credential.valid_until:
        return EXPIRED
    return VALID


def credential_verify_path(credential: Credential) -> str:
    """The path of the public verification page (callers make it absolute with ``request.build_absolute_uri``)."""
    return reverse("core:credential_verify", args=[credential.token])


# --------------------------------------------------------------------------- PDF

#: ID-1 card (ISO/IEC 7810), landscape.
CARD_WIDTH_MM, CARD_HEIGHT_MM = 85.6, 54.0


def _fit_lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines = simpleSplit(text or "", font, size, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, len(lines[-1]) - 1)] + "…"
    return lines


def credential_pdf(credential: Credential, *, verify_url: str) -> bytes:
    """A card-sized PDF: photo, name, organisation or outlet, election, scope, validity, number and a QR code
    (made with segno) that encodes ``verify_url``."""

    register_fonts()
    width, height = CARD_WIDTH_MM * mm, CARD_HEIGHT_MM * mm
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(width, height), pageCompression=1)
    canv.setTitle(f"{credential.number} {credential.holder_name}")
    canv.setAuthor(_("E-saylov"))

    # Header band: what the card is and the election.
    band = 9 * mm
    canv.setFillColor(
        colors.HexColor("#0b5394") if credential.kind == Credential.Kind.OBSERVER_BADGE else colors.HexColor("#7f1d1d")
    )
    canv.rect(0, height - band, width, band, stroke=0, fill=1)
    canv.setFillColor(colors.white)
    title = _("OBSERVER") if credential.kind == Credential.Kind.OBSERVER_BADGE else _("PRESS")
    canv.setFont(FONT_BOLD, 10)
    canv.drawString(3 * mm, height - 5 * mm, title)
    canv.setFont(FONT, 5.5)
    election_lines = _fit_lines(str(credential.election), FONT, 5.5, width - 30 * mm, 2)
    for i, line in enumerate(election_lines):
        canv.drawRightString(width - 3 * mm, height - 3.8 * mm - i * 2.4 * mm, line)

    # Photo (left).
    photo_w, photo_h = 20 * mm, 25 * mm
    photo_x, photo_y = 3 * mm, height - band - 2 * mm - photo_h
    canv.setStrokeColor(colors.grey)
    canv.rect(photo_x, photo_y, photo_w, photo_h, stroke=1, fill=0)
    if credential.photo:
        try:
            with credential.photo.open("rb") as fh:
                canv.drawImage(
                    ImageReader(io.BytesIO(fh.read())), photo_x, photo_y, photo_w, photo_h, preserveAspectRatio=True, anchor="c"
                )
        except (OSError, ValueError):
            pass  # a missing file leaves the empty frame; the verification page is the authority

    # QR code (right): the verification link.
    qr_size = 25 * mm
    qr_x, qr_y = width - 2 * mm - qr_size, 2.5 * mm
    qr_png = io.BytesIO()
    qr = segno.make(verify_url, error="m")
    qr.save(qr_png, kind="png", scale=6, border=4)
    quiet = qr_size * 4 / qr.symbol_size(border=4)[0]  # the white border inside the image
    qr_png.seek(0)
    canv.drawImage(ImageReader(qr_png), qr_x, qr_y, qr_size, qr_size)

    # Text (middle).
    text_x = photo_x + photo_w + 2.5 * mm
    text_w = qr_x - text_x - 1 * mm
    y = height - band - 4.5 * mm
    canv.setFillColor(colors.black)
    for line in _fit_lines(credential.holder_name, FONT_BOLD, 8, text_w, 2):
        canv.setFont(FONT_BOLD, 8)
        canv.drawString(text_x, y, line)
        y -= 3.4 * mm
    canv.setFont(FONT, 6)
    for line in _fit_lines(credential.organisation, FONT, 6, text_w, 2):
        canv.drawString(text_x, y, line)
        y -= 2.6 * mm
    y -= 0.8 * mm
    canv.setFont(FONT, 5.5)
    for line in _fit_lines(credential.scope_display, FONT, 5.5, text_w, 4):
        canv.drawString(text_x, y, line)
        y -= 2.4 * mm

    # Number and validity (bottom left, under the photo).
    canv.setFont(FONT_BOLD, 7)
    canv.drawString(3 * mm, 7 * mm, credential.number)
    canv.setFont(FONT, 5.5)
    canv.drawString(
        3 * mm,
        3.5 * mm,
        _("Valid %(start)s – %(end)s")
        % {
            "start": date_format(credential.valid_from, "SHORT_DATE_FORMAT"),
            "end": date_format(credential.valid_until, "SHORT_DATE_FORMAT"),
        },
    )
    canv.setFont(FONT, 4.5)
    canv.drawCentredString(qr_x + qr_size / 2, qr_y + qr_size - quiet + 0.8 * mm, _("Scan to verify"))
    canv.showPage()
    canv.save()
    return out.getvalue()
