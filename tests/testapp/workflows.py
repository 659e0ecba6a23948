"""The policy of the test-only workflow model: the applicant submits, any official decides."""

from core.services import notification_queue
from core.workflow import APPLICANT, register_policy
from elections.calendar import CalendarPolicy
from tests.testapp.models import SampleApplication


@register_policy(SampleApplication)
class SampleApplicationPolicy(CalendarPolicy):
    def can(self, obj, user, transition):
        if transition.by == APPLICANT:
            return user == obj.applicant
        return user.is_official

    def notify(self, obj, change):
        notification_queue(recipient=obj.applicant, subject=f"Status: {change.to_state}", body=change.reason or change.to_state)
