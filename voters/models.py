from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import AreaQuerySet
from core.pinfl import django_validator as pinfl_validator
from core.text import PlainTextValidator
from core.workflow import APPLICANT, REVIEWER, State, Transition, Workflow, WorkflowModel

#: Requests to vote elsewhere: submitted and decided before the calendar's deadline.
LOCATION_REQUEST_WORKFLOW = Workflow(
    Transition("submit", (State.DRAFT,), State.SUBMITTED, APPLICANT, _("Submit"), deadline="location_requests_close"),
    Transition("withdraw", (State.SUBMITTED, State.UNDER_REVIEW), State.WITHDRAWN, APPLICANT, _("Withdraw")),
    Transition(
        "approve",
        (State.SUBMITTED, State.UNDER_REVIEW),
        State.APPROVED,
        REVIEWER,
        _("Approve"),
        deadline="location_requests_close",
    ),
    Transition("reject", (State.SUBMITTED, State.UNDER_REVIEW), State.REJECTED, REVIEWER, _("Reject"), reason_required=True),
)


class VoterStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DECEASED = "deceased", _("deceased")
    INCAPABLE = "incapable", _("declared legally incapable by a court")
    EXCLUDED = "excluded", _("excluded")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class VoterQuerySet(AreaQuerySet):
    """``restrict(user)``: voters whose address district or precinct lies in the user's area;
    ``listed()``: those on the voter list (active, not retired by a confirmed duplicate)."""

    area_paths = {"region": "district__region", "district": "district", "precinct": "precinct"}

    def current(self):
        """Records not retired by a confirmed duplicate (a merged record keeps only its history)."""
        return self.filter(merged_into__isnull=True)

    def listed(self):
        """Voters on the list: active and current (``LISTED_SQL`` is the same rule for set-based SQL)."""
        return self.filter(status=VoterStatus.ACTIVE, merged_into__isnull=True)


def listed_sql(alias: str = "v") -> str:
    """``VoterQuerySet.listed`` as a condition on ``voters_voter`` rows named ``alias`` (imports, dedup, lookup)."""
    return f"{alias}.status = 'active' AND {alias}.merged_into_id IS NULL"


