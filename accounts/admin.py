from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.admin_mixins import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = BaseUserAdmin.fieldsets + ((_("E-saylov"), {"fields": ("role", "pinfl", "middle_name", "phone", "language")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("E-saylov"), {"fields": ("role",)}),)
