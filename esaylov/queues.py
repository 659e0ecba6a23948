"""The officials' work queues: what waits for the signed-in official in their own area, the most urgent first.

Each queue is read through its app's own selector (already scoped to the user) and its deadline through the
rows' own rule (the workflow policy's "decide by"), so this module only counts and orders; it decides
nothing.  A queue is offered only to those its page lets in (``core.permissions.may_open``), as the menu is.

Order: queues with overdue items first (the earliest deadline on top), then those with a deadline ahead, then
those without one, the longest-waiting first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.scope import level_scope
from candidates import selectors as candidate_selectors
from core.permissions import may_open
from elections import selectors as election_selectors
from esaylov.navigation import view_of
from incidents import selectors as incident_selectors
from media_accreditation import selectors as media_selectors
from observers import selectors as observer_selectors
from results import selectors as result_selectors
from results.models import ProtocolState
from voters import selectors as voter_selectors


@dataclass(frozen=True)
class Counted:
    """How many items wait, how many are past their deadline, the earliest deadline among them (``due``) or,
    for work without one, since when the oldest waits (``since``)."""

    count: int
    overdue: int = 0
    due: datetime | None = None
    since: datetime | None = None


@dataclass(frozen=True)
class Queue:
    """One kind of work: its name, its page and what waits there."""

    key: str
    label: str | Promise
    url: str
    work: Counted

    @property
    def urgency(self) -> tuple:
        far = datetime.max.replace(tzinfo=UTC)
        return (self.work.overdue == 0, self.work.due or far, self.work.since or far, self.key)


def _by_deadline(deadlines: Iterable[datetime | None], now: datetime) -> Counted:
    """Count items by their deadlines (None: the item has none)."""
    count, overdue, first = 0, 0, None
    for due in deadlines:
        count += 1
        if due is None:
            continue
        overdue += due < now
        first = due if first is None or due < first else first
    return Counted(count, overdue, first)


def _waiting(qs, field: str = "created_at") -> Counted:
    found = qs.order_by().aggregate(since=Min(field))
    return Counted(qs.count(), since=found["since"])


# ------------------------------------------------------------------------------------------ the queues


def _duplicates(user, now) -> Counted:
    return _waiting(voter_selectors.duplicates_open(user))


def _requests(user, now) -> Counted:
    return _waiting(voter_selectors.location_requests_open(user))


def _nominations(user, now) -> Counted:
    return _by_deadline(candidate_selectors.review_queue(user).values_list("decide_by", flat=True), now)


def _objections(user, now) -> Counted:
    return _by_deadline((o.decide_by for o in candidate_selectors.objections_to_decide(user)), now)


def _observer_applications(user, now) -> Counted:
    return _by_deadline((a.decision_due for a in observer_selectors.review_queue(user)), now)


def _media_applications(user, now) -> Counted:
    return _by_deadline((a.decide_by() for a in media_selectors.decision_queue(user)), now)


def _incidents(user, now) -> Counted:
    return _waiting(incident_selectors.unanswered_incidents(user))


def _protocols(state: str) -> Callable:
    def count(user, now) -> Counted:
        return _waiting(result_selectors.protocols_awaiting(user, state), "status_changed_at")

    return count


def _to_enter(user, now) -> Counted:
    """The precinct commission's protocols not yet entered, once election day has come."""
    tasks = [
        t
        for t in result_selectors.entry_precincts(user)
        if t.protocol is None and not t.entered_by_me and t.constituency.election.days_left <= 0
    ]
    return Counted(len(tasks))


#: (key, page, query string, label, counter).  The page's own access rule decides who sees the queue.
QUEUES = [
    ("protocols_to_enter", "results:home", "", _("Result protocols to enter"), _to_enter),
    ("protocols_to_verify", "results:home", "?status=entered", _("Protocols to verify"), _protocols(ProtocolState.ENTERED)),
    ("protocols_to_certify", "results:home", "?status=verified", _("Protocols to certify"), _protocols(ProtocolState.VERIFIED)),
    ("protocols_to_publish", "results:home", "?status=certified", _("Protocols to publish"), _protocols(ProtocolState.CERTIFIED)),
    ("incidents", "incidents:incident_inbox", "", _("Incidents to answer"), _incidents),
    ("nominations", "candidates:review_queue", "", _("Nominations to review"), _nominations),
    ("objections", "candidates:review_queue", "#objection-queue", _("Objections to decide"), _objections),
    ("observer_applications", "observers:queue", "", _("Observer applications"), _observer_applications),
    ("media_applications", "media_accreditation:review_queue", "", _("Media applications"), _media_applications),
    ("requests", "voters:requests", "", _("Requests to vote elsewhere"), _requests),
    ("duplicates", "voters:duplicates", "", _("Possible duplicates to review"), _duplicates),
]


def work_queues(user) -> tuple[list[Queue], list[Queue]]:
    """The queues ``user`` may open: ``(waiting, empty)``, the waiting ones most urgent first."""
    now = timezone.now()
    waiting, empty = [], []
    for key, name, query, label, counter in QUEUES:
        url, view = view_of(name)
        if not may_open(view, user):
            continue
        queue = Queue(key, label, url + query, counter(user, now))
        (waiting if queue.work.count else empty).append(queue)
    waiting.sort(key=lambda q: q.urgency)
    return waiting, empty


@dataclass(frozen=True)
class OwnPrecinct:
    """A precinct whose commission the user sits on: its list to print in one click, and its voters."""

    precinct: object
    voters: int
    pdf_url: str
    csv_url: str


def own_precincts(user) -> list[OwnPrecinct]:
    """The precincts of the user's precinct-commission seats (a few at most), each with its list's links for
    the next election being run."""
    scope = level_scope(user, "precinct")
    if scope.is_empty or scope.everything:
        return []
    election = election_selectors.next_active_election()
    suffix = f"&election={election.pk}" if election else ""
    out = []
    for precinct in (
        election_selectors.scoped_precincts(user)
        .filter(pk__in=scope.precinct_ids)
        .select_related("district")
        .order_by("number")[:10]
    ):
        base = reverse("voters:precinct_list", args=[precinct.pk])
        voters = voter_selectors.precinct_voters(precinct, election).order_by().count()
        out.append(OwnPrecinct(precinct, voters, f"{base}?format=pdf{suffix}", f"{base}?format=csv{suffix}"))
    return out
