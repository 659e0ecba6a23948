from django.contrib import admin

from core.admin_mixins import (
    AuditedAdminMixin,
    LeadingFieldsAdminMixin,
    ObjectRoleLinkAdminMixin,
    ServiceOnlyAdminMixin,
)
from media_accreditation import services
from media_accreditation.models import Journalist, MediaAccreditation, MediaOutlet, OutletEditor


@admin.register(MediaOutlet)
class MediaOutletAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "certificate_number", "country", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "certificate_number")


@admin.register(OutletEditor)
class OutletEditorAdmin(ObjectRoleLinkAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Editors are added by the press service's page (which grants the object permissions); a deletion here goes
    through the service, so the permissions go with the row."""

    list_display = ("outlet", "user", "since")
    raw_id_fields = ("user",)

    def remove(self, request, obj):
        services.outlet_editor_remove(actor=request.user, editor=obj, request=request)


@admin.register(Journalist)
class JournalistAdmin(LeadingFieldsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    leading_fields = ("outlet", "user")
    list_display = ("surname", "given_name", "outlet", "is_foreign", "country", "position")
    list_filter = ("is_foreign",)
    search_fields = ("surname", "given_name", "outlet__name")
    raw_id_fields = ("voter", "user", "outlet")
    # who the journalist is was checked by journalist_add (the voter list's names, the name rule): not editable here
    readonly_fields = (
        "pinfl",
        "voter",
        "passport_number",
        "is_foreign",
        "surname",
        "given_name",
        "patronymic",
        "country",
        "created_by",
        "created_at",
    )

    def has_add_permission(self, request):
        return False  # the voter-list check lives in media_accreditation.services.journalist_add


@admin.register(MediaAccreditation)
class MediaAccreditationAdmin(ServiceOnlyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Accreditations change only through the workflow services (deadline, audit, press card, notifications)."""

    list_display = ("journalist", "election", "scope", "region", "status", "valid_until")
    list_filter = ("status", "scope", "election")
    raw_id_fields = ("journalist",)
