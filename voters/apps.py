from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotersConfig(AppConfig):
    name = "voters"
    verbose_name = _("Voter list")

    def ready(self):
        from voters import signals, workflows  # noqa: F401  (resume orphaned imports; the workflow policy)
