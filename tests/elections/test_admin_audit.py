"""An admin save is audited once what it stored is stored: a constituency's precincts as changed (by primary
key), and an inline row of the election calendar moved, added or deleted."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from elections.models import Deadline
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_constituencys_new_precincts_are_what_the_event_records(clients, country):
    constituency = f.ConstituencyFactory(election=country.election, number=7, name_uz="7-okrug")
    constituency.precincts.set([country.precincts["A1-1"]])
    url = f"/admin/elections/constituency/{constituency.pk}/change/"
    form = clients["admin"].get(url).context["adminform"].form
    data = {k: getattr(v, "pk", v) for k, v in form.initial.items() if v is not None and k != "precincts"}
    new = sorted([country.precincts["B1-1"].pk, country.precincts["B1-2"].pk])
    assert clients["admin"].post(url, {**data, "precincts": new}).status_code == 302
    event = AuditEvent.objects.filter(action="admin.elections.constituency.change").latest("id")
    assert event.before["precincts"] == [country.precincts["A1-1"].pk] and event.after["precincts"] == new


def test_a_calendar_row_moved_in_the_election_admin_is_recorded(clients, country):
    election = country.election
    deadline = Deadline.objects.create(election=election, key="nomination_closes", due=timezone.now() - timedelta(days=1))
    url = f"/admin/elections/election/{election.pk}/change/"
    page = clients["admin"].get(url)
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else json.dumps(value) if isinstance(value, (dict, list)) else value
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    due = timezone.localtime(timezone.now() + timedelta(days=30))
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-id": deadline.pk,
            f"{prefix}-0-election": election.pk,
            f"{prefix}-0-key": "nomination_closes",
            f"{prefix}-0-due_0": due.strftime("%Y-%m-%d"),
            f"{prefix}-0-due_1": due.strftime("%H:%M:%S"),
        }
    )
    assert clients["admin"].post(url, data).status_code == 302
    event = AuditEvent.objects.filter(action="admin.elections.election.change").latest("id")
    [row] = event.after["inline_rows"]
    assert row["model"] == "elections.deadline" and row["fields"] == ["due"]
    assert row["changed"]["id"] == deadline.pk and row["changed"]["key"] == "nomination_closes"
