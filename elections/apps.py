from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections and geography")

    def ready(self):
        from elections.eligibility import register_role
        from elections.selectors import holds_commission_seat

        # one of the roles a person holds at most one of in an election (elections.eligibility)
        register_role("commission_member", label=_("a member of an election commission"), holds=holds_commission_seat)
