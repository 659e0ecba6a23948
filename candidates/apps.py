from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Parties and candidates")

    def ready(self):
        from candidates import workflows  # noqa: F401  (registers the workflow policies)
        from candidates.selectors import holds_candidacy
        from elections.eligibility import register_role

        # one of the roles a person holds at most one of in an election (elections.eligibility)
        register_role("candidate", label=_("a candidate"), holds=holds_candidacy)
