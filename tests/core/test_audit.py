import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core import audit
from core.models import AuditEvent
from core.selectors import audit_chain_verify
from core.services import audit_record

pytestmark = pytest.mark.django_db


def _events(n=5):
    return [
        audit_record(action="test.event", object_type="test", object_id=str(i), after={"i": i, "name": "Ўзбек"}) for i in range(n)
    ]


def test_events_are_chained():
    events = _events(3)
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert audit_chain_verify().ok
    call_command("audit_verify")


def test_database_refuses_update_and_delete():
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.action == "test.event"


def _tamper(sql, params):
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete")
        cur.execute(sql, params)
        cur.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update_delete")


def test_verify_names_first_altered_event():
    events = _events(5)
    _tamper("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"i": 99}', events[2].pk])
    report = audit_chain_verify()
    assert not report.ok
    assert report.first_bad_id == events[2].pk
    assert report.checked == 2
    with pytest.raises(CommandError, match=f"#{events[2].pk}"):
        call_command("audit_verify")


def test_verify_detects_deleted_event():
    events = _events(4)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    report = audit_chain_verify()
    assert report.first_bad_id == events[2].pk


def test_verify_detects_rehashed_event():
    """Recomputing one event's own hash still breaks the link to the next one."""

    events = _events(3)
    event = AuditEvent.objects.get(pk=events[1].pk)
    event.actor_repr = "someone else"
    new_hash = audit.hash_of(event)
    _tamper("UPDATE core_auditevent SET actor_repr = %s, hash = %s WHERE id = %s", ["someone else", new_hash, events[1].pk])
    assert audit_chain_verify().first_bad_id == events[2].pk
