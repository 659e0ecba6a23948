"""Admin writes are official writes too: each one is recorded in the audit log."""

from django.db import transaction
from django.forms.models import model_to_dict

from core.services import audit_record


def _plain(value):
    """A snapshot value the audit log can keep: related rows by primary key."""
    if isinstance(value, (list, tuple, set)):
        return sorted((getattr(v, "pk", v) for v in value), key=str)
    return getattr(value, "pk", value)


def _snapshot(obj) -> dict:
    return {k: _plain(v) for k, v in model_to_dict(obj).items() if not hasattr(v, "read") and k != "password"}


class AuditedAdminMixin:
    """One audit event per admin save, written once the object's many-to-many fields and inline rows are saved
    too (so "after" is what was stored), with the inline rows added, changed or deleted."""

    def save_model(self, request, obj, form, change):
        request._audit_before = _snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # inside the admin's transaction
        obj = form.instance
        after = _snapshot(obj)
        rows = []
        for formset in formsets:
            label = formset.model._meta.label_lower
            rows += [{"model": label, "added": _snapshot(o)} for o in getattr(formset, "new_objects", [])]
            rows += [
                {"model": label, "changed": _snapshot(o), "fields": fields}
                for o, fields in getattr(formset, "changed_objects", [])
            ]
            rows += [{"model": label, "deleted": str(o)} for o in getattr(formset, "deleted_objects", [])]
        if rows:
            after["inline_rows"] = rows
        audit_record(
            actor=request.user,
            action=f"admin.{obj._meta.label_lower}.{'change' if change else 'add'}",
            obj=obj,
            before=getattr(request, "_audit_before", None),
            after=after,
            request=request,
        )

    def delete_model(self, request, obj):
        before = _snapshot(obj)
        with transaction.atomic():
            audit_record(
                actor=request.user, action=f"admin.{obj._meta.label_lower}.delete", obj=obj, before=before, request=request
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(
                    actor=request.user,
                    action=f"admin.{obj._meta.label_lower}.delete",
                    obj=obj,
                    before=_snapshot(obj),
                    request=request,
                )
            super().delete_queryset(request, queryset)


class LeadingFieldsAdminMixin:
    """``leading_fields`` first on the change page, then the rest in their usual order.

    A model on an abstract base (``core.models.PersonIdentity``) lists the base's fields
    first; this keeps its own leading fields (organisation or outlet, account) on top.
    """

    leading_fields: tuple[str, ...] = ()

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        first = [name for name in self.leading_fields if name in fields]
        return first + [name for name in fields if name not in first]


class ServiceOnlyAdminMixin:
    """Rows that change only through services (validation, history, audit): the admin shows them.

    ``admin_may_delete`` lets an administrator delete a row (e.g. a stale one) where that is safe.
    """

    admin_may_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.admin_may_delete and super().has_delete_permission(request, obj)


class ObjectRoleLinkAdminMixin(ServiceOnlyAdminMixin):
    """Link rows of an object role (a party's representative, an outlet's editor, an organisation's coordinator).

    They are added on the owner's page, which grants the django-guardian permissions; an administrator may delete
    one, and the deletion goes through ``remove`` (the service that revokes them), so the permissions go with it.
    """

    admin_may_delete = True

    def remove(self, request, link) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def delete_model(self, request, obj):
        self.remove(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for link in queryset:
                self.remove(request, link)
