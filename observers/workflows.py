"""The policy of observer accreditations (``core.workflow``).

The observer (their own account) or a coordinator of their organisation applies before the calendar's
``accreditation_closes`` and may withdraw; the commission responsible for *all* the precincts applied for
(a member whose area covers every one of them, or the CEC) decides within ``accreditation_decision_days`` of
submission and may revoke; the observer and the coordinators hear of every step.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from core.services import notification_queue
from core.workflow import APPLICANT, register_policy
from elections.calendar import CalendarPolicy
from observers.models import PENDING_STATES, ObserverAccreditation


def coordinates(user, organization) -> bool:
    """CEC staff, or a coordinator holding the guardian grant on this organisation."""
    return bool(
        user and user.is_authenticated and (user.is_cec or user.has_perm("observers.coordinate_organization", organization))
    )


def decided_by(accreditation, user) -> bool:
    """The commission responsible: a member whose area covers every precinct applied for (or the CEC)."""
    return scope_for(user).covers_all(accreditation.precincts.select_related("district"))


@register_policy(ObserverAccreditation)
class ObserverAccreditationPolicy(CalendarPolicy):
    def can(self, obj, user, transition) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if transition.by == APPLICANT:
            own = obj.observer.user_id is not None and obj.observer.user_id == user.pk
            return own or coordinates(user, obj.organization)
        return decided_by(obj, user)

    def decision_due(self, obj):
        """Submitted + the election's ``accreditation_decision_days`` (None before submission)."""
        return obj.election.decide_by(obj.submitted_at, "accreditation_decision_days")

    def is_overdue(self, obj) -> bool:
        due = self.decision_due(obj)
        return obj.status in PENDING_STATES and due is not None and timezone.now() > due

    def notify(self, obj, change) -> None:
        """The observer and the organisation's coordinators (sent after commit)."""
        observer = obj.observer
        recipients = {c.user_id: c.user for c in obj.organization.coordinators.select_related("user")}
        subject = _("Observer accreditation of %(name)s for %(election)s: %(state)s") % {
            "name": observer.full_name,
            "election": obj.election,
            "state": obj.get_status_display(),
        }
        body = subject + (f"\n\n{change.reason}" if change.reason else "")
        if observer.user_id:
            recipients[observer.user_id] = observer.user
        elif observer.email:
            notification_queue(address=observer.email, subject=subject, body=body)
        for user in recipients.values():
            notification_queue(recipient=user, subject=subject, body=body)
