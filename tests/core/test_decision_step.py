"""Decisions that cannot be mis-clicked (issue 13, item 3): a workflow page's button asks for a confirmation with
the reason, only the confirmation applies it, the reviewer is never offered the applicant's own actions, and the
history reads in the reader's words (``core.views.transition_step``, ``core.workflow.workflow_actions``)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import html

from core.models import AuditEvent, StatusChange
from observers.models import ObserverAccreditation
from tests.conftest import verified_client
from tests.observers import helpers as observer_helpers
from tests.pages import EN

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(country):
    setup = observer_helpers.build(country)
    return observer_helpers.apply(country, setup)


def url(a) -> str:
    return reverse("observers:accreditation_detail", args=[a.pk])


def buttons(client, a) -> list[tuple[str, str]]:
    doc = html.fromstring(client.get(url(a), **EN).content.decode())
    return [(b.get("value"), b.get("class")) for b in doc.xpath('//form[@id="transition-form"]//button')]


def test_the_reviewer_gets_the_decisions_primary_first_and_never_the_applicants_withdraw(clients, pending):
    for role in ("precinct", "cec"):  # the CEC could act for a coordinator, but on this page it decides
        found = buttons(clients[role], pending)
        assert found[0] == ("approve", "primary"), role
        assert ("reject", "warning") in found, role
        assert "withdraw" not in dict(found), role
    assert dict(buttons(clients["coordinator"], pending)) == {"withdraw": "warning"}


def test_the_button_only_asks_and_nothing_changes(clients, pending):
    before = AuditEvent.objects.count()
    response = clients["precinct"].post(url(pending), {"action": "reject"}, **EN)
    assert response.status_code == 200
    doc = html.fromstring(response.content.decode())
    assert doc.xpath('//dd[@data-decision="reject"]')[0].text_content() == "Refuse"
    assert "Karimova Dilnoza" in doc.xpath("//dl")[0].text_content()
    assert doc.xpath('//button[@data-confirm="reject"]')[0].get("class") == "warning"
    assert doc.xpath('//label[@for="id_reason"]')[0].text_content() == "Reason"
    assert doc.xpath('//a[text()="Cancel"]')[0].get("href") == url(pending)
    assert ObserverAccreditation.objects.get(pk=pending.pk).status == "submitted"
    assert AuditEvent.objects.count() == before


def test_a_confirmation_without_a_reason_is_refused_with_an_error_summary(clients, pending):
    response = clients["precinct"].post(url(pending), {"action": "approve", "confirm": "1", "reason": "  "}, **EN)
    assert response.status_code == 400
    doc = html.fromstring(response.content.decode())
    summary = doc.xpath("//div[@data-error-summary]")[0]
    link = summary.xpath(".//a")[0]
    assert link.get("href") == "#id_reason" and link.text_content() == "Reason: Say why: the reason goes on the record."
    field = doc.xpath('//div[contains(@class, "field-error")]')[0]
    # the error sits under its label, above the input
    assert [e.tag for e in field] == ["label", "ul", "textarea"]
    assert field.xpath("./ul")[0].text_content() == "Say why: the reason goes on the record."
    assert ObserverAccreditation.objects.get(pk=pending.pk).status == "submitted"


def test_the_confirmation_applies_the_decision_with_its_reason_on_the_record(clients, pending):
    response = clients["precinct"].post(url(pending), {"action": "approve", "confirm": "1", "reason": "Meets the rules"}, **EN)
    assert response.status_code == 302 and response.url == url(pending)
    assert ObserverAccreditation.objects.get(pk=pending.pk).status == "approved"
    assert StatusChange.objects.filter(transition="approve").get().reason == "Meets the rules"
    page = clients["precinct"].get(url(pending), **EN).content.decode()
    assert "Done: Accredit." in page
    history = html.fromstring(page).xpath("//table[@data-status-history]")[0]
    assert history.xpath('.//span[@data-to="approved"]')[0].text_content() == "registered / approved"
    assert "Meets the rules" in history.text_content()


def test_an_action_that_is_not_offered_is_not_applied(clients, pending):
    for role, action in (("coordinator", "approve"), ("precinct", "withdraw"), ("precinct", "fly")):
        response = clients[role].post(url(pending), {"action": action, "confirm": "1", "reason": "x"}, **EN)
        assert response.status_code == 302, role
        assert ObserverAccreditation.objects.get(pk=pending.pk).status == "submitted", (role, action)
        follow = clients[role].get(response.url, **EN).content.decode()
        assert "This action is not available now." in follow


def test_the_history_reads_in_the_readers_language(country, pending):
    client = verified_client(country.users["precinct"])
    client.post(url(pending), {"action": "reject", "confirm": "1", "reason": "Late"})
    page = client.get(url(pending), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    history = html.fromstring(page).xpath("//table[@data-status-history]")[0]
    label = history.xpath('.//span[@data-to="rejected"]')[0].text_content()
    assert label != "rejected" and label == "отклонено"
