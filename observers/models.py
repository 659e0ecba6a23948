"""Observer organisations, observers and accreditations to precincts (incident reports: the incidents app).

Accreditations go through the shared workflow (``core.workflow``): the observer
or the organisation's coordinator applies before the election's
``accreditation_closes`` deadline; the commission responsible for all the
precincts applied for (the precinct commission, or the district, regional or
central commission above it) decides and may revoke.  An approved
accreditation carries an observer badge (``core.credentials``).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.accreditation import Accreditation
from core.models import OrganisationRole, PersonIdentity
from core.workflow import APPLICANT, REVIEWER, State, Transition, Workflow, policy_for

#: Observer accreditations: applied for before accreditation closes; decided and revoked by the commission.
OBSERVER_WORKFLOW = Workflow(
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

#: Statuses that hold a place (the per-organisation limit, one application per observer and election).
ACTIVE_STATES = (State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW, State.APPROVED)
PENDING_STATES = (State.SUBMITTED, State.UNDER_REVIEW)

#: A badge stays valid through the day after election day (the count goes on overnight).
BADGE_DAYS_AFTER_ELECTION = 1


class ObserverOrganization(models.Model):
    """An organisation that nominates observers; its coordinators hold django-guardian grants on it."""

    class Kind(models.TextChoices):
        PARTY = "party", _("political party")
        MAHALLA = "mahalla", _("citizens' assembly of a mahalla")
        NGO = "ngo", _("non-governmental organisation")
        INTERNATIONAL = "international", _("international organisation")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    party = models.ForeignKey(
        "candidates.Party",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observer_organizations",
        verbose_name=_("party"),
    )
    mahalla = models.ForeignKey(
        "elections.Mahalla",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observer_organizations",
        verbose_name=_("mahalla"),
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code; only for international organisations")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("observer organisation")
        verbose_name_plural = _("observer organisations")
        permissions = [("coordinate_organization", _("Coordinate the organisation's observers"))]
        constraints = [
            models.CheckConstraint(
                name="observer_org_kind_links",
                condition=(
                    models.Q(kind="party", party__isnull=False, mahalla__isnull=True)
                    | models.Q(kind="mahalla", mahalla__isnull=False, party__isnull=True)
                    | models.Q(kind__in=["ngo", "international"], party__isnull=True, mahalla__isnull=True)
                ),
                violation_error_message=_(
                    "A party organisation names its party, a mahalla assembly its mahalla; other kinds name neither."
                ),
            ),
            models.UniqueConstraint(fields=["party"], condition=models.Q(party__isnull=False), name="one_observer_org_per_party"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationCoordinator(OrganisationRole):
    """A user who coordinates an organisation's observers (``core.models.OrganisationRole``)."""

    organisation_field = "organization"

    organization = models.ForeignKey(
        ObserverOrganization, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("organisation")
    )

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="observer_coordinator_unique")]


class Observer(PersonIdentity):
    """A person an organisation nominates: a citizen found on the voter list by PINFL, or a foreigner by passport."""

    organization = models.ForeignKey(
        ObserverOrganization, on_delete=models.PROTECT, related_name="observers", verbose_name=_("organisation")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observer_profile",
        verbose_name=_("account"),
    )
    birth_date = models.DateField(_("birth date"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Private storage (MEDIA_ROOT has no URL route); copied onto the badge.
    photo = models.FileField(_("photo"), upload_to="observer-photos/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta(PersonIdentity.Meta):
        verbose_name = _("observer")
        verbose_name_plural = _("observers")
        constraints = [
            *PersonIdentity.Meta.constraints,
            # one person, one observer record (whichever organisation nominated them)
            models.UniqueConstraint(
                fields=["pinfl"],
                condition=~models.Q(pinfl=""),
                name="observer_pinfl_unique",
                violation_error_message=_("This person is already registered as an observer."),
            ),
            models.UniqueConstraint(
                fields=["country", "passport_number"],
                condition=~models.Q(passport_number=""),
                name="observer_passport_unique",
                violation_error_message=_("This person is already registered as an observer."),
            ),
        ]


class ObserverAccreditation(Accreditation):
    """An observer × an election × one or more precincts, decided by the commission responsible for them."""

    workflow = OBSERVER_WORKFLOW
    holder_field = "observer"

    observer = models.ForeignKey(Observer, on_delete=models.PROTECT, related_name="accreditations", verbose_name=_("observer"))
    organization = models.ForeignKey(
        ObserverOrganization, on_delete=models.PROTECT, related_name="accreditations", verbose_name=_("organisation")
    )
    precincts = models.ManyToManyField("elections.Precinct", related_name="observer_accreditations", verbose_name=_("precincts"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta(Accreditation.Meta):
        verbose_name = _("observer accreditation")
        verbose_name_plural = _("observer accreditations")
        constraints = [
            models.UniqueConstraint(
                fields=["observer", "election"],
                condition=models.Q(status__in=["draft", "submitted", "under_review", "approved"]),
                name="one_open_observer_accreditation_per_election",
                violation_error_message=_("The observer already has an application for this election."),
            ),
        ]

    def precincts_text(self) -> str:
        """The precincts as the badge prints them: "No. 12, No. 14 (Chilonzor tumani); No. 3 (Yunusobod tumani)"."""

        by_district: dict = {}
        for precinct in self.precincts.select_related("district").order_by("district__code", "number"):
            by_district.setdefault(precinct.district, []).append(precinct.number)
        parts = [
            gettext("No. %(numbers)s (%(district)s)") % {"numbers": ", ".join(str(n) for n in numbers), "district": district}
            for district, numbers in by_district.items()
        ]
        return gettext("Precincts: %(list)s") % {"list": "; ".join(parts)}

    def credential_scope(self) -> str:
        """What the badge says it covers, in the reader's language (core.Credential.scope_display)."""
        return self.precincts_text()

    # --- derived (the rules are the workflow policy's: observers.workflows) ----------------
    @property
    def decision_due(self):
        """When the commission must have decided on the application."""
        return policy_for(self).decision_due(self)

    @property
    def is_overdue(self) -> bool:
        return policy_for(self).is_overdue(self)

    @property
    def badge_valid_until(self):
        return self.election.election_day + timedelta(days=BADGE_DAYS_AFTER_ELECTION)
