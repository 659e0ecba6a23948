"""The policy of press accreditations (``core.workflow``).

The outlet's editors (and the CEC press service on their behalf) apply before the calendar's
``accreditation_closes`` and may withdraw; only the CEC press service (CEC staff and administrators,
docs/media.md) decides and revokes, within ``accreditation_decision_days`` of the submission (shown, not
enforced); the journalist and the outlet's editors hear of every step.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.services import notification_queue
from core.workflow import APPLICANT, register_policy
from elections.calendar import CalendarPolicy
from media_accreditation.models import MediaAccreditation


def is_press_service(user) -> bool:
    """The CEC press service decides on media accreditations: CEC staff and administrators (docs/media.md)."""
    return bool(user and user.is_authenticated and user.is_cec)


def acts_for_outlet(user, outlet) -> bool:
    """The press service, or an editor holding the guardian grant on ``outlet``."""
    return is_press_service(user) or bool(
        user and user.is_authenticated and user.has_perm("media_accreditation.act_for_outlet", outlet)
    )


@register_policy(MediaAccreditation)
class MediaAccreditationPolicy(CalendarPolicy):
    def can(self, obj, user, transition) -> bool:
        if transition.by == APPLICANT:
            return acts_for_outlet(user, obj.journalist.outlet)
        return is_press_service(user)

    def decide_by(self, obj):
        """The last submission (``submitted_at`` where a selector annotated it) plus the rule's days."""
        submitted = getattr(obj, "submitted_at", None) or obj.status_changed_at
        return obj.election.decide_by(submitted, "accreditation_decision_days")

    def notify(self, obj, change) -> None:
        """The journalist and the outlet's editors (sent after commit)."""
        journalist = obj.journalist
        recipients = {e.user_id: e.user for e in journalist.outlet.editors.select_related("user")}
        if journalist.user_id:
            recipients[journalist.user_id] = journalist.user
        subject = _("Press accreditation of %(name)s for %(election)s: %(state)s") % {
            "name": journalist.full_name,
            "election": obj.election,
            "state": obj.get_status_display(),
        }
        for user in recipients.values():
            notification_queue(recipient=user, subject=subject, body=change.reason or subject)
