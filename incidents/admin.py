from django.contrib import admin

from core.admin_mixins import AuditedAdminMixin, ServiceOnlyAdminMixin
from incidents.models import Incident, IncidentPhoto


class ReadOnlyAdmin(ServiceOnlyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Incidents change only through their services (who may answer, audit, notifications)."""


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("id", "election", "precinct", "category", "status", "created_at")
    list_filter = ("status", "category", "election")


@admin.register(IncidentPhoto)
class IncidentPhotoAdmin(ReadOnlyAdmin):
    list_display = ("incident", "content_type", "size", "uploaded_at")
    exclude = ("file",)
