"""The shared application workflow used by nominations, accreditations and voter requests.

A ``Workflow`` lists states and transitions; each transition names the states it
leaves from, the state it goes to, which side makes it (the applicant or the
reviewer), whether a reason is required and which deadline (if any) closes it.
That is data, kept with the model (``WorkflowModel.workflow``).  The rules are a
``WorkflowPolicy`` per model, in its app's ``workflows.py``, registered with
``register_policy``: who may make a transition, when a deadline falls, who hears
of a change.  ``workflow_transition`` is the one place that applies a transition:
it checks all of that, locks the row, records a ``StatusChange`` and an audit
event, and queues notifications after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange
from core.services import audit_record
from core.text import clean_reason


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    APPROVED = "approved", _("registered / approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REVOKED = "revoked", _("revoked")


#: States that settle or end an application (an objection's "upheld" and "dismissed" included): a page asks
#: why before it confirms a transition into one of them (``Transition.asks_reason``).
#: The longest reason a decision takes (the decision form's field too).
REASON_MAX = 1000

SETTLED_STATES = frozenset({"approved", "rejected", "withdrawn", "revoked", "upheld", "dismissed"})
#: The settled states a page warns about (its button in the warning style).
WARNING_STATES = frozenset({"rejected", "withdrawn", "revoked", "upheld"})

#: Who may make a transition: the applicant side or the deciding commission.
APPLICANT = "applicant"
REVIEWER = "reviewer"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    by: str  # APPLICANT or REVIEWER
    label: str = ""
    reason_required: bool = False
    deadline: str | None = None  # key of the election calendar that closes it

    @property
    def asks_reason(self) -> bool:
        """Whether a page asks for a reason before the confirmation: where the workflow requires one, and for
        every decision that settles or ends an application (accredit, register, withdraw ...), so that the
        record always says why."""
        return self.reason_required or self.target in SETTLED_STATES

    @property
    def tone(self) -> str:
        """How a page shows the action: "primary" (the one positive decision), "warning" (refuses, revokes,
        withdraws, upholds an objection or cancels) or "secondary" (starts a review, returns for correction ...)."""
        if self.target == State.APPROVED:
            return "primary"
        if self.target in WARNING_STATES:
            return "warning"
        return "secondary"


@dataclass
class Workflow:
    transitions: dict[str, Transition] = field(default_factory=dict)

    def __init__(self, *transitions: Transition):
        self.transitions = {t.name: t for t in transitions}

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise ValidationError(_("Unknown action “%(name)s”."), code="unknown_transition", params={"name": name})


#: The standard application workflow; apps may build their own from Transition.
APPLICATION_WORKFLOW = Workflow(
    Transition("submit", (State.DRAFT,), State.SUBMITTED, APPLICANT, _("Submit")),
    Transition("withdraw", (State.DRAFT, State.SUBMITTED, State.UNDER_REVIEW), State.WITHDRAWN, APPLICANT, _("Withdraw")),
    Transition("start_review", (State.SUBMITTED,), State.UNDER_REVIEW, REVIEWER, _("Start review")),
    Transition(
        "return", (State.SUBMITTED, State.UNDER_REVIEW), State.DRAFT, REVIEWER, _("Return for correction"), reason_required=True
    ),
    Transition("approve", (State.SUBMITTED, State.UNDER_REVIEW), State.APPROVED, REVIEWER, _("Approve")),
    Transition("reject", (State.SUBMITTED, State.UNDER_REVIEW), State.REJECTED, REVIEWER, _("Reject"), reason_required=True),
    Transition("revoke", (State.APPROVED,), State.REVOKED, REVIEWER, _("Revoke"), reason_required=True),
)


class WorkflowPolicy:
    """The rules of one workflow that are not data: who may make each transition, when its deadlines fall and
    what they are called, and who hears of a change.  One policy per workflow model, in its app's
    ``workflows.py``, registered with ``register_policy(Model)``; the model keeps the data (states,
    transitions), never these rules."""

    def can(self, obj, user, transition: Transition) -> bool:
        return False

    def deadline(self, obj, key: str) -> datetime | None:
        return None

    def deadline_label(self, obj, key: str) -> str:
        return key

    def notify(self, obj, change: StatusChange) -> None:
        """Queue notifications for a committed transition (called inside its transaction)."""


_POLICIES: dict[type, WorkflowPolicy] = {}


def register_policy(model: type):
    """Class decorator: the decorated ``WorkflowPolicy`` subclass is the policy of ``model``'s workflow."""

    def register(cls: type[WorkflowPolicy]) -> type[WorkflowPolicy]:
        _POLICIES[model] = cls()
        return cls

    return register


