"""Reads owned by core."""

from __future__ import annotations

from dataclasses import dataclass

from core import audit
from core.models import AuditEvent, Credential


@dataclass
class ChainReport:
    checked: int
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def audit_chain_verify(*, batch: int = 5000) -> ChainReport:
    """Recompute every event's hash in id order; stop at the first break."""
    prev = audit.GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return ChainReport(checked)
        for event in rows:
            if event.prev_hash != prev:
                return ChainReport(checked, event.pk, "previous hash does not match the event before it")
            if audit.hash_of(event) != event.hash:
                return ChainReport(checked, event.pk, "contents do not match the stored hash")
            prev = event.hash
            checked += 1
            last_id = event.pk


def credential_by_token(token: str):
    """The credential a QR code points to (revoked and expired ones included), or None."""

    if not token or len(token) > 64:
        return None
    return Credential.objects.select_related("election").filter(token=token).first()
