"""Media outlets, their editors and journalists, and accreditations to cover an election.

Accreditations go through the shared workflow (``core.workflow``): the outlet's
editors apply before the election's ``accreditation_closes`` deadline, the CEC
press service (CEC staff and administrators, see docs/media.md) decides and may
revoke; an approved accreditation carries a press card (``core.credentials``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.accreditation import Accreditation
from core.models import OrganisationRole, PersonIdentity
from core.workflow import APPLICANT, REVIEWER, State, Transition, Workflow, policy_for

#: Accreditations: applied for before accreditation closes; decided and revoked by the CEC press service.
MEDIA_WORKFLOW = Workflow(
    Transition("submit", (State.DRAFT,), State.SUBMITTED, APPLICANT, _("Apply"), deadline="accreditation_closes"),
    Transition("withdraw", (State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW), State.WITHDRAWN, APPLICANT, _("Withdraw")),
    Transition("start_review", (State.SUBMITTED,), State.UNDER_REVIEW, REVIEWER, _("Start review")),
    Transition(
        "return", (State.SUBMITTED, State.UNDER_REVIEW), State.DRAFT, REVIEWER, _("Return for correction"), reason_required=True
    ),
    Transition("approve", (State.SUBMITTED, State.UNDER_REVIEW), State.APPROVED, REVIEWER, _("Accredit")),
    Transition("reject", (State.SUBMITTED, State.UNDER_REVIEW), State.REJECTED, REVIEWER, _("Refuse"), reason_required=True),
    Transition("revoke", (State.APPROVED,), State.REVOKED, REVIEWER, _("Revoke"), reason_required=True),
)

#: A press card stays valid this many days after election day (results are published within ten days).
PRESS_CARD_DAYS_AFTER_ELECTION = 10

#: Statuses that no longer block a new application of the same journalist for the same election.
CLOSED_WITHOUT_DECISION = ("withdrawn", "rejected")


class MediaOutlet(models.Model):
    """A registered mass medium; its editors hold django-guardian grants on it."""

    class Kind(models.TextChoices):
        TV = "tv", _("television")
        RADIO = "radio", _("radio")
        PRINT = "print", _("print")
        ONLINE = "online", _("online")
        FOREIGN = "foreign", _("foreign")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    certificate_number = models.CharField(_("registration certificate number"), max_length=40, unique=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code; only for foreign outlets"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("media outlet")
        verbose_name_plural = _("media outlets")
        permissions = [("act_for_outlet", _("Act for the outlet (journalists, accreditations)"))]
        constraints = [
            models.CheckConstraint(
                name="foreign_outlet_has_country",
                condition=(models.Q(kind="foreign") & ~models.Q(country="")) | (~models.Q(kind="foreign") & models.Q(country="")),
                violation_error_message=_("A foreign outlet needs its country; a domestic outlet has none."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OutletEditor(OrganisationRole):
    """A user who acts for an outlet (``core.models.OrganisationRole``)."""

    organisation_field = "outlet"

    outlet = models.ForeignKey(MediaOutlet, on_delete=models.CASCADE, related_name="editors", verbose_name=_("media outlet"))

    class Meta:
        verbose_name = _("outlet editor")
        verbose_name_plural = _("outlet editors")
        constraints = [models.UniqueConstraint(fields=["outlet", "user"], name="outlet_editor_unique")]


class Journalist(PersonIdentity):
    """A journalist of an outlet: a citizen found on the voter list by PINFL, or a foreigner by passport."""

    outlet = models.ForeignKey(MediaOutlet, on_delete=models.PROTECT, related_name="journalists", verbose_name=_("media outlet"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journalist_profiles",
        verbose_name=_("account"),
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    # Private storage (MEDIA_ROOT has no URL route); copied onto the press card.
    photo = models.ImageField(_("photo"), upload_to="journalist-photos/%Y/%m/")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta(PersonIdentity.Meta):
        verbose_name = _("journalist")
        verbose_name_plural = _("journalists")
        constraints = [
            *PersonIdentity.Meta.constraints,
            models.UniqueConstraint(
                fields=["outlet", "pinfl"],
                condition=~models.Q(pinfl=""),
                name="journalist_pinfl_unique_in_outlet",
                violation_error_message=_("This person is already a journalist of the outlet."),
            ),
            models.UniqueConstraint(
                fields=["outlet", "country", "passport_number"],
                condition=~models.Q(passport_number=""),
                name="journalist_passport_unique_in_outlet",
                violation_error_message=_("This person is already a journalist of the outlet."),
            ),
        ]


class MediaAccreditation(Accreditation):
    """A journalist's accreditation to cover one election, with a scope decided by the CEC press service."""

    workflow = MEDIA_WORKFLOW
    holder_field = "journalist"

    class Scope(models.TextChoices):
        PRESS_CENTRE = "press_centre", _("CEC press centre")
        ALL_PRECINCTS = "all_precincts", _("all precincts")
        REGION = "region", _("one region")

    journalist = models.ForeignKey(
        Journalist, on_delete=models.PROTECT, related_name="accreditations", verbose_name=_("journalist")
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    region = models.ForeignKey(
        "elections.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(Accreditation.Meta):
        verbose_name = _("media accreditation")
        verbose_name_plural = _("media accreditations")
        constraints = [
            models.UniqueConstraint(
                fields=["journalist", "election"],
                condition=~models.Q(status__in=CLOSED_WITHOUT_DECISION),
                name="one_media_accreditation_per_election",
                violation_error_message=_("This journalist already has an application or accreditation for this election."),
            ),
            models.CheckConstraint(
                name="media_region_scope_names_region",
                condition=models.Q(scope="region", region__isnull=False)
                | (~models.Q(scope="region") & models.Q(region__isnull=True)),
                violation_error_message=_("The scope “one region” needs a region, and only it."),
            ),
        ]

    @property
    def outlet(self) -> MediaOutlet:
        return self.journalist.outlet

    def scope_text(self) -> str:
        if self.scope == self.Scope.REGION and self.region_id:
            return f"{self.get_scope_display()}: {self.region}"
        return str(self.get_scope_display())

    def credential_scope(self) -> str:
        """What the press card says it covers, in the reader's language (core.Credential.scope_display)."""
        return self.scope_text()

    def decide_by(self):
        """When the press service should have decided (the workflow's policy: media_accreditation.workflows)."""
        return policy_for(self).decide_by(self)
