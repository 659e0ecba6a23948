from django.contrib import admin

from candidates import services
from candidates.models import (
    CandidateDocument,
    Nomination,
    Objection,
    Party,
    PartyRepresentative,
    RegistrationDecision,
    SignatureSheetBatch,
    SignatureSheetUpload,
)
from core.admin_mixins import AuditedAdminMixin, ObjectRoleLinkAdminMixin, ServiceOnlyAdminMixin


@admin.register(Party)
class PartyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("registration_number", "name_uz", "short_name", "leader", "is_active")
    search_fields = ("registration_number", "name_uz", "name_ru", "short_name")


@admin.register(PartyRepresentative)
class PartyRepresentativeAdmin(ObjectRoleLinkAdminMixin, admin.ModelAdmin):
    list_display = ("party", "user", "since")

    def remove(self, request, link):
        services.party_representative_remove(actor=request.user, rep=link, request=request)


@admin.register(Nomination)
class NominationAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    """Nominations change only through the workflow services (deadlines, audit, notifications)."""

    list_display = ("voter", "party", "election", "constituency", "list_position", "status")
    list_filter = ("status", "election", "party")


@admin.register(CandidateDocument)
class CandidateDocumentAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomination", "kind", "version", "is_current", "content_type", "uploaded_at")
    list_filter = ("kind", "is_current")


@admin.register(SignatureSheetUpload)
class SignatureSheetUploadAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomination", "status", "total", "valid", "invalid", "created_at")
    list_filter = ("status",)


@admin.register(SignatureSheetBatch)
class SignatureSheetBatchAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomination", "first", "last", "language", "issued_at")


@admin.register(RegistrationDecision)
class RegistrationDecisionAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomination", "outcome", "commission", "decided_by", "decided_at", "signatures_exempt")
    list_filter = ("outcome",)


@admin.register(Objection)
class ObjectionAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomination", "standing", "status", "filed_by", "filed_at")
    list_filter = ("status", "standing")
