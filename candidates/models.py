import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OrganisationRole
from core.workflow import APPLICANT, REVIEWER, State, Transition, Workflow, WorkflowModel, policy_for
from elections.models import LocalizedNameMixin

#: Nominations: submitted before nomination closes, registered before registration closes.
NOMINATION_WORKFLOW = Workflow(
    Transition("submit", (State.DRAFT,), State.SUBMITTED, APPLICANT, _("Submit"), deadline="nomination_closes"),
    Transition(
        "withdraw", (State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED), State.WITHDRAWN, APPLICANT, _("Withdraw")
    ),
    Transition("start_review", (State.SUBMITTED,), State.UNDER_REVIEW, REVIEWER, _("Start review")),
    Transition(
        "return", (State.SUBMITTED, State.UNDER_REVIEW), State.DRAFT, REVIEWER, _("Return for correction"), reason_required=True
    ),
    Transition(
        "approve",
        (State.SUBMITTED, State.UNDER_REVIEW),
        State.APPROVED,
        REVIEWER,
        _("Register"),
        reason_required=True,
        deadline="registration_closes",
    ),
    Transition(
        "reject", (State.SUBMITTED, State.UNDER_REVIEW), State.REJECTED, REVIEWER, _("Refuse registration"), reason_required=True
    ),
    Transition("cancel", (State.APPROVED,), State.REVOKED, REVIEWER, _("Cancel the registration"), reason_required=True),
)

#: Transitions made only by another record's decision (an upheld objection cancels a registration), never
#: offered as a button or an API action of their own.
CONSEQUENTIAL_TRANSITIONS = frozenset({"cancel"})


