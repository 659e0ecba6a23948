"""Roles of E-saylov users (DESIGN.md, accounts)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CEC_STAFF = "cec_staff", _("Central Election Commission staff")
    COMMISSION_STAFF = "commission_staff", _("Election commission staff")
    PARTY_REP = "party_rep", _("Party representative")
    OBSERVER_COORDINATOR = "observer_coordinator", _("Observer organisation coordinator")
    OBSERVER = "observer", _("Observer")
    MEDIA_EDITOR = "media_editor", _("Media editor")
    JOURNALIST = "journalist", _("Journalist")
    ADMIN = "admin", _("Administrator")


#: Roles that administer the election and must log in with a second factor.
OFFICIAL_ROLES = frozenset({Role.CEC_STAFF, Role.COMMISSION_STAFF, Role.ADMIN})
