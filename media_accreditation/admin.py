from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from core.admin_mixins import AuditedAdminMixin, LeadingFieldsAdminMixin
from media_accreditation.models import Journalist, MediaAccreditation, MediaOutlet, OutletEditor


@admin.register(MediaOutlet)
class MediaOutletAdmin(AuditedAdminMixin, GuardedModelAdmin):
    list_display = ("name", "kind", "certificate_number", "country", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "certificate_number")


@admin.register(OutletEditor)
class OutletEditorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Editors are added by the press service's page (which grants the object permissions); here only listed."""

    list_display = ("outlet", "user", "since")
    raw_id_fields = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Journalist)
class JournalistAdmin(LeadingFieldsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    leading_fields = ("outlet", "user")
    list_display = ("surname", "given_name", "outlet", "is_foreign", "country", "position")
    list_filter = ("is_foreign",)
    search_fields = ("surname", "given_name", "outlet__name")
    raw_id_fields = ("voter", "user", "outlet")
    readonly_fields = ("pinfl", "voter", "passport_number", "is_foreign", "created_by", "created_at")

    def has_add_permission(self, request):
        return False  # the voter-list check lives in media_accreditation.services.journalist_add


@admin.register(MediaAccreditation)
class MediaAccreditationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Accreditations change only through the workflow services (deadline, audit, press card, notifications)."""

    list_display = ("journalist", "election", "scope", "region", "status", "valid_until")
    list_filter = ("status", "scope", "election")
    raw_id_fields = ("journalist",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
