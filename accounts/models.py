from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import OFFICIAL_ROLES, Role
from core.pinfl import django_validator


class User(AbstractUser):
    """A person who logs in.  What they may see follows from ``role`` and, for
    commission staff, from their commission memberships (``accounts.scope``)."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True, db_index=True)
    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, blank=True)
    pinfl = models.CharField(
        _("PINFL"),
        max_length=14,
        blank=True,
        db_index=True,
        validators=[django_validator],
        help_text=_("Links an official to the voter list (conflict checks), and a journalist to their press records."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_official(self) -> bool:
        return self.is_superuser or self.is_staff or self.role in OFFICIAL_ROLES

    @property
    def requires_two_factor(self) -> bool:
        """Officials and administrators must confirm a TOTP code after the password."""
        return self.is_official

    @property
    def is_cec(self) -> bool:
        return self.is_superuser or self.role in (Role.CEC_STAFF, Role.ADMIN)
