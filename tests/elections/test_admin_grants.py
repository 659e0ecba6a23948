"""Grants made in the admin go through the services: a commission's member rows add and remove members with
their scope, django-guardian grants and audit events (commission_member_add / _remove); guardian's own
object-permission pages are not offered (they granted a party's rights with no representative row, no audit)."""

import pytest

from accounts.roles import Role
from accounts.scope import scope_for
from candidates import services as candidates
from core.models import AuditEvent
from elections.models import CommissionMember
from elections.services import commission_member_add
from media_accreditation.services import outlet_register
from observers.services import organization_register
from tests import factories as f

pytestmark = pytest.mark.django_db


def _post(commission, rows: dict, total: int, initial: int) -> dict:
    data = {
        "code": commission.code,
        "name_uz": commission.name_uz,
        "level": commission.level,
        "region": commission.region_id or "",
        "district": commission.district_id or "",
        "precinct": commission.precinct_id or "",
        "memberships-TOTAL_FORMS": str(total),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    return {**data, **{f"memberships-{k}": v for k, v in rows.items()}}


def _actions(since: int) -> list[str]:
    return list(AuditEvent.objects.filter(pk__gt=since).order_by("pk").values_list("action", flat=True))


def test_a_member_added_in_the_admin_is_added_by_the_service(clients, country):
    commission = f.commission_for(level="district", district=country.districts["B1"])
    newcomer = f.UserFactory(username="newcomer", role=Role.COMMISSION_STAFF)
    url = f"/admin/elections/commission/{commission.pk}/change/"
    assert "memberships-TOTAL_FORMS" in clients["admin"].get(url).content.decode()
    last = AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    response = clients["admin"].post(
        url,
        _post(
            commission, {"0-user": newcomer.pk, "0-role": "chair", "0-since": "2024-01-01", "0-commission": commission.pk}, 1, 0
        ),
    )
    assert response.status_code == 302
    member = CommissionMember.objects.get(user=newcomer, commission=commission)
    assert member.role == "chair" and str(member.since) == "2024-01-01"
    assert "elections.commission.member_add" in _actions(last)
    assert newcomer.has_perm("elections.change_commission", commission)
    assert country.districts["B1"].pk in scope_for(newcomer).district_ids


def test_a_member_removed_in_the_admin_loses_the_grants(clients, country):
    commission = f.commission_for(level="district", district=country.districts["B1"])
    chair = f.UserFactory(username="chair", role=Role.COMMISSION_STAFF)
    member = commission_member_add(actor=country.users["cec"], commission=commission, user=chair, role="chair")
    last = AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    response = clients["admin"].post(
        f"/admin/elections/commission/{commission.pk}/change/",
        _post(
            commission,
            {
                "0-id": member.pk,
                "0-user": chair.pk,
                "0-role": "chair",
                "0-since": "2024-01-01",
                "0-commission": commission.pk,
                "0-DELETE": "on",
            },
            1,
            1,
        ),
    )
    assert response.status_code == 302
    assert not CommissionMember.objects.filter(pk=member.pk).exists()
    assert "elections.commission.member_remove" in _actions(last)
    chair = type(chair).objects.get(pk=chair.pk)  # a fresh permission cache
    assert not chair.has_perm("elections.change_commission", commission)
    assert not chair.has_perm("elections.view_commission", commission)


def test_a_row_that_now_names_another_person_moves_the_grants(clients, country):
    commission = f.commission_for(level="district", district=country.districts["B1"])
    old, new = (f.UserFactory(username=n, role=Role.COMMISSION_STAFF) for n in ("old_chair", "new_chair"))
    member = commission_member_add(actor=country.users["cec"], commission=commission, user=old, role="chair")
    response = clients["admin"].post(
        f"/admin/elections/commission/{commission.pk}/change/",
        _post(
            commission,
            {"0-id": member.pk, "0-user": new.pk, "0-role": "secretary", "0-since": "2024-01-01", "0-commission": commission.pk},
            1,
            1,
        ),
    )
    assert response.status_code == 302
    assert list(commission.memberships.values_list("user__username", "role")) == [("new_chair", "secretary")]
    old, new = (type(u).objects.get(pk=u.pk) for u in (old, new))  # fresh permission caches
    assert not old.has_perm("elections.view_commission", commission)
    assert new.has_perm("elections.change_commission", commission)  # a secretary leads too


def test_a_role_changed_in_the_admin_changes_the_grants(clients, country):
    commission = f.commission_for(level="district", district=country.districts["B1"])
    chair = f.UserFactory(username="chair", role=Role.COMMISSION_STAFF)
    member = commission_member_add(actor=country.users["cec"], commission=commission, user=chair, role="chair")
    response = clients["admin"].post(
        f"/admin/elections/commission/{commission.pk}/change/",
        _post(
            commission,
            {"0-id": member.pk, "0-user": chair.pk, "0-role": "member", "0-since": "2024-01-01", "0-commission": commission.pk},
            1,
            1,
        ),
    )
    assert response.status_code == 302
    chair = type(chair).objects.get(pk=chair.pk)
    assert chair.has_perm("elections.view_commission", commission)
    assert not chair.has_perm("elections.change_commission", commission)


def test_no_object_permission_pages(clients, country):

    cec = country.users["cec"]
    rows = {
        "candidates/party": candidates.party_register(actor=cec, registration_number="01", name_uz="Adolat"),
        "media_accreditation/mediaoutlet": outlet_register(actor=cec, name="Dunyo", kind="print", certificate_number="0009"),
        "observers/observerorganization": organization_register(actor=cec, name="Kuzatuv", kind="ngo", registration_number="N-1"),
        "elections/commission": f.commission_for(level="district", district=country.districts["B1"]),
        "accounts/user": country.users["party"],
    }
    for model, row in rows.items():
        change = clients["admin"].get(f"/admin/{model}/{row.pk}/change/")
        assert change.status_code == 200 and b"/permissions/" not in change.content, model
        response = clients["admin"].get(f"/admin/{model}/{row.pk}/permissions/", follow=True)
        assert b"submit_manage_user" not in response.content and b"user-manage" not in response.content, model
