"""seed_demo builds a little observer data (organisations, observers, a badge, an open application), once."""

import pytest
from django.core.management import call_command

from core.models import Credential
from observers.models import Observer, ObserverAccreditation, ObserverOrganization

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_observers_are_built_once(capsys):
    call_command("seed_demo", "--precincts", "50", "--voters", "300", "--quiet-logins")
    assert ObserverOrganization.objects.count() == 3
    assert ObserverOrganization.objects.get(name__startswith="Ochiq").coordinators.filter(user__username="coordinator").exists()
    own = Observer.objects.get(user__username="observer")
    assert own.voter is not None and own.photo
    approved = ObserverAccreditation.objects.get(observer=own)
    assert approved.status == "approved" and Credential.objects.filter(kind="observer_badge").count() == 1
    assert ObserverAccreditation.objects.filter(status="submitted").count() == 1
    counts = (ObserverOrganization.objects.count(), Observer.objects.count(), ObserverAccreditation.objects.count())
    call_command("seed_demo", "--precincts", "50", "--voters", "300", "--quiet-logins")
    assert (ObserverOrganization.objects.count(), Observer.objects.count(), ObserverAccreditation.objects.count()) == counts
