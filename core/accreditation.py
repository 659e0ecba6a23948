"""What observer and press accreditations share (``core.credentials`` prints the card of either).

An accreditation is a person's application, for one election, that goes through a workflow and, once
approved, carries a credential whose card says what it covers (``credential_scope``).  The concrete model
names the person (``holder_field``: the observer, the journalist) and adds what it covers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import WorkflowModel


class Accreditation(WorkflowModel):
    holder_field = ""

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("election")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{getattr(self, self.holder_field)} ({self.election})"

    @property
    def holder(self):
        """The accredited person (an ``Observer``, a ``Journalist``)."""
        return getattr(self, self.holder_field)

    def credential_scope(self) -> str:
        """What the card says it covers, in the reader's language (``core.models.Credential.scope_display``)."""
        raise NotImplementedError
