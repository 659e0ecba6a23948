"""The policy of requests to vote elsewhere (``core.workflow``): the voter submits and withdraws through the
public service; the commission of the target precinct (or one above it) decides, before the calendar's
"requests to vote elsewhere close"; the voter is told the decision at the e-mail address they gave."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.scope import scope_for
from core.services import notification_queue
from core.workflow import APPLICANT, register_policy
from elections.calendar import CalendarPolicy
from voters.models import VotingLocationRequest


@register_policy(VotingLocationRequest)
class LocationRequestPolicy(CalendarPolicy):
    def can(self, obj, user, transition) -> bool:
        if transition.by == APPLICANT:
            return True  # the public service checks the PINFL / tracking code and birth date first
        return scope_for(user).covers(obj.precinct)

    def notify(self, obj, change) -> None:
        if change.to_state not in ("approved", "rejected") or "@" not in obj.contact:
            return  # a phone number is read by the commission; only decisions are sent
        notification_queue(
            address=obj.contact,
            subject=_("Your request %(code)s") % {"code": obj.tracking_code},
            body=_("Your request to vote at precinct No. %(n)s was %(state)s. %(reason)s")
            % {"n": obj.precinct.number, "state": obj.get_status_display(), "reason": change.reason},
        )