def policy_for(obj) -> WorkflowPolicy:
    """The policy registered for ``obj``'s model (or a model it inherits from)."""
    model = obj if isinstance(obj, type) else type(obj)
    for klass in model.__mro__:
        if klass in _POLICIES:
            return _POLICIES[klass]
    raise ImproperlyConfigured(f"No workflow policy is registered for {model.__name__} (see core.workflow).")


class WorkflowModel(models.Model):
    """A row that goes through a workflow: its state and when it last changed.  The transition table is
    ``workflow``; the rules are the registered policy's (``policy_for``)."""

    workflow: Workflow = APPLICATION_WORKFLOW

    status = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    class Meta:
        abstract = True

    def status_history(self):
        return StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=self.pk
        ).select_related("actor")


def workflow_can(obj: WorkflowModel, user, name: str) -> bool:
    """Whether ``user`` may make transition ``name`` of ``obj`` (in any state: who, not when)."""
    return policy_for(obj).can(obj, user, obj.workflow.get(name))


def reviews(obj: WorkflowModel, user) -> bool:
    """Whether ``user`` decides on ``obj`` (may make one of its workflow's reviewer transitions)."""
    policy = policy_for(obj)
    return any(t.by == REVIEWER and policy.can(obj, user, t) for t in obj.workflow.transitions.values())


def workflow_actions(obj: WorkflowModel, user) -> list[Transition]:
    """The transitions ``user`` may take from ``obj``'s current state (a page's buttons), the primary first.

    A reviewer is offered the reviewer's actions only: the applicant's own (withdraw, submit) are never a
    button on the page of someone who decides, even where the rules would let them act for the applicant."""
    policy = policy_for(obj)
    side = REVIEWER if reviews(obj, user) else APPLICANT
    found = [t for t in obj.workflow.available(obj.status) if t.by == side and policy.can(obj, user, t)]
    return sorted(found, key=lambda t: t.tone != "primary")


def workflow_deadline(obj: WorkflowModel, key: str) -> datetime | None:
    """When deadline ``key`` of ``obj``'s workflow falls (None: no such deadline)."""
    return policy_for(obj).deadline(obj, key)


def workflow_transition(
    *,
    obj: WorkflowModel,
    name: str,
    actor,
    reason: str = "",
    request=None,
    now: datetime | None = None,
    extra_check: Callable[[WorkflowModel], None] | None = None,
) -> WorkflowModel:
    """Apply transition ``name`` to ``obj`` as ``actor``; the only way a status changes."""

    policy = policy_for(obj)
    transition = obj.workflow.get(name)
    now = now or timezone.now()
    # the one plain-text rule of reasons (no formula, no markup, at most the decision form's length): a reason
    # reaches the history, the audit log and every export of them
    reason = clean_reason(reason, limit=REASON_MAX)
    if transition.reason_required and not reason:
        raise ValidationError(
            {"reason": _("A reason is required to %(action)s.") % {"action": transition.label}}, code="reason_required"
        )
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.status not in transition.sources:
            raise ValidationError(
                _("Cannot %(action)s: the application is %(state)s.")
                % {"action": transition.label, "state": locked.get_status_display()},
                code="invalid_state",
            )
        if not policy.can(locked, actor, transition):
            raise PermissionDenied(_("You may not %(action)s this application.") % {"action": transition.label})
        if transition.deadline:
            due = policy.deadline(locked, transition.deadline)
            if due is not None and now > due:
                raise ValidationError(
                    _("Too late to %(action)s: the deadline “%(deadline)s” was %(due)s.")
                    % {
                        "action": transition.label,
                        "deadline": policy.deadline_label(locked, transition.deadline),
                        "due": date_format(timezone.localtime(due), "DATETIME_FORMAT"),
                    },
                    code="deadline_passed",
                )
        if extra_check:
            extra_check(locked)
        before = locked.status
        locked.status = transition.target
        locked.status_changed_at = now
        locked.save(update_fields=["status", "status_changed_at"])
        change = StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(type(locked)),
            object_id=locked.pk,
            transition=transition.name,
            from_state=before,
            to_state=transition.target,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action=f"{locked._meta.label_lower}.{transition.name}",
            obj=locked,
            before={"status": before},
            after={"status": transition.target, "reason": reason},
            request=request,
        )
        policy.notify(locked, change)
    obj.status, obj.status_changed_at = locked.status, locked.status_changed_at
    return locked
