"""Election-day incident reports: an accredited observer or journalist reports what happened at a precinct,
and a commission whose area covers the precinct answers and closes the report.

The tables are the ones the observers app created (``observers_incident``, ``observers_incidentphoto``):
the models moved here without copying a row (``incidents/migrations/0001_initial.py``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import AreaQuerySet


class IncidentQuerySet(AreaQuerySet):
    """An incident lies in the area of its precinct (``Incident.objects.restrict(user)``)."""

    area_paths = {"region": "precinct__district__region", "district": "precinct__district", "precinct": "precinct"}


class Incident(models.Model):
    """An election-day report by an accredited observer or journalist about a precinct."""

    class Category(models.TextChoices):
        VOTER_LIST = "voter_list", _("voter list problems")
        BALLOT_BOX = "ballot_box", _("ballot box or ballots")
        PROCEDURE = "procedure", _("voting procedure")
        PRESSURE = "pressure", _("pressure on voters or campaigning")
        OBSTRUCTION = "obstruction", _("observers or journalists obstructed")
        COUNTING = "counting", _("counting")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("election")
    )
    precinct = models.ForeignKey(
        "elections.Precinct", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("precinct")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("reported by")
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"), max_length=5000)
    occurred_at = models.DateTimeField(_("time of the incident"))
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    answer = models.TextField(_("answer of the commission"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        db_table = "observers_incident"  # created by the observers app; kept when the model moved here
        ordering = ["-created_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            # answered and closed incidents carry the commission's answer
            models.CheckConstraint(name="incident_answered_has_answer", condition=models.Q(status="open") | ~models.Q(answer="")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()} ({self.precinct})"

    @property
    def age(self):
        return (self.closed_at or timezone.now()) - self.created_at


class IncidentPhoto(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos", verbose_name=_("incident"))
    # Private storage: served only to those who may see the incident.
    file = models.FileField(_("photo"), upload_to="incident-photos/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=20)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        db_table = "observers_incidentphoto"  # as Incident's
        ordering = ["incident", "id"]
        verbose_name = _("incident photo")
        verbose_name_plural = _("incident photos")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.pk}"
