from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import LocalizedNameMixin


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
