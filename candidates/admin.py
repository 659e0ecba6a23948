from django.contrib import admin
from django.db import transaction
from guardian.admin import GuardedModelAdmin

from candidates import services
from candidates.models import (
    CandidateDocument,
    Nomination,
    Objection,
    Party,
    PartyRepresentative,
    RegistrationDecision,
    SignatureSheetUpload,
)
from core.admin_mixins import AuditedAdminMixin, ServiceOnlyAdminMixin


@admin.register(Party)
class PartyAdmin(AuditedAdminMixin, GuardedModelAdmin):
    list_display = ("registration_number", "name_uz", "short_name", "leader", "is_active")
    search_fields = ("registration_number", "name_uz", "name_ru", "short_name")


@admin.register(PartyRepresentative)
class PartyRepresentativeAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    """Representatives are added on the party's page (which grants the object permissions); a deletion here
    goes through the service, so the permissions go with the row."""

    list_display = ("party", "user", "since")
    admin_may_delete = True

    def delete_model(self, request, obj):
        services.party_representative_remove(actor=request.user, rep=obj, request=request)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for rep in queryset.select_related("party", "user"):
                services.party_representative_remove(actor=request.user, rep=rep, request=request)


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


@admin.register(RegistrationDecision)
class RegistrationDecisionAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomination", "outcome", "commission", "decided_by", "decided_at", "signatures_exempt")
    list_filter = ("outcome",)


@admin.register(Objection)
class ObjectionAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomination", "standing", "status", "filed_by", "filed_at")
    list_filter = ("status", "standing")
