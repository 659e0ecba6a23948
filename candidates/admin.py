from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from candidates.models import Party, PartyRepresentative
from core.admin_mixins import AuditedAdminMixin


@admin.register(Party)
class PartyAdmin(AuditedAdminMixin, GuardedModelAdmin):
    list_display = ("registration_number", "name_uz", "short_name", "leader", "is_active")
    search_fields = ("registration_number", "name_uz", "name_ru", "short_name")


@admin.register(PartyRepresentative)
class PartyRepresentativeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("party", "user", "since")
    raw_id_fields = ("user",)
