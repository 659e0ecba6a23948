from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaAccreditationConfig(AppConfig):
    name = "media_accreditation"
    verbose_name = _("Media accreditation")

    def ready(self):
        from elections.eligibility import register_role
        from media_accreditation import workflows  # noqa: F401  (registers the workflow policy)
        from media_accreditation.selectors import holds_press_accreditation

        # one of the roles a person holds at most one of in an election (elections.eligibility)
        register_role("journalist", label=_("an accredited journalist"), holds=holds_press_accreditation)
