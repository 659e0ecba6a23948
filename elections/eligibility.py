"""Who may hold which role in one election: the one role-conflict rule.

In one election a person holds at most one of the roles named by the election's rule ``exclusive_roles``
(default: candidate, commission member, accredited observer; an election's rules may add others an app
has registered, such as ``journalist``).  Whichever role comes first, taking a second one is refused with
the same reason code, ``role_conflict``, naming the role already held.

Each app registers how to tell whether a person holds its role (``register_role``, from its
``AppConfig.ready``); the services that give a person a role call ``role_conflict_check`` first.  A person is
``Person(pinfl, user_id)``: the PINFL ties a candidate, a citizen observer and a user whose account records
a PINFL to one another; the account ties an observer or a commission member who registered online.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from elections.selectors import active_elections

#: The code of every refusal by this rule.
ROLE_CONFLICT = "role_conflict"


@dataclass(frozen=True)
class Person:
    """One person, by PINFL (the voter list's identifier) and/or by their account."""

    pinfl: str = ""
    user_id: int | None = None

    def completed(self) -> Person:
        """The same person with the PINFL their account records, when only the account was given."""
        if self.pinfl or self.user_id is None:
            return self
        pinfl = get_user_model().objects.filter(pk=self.user_id).values_list("pinfl", flat=True).first() or ""
        return Person(pinfl=pinfl, user_id=self.user_id)

    @property
    def user_ids(self) -> list[int]:
        """Every account of this person: the one given, and those recording the PINFL."""
        ids = [self.user_id] if self.user_id is not None else []
        if self.pinfl:
            ids += list(get_user_model().objects.filter(pinfl=self.pinfl).values_list("pk", flat=True))
        return sorted(set(ids))


@dataclass(frozen=True)
class ElectionRole:
    key: str
    #: The role's name in a sentence ("a candidate"), translated when shown.
    label: object
    #: ``holds(person, election) -> bool``: whether the person holds the role in the election now.
    holds: Callable[[Person, object], bool]


_ROLES: dict[str, ElectionRole] = {}


def register_role(key: str, *, label, holds: Callable[[Person, object], bool]) -> None:
    """An app declares one of its roles (called from its ``AppConfig.ready``; registering again replaces)."""
    _ROLES[key] = ElectionRole(key, label, holds)


def registered_roles() -> dict[str, ElectionRole]:
    return dict(_ROLES)


def exclusive_roles(election) -> list[str]:
    """The roles of ``election`` that exclude each other (its rule ``exclusive_roles``), as registered."""
    return [key for key in election.rule("exclusive_roles") or [] if key in _ROLES]


def roles_held(person: Person, election, *, other_than: str = "") -> list[str]:
    """The exclusive roles ``person`` holds in ``election`` (except ``other_than``)."""
    person = person.completed()
    if not (person.pinfl or person.user_id):
        return []
    return [key for key in exclusive_roles(election) if key != other_than and _ROLES[key].holds(person, election)]


def role_conflict_check(*, person: Person, election, role: str, field: str = "pinfl", name: str = "") -> None:
    """Refuse to give ``person`` the ``role`` in ``election`` while they hold another exclusive role there.

    ``ValidationError`` on ``field`` with the code ``role_conflict``; nothing when ``role`` is not one of the
    election's exclusive roles.  ``name`` names the person in the message.
    """
    if role not in exclusive_roles(election):
        return
    held = roles_held(person, election, other_than=role)
    if not held:
        return
    names = ", ".join(str(_ROLES[key].label) for key in exclusive_roles(election))
    message = _(
        "%(who)s is already %(held)s in %(election)s and so cannot also be %(role)s: in one election a "
        "person may be only one of %(roles)s."
    ) % {
        "who": name or _("This person"),
        "held": _ROLES[held[0]].label,
        "election": election,
        "role": _ROLES[role].label,
        "roles": names,
    }
    raise ValidationError({field: ValidationError(message, code=ROLE_CONFLICT)})


def role_conflict_check_active(*, person: Person, role: str, field: str = "pinfl", name: str = "") -> None:
    """``role_conflict_check`` in every election being run: for a role that is not tied to one election
    (a commission's members serve in every election it runs)."""

    for election in active_elections():
        role_conflict_check(person=person, election=election, role=role, field=field, name=name)
