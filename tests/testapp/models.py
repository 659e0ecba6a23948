"""A test-only model that takes part in the shared workflow (installed by settings_test)."""

from django.conf import settings
from django.db import models

from core.services import notification_queue
from core.workflow import APPLICANT, WorkflowModel


class SampleApplication(WorkflowModel):
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return f"application {self.pk}"

    def workflow_can(self, user, transition):
        if transition.by == APPLICANT:
            return user == self.applicant
        return user.is_official

    def workflow_deadline(self, key):
        return self.election.deadline_due(key)

    def workflow_notify(self, change):
        notification_queue(recipient=self.applicant, subject=f"Status: {change.to_state}",
                           body=change.reason or change.to_state)
