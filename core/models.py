import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pinfl import django_validator as pinfl_validator


class PersonIdentity(models.Model):
    """Who a person is: a citizen found on the voter list by PINFL, or a foreigner by passport and country.

    Shared by observers and journalists; the concrete model adds its own fields
    (organisation or outlet, photo ...) and extends ``Meta.constraints`` with its
    uniqueness rules.
    """

    is_foreign = models.BooleanField(_("foreign citizen"), default=False)
    pinfl = models.CharField(_("PINFL"), max_length=14, blank=True, validators=[pinfl_validator])
    voter = models.ForeignKey(
        "voters.Voter", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("voter record")
    )
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    country = models.CharField(_("citizenship"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["surname", "given_name", "id"]
        constraints = [
            models.CheckConstraint(
                name="%(class)s_identity_by_citizenship",
                condition=(models.Q(is_foreign=False, passport_number="", country="") & ~models.Q(pinfl=""))
                | (models.Q(is_foreign=True, pinfl="") & ~models.Q(passport_number="") & ~models.Q(country="")),
                violation_error_message=_("A citizen is identified by PINFL; a foreigner by passport and country."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)


class OrganisationRole(models.Model):
    """A user who acts for an organisation (a party, a media outlet, an observer organisation): the link row.

    The rights themselves are django-guardian object permissions on that organisation only, given and taken
    with the row (``core.services.object_role_grant`` / ``object_role_revoke``).  The concrete model adds the
    foreign key to its organisation, names it in ``organisation_field`` and adds its uniqueness constraint.
    """

    organisation_field = ""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s", verbose_name=_("user")
    )
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.user} ({getattr(self, self.organisation_field)})"


class AuditEvent(models.Model):
    """One append-only, hash-chained record of something an official did or read.

    ``hash = sha256(prev_hash + canonical JSON of the event)``; a database
    trigger refuses UPDATE and DELETE (migration 0002) and
    ``manage.py audit_verify`` recomputes the chain.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No foreign-key constraint: the log must outlive users and rows it mentions.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"


class Notification(models.Model):
    """A message to a person, recorded before it is sent by a Celery task."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")  # claimed by a deliverer (claimed_at); the send runs outside any lock
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.address}: {self.subject}"


class StatusChange(models.Model):
    """History of the shared application workflow (one row per transition)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


def _credential_token() -> str:
    return secrets.token_urlsafe(32)


class Credential(models.Model):
    """A printed credential (observer badge, press card) with a public verification page.

    The ``token`` in the QR code is random and never derived from the number; the
    subject is the accreditation it was issued for (a generic relation, so one
    implementation serves observers and media).  At most one unrevoked credential
    exists per subject.  Writes go through ``core.credentials``.
    """

    class Kind(models.TextChoices):
        OBSERVER_BADGE = "observer_badge", _("observer badge")
        PRESS_CARD = "press_card", _("press card")

    #: Prefix of the human-readable number of each kind, and the database sequence behind it.
    PREFIX = {Kind.OBSERVER_BADGE: "OB", Kind.PRESS_CARD: "PC"}

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=20, unique=True)
    token = models.CharField(max_length=64, unique=True, default=_credential_token, editable=False)
    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="credentials", verbose_name=_("election")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    holder_name = models.CharField(_("holder"), max_length=300)
    organisation = models.CharField(_("organisation or outlet"), max_length=300, blank=True)
    scope_text = models.CharField(_("scope"), max_length=1000, blank=True)
    # Private storage (MEDIA_ROOT has no URL): served only by the verification view for a known token.
    photo = models.FileField(_("photo"), upload_to="credential-photos/%Y/%m/", blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("issued by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        indexes = [models.Index(fields=["content_type", "object_id"], name="credential_subject")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_unrevoked_credential_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="credential_validity_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"

    @property
    def scope_display(self) -> str:
        """What the credential covers, in the language of whoever reads it.

        ``scope_text`` keeps the words of the moment of issue (in the issuer's language); the
        subject, when it can, says the same again in the current language."""
        describe = getattr(self.subject, "credential_scope", None)
        return describe() if describe is not None else self.scope_text
