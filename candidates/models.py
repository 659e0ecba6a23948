from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import APPLICANT, REVIEWER, State, Transition, Workflow, WorkflowModel
from elections.models import LocalizedNameMixin

#: Nominations: submitted before nomination closes, registered before registration closes.
NOMINATION_WORKFLOW = Workflow(
    Transition("submit", (State.DRAFT,), State.SUBMITTED, APPLICANT, _("Submit"), deadline="nomination_closes"),
    Transition("withdraw", (State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED), State.WITHDRAWN,
               APPLICANT, _("Withdraw")),
    Transition("start_review", (State.SUBMITTED,), State.UNDER_REVIEW, REVIEWER, _("Start review")),
    Transition("return", (State.SUBMITTED, State.UNDER_REVIEW), State.DRAFT, REVIEWER, _("Return for correction"),
               reason_required=True),
    Transition("approve", (State.SUBMITTED, State.UNDER_REVIEW), State.APPROVED, REVIEWER, _("Register"),
               deadline="registration_closes"),
    Transition("reject", (State.SUBMITTED, State.UNDER_REVIEW), State.REJECTED, REVIEWER, _("Refuse registration"),
               reason_required=True),
)


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


class PartyRepresentative(models.Model):
    """A user who acts for a party; the grant itself is a guardian object permission."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="representatives",
                              verbose_name=_("party"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="party_roles",
                             verbose_name=_("user"))
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        verbose_name = _("party representative")
        verbose_name_plural = _("party representatives")
        constraints = [models.UniqueConstraint(fields=["party", "user"], name="party_representative_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.party})"


class Nomination(WorkflowModel):
    """A party's candidate for an election: in a single-mandate constituency or on the national list."""

    workflow = NOMINATION_WORKFLOW

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("party"))
    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="nominations",
                                 verbose_name=_("election"))
    constituency = models.ForeignKey("elections.Constituency", on_delete=models.PROTECT, related_name="nominations",
                                     verbose_name=_("constituency"))
    list_position = models.PositiveSmallIntegerField(_("position on the party list"), null=True, blank=True)
    voter = models.ForeignKey("voters.Voter", on_delete=models.PROTECT, related_name="nominations",
                              verbose_name=_("candidate"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["election", "party", "list_position", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # nobody stands twice in one election (withdrawn and rejected nominations do not count)
            models.UniqueConstraint(fields=["election", "voter"], condition=~models.Q(status__in=["withdrawn",
                                    "rejected"]), name="one_nomination_per_person_per_election"),
            models.UniqueConstraint(fields=["election", "party", "constituency", "list_position"],
                                    condition=~models.Q(status__in=["withdrawn", "rejected"]),
                                    name="list_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} ({self.party})"

    def workflow_can(self, user, transition) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if transition.by == APPLICANT:
            return user.is_cec or user.has_perm("candidates.represent_party", self.party)
        if user.is_cec:
            return True
        from accounts.scope import scope_for

        scope = scope_for(user)
        return user.is_official and self.constituency.precincts.filter(scope.precincts_q()).exists()

    def workflow_deadline(self, key):
        deadline = self.election.deadline(key)
        return deadline.due if deadline else None

    def workflow_notify(self, change) -> None:
        from core.services import notification_queue

        for rep in self.party.representatives.select_related("user"):
            notification_queue(recipient=rep.user, subject=_("Nomination of %(name)s: %(state)s") % {
                "name": self.voter, "state": self.get_status_display()}, body=change.reason or "")


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

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="documents",
                                   verbose_name=_("nomination"))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
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
            models.UniqueConstraint(fields=["nomination", "kind"], condition=models.Q(is_current=True),
                                    name="one_current_document_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
