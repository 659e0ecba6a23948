from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObserversConfig(AppConfig):
    name = "observers"
    verbose_name = _("Observers")

    def ready(self):
        from elections.eligibility import register_role
        from observers import workflows  # noqa: F401  (registers the workflow policy)
        from observers.selectors import holds_observer_accreditation

        # one of the roles a person holds at most one of in an election (elections.eligibility)
        register_role("observer", label=_("an observer"), holds=holds_observer_accreditation)
