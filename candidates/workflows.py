"""The policies of nominations and objections (``core.workflow``).

Nominations: the party's representatives (and CEC staff on their behalf) submit and withdraw; the registering
commission reviews, registers or refuses (``selectors.reviewed_constituencies``); the party hears of every
step.  Objections: the filer withdraws; the commission that registered decides, within
``objection_decision_days`` of filing; the party, the filer and (on filing) that commission hear of it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from candidates.models import Nomination, Objection, ObjectionState
from candidates.selectors import acts_for_party, reviewed_constituencies
from core.services import notification_queue
from core.workflow import APPLICANT, register_policy
from elections.calendar import CalendarPolicy


def _representatives(party):
    return [rep.user for rep in party.representatives.select_related("user")]


@register_policy(Nomination)
class NominationPolicy(CalendarPolicy):
    def can(self, obj, user, transition) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if transition.by == APPLICANT:
            return acts_for_party(user, obj.party)
        return reviewed_constituencies(user).filter(pk=obj.constituency_id).exists()

    def notify(self, obj, change) -> None:
        for user in _representatives(obj.party):
            notification_queue(
                recipient=user,
                subject=_("Nomination of %(name)s: %(state)s") % {"name": obj.voter, "state": obj.get_status_display()},
                body=change.reason or "",
            )


@register_policy(Objection)
class ObjectionPolicy(CalendarPolicy):
    def election(self, obj):
        return obj.nomination.election

    def can(self, obj, user, transition) -> bool:
        if user is None or not user.is_authenticated:
            return False
        if transition.by == APPLICANT:
            return user.pk == obj.filed_by_id
        decision = obj.decision
        if decision.commission_id is None:
            return user.is_cec
        return decision.commission.memberships.filter(user=user).exists()

    def decide_by(self, obj):
        """When the registering commission should have decided: ``objection_decision_days`` after filing."""
        return self.election(obj).decide_by(obj.filed_at, "objection_decision_days")

    def notify(self, obj, change) -> None:
        subject = _("Objection to the registration of %(name)s: %(state)s") % {
            "name": obj.nomination.voter,
            "state": obj.get_status_display(),
        }
        recipients = set(_representatives(obj.nomination.party))
        recipients.add(obj.filed_by)
        if change.to_state == ObjectionState.SUBMITTED and obj.decision.commission_id:
            recipients.update(m.user for m in obj.decision.commission.memberships.select_related("user"))
        for user in sorted(recipients, key=lambda u: u.pk):
            notification_queue(recipient=user, subject=subject, body=change.reason or obj.text[:1000])
