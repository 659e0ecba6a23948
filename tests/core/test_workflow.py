from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import workflow
from core.models import AuditEvent, Notification, StatusChange
from core.workflow import State, workflow_transition
from elections.models import Deadline
from tests.testapp.models import SampleApplication

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def application(country):
    applicant = country.users["party"]
    applicant.email = "party@example.org"
    applicant.save()
    return SampleApplication.objects.create(applicant=applicant, election=country.election)


def test_happy_path_records_history_audit_and_notifications(country, application, django_capture_on_commit_callbacks):
    party, official = country.users["party"], country.users["district"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow_transition(obj=application, name="submit", actor=party)
        workflow_transition(obj=application, name="start_review", actor=official)
        workflow_transition(obj=application, name="approve", actor=official)
    application.refresh_from_db()
    assert application.status == State.APPROVED
    history = list(application.status_history().values_list("from_state", "to_state"))
    assert history == [("draft", "submitted"), ("submitted", "under_review"), ("under_review", "approved")]
    assert AuditEvent.objects.filter(action__startswith="testapp.sampleapplication.").count() == 3
    assert Notification.objects.filter(recipient=party).count() == 3
    assert len(callbacks) == 3  # one Celery send per message, queued after commit


def test_transition_from_wrong_state_is_refused(country, application):
    with pytest.raises(ValidationError) as err:
        workflow_transition(obj=application, name="approve", actor=country.users["cec"])
    assert err.value.code == "invalid_state"
    application.refresh_from_db()
    assert application.status == State.DRAFT
    assert not StatusChange.objects.exists()


def test_only_the_right_side_may_act(country, application):
    with pytest.raises(PermissionDenied):
        workflow_transition(obj=application, name="submit", actor=country.users["observer"])
    workflow_transition(obj=application, name="submit", actor=country.users["party"])
    with pytest.raises(PermissionDenied):
        workflow_transition(obj=application, name="approve", actor=country.users["party"])
    application.refresh_from_db()
    assert application.status == State.SUBMITTED


def test_reason_required_for_rejection(country, application):
    workflow_transition(obj=application, name="submit", actor=country.users["party"])
    with pytest.raises(ValidationError) as err:
        workflow_transition(obj=application, name="reject", actor=country.users["cec"], reason="  ")
    assert "reason" in err.value.message_dict
    workflow_transition(obj=application, name="reject", actor=country.users["cec"], reason="Missing documents")
    change = application.status_history().last()
    assert (change.to_state, change.reason) == ("rejected", "Missing documents")


@pytest.mark.parametrize(
    "reason, code",
    [('=HYPERLINK("http://x")', "formula"), ("<script>x</script>", "invalid_characters"), ("x" * 1001, "too_long")],
)
def test_a_reason_that_breaks_the_text_rule_is_refused_and_nothing_changes(country, application, reason, code):
    workflow_transition(obj=application, name="submit", actor=country.users["party"])
    with pytest.raises(ValidationError) as err:
        workflow_transition(obj=application, name="reject", actor=country.users["cec"], reason=reason)
    assert err.value.error_dict["reason"][0].code == code
    application.refresh_from_db()
    assert application.status == State.SUBMITTED
    assert application.status_history().count() == 1
    workflow_transition(obj=application, name="reject", actor=country.users["cec"], reason="Two lines:\nmissing pages")
    assert application.status_history().last().reason == "Two lines:\nmissing pages"


def test_deadline_from_the_election_calendar(country, application, monkeypatch):

    submit = workflow.APPLICATION_WORKFLOW.transitions["submit"]
    monkeypatch.setitem(
        workflow.APPLICATION_WORKFLOW.transitions,
        "submit",
        workflow.Transition(**{**submit.__dict__, "deadline": "nomination_closes"}),
    )
    due = timezone.now() - timedelta(hours=1)
    Deadline.objects.create(election=country.election, key="nomination_closes", due=due)
    with pytest.raises(ValidationError) as err:
        workflow_transition(obj=application, name="submit", actor=country.users["party"])
    assert err.value.code == "deadline_passed"
    assert "deadline" in str(err.value.message)
    # before the deadline the same action passes
    workflow_transition(obj=application, name="submit", actor=country.users["party"], now=due - timedelta(days=1))
    application.refresh_from_db()
    assert application.status == State.SUBMITTED


def test_unknown_transition(country, application):
    with pytest.raises(ValidationError) as err:
        workflow_transition(obj=application, name="teleport", actor=country.users["cec"])
    assert err.value.code == "unknown_transition"
