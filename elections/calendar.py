"""The part of every workflow policy that reads an election's calendar (``core.workflow.WorkflowPolicy``).

A workflow whose deadlines are the election's (nominations, objections, accreditations, requests to vote
elsewhere) bases its policy on ``CalendarPolicy``: a deadline falls when ``Election.deadline_due`` says,
and is named as the calendar names it.
"""

from __future__ import annotations

from datetime import datetime

from core.workflow import WorkflowPolicy
from elections.rules import DEADLINE_KEYS

_LABELS = dict(DEADLINE_KEYS)


class CalendarPolicy(WorkflowPolicy):
    def election(self, obj):
        """The election whose calendar holds the workflow's deadlines (``obj.election`` by default)."""
        return obj.election

    def deadline(self, obj, key: str) -> datetime | None:
        return self.election(obj).deadline_due(key)

    def deadline_label(self, obj, key: str) -> str:
        return str(_LABELS.get(key, key))
