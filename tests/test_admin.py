"""Django admin: every registered model's list opens for an administrator, for nobody else."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.models import AuditEvent
from core.services import audit_record

pytestmark = pytest.mark.django_db

MODELS = sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry)


@pytest.mark.parametrize("label", MODELS)
def test_admin_changelist_opens(clients, label):
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_changelist")
    assert clients["admin"].get(url).status_code == 200
    response = clients["cec"].get(url)  # CEC staff are not administrators
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_audit_log_is_read_only_in_admin(clients):

    event = audit_record(action="test.event", object_type="x")
    response = clients["admin"].post(reverse("admin:core_auditevent_change", args=[event.pk]), {"action": "x"})
    assert response.status_code == 403


def test_admin_changes_are_audited(clients, country):

    region = country.regions["A"]
    url = reverse("admin:elections_region_change", args=[region.pk])
    response = clients["admin"].post(
        url, {"code": region.code, "name_uz": "Yangi nom", "name_uz_cyrl": "", "name_ru": "", "name_en": ""}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.elections.region.change")
    assert event.before["name_uz"] == "Viloyat A" and event.after["name_uz"] == "Yangi nom"
    assert event.actor == country.users["admin"]


SERVICE_ONLY = sorted(
    f"{m._meta.app_label}.{m._meta.model_name}"
    for m, a in admin.site._registry.items()
    if getattr(a, "admin_may_delete", None) is not None
)


def test_service_only_admins_are_the_history_and_workflow_rows():
    assert {"core.auditevent", "core.statuschange", "core.credential", "voters.voter", "voters.voterchange"} <= set(SERVICE_ONLY)


@pytest.mark.parametrize("label", SERVICE_ONLY)
def test_service_only_rows_cannot_be_added_changed_or_deleted_in_admin(clients, country, rf, label):
    """Rows that only services write (history, audit, workflow) are shown, never edited by hand."""
    app, model = label.split(".")
    assert clients["admin"].get(reverse(f"admin:{app}_{model}_add")).status_code == 403
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    request = rf.get("/")
    request.user = country.users["admin"]
    assert not model_admin.has_change_permission(request)
    assert model_admin.has_delete_permission(request) is model_admin.admin_may_delete
