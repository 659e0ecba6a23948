from django.contrib import admin

from core.admin_mixins import AuditedAdminMixin, ServiceOnlyAdminMixin
from core.models import AuditEvent, Credential, Notification, StatusChange


@admin.register(AuditEvent)
class AuditEventAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the database refuses changes to the audit log anyway."""

    list_display = ("id", "created_at", "actor_repr", "action", "object_type", "object_repr", "ip")
    list_filter = ("action", "object_type")
    search_fields = ("actor_repr", "object_repr", "object_id", "action")
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "address", "channel", "subject", "status", "attempts")
    list_filter = ("status", "channel")
    search_fields = ("address", "subject")


@admin.register(StatusChange)
class StatusChangeAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    """The workflow history: written by core.workflow with its audit event, never edited."""

    list_display = ("created_at", "content_type", "object_id", "transition", "from_state", "to_state", "actor")
    list_filter = ("transition", "to_state")


@admin.register(Credential)
class CredentialAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    """Credentials are issued and revoked by the accreditation services (core.credentials); read-only here."""

    list_display = ("number", "kind", "holder_name", "organisation", "election", "valid_until", "revoked_at")
    list_filter = ("kind", "election")
    search_fields = ("number", "holder_name", "organisation")
    exclude = ("photo",)
