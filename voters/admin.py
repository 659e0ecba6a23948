from django.contrib import admin

from core.admin_mixins import ServiceOnlyAdminMixin
from voters.models import (
    AssignmentRule,
    DuplicateCandidate,
    ExportJob,
    ImportJob,
    ImportRowError,
    ListEntryOverride,
    Voter,
    VoterChange,
    VotingLocationRequest,
)


class ReadOnlyAdmin(ServiceOnlyAdminMixin, admin.ModelAdmin):
    """Voter-list rows change only through services (validation, history, audit)."""


@admin.register(Voter)
class VoterAdmin(ReadOnlyAdmin):
    list_display = ("pinfl", "surname", "given_name", "patronymic", "birth_date", "precinct", "status", "version")
    list_filter = ("status", "sex")
    search_fields = ("=pinfl", "=passport", "surname_key")
    show_full_result_count = False  # no COUNT(*) over millions of rows on every page
    raw_id_fields = ("district", "mahalla", "precinct", "merged_into")


@admin.register(VoterChange)
class VoterChangeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "voter", "kind", "reason", "actor")
    list_filter = ("kind",)
    show_full_result_count = False
    raw_id_fields = ("voter",)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "original_name", "status", "rows_read", "inserted", "updated", "rows_invalid")
    list_filter = ("status",)


@admin.register(ImportRowError)
class ImportRowErrorAdmin(ReadOnlyAdmin):
    list_display = ("job", "row", "field", "code", "message")
    list_filter = ("code",)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(ReadOnlyAdmin):
    list_display = ("mahalla", "street", "house_from", "house_to", "precinct")
    raw_id_fields = ("mahalla", "precinct")


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyAdmin):
    list_display = ("voter_a", "voter_b", "score", "decision")
    list_filter = ("decision",)
    raw_id_fields = ("voter_a", "voter_b")


@admin.register(VotingLocationRequest)
class VotingLocationRequestAdmin(ReadOnlyAdmin):
    list_display = ("tracking_code", "voter", "election", "precinct", "status", "created_at")
    list_filter = ("status", "election")
    raw_id_fields = ("voter", "precinct")


@admin.register(ListEntryOverride)
class ListEntryOverrideAdmin(ReadOnlyAdmin):
    list_display = ("voter", "election", "precinct", "created_at")
    raw_id_fields = ("voter", "precinct", "request")


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "created_by", "district", "format", "status")