class Party(LocalizedNameMixin):
    """A registered political party; its representatives hold django-guardian grants on it."""

    registration_number = models.CharField(_("registration number"), max_length=32, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    leader = models.CharField(_("leader"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    logo = models.ImageField(_("logo"), upload_to="party-logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_uz"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        permissions = [("represent_party", _("Represent the party (nominate, upload documents)"))]


class PartyRepresentative(OrganisationRole):
    """A user who acts for a party (``core.models.OrganisationRole``)."""

    organisation_field = "party"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="representatives", verbose_name=_("party"))

    class Meta:
        verbose_name = _("party representative")
        verbose_name_plural = _("party representatives")
        constraints = [models.UniqueConstraint(fields=["party", "user"], name="party_representative_unique")]


class Nomination(WorkflowModel):
    """A party's candidate for an election: in a single-mandate constituency or on the national list."""

    workflow = NOMINATION_WORKFLOW

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("party"))
    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("election")
    )
    constituency = models.ForeignKey(
        "elections.Constituency", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("constituency")
    )
    list_position = models.PositiveSmallIntegerField(_("position on the party list"), null=True, blank=True)
    voter = models.ForeignKey("voters.Voter", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("candidate"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["election", "party", "list_position", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # nobody stands twice in one election (withdrawn and rejected nominations do not count)
            models.UniqueConstraint(
                fields=["election", "voter"],
                condition=~models.Q(status__in=["withdrawn", "rejected"]),
                name="one_nomination_per_person_per_election",
            ),
            models.UniqueConstraint(
                fields=["election", "party", "constituency", "list_position"],
                condition=~models.Q(status__in=["withdrawn", "rejected"]),
                name="list_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter} ({self.party})"

    @property
    def is_open(self) -> bool:
        """Not decided yet: the party may still change its documents and signature files."""
        return self.status in ("draft", "submitted", "under_review")


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("application")
    CONSENT = "consent", _("consent to stand")
    BIOGRAPHY = "biography", _("biography")
    INCOME = "income_declaration", _("income declaration")
    PHOTO = "photo", _("photo")


#: Every nomination needs one current document of each kind before it can be submitted.
REQUIRED_DOCUMENTS = tuple(DocumentKind.values)


class CandidateDocument(models.Model):
    """A typed document of a nomination; a new upload of the same kind is a new version."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="documents", verbose_name=_("nomination"))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    file = models.FileField(_("file"), upload_to="candidate-documents/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    correction_requested = models.BooleanField(_("correction requested"), default=False)
    correction_reason = models.CharField(_("what to correct"), max_length=500, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("candidate document")
        verbose_name_plural = _("candidate documents")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "kind", "version"], name="document_version_unique"),
            models.UniqueConstraint(
                fields=["nomination", "kind"], condition=models.Q(is_current=True), name="one_current_document_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


def _signature_seed() -> int:
    return secrets.randbelow(2**31 - 1) + 1


class SignatureSheetBatch(models.Model):
    """Paper signature sheets printed for a nomination: sheet numbers ``first`` to ``last`` (``candidates.sheets``).

    Numbers never repeat within a nomination, so a scanned sheet whose number no batch holds is refused."""

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="sheet_batches", verbose_name=_("nomination")
    )
    first = models.PositiveIntegerField(_("first sheet"))
    last = models.PositiveIntegerField(_("last sheet"))
    form_version = models.PositiveSmallIntegerField(_("form version"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    class Meta:
        ordering = ["nomination", "first"]
        verbose_name = _("batch of signature sheets")
        verbose_name_plural = _("batches of signature sheets")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "first"], name="sheet_batch_first_unique"),
            models.CheckConstraint(condition=models.Q(first__gte=1, last__gte=models.F("first")), name="sheet_batch_range"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.first}–{self.last}"

    @property
    def count(self) -> int:
        return self.last - self.first + 1


class SignatureSheetUpload(models.Model):
    """A party's signature rows (CSV/XLSX) with the scanned sheets; verified by a Celery task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        VERIFYING = "verifying", _("verifying")
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected")

    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="signature_uploads", verbose_name=_("nomination")
    )
    file = models.FileField(_("signature rows"), upload_to="signature-rows/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    scans = models.FileField(_("scanned sheets (PDF)"), upload_to="signature-scans/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    total = models.PositiveIntegerField(_("signatures"), default=0)
    valid = models.PositiveIntegerField(_("valid"), default=0)
    invalid = models.PositiveIntegerField(_("invalid"), default=0)
    seed = models.BigIntegerField(_("sampling seed"), default=_signature_seed)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signature sheet upload")
        verbose_name_plural = _("signature sheet uploads")

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.original_name or self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED)


class SignatureReason(models.TextChoices):
    MALFORMED = "malformed", _("malformed row")
    UNKNOWN_VOTER = "unknown_voter", _("unknown voter")
    DATA_MISMATCH = "data_mismatch", _("personal data do not match the voter list")
    NOT_ACTIVE = "not_active", _("not an active voter")
    UNDER_18 = "under_18", _("under 18 on the date signed")
    OUTSIDE_PERIOD = "outside_period", _("signed outside the collection period")
    DUPLICATE = "duplicate", _("signed twice for this nomination")
    COMPETITOR = "competitor", _("also signed for a competitor")
    OUTSIDE_CONSTITUENCY = "outside_constituency", _("lives outside the constituency")


class SignatureCheck(models.TextChoices):
    """The checks of a decision on signatures (``candidates.signatures.decide``).

    Their labels are the one wording of each check: the verification page, the PDF report and a refused
    registration all name a check through ``signature_check_label``.
    """

    REQUIRED = "required", _("Valid signatures (at least)")
    INVALID_SHARE = "invalid_share", _("Share of invalid signatures (at most)")
    ONLINE_SHARE = "online_share", _("Share of online signatures (at most)")


def signature_check_label(code: str) -> str:
    """The translated label of a check code stored in a result (an unknown code is shown as it is)."""
    return str(dict(SignatureCheck.choices).get(code, code))


class Signature(models.Model):
    """One signature row of an upload with its verdict and reason codes."""

    upload = models.ForeignKey(SignatureSheetUpload, on_delete=models.CASCADE, related_name="signatures", db_index=False)
    row_no = models.PositiveIntegerField(_("row"))
    pinfl = models.CharField(_("PINFL"), max_length=14, blank=True)
    surname = models.CharField(_("surname"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    surname_key = models.CharField(max_length=100, blank=True)
    given_key = models.CharField(max_length=100, blank=True)
    patronymic_key = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    date_signed = models.DateField(_("date signed"), null=True, blank=True)
    sheet_number = models.CharField(_("sheet"), max_length=20, blank=True)
    collector = models.CharField(_("collector"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    voter = models.ForeignKey(
        "voters.Voter", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    valid = models.BooleanField(_("valid"), default=False)
    reasons = ArrayField(models.CharField(max_length=24), default=list, blank=True, verbose_name=_("reasons"))

    class Meta:
        ordering = ["upload", "row_no"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        indexes = [
            models.Index(fields=["upload", "row_no"], name="signature_upload_row"),
            models.Index(fields=["pinfl"], name="signature_pinfl"),
        ]

    def __str__(self) -> str:
        return f"{self.upload_id}#{self.row_no}"


class RegistrationDecision(models.Model):
    """The commission's reasoned decision to register or refuse a nomination, with the signature result it weighed.

    ``signatures`` is a snapshot (totals, reasons, the decision under the rules with its sample and seed) so the
    record still says what was considered if the upload is later deleted.
    """

    class Outcome(models.TextChoices):
        REGISTERED = "registered", _("registered")
        REFUSED = "refused", _("refused")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("nomination"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reasons for the decision"), max_length=2000)
    commission = models.ForeignKey(
        "elections.Commission", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("commission")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    signature_upload = models.ForeignKey(
        SignatureSheetUpload,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature upload considered"),
    )
    signatures_exempt = models.BooleanField(_("exempt from signatures"), default=False)
    signatures = models.JSONField(_("signature result considered"), default=dict, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("registration decision")
        verbose_name_plural = _("registration decisions")
        constraints = [
            # registering and refusing are final: one decision per nomination
            models.UniqueConstraint(fields=["nomination"], name="one_registration_decision_per_nomination"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="registration_decision_reasoned"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.get_outcome_display()}"


class ObjectionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Objections: filed before the calendar's "objections close", decided by the commission that registered.
OBJECTION_WORKFLOW = Workflow(
    Transition(
        "submit",
        (ObjectionState.DRAFT,),
        ObjectionState.SUBMITTED,
        APPLICANT,
        _("File the objection"),
        deadline="objections_close",
    ),
    Transition(
        "withdraw", (ObjectionState.SUBMITTED, ObjectionState.UNDER_REVIEW), ObjectionState.WITHDRAWN, APPLICANT, _("Withdraw")
    ),
    Transition("start_review", (ObjectionState.SUBMITTED,), ObjectionState.UNDER_REVIEW, REVIEWER, _("Start review")),
    Transition(
        "uphold",
        (ObjectionState.SUBMITTED, ObjectionState.UNDER_REVIEW),
        ObjectionState.UPHELD,
        REVIEWER,
        _("Uphold (cancel the registration)"),
        reason_required=True,
    ),
    Transition(
        "dismiss",
        (ObjectionState.SUBMITTED, ObjectionState.UNDER_REVIEW),
        ObjectionState.DISMISSED,
        REVIEWER,
        _("Dismiss"),
        reason_required=True,
    ),
)


class Objection(WorkflowModel):
    """An objection to a registration by someone with a legitimate interest, decided in the shared workflow."""

    class Standing(models.TextChoices):
        PARTY = "party", _("representative of another party")
        CANDIDATE = "candidate", _("candidate in the same election")
        COMMISSION = "commission", _("member of a lower commission")

    workflow = OBJECTION_WORKFLOW

    status = models.CharField(_("status"), max_length=20, choices=ObjectionState, default=ObjectionState.DRAFT, db_index=True)
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections", verbose_name=_("nomination"))
    decision = models.ForeignKey(
        RegistrationDecision, on_delete=models.PROTECT, related_name="objections", verbose_name=_("registration decision")
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by"))
    standing = models.CharField(_("standing"), max_length=12, choices=Standing.choices)
    text = models.TextField(_("objection"), max_length=5000)
    evidence = models.FileField(_("evidence (PDF)"), upload_to="objection-evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="objection_has_text")]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.get_status_display()}"

    @property
    def decide_by(self):
        """When the registering commission should have decided (the workflow's policy)."""
        return policy_for(self).decide_by(self)
