"""The precinct protocol: blind double entry, control relations before anything is stored, versions and
corrections, the workflow up to publication, and the summary protocols computed from the precincts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core.models import AuditEvent
from core.selectors import audit_chain_verify
from results import selectors, services
from results.models import Protocol, ProtocolEntry, ProtocolState, ProtocolVersion
from tests.results.conftest import figures

pytestmark = pytest.mark.django_db


def submit(contest, member, **change):
    return services.protocol_entry_submit(
        actor=contest["members"][member],
        constituency=contest["constituency"],
        precinct=contest["precinct"],
        figures=figures(contest, **change),
    )


def accepted(contest, **change):
    submit(contest, 0, **change)
    return submit(contest, 1, **change).protocol


def test_two_matching_entries_make_version_one(contest):
    first = submit(contest, 0)
    assert first.outcome == "waiting" and first.protocol is None
    assert not Protocol.objects.exists()
    second = submit(contest, 1)
    assert second.outcome == "matched"
    protocol = second.protocol
    assert protocol.status == ProtocolState.ENTERED
    version = protocol.current
    assert version.number == 1 and version.kind == "count"
    assert version.figures["voters_on_list"] == 20  # from the unified list, not typed
    assert len(version.checksum) == 64
    assert AuditEvent.objects.filter(action="results.protocol.accept").count() == 1


def test_a_mismatch_names_the_lines_not_the_figures(contest):
    submit(contest, 0)
    a = f"votes:n{contest['candidates'][0].pk}"
    b = f"votes:n{contest['candidates'][1].pk}"
    result = submit(contest, 1, **{a: 8, b: 6})
    assert result.outcome == "mismatched"
    assert result.mismatched == sorted([a, b])
    assert not Protocol.objects.exists()
    assert set(ProtocolEntry.objects.values_list("outcome", flat=True)) == {"mismatched"}
    # a new round: both enter again and match
    assert submit(contest, 0).outcome == "waiting"
    assert submit(contest, 1).outcome == "matched"
    assert ProtocolEntry.objects.filter(round=2, outcome="matched").count() == 2


def test_the_same_member_cannot_enter_twice(contest):
    submit(contest, 0)
    with pytest.raises(ValidationError) as exc:
        submit(contest, 0)
    assert exc.value.code == "already_entered"


@pytest.mark.parametrize(
    ("change", "relation"),
    [
        ({"cancelled_unused": 6}, "ballots_balance"),
        ({"invalid": 2}, "boxes_are_valid_and_invalid"),
        ({"valid": 15, "invalid": 0}, "valid_are_the_votes"),
        ({"found_in_boxes": 16, "valid": 15, "votes_a": 10}, "found_within_issued"),
        ({"voters_added": 0, "issued_station": 18, "cancelled_unused": -1}, None),
    ],
)
def test_a_broken_relation_is_refused_and_nothing_stored(contest, change, relation):
    a = f"votes:n{contest['candidates'][0].pk}"
    if "votes_a" in change:
        change[a] = change.pop("votes_a")
    with pytest.raises(ValidationError) as exc:
        submit(contest, 0, **change)
    if relation is None:  # a negative figure is refused on its line
        assert exc.value.error_dict["cancelled_unused"][0].code == "not_a_count"
    else:
        [error] = exc.value.error_list
        assert error.code == "relation_broken" and error.params["key"] == relation
        assert error.params["difference"] == error.params["left"] - error.params["right"] != 0
    assert not ProtocolEntry.objects.exists()


def test_issued_above_the_list_is_refused(contest):
    with pytest.raises(ValidationError) as exc:
        submit(
            contest,
            0,
            issued_station=18,
            ballots_received=23,
            cancelled_unused=2,
            found_in_boxes=21,
            valid=20,
            **{f"votes:n{contest['candidates'][0].pk}": 15},
        )
    [error] = exc.value.error_list
    assert (error.params["key"], error.params["left"], error.params["right"]) == ("voted_within_list", 21, 20)


def test_only_the_precinct_commission_enters(country, contest):
    for name in ("district", "cec", "region", "party", "observer"):
        with pytest.raises(PermissionDenied):
            services.protocol_entry_submit(
                actor=country.users[name],
                constituency=contest["constituency"],
                precinct=contest["precinct"],
                figures=figures(contest),
            )


def test_workflow_verify_certify_publish(country, contest):
    protocol = accepted(contest)
    with pytest.raises(PermissionDenied):
        services.protocol_transition(actor=country.users["precinct"], protocol=protocol, name="verify")
    services.protocol_transition(actor=country.users["district"], protocol=protocol, name="verify")
    with pytest.raises(PermissionDenied):
        services.protocol_transition(actor=country.users["district"], protocol=protocol, name="certify")
    services.protocol_transition(actor=country.users["cec"], protocol=protocol, name="certify")
    services.protocol_transition(actor=country.users["cec"], protocol=protocol, name="publish")
    protocol.refresh_from_db()
    assert protocol.status == ProtocolState.PUBLISHED
    assert [c.to_state for c in protocol.status_history()] == ["verified", "certified", "published"]


def test_correction_after_certification_refused_to_the_precinct(country, contest):
    protocol = accepted(contest)
    services.protocol_transition(actor=country.users["district"], protocol=protocol, name="verify")
    services.protocol_transition(actor=country.users["cec"], protocol=protocol, name="certify")
    a, b = (f"votes:n{n.pk}" for n in contest["candidates"])
    new = figures(contest, **{a: 8, b: 6})
    with pytest.raises(PermissionDenied, match="higher commission"):
        services.protocol_correction_open(actor=contest["members"][0], protocol=protocol, figures=new, reason="Recounted")
    correction = services.protocol_correction_open(
        actor=country.users["district"], protocol=protocol, figures=new, reason="Recount ordered by the district", recount=True
    )
    with pytest.raises(PermissionDenied):  # not approved by the one who opened it
        services.protocol_correction_approve(actor=country.users["district"], correction=correction)
    version = services.protocol_correction_approve(actor=country.users["cec"], correction=correction)
    protocol.refresh_from_db()
    assert (version.number, version.kind, version.author, version.approver) == (
        2,
        "recount",
        country.users["district"],
        country.users["cec"],
    )
    assert protocol.current == version and protocol.status == ProtocolState.ENTERED
    first = protocol.versions.get(number=1)
    assert first.figures[a] == 9  # the earlier version is kept as it was
    assert AuditEvent.objects.filter(action="results.protocol.correct").exists()


def test_versions_are_never_edited(contest):
    version = accepted(contest).current
    with pytest.raises(DatabaseError, match="never edited"), transaction.atomic():
        ProtocolVersion.objects.filter(pk=version.pk).update(figures={})
    with pytest.raises(DatabaseError, match="never edited"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM results_protocolversion WHERE id = %s", [version.pk])


def test_summary_protocols_from_the_precincts(country, contest):
    accepted(contest)
    a = f"votes:n{contest['candidates'][0].pk}"
    district = selectors.summary(contest["constituency"], district=country.districts["A1"])
    country_wide = selectors.summary(contest["constituency"])
    assert district.figures[a] == 9 and district.figures["found_in_boxes"] == 15
    assert (district.expected, district.accepted, district.missing) == (2, 1, 1)
    assert (country_wide.expected, country_wide.accepted, country_wide.missing) == (3, 1, 2)
    other = selectors.summary(contest["constituency"], region=country.regions["B"])
    assert other.figures == {} and other.missing == 1
    assert selectors.summary(contest["constituency"], published_only=True).figures == {}


def test_a_mismatch_counts_as_disputed(contest):
    submit(contest, 0)
    submit(contest, 1, invalid=0, valid=15, **{f"votes:n{contest['candidates'][0].pk}": 10})
    assert selectors.summary(contest["constituency"]).disputed == 1


def test_contest_keys_are_the_keys_of_the_contest_lines(contest, national):
    for constituency in (contest["constituency"], national[0]):
        lines = selectors.contest_lines(constituency)
        assert selectors.contest_keys(constituency) == [key for key, _label in lines]
        assert len(lines) in (2, 3)


def test_entry_context_reads_what_the_separate_selectors_read(country, contest, national):
    """The one query of an entry (``entry_context``) gives the same lines and list count as ``contest_keys`` and
    ``listed_on_precinct``, for a single-mandate and a national contest, and says whether the contest holds
    the precinct."""
    for constituency in (contest["constituency"], national[0]):
        for name in ("A1-1", "A1-2"):
            precinct = country.precincts[name]
            context = selectors.entry_context(constituency, precinct)
            assert context.keys == selectors.contest_keys(constituency)
            assert context.on_list == selectors.listed_on_precinct(precinct)
            assert context.holds == constituency.precincts.filter(pk=precinct.pk).exists()
    assert selectors.entry_context(contest["constituency"], contest["precinct"]).on_list == 20
    assert selectors.entry_context(national[0], country.precincts["A1-2"]).holds is False


def test_a_precinct_outside_the_contest_is_refused(country, contest, national):
    """A member of precinct A1-1's commission enters nothing for a contest that does not include A1-1."""
    constituency = national[0]
    constituency.precincts.set([country.precincts["A1-2"]])
    with pytest.raises(PermissionDenied):
        services.protocol_entry_submit(
            actor=contest["members"][0], constituency=constituency, precinct=contest["precinct"], figures=figures(contest)
        )
    assert not ProtocolEntry.objects.exists()


def test_the_accepting_entry_chains_its_two_events_in_order(contest):
    """The second entry writes its entry and acceptance events together at the end of its transaction: in
    that order, each linked to the one before, and the whole chain verifies."""
    submit(contest, 0)
    before = AuditEvent.objects.order_by("-id").first()
    submit(contest, 1)
    enter, accept = AuditEvent.objects.filter(id__gt=before.id).order_by("id")
    assert (enter.action, accept.action) == ("results.protocol.enter", "results.protocol.accept")
    assert (enter.prev_hash, accept.prev_hash) == (before.hash, enter.hash)
    assert audit_chain_verify().ok
