from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from results import workflows  # noqa: F401, PLC0415 - registers the protocol workflow's policy