class Voter(models.Model):
    """One citizen in the unified electronic voter list."""

    objects = VoterQuerySet.as_manager()

    # Identifiers compare byte by byte (the "C" collation): the same answers for digits and Latin
    # capitals as any collation, and an index on them builds and searches about twice as fast.
    pinfl = models.CharField(_("PINFL"), max_length=14, validators=[pinfl_validator], db_collation="C")  # unique: see Meta
    passport = models.CharField(_("passport"), max_length=12, blank=True, db_collation="C")
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    # normalised Latin forms for matching (core.names.normalize_name)
    surname_key = models.CharField(max_length=100, editable=False, db_collation="C")  # compared bytewise, as
    given_key = models.CharField(max_length=100, editable=False, db_collation="C")  # the PINFL (prefix search too)
    patronymic_key = models.CharField(max_length=100, editable=False, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex)
    # Geography references are checked by the import's validation and protected by
    # on_delete=PROTECT in the ORM; without database FK triggers a million-row merge
    # runs several times faster (docs/scaling.md).
    district = models.ForeignKey(
        "elections.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
        db_constraint=False,
        db_index=False,
    )
    mahalla = models.ForeignKey(
        "elections.Mahalla",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mahalla"),
        db_constraint=False,
        db_index=False,
    )
    street = models.CharField(_("street"), max_length=150, blank=True)
    house = models.CharField(_("house"), max_length=20, blank=True)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    precinct = models.ForeignKey(
        "elections.Precinct",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voters",
        verbose_name=_("precinct"),
        db_constraint=False,
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=VoterStatus, default=VoterStatus.ACTIVE)
    status_reason = models.CharField(_("status reason"), max_length=300, blank=True, validators=[PlainTextValidator()])
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("merged into"), db_index=False
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("source"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    #: 64-bit hash of the registry row this record was last loaded from, as the file wrote it;
    #: cleared by every other change, so a re-import skips a row only while the record is that row.
    registry_hash = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        # Six indexes in all: each one costs time on every imported row.
        constraints = [models.UniqueConstraint(fields=["pinfl"], name="voter_pinfl_unique")]
        indexes = [
            models.Index(fields=["precinct", "status"], name="voter_precinct_status"),
            models.Index(fields=["district", "mahalla"], name="voter_district_mahalla"),
            models.Index(fields=["surname_key", "given_key", "birth_date"], name="voter_name_key"),
            models.Index(fields=["passport"], name="voter_passport", condition=~models.Q(passport="")),
        ]

    def __str__(self) -> str:
        return f"{self.surname} {self.given_name} {self.patronymic}".strip()

    @property
    def full_name(self) -> str:
        return str(self)


class VoterChange(models.Model):
    """The history of a voter record: what changed, when, why and by whom."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("registry import")
        CORRECTION = "correction", _("correction")
        MOVE = "move", _("move")
        DEATH = "death", _("death")
        COURT = "court", _("court decision")
        STATUS = "status", _("status change")
        MERGE = "merge", _("merge of duplicates")
        ASSIGNMENT = "assignment", _("precinct assignment")

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="changes")
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    changes = models.JSONField(_("changes"), default=dict)  # {field: [old, new]}
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    import_job = models.ForeignKey("ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    document = models.FileField(_("supporting document"), upload_to="voter-documents/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["voter", "created_at"], name="voterchange_voter_time")]
        verbose_name = _("voter change")
        verbose_name_plural = _("voter changes")

    def __str__(self) -> str:
        return f"{self.voter_id} {self.kind} {self.created_at:%Y-%m-%d}"


class ImportJob(models.Model):
    """A registry file being loaded into the voter list (see docs/formats/voter-import.md)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        VALIDATING = "validating", _("reading and checking rows")
        MERGING = "merging", _("merging into the list")
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    language = models.CharField(_("language of messages"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    message = models.TextField(_("message"), blank=True)
    total_estimate = models.BigIntegerField(_("rows (estimate)"), default=0)
    rows_read = models.BigIntegerField(_("rows read"), default=0)
    rows_valid = models.BigIntegerField(_("valid"), default=0)
    rows_invalid = models.BigIntegerField(_("invalid"), default=0)
    inserted = models.BigIntegerField(_("inserted"), default=0)
    updated = models.BigIntegerField(_("updated"), default=0)
    unchanged = models.BigIntegerField(_("unchanged"), default=0)
    retired = models.BigIntegerField(_("retired"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def rate(self) -> float:
        """Rows read per second so far."""
        if not (self.started_at and self.heartbeat_at) or not self.rows_read:
            return 0.0
        seconds = (self.heartbeat_at - self.started_at).total_seconds()
        return self.rows_read / seconds if seconds > 0 else 0.0

    @property
    def seconds_left(self) -> int | None:
        rate = self.rate
        if self.is_finished or not rate:
            return None
        # the merge takes about a third of the reading time
        return int(max(0, self.total_estimate - self.rows_read) / rate + self.total_estimate / rate / 3)

    @property
    def progress(self) -> float:
        if self.status == self.Status.DONE:
            return 1.0
        if not self.total_estimate:
            return 0.0
        # reading is ~90% of the work; the merge is the rest
        share = min(1.0, self.rows_read / self.total_estimate) * 0.9
        return share + (0.05 if self.status == self.Status.MERGING else 0.0)


class ImportRowError(models.Model):
    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="errors")
    row = models.BigIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    message = models.CharField(_("reason"), max_length=300)
    value = models.CharField(_("value"), max_length=200, blank=True)

    class Meta:
        ordering = ["row", "id"]
        verbose_name = _("import error")
        verbose_name_plural = _("import errors")

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


class AssignmentRule(models.Model):
    """Addresses → precinct: a whole mahalla, or one street of it (optionally a house range)."""

    mahalla = models.ForeignKey(
        "elections.Mahalla", on_delete=models.CASCADE, related_name="assignment_rules", verbose_name=_("mahalla")
    )
    street = models.CharField(_("street"), max_length=150, blank=True, help_text=_("empty: the whole mahalla"))
    house_from = models.PositiveIntegerField(_("from house"), null=True, blank=True)
    house_to = models.PositiveIntegerField(_("to house"), null=True, blank=True)
    precinct = models.ForeignKey(
        "elections.Precinct", on_delete=models.CASCADE, related_name="assignment_rules", verbose_name=_("precinct")
    )

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        constraints = [
            models.UniqueConstraint(
                fields=["mahalla", "street", "house_from", "house_to"], name="assignment_rule_unique", nulls_distinct=False
            ),
            models.CheckConstraint(
                name="assignment_rule_range_needs_street", condition=models.Q(house_from__isnull=True) | ~models.Q(street="")
            ),
            models.CheckConstraint(
                name="assignment_rule_house_range",
                condition=models.Q(house_from__isnull=True, house_to__isnull=True)
                | models.Q(house_from__isnull=False, house_to__isnull=False, house_from__lte=models.F("house_to")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mahalla} {self.street} → {self.precinct}"


class ListEntryOverride(models.Model):
    """A voter placed on another precinct's list for one election (approved request).

    Together with ``Voter.precinct`` (the default list) the unique constraint makes
    a voter appear on exactly one list per election.
    """

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="list_overrides")
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    precinct = models.ForeignKey("elections.Precinct", on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField("VotingLocationRequest", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["voter", "election"], name="one_list_per_voter_per_election")]
        verbose_name = _("list entry at another precinct")
        verbose_name_plural = _("list entries at other precincts")

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.precinct_id} ({self.election_id})"


class PrecinctRowQuerySet(AreaQuerySet):
    """Rows that belong to one precinct (``precinct``): a request is in the area of its target precinct."""

    area_paths = {"region": "precinct__district__region", "district": "precinct__district", "precinct": "precinct"}


class VotingLocationRequest(WorkflowModel):
    """A voter asks to vote at another precinct (place of stay) for one election."""

    workflow = LOCATION_REQUEST_WORKFLOW
    objects = PrecinctRowQuerySet.as_manager()

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="location_requests")
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    precinct = models.ForeignKey(
        "elections.Precinct", on_delete=models.PROTECT, related_name="+", verbose_name=_("precinct where the voter will vote")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to vote elsewhere")
        verbose_name_plural = _("requests to vote elsewhere")
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "election"],
                condition=models.Q(status__in=["submitted", "under_review"]),
                name="one_open_location_request",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class DuplicateCandidate(models.Model):
    """Two records that may be one person, with the evidence; officials decide."""

    class Decision(models.TextChoices):
        OPEN = "open", _("open")
        CONFIRMED = "confirmed", _("confirmed: merged")
        REJECTED = "rejected", _("rejected: different people")

    voter_a = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="+")
    voter_b = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    evidence = models.JSONField(_("evidence"), default=dict)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.OPEN, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # db_default: the scan inserts its pairs in SQL (voters.dedup.scan)
    reason = models.CharField(
        _("reason"), max_length=500, blank=True, db_default="", validators=[PlainTextValidator(multiline=True)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["voter_a", "voter_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=models.Q(voter_a__lt=models.F("voter_b")), name="duplicate_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_a_id} ~ {self.voter_b_id} ({self.score:.2f})"


class DistrictRowQuerySet(AreaQuerySet):
    """Rows about one whole district (``district``): in the area only where the area holds the whole district."""

    area_paths = {"region": "district__region", "district": "district"}


class ExportJob(models.Model):
    """A voter-list export of a large area, produced by a Celery task with progress."""

    objects = DistrictRowQuerySet.as_manager()

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        PDF = "pdf", "PDF"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("elections.District", on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey("elections.Election", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=3, choices=Format.choices)
    #: The interface language of the official who asked: the file's headings, names and dates are written in it.
    language = models.CharField(max_length=10, default="uz")  # a code of settings.LANGUAGES
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.district} {self.format}"

    @property
    def progress(self) -> float:
        return 1.0 if self.status == self.Status.DONE else (self.done / self.total if self.total else 0.0)
