from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from core.admin_mixins import AuditedAdminMixin
from elections.models import (
    Commission,
    CommissionMember,
    Constituency,
    Deadline,
    District,
    Election,
    Mahalla,
    Precinct,
    Region,
)


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_uz", "name_ru", "name_en")
    search_fields = ("code", "name_uz", "name_uz_cyrl", "name_ru", "name_en")


@admin.register(District)
class DistrictAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_uz", "name_ru", "region", "kind")
    list_filter = ("region", "kind")
    search_fields = ("code", "name_uz", "name_uz_cyrl", "name_ru", "name_en")


@admin.register(Mahalla)
class MahallaAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_uz", "district")
    list_filter = ("district__region",)
    search_fields = ("code", "name_uz", "name_uz_cyrl")
    raw_id_fields = ("district",)


@admin.register(Precinct)
class PrecinctAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "number", "district", "address", "phone", "abroad_country")
    list_filter = ("district__region",)
    search_fields = ("code", "address")
    raw_id_fields = ("district",)


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0


@admin.register(Election)
class ElectionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name_uz", "kind", "election_day", "is_active")
    list_filter = ("kind", "is_active")
    inlines = [DeadlineInline]


@admin.register(Constituency)
class ConstituencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("election", "number", "name_uz", "kind", "seats")
    list_filter = ("election", "kind")
    filter_horizontal = ("precincts",)


class CommissionMemberInline(admin.TabularInline):
    model = CommissionMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Commission)
class CommissionAdmin(AuditedAdminMixin, GuardedModelAdmin):
    list_display = ("code", "name_uz", "level", "region", "district", "precinct")
    list_filter = ("level",)
    search_fields = ("code", "name_uz")
    raw_id_fields = ("region", "district", "precinct")
    inlines = [CommissionMemberInline]
