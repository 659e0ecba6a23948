"""Election day and the count: turnout reports, precinct result protocols and their versions.

A protocol's figures are kept as a mapping of line key to number (``results.protocol``: the fixed lines,
then ``votes:<key>`` for each candidate or party), so that the lines stay data per election kind.  The
figures are never edited: an accepted entry, a correction or a recount is a new ``ProtocolVersion``, and
the protocol points at its current one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import AreaQuerySet
from core.workflow import Transition, Workflow, WorkflowModel

PRECINCT_AREA = {"region": "precinct__district__region", "district": "precinct__district", "precinct": "precinct"}


class PrecinctRowQuerySet(AreaQuerySet):
    """Rows of one precinct lie in its area (``TurnoutReport.objects.restrict(user)`` ...)."""

    area_paths = PRECINCT_AREA


class TurnoutReport(models.Model):
    """How many voters of a precinct had voted by one of the election's reporting times."""

    objects = PrecinctRowQuerySet.as_manager()

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="turnout_reports", verbose_name=_("election")
    )
    precinct = models.ForeignKey(
        "elections.Precinct", on_delete=models.PROTECT, related_name="turnout_reports", verbose_name=_("precinct")
    )
    at = models.TimeField(_("reporting time"))
    voted_station = models.PositiveIntegerField(_("voted at the polling station"))
    voted_early = models.PositiveIntegerField(_("voted early"), default=0)
    voted_home = models.PositiveIntegerField(_("voted at home"), default=0)
    on_list = models.PositiveIntegerField(_("voters on the list"), validators=[MinValueValidator(0)])
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    corrections = models.PositiveIntegerField(_("corrections"), default=0)

    class Meta:
        ordering = ["election", "precinct", "at"]
        verbose_name = _("turnout report")
        verbose_name_plural = _("turnout reports")
        constraints = [
            models.UniqueConstraint(fields=["election", "precinct", "at"], name="turnout_one_per_time"),
            models.CheckConstraint(
                name="turnout_within_list",
                condition=models.Q(on_list__gte=models.F("voted_station") + models.F("voted_early") + models.F("voted_home")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.precinct} {self.at:%H:%M}: {self.voted}"

    @property
    def voted(self) -> int:
        return self.voted_station + self.voted_early + self.voted_home


class TurnoutPublication(models.Model):
    """The CEC published the turnout of one reporting time: from then on it is corrected only with a reason,
    by the district commission."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="turnout_publications")
    at = models.TimeField(_("reporting time"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["election", "at"]
        verbose_name = _("turnout publication")
        verbose_name_plural = _("turnout publications")
        constraints = [models.UniqueConstraint(fields=["election", "at"], name="turnout_published_once")]

    def __str__(self) -> str:
        return f"{self.election} {self.at:%H:%M}"


class ProtocolState(models.TextChoices):
    ENTERED = "entered", _("entered")
    VERIFIED = "verified", _("verified by the district")
    CERTIFIED = "certified", _("certified")
    PUBLISHED = "published", _("published")


#: entered -> verified by the district -> certified -> published; an approved correction (a new version)
#: returns the protocol to "entered", to be verified again.
PROTOCOL_WORKFLOW = Workflow(
    Transition("correct", tuple(ProtocolState.values), ProtocolState.ENTERED, "reviewer", _("Correct"), reason_required=True),
    Transition("verify", (ProtocolState.ENTERED,), ProtocolState.VERIFIED, "reviewer", _("Verify")),
    Transition("certify", (ProtocolState.VERIFIED,), ProtocolState.CERTIFIED, "reviewer", _("Certify")),
    Transition("publish", (ProtocolState.CERTIFIED,), ProtocolState.PUBLISHED, "reviewer", _("Publish")),
)


class ProtocolQuerySet(PrecinctRowQuerySet):
    def published(self):
        return self.filter(status=ProtocolState.PUBLISHED)


class Protocol(WorkflowModel):
    """The result protocol of one precinct for one contest (a constituency's ballot) of an election."""

    workflow = PROTOCOL_WORKFLOW
    objects = ProtocolQuerySet.as_manager()

    status = models.CharField(_("status"), max_length=20, choices=ProtocolState, default=ProtocolState.ENTERED, db_index=True)
    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="protocols", verbose_name=_("election")
    )
    constituency = models.ForeignKey(
        "elections.Constituency", on_delete=models.PROTECT, related_name="protocols", verbose_name=_("constituency")
    )
    precinct = models.ForeignKey(
        "elections.Precinct", on_delete=models.PROTECT, related_name="protocols", verbose_name=_("precinct")
    )
    current = models.OneToOneField(
        "ProtocolVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("current version")
    )

    class Meta:
        ordering = ["election", "constituency", "precinct"]
        verbose_name = _("result protocol")
        verbose_name_plural = _("result protocols")
        constraints = [
            models.UniqueConstraint(fields=["constituency", "precinct"], name="protocol_one_per_precinct"),
        ]

    def __str__(self) -> str:
        return f"{self.precinct} / {self.constituency}"


class ProtocolEntry(models.Model):
    """One member's blind entry of a protocol's figures; two matching entries make a version."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("waiting for the second entry")
        MATCHED = "matched", _("matched")
        MISMATCHED = "mismatched", _("did not match")

    objects = PrecinctRowQuerySet.as_manager()

    constituency = models.ForeignKey("elections.Constituency", on_delete=models.PROTECT, related_name="+")
    precinct = models.ForeignKey("elections.Precinct", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveIntegerField(_("round"), default=1)
    figures = models.JSONField(_("figures"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.WAITING)
    mismatched_fields = models.JSONField(_("fields that did not match"), default=list, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("protocol entry")
        verbose_name_plural = _("protocol entries")
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "precinct", "round", "entered_by"], name="protocol_entry_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.precinct} / {self.constituency} #{self.round} ({self.entered_by})"


class ProtocolVersion(models.Model):
    """The figures of a protocol at one version: never edited once written."""

    class Kind(models.TextChoices):
        COUNT = "count", _("count")
        CORRECTION = "correction", _("correction")
        RECOUNT = "recount", _("recount")

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COUNT)
    figures = models.JSONField(_("figures"))
    checksum = models.CharField(_("checksum"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["protocol", "number"]
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        constraints = [models.UniqueConstraint(fields=["protocol", "number"], name="protocol_version_unique")]

    def __str__(self) -> str:
        return f"{self.protocol} v{self.number}"


class ProtocolCorrection(models.Model):
    """A correction (or a recount) of a protocol: proposed figures with a reason by one official, approved by
    another of a commission above the precinct; the approval writes the new version."""

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="corrections")
    recount = models.BooleanField(_("recount"), default=False)
    reason = models.TextField(_("reason"))
    figures = models.JSONField(_("figures"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    version = models.OneToOneField(ProtocolVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="correction")

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("protocol correction")
        verbose_name_plural = _("protocol corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol"], condition=models.Q(version__isnull=True), name="protocol_one_open_correction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protocol}: {self.reason[:40]}"


class ProtocolScan(models.Model):
    """The scan or photo of the signed paper protocol, kept with the version it was signed for."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="scans")
    file = models.FileField(_("file"), upload_to="protocol-scans/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("protocol scan")
        verbose_name_plural = _("protocol scans")

    def __str__(self) -> str:
        return f"{self.version} scan {self.sha256[:8]}"


class SeatCalculation(models.Model):
    """Who won a contest: the calculation from its certified protocols, with the lot's seed, kept as computed.

    ``sheet`` is the published calculation (quota or divisors, whole seats and remainders, who got the
    remaining seats and why, the elected candidates); a recalculation is a new row.
    """

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="seat_calculations")
    constituency = models.ForeignKey(
        "elections.Constituency", on_delete=models.PROTECT, related_name="seat_calculations", verbose_name=_("constituency")
    )
    outcome = models.CharField(_("outcome"), max_length=20)
    method = models.CharField(_("method"), max_length=20, blank=True)
    seed = models.BigIntegerField(_("lot seed"))
    sheet = models.JSONField(_("calculation sheet"))
    calculated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    calculated_at = models.DateTimeField(_("calculated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["constituency", "-calculated_at"]
        verbose_name = _("seat calculation")
        verbose_name_plural = _("seat calculations")

    def __str__(self) -> str:
        return f"{self.constituency}: {self.outcome}"


class ObserverCopyQuerySet(PrecinctRowQuerySet):
    pass


class ObserverProtocolCopy(models.Model):
    """The copy of a precinct protocol an accredited observer was given: its figures and a photo, compared with
    the official protocol (``results.selectors.copy_differences``)."""

    objects = ObserverCopyQuerySet.as_manager()

    constituency = models.ForeignKey(
        "elections.Constituency", on_delete=models.PROTECT, related_name="+", verbose_name=_("constituency")
    )
    precinct = models.ForeignKey("elections.Precinct", on_delete=models.PROTECT, related_name="+", verbose_name=_("precinct"))
    observer = models.ForeignKey(
        "observers.Observer", on_delete=models.PROTECT, related_name="protocol_copies", verbose_name=_("observer")
    )
    organization = models.ForeignKey(
        "observers.ObserverOrganization", on_delete=models.PROTECT, related_name="protocol_copies", verbose_name=_("organisation")
    )
    figures = models.JSONField(_("figures"))
    photo = models.FileField(_("photo"), upload_to="protocol-copies/%Y/%m/")
    photo_type = models.CharField(_("content type"), max_length=40)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("observer's protocol copy")
        verbose_name_plural = _("observers' protocol copies")

    def __str__(self) -> str:
        return f"{self.precinct} / {self.constituency} ({self.observer})"
