"""The audit log's hash chain: one definition used to write and to verify."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

GENESIS = "0" * 64
#: Serialises writers so that each event sees the previous event's hash.
ADVISORY_LOCK_KEY = 0x5A_A7_D1_70


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def to_json(value):
    """Normalise ``before``/``after`` to plain JSON, exactly as it will be stored."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def event_hash(
    *,
    prev_hash: str,
    created_at: datetime,
    actor_id,
    actor_repr: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before,
    after,
    ip,
) -> str:
    payload = {
        "prev": prev_hash,
        "at": created_at.astimezone(tz=None).isoformat() if created_at.tzinfo is None else created_at.isoformat(),
        "actor_id": actor_id,
        "actor": actor_repr,
        "action": action,
        "type": object_type,
        "id": object_id,
        "repr": object_repr,
        "before": before,
        "after": after,
        "ip": ip,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)
    return hashlib.sha256(canonical.encode()).hexdigest()


def hash_of(event) -> str:
    """Recompute an ``AuditEvent`` row's hash from its stored fields."""

    return event_hash(
        prev_hash=event.prev_hash,
        created_at=event.created_at.astimezone(UTC),
        actor_id=event.actor_id,
        actor_repr=event.actor_repr,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        before=event.before,
        after=event.after,
        ip=event.ip,
    )
