"""Commission membership grants object permissions (django-guardian) on the commission itself."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm

from accounts.scope import level_scope, scope_for
from core.models import AuditEvent
from elections.models import CommissionMember
from elections.services import commission_member_add, commission_member_remove
from tests import factories as f
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_membership_grants_the_commission_and_nothing_else(country):
    commission = f.commission_for(level="district", district=country.districts["A2"])
    other = f.commission_for(level="district", district=country.districts["B1"])
    secretary = f.UserFactory(username="secretary", role="commission_staff")
    commission_member_add(actor=country.users["cec"], commission=commission, user=secretary, role=CommissionMember.Role.SECRETARY)
    assert secretary.has_perm("elections.view_commission", commission)
    assert secretary.has_perm("elections.change_commission", commission)
    assert not secretary.has_perm("elections.view_commission", other)
    assert AuditEvent.objects.filter(action="elections.commission.member_add").exists()
    # the secretary may add a member to their own commission, not to another
    member = f.UserFactory(username="member", role="commission_staff")
    commission_member_add(actor=secretary, commission=commission, user=member)
    assert member.has_perm("elections.view_commission", commission)
    assert not member.has_perm("elections.change_commission", commission)
    with pytest.raises(PermissionDenied):
        commission_member_add(actor=secretary, commission=other, user=member)
    commission_member_remove(actor=secretary, member=CommissionMember.objects.get(user=member))

    member = get_user_model().objects.get(pk=member.pk)
    assert not member.has_perm("elections.view_commission", commission)


def test_commission_page_by_scope_or_grant(country, clients):
    own = f.commission_for(level="precinct", precinct=country.precincts["A1-1"])
    far = f.commission_for(level="district", district=country.districts["B1"])
    assert clients["precinct"].get(f"/commissions/{own.pk}/").status_code == 200
    assert clients["district"].get(f"/commissions/{far.pk}/").status_code == 404
    assert clients["party"].get(f"/commissions/{own.pk}/").status_code == 403
    assert clients["anon"].get(f"/commissions/{own.pk}/").status_code == 302
    assert clients["cec"].get(f"/commissions/{far.pk}/").status_code == 200
    # an object grant opens a commission outside the official's area
    observer_official = f.UserFactory(username="liaison", role="commission_staff")
    assign_perm("elections.view_commission", observer_official, far)
    assert verified_client(observer_official).get(f"/commissions/{far.pk}/").status_code == 200


def test_a_seat_added_or_removed_counts_at_once_for_the_same_user(country):
    """The seats are read once per user object (per request); adding or removing one reads them again."""
    user = f.UserFactory(username="newmember", role="commission_staff")
    precinct = country.precincts["A1-1"]
    assert not level_scope(user, "district").covers(precinct) and scope_for(user).is_empty
    commission = f.commission_for(level="district", district=country.districts["A1"])
    member = commission_member_add(actor=country.users["cec"], commission=commission, user=user)
    assert level_scope(user, "district").covers(precinct) and scope_for(user).covers(precinct)
    assert not level_scope(user, "precinct").covers(precinct)  # a district seat is not a precinct one
    commission_member_remove(actor=country.users["cec"], member=member)
    assert not level_scope(user, "district").covers(precinct) and scope_for(user).is_empty
