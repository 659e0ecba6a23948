from django.contrib import admin

from core.admin_mixins import (
    AuditedAdminMixin,
    LeadingFieldsAdminMixin,
    ObjectRoleLinkAdminMixin,
    ServiceOnlyAdminMixin,
)
from observers import services
from observers.models import (
    Observer,
    ObserverAccreditation,
    ObserverOrganization,
    OrganizationCoordinator,
)


class ReadOnlyAdmin(ServiceOnlyAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Rows that change only through services (rules, workflow, audit, notifications)."""


@admin.register(ObserverOrganization)
class ObserverOrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "registration_number", "country", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "registration_number")
    raw_id_fields = ("mahalla",)


@admin.register(OrganizationCoordinator)
class OrganizationCoordinatorAdmin(ObjectRoleLinkAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Coordinators are added by the CEC on the organisation's page (the django-guardian grant goes with it); a
    deletion here goes through the service, so the grant goes with the row."""

    list_display = ("organization", "user", "since")

    def remove(self, request, obj):
        services.organization_coordinator_remove(actor=request.user, coordinator=obj, request=request)


@admin.register(Observer)
class ObserverAdmin(LeadingFieldsAdminMixin, ReadOnlyAdmin):
    leading_fields = ("organization", "user")
    list_display = ("surname", "given_name", "organization", "is_foreign", "country", "created_at")
    list_filter = ("is_foreign", "organization")
    search_fields = ("surname", "given_name", "pinfl", "passport_number")
    exclude = ("photo",)


@admin.register(ObserverAccreditation)
class ObserverAccreditationAdmin(ReadOnlyAdmin):
    list_display = ("observer", "organization", "election", "status", "submitted_at")
    list_filter = ("status", "election")
