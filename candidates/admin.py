from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from candidates.models import (
    CandidateDocument,
    Nomination,
    Objection,
    Party,
    PartyRepresentative,
    RegistrationDecision,
    SignatureSheetUpload,
)
from core.admin_mixins import AuditedAdminMixin


@admin.register(Party)
class PartyAdmin(AuditedAdminMixin, GuardedModelAdmin):
    list_display = ("registration_number", "name_uz", "short_name", "leader", "is_active")
    search_fields = ("registration_number", "name_uz", "name_ru", "short_name")


@admin.register(PartyRepresentative)
class PartyRepresentativeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("party", "user", "since")
    raw_id_fields = ("user",)


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    """Nominations change only through the workflow services (deadlines, audit, notifications)."""

    list_display = ("voter", "party", "election", "constituency", "list_position", "status")
    list_filter = ("status", "election", "party")
    raw_id_fields = ("voter", "constituency")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(CandidateDocument)
class CandidateDocumentAdmin(admin.ModelAdmin):
    list_display = ("nomination", "kind", "version", "is_current", "content_type", "uploaded_at")
    list_filter = ("kind", "is_current")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SignatureSheetUpload)
class SignatureSheetUploadAdmin(admin.ModelAdmin):
    list_display = ("nomination", "status", "total", "valid", "invalid", "created_at")
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the workflow services (reasons, audit, notifications); the admin reads."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(RegistrationDecision)
class RegistrationDecisionAdmin(_ReadOnlyAdmin):
    list_display = ("nomination", "outcome", "commission", "decided_by", "decided_at", "signatures_exempt")
    list_filter = ("outcome",)


@admin.register(Objection)
class ObjectionAdmin(_ReadOnlyAdmin):
    list_display = ("nomination", "standing", "status", "filed_by", "filed_at")
    list_filter = ("status", "standing")
