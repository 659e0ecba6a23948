"""The policy of result protocols (``core.workflow``).

The precinct commission enters its protocol (``results.services.protocol_entry_submit``: two members, blind);
a member of the district commission whose area covers the precinct verifies it; the CEC certifies and
publishes.  A correction is approved by a commission above the precinct whose area covers it; it returns
the protocol to "entered".
"""

from __future__ import annotations

from accounts.scope import level_scope
from core.workflow import WorkflowPolicy, register_policy
from results.models import Protocol, ProtocolState

#: Commission levels above the precinct, from the nearest.
ABOVE_PRECINCT = ("district", "regional", "central")


def enters_for(user, precinct) -> bool:
    """A member of the precinct's own commission."""
    return level_scope(user, "precinct").covers(precinct)


def verifies_for(user, precinct) -> bool:
    """A member of the district commission whose area covers the precinct."""
    return level_scope(user, "district").covers(precinct)


def above_precinct(user, precinct) -> bool:
    """A member of a district, regional or the central commission whose area covers the precinct."""
    return any(level_scope(user, level).covers(precinct) for level in ABOVE_PRECINCT)


def central(user) -> bool:
    return bool(user and user.is_authenticated and user.is_official and user.is_cec)


def moved_on_by(user, state: str, protocols):
    """``protocols`` (a queryset) narrowed to those ``user`` moves on from ``state``: the queryset form of the
    policy below (an entered one by the district commission covering it; verified and certified ones by the
    central commission)."""
    if state == ProtocolState.ENTERED:
        return protocols.in_scope(level_scope(user, "district"))
    if state in (ProtocolState.VERIFIED, ProtocolState.CERTIFIED):
        return protocols if central(user) else protocols.none()
    return protocols.none()


@register_policy(Protocol)
class ProtocolPolicy(WorkflowPolicy):
    def can(self, obj, user, transition) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if transition.name == "verify":
            return verifies_for(user, obj.precinct)
        if transition.name in ("certify", "publish"):
            return central(user)
        if transition.name == "correct":
            return above_precinct(user, obj.precinct)
        return False
