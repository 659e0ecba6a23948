from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaAccreditationConfig(AppConfig):
    name = "media_accreditation"
    verbose_name = _("Media accreditation")
