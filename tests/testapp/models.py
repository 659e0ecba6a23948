"""A test-only model that takes part in the shared workflow (installed by settings_test)."""

from django.conf import settings
from django.db import models

from core.workflow import WorkflowModel


class SampleApplication(WorkflowModel):
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")

    class Meta:
        app_label = "testapp"

    def __str__(self):
        return f"application {self.pk}"
