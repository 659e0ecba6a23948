from django.contrib import admin
from django.db import transaction

from core.admin_mixins import AuditedAdminMixin
from elections import services
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
class CommissionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Commissions; their member rows go through the membership services (scope, grants, audit).

    A plain ModelAdmin, not guardian's: its object-permission pages granted rights with no membership and no audit.
    """

    list_display = ("code", "name_uz", "level", "region", "district", "precinct")
    list_filter = ("level",)
    search_fields = ("code", "name_uz")
    raw_id_fields = ("region", "district", "precinct")
    inlines = [CommissionMemberInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not CommissionMember:
            return super().save_formset(request, form, formset, change)

        commission = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []  # (the change message)
        with transaction.atomic():
            for row in formset.deleted_forms:
                if row.instance.pk:
                    services.commission_member_remove(actor=request.user, member=row.instance, request=request)
            for row in formset.forms:
                if row in formset.deleted_forms or not row.has_changed() or not row.cleaned_data.get("user"):
                    continue
                stored = CommissionMember.objects.filter(pk=row.instance.pk).first() if row.instance.pk else None
                services.commission_member_set(
                    actor=request.user,
                    commission=commission,
                    member=stored,
                    user=row.cleaned_data["user"],
                    role=row.cleaned_data["role"],
                    since=row.cleaned_data.get("since"),
                    request=request,
                )
