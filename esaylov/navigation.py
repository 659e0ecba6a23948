"""The portal's navigation: links grouped by task, each shown only to those its page lets in.

A page's own access rule decides (``core.permissions.role_required`` keeps its test on the view as
``access``), so the menu never offers a link that answers "Access denied" and never hides one that opens.
Groups with no link left are dropped; the group holding the current page is marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib import admin
from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.permissions import may_open


@dataclass(frozen=True)
class Link:
    url: str
    label: str | Promise
    current: bool = False


@dataclass(frozen=True)
class Group:
    label: str | Promise
    links: list[Link]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


MY_WORK = _("My work")
#: The Django administration's page: its site's own rule decides (active staff), not ``role_required``.
ADMIN_INDEX = "admin:index"

#: The officials' tasks, in the order of the election cycle: (group, [(url name, label), ...]).
OFFICIAL_GROUPS = [
    (
        _("Voter list"),
        [
            ("voters:search", _("Search voters")),
            ("voters:counts", _("Counts")),
            ("voters:requests", _("Requests to vote elsewhere")),
            ("voters:duplicates", _("Duplicates")),
            ("voters:assignment", _("Assignment to precincts")),
            ("voters:imports", _("Imports")),
        ],
    ),
    (
        _("Elections"),
        [
            ("elections:election_list", _("Elections")),
            ("elections:region_list", _("Geography and commissions")),
        ],
    ),
    (
        _("Candidates"),
        [
            ("candidates:review_queue", _("Nominations to review")),
            ("candidates:party_list", _("Parties")),
        ],
    ),
    (
        _("Accreditation"),
        [
            ("observers:queue", _("Observer applications")),
            ("observers:accredited", _("Accredited observers")),
            ("observers:organization_list", _("Observer organisations")),
            ("media_accreditation:review_queue", _("Media applications")),
            ("media_accreditation:outlet_list", _("Media outlets")),
        ],
    ),
    (
        _("Election day"),
        [
            ("results:home", _("Turnout and results")),
            ("incidents:incident_inbox", _("Incidents")),
        ],
    ),
    (_("Administration"), [(ADMIN_INDEX, _("Django administration")), ("api-docs", _("API"))]),
]

#: The other signed-in roles' own pages (one short list: no groups).
ROLE_LINKS = {
    "party_rep": [("candidates:party_list", _("My party"))],
    "observer_coordinator": [("observers:organization_list", _("My organisation"))],
    "observer": [
        ("observers:my_accreditations", _("My accreditations")),
        ("incidents:my_incidents", _("My incident reports")),
        ("results:copies", _("Protocol copies")),
    ],
    "media_editor": [("media_accreditation:outlet_list", _("My outlet"))],
    "journalist": [
        ("media_accreditation:my_accreditations", _("My accreditations")),
        ("incidents:my_incidents", _("My incident reports")),
    ],
}

#: What everybody may do without signing in.
PUBLIC_LINKS = [
    ("voters:lookup", _("Check my registration")),
    ("voters:stay", _("Vote elsewhere")),
    ("observers:register", _("Become an observer")),
    ("candidates:public_parties", _("Parties")),
    ("media_accreditation:public_index", _("Accredited media")),
]


#: The other roles' links after their own pages.
COMMON_LINKS = [(ADMIN_INDEX, _("Django administration")), ("api-docs", _("API"))]


@cache
def view_of(name: str):
    """The address of URL name ``name`` and its view (whose ``access`` rule decides who may open it)."""
    url = reverse(name)
    return url, resolve(url).func


def _opens(request, user, name: str) -> bool:
    if name == ADMIN_INDEX:
        return user is not None and admin.site.has_permission(request)
    return may_open(view_of(name)[1], user)


def _links(request, user, names) -> list[tuple[str, str | Promise]]:
    """The ``(url, label)`` of each of ``names`` that ``user`` (None: nobody signed in) may open."""
    return [(view_of(name)[0], label) for name, label in names if _opens(request, user, name)]


def _marked(links: list[tuple[str, str | Promise]], current: str) -> list[Link]:
    return [Link(url, label, current=url == current) for url, label in links]


def signed_in(user) -> bool:
    """Signed in, with the second factor where the role needs one (until then only the public links)."""
    return bool(user is not None and user.is_authenticated and (not user.requires_two_factor or user.is_verified()))


def menu(request) -> dict:
    """The layout's navigation for the request's user: task groups for officials, a short list otherwise.

    The current page's link is the one whose address is the longest beginning of the request's path."""
    user = getattr(request, "user", None)
    if not signed_in(user):
        groups, links = [], _links(request, None, PUBLIC_LINKS)
    elif user.is_official:
        groups = [(label, _links(request, user, names)) for label, names in OFFICIAL_GROUPS]
        links = _links(request, user, [("dashboard", MY_WORK)])
    else:
        groups, links = [], _links(request, user, [*ROLE_LINKS.get(user.role, []), *COMMON_LINKS])
    every = [url for url, _label in links] + [url for _g, found in groups for url, _label in found]
    current = max((url for url in every if request.path.startswith(url) and url != "/"), key=len, default=request.path)
    return {
        "nav_links": _marked(links, current),
        "nav_groups": [Group(label, _marked(found, current)) for label, found in groups if found],
        "breadcrumbs": _breadcrumbs(request, user, current, links, groups),
    }


@dataclass(frozen=True)
class Crumb:
    label: str | Promise
    url: str = ""  # none for a task group (it has no page) and for the page itself


def _breadcrumbs(request, user, current: str, links, groups) -> list[Crumb]:
    """Where the page sits: the start page, the task group and the menu's page it belongs to (a link when
    the page is below it). None on the start pages themselves or on a page the menu does not lead to."""
    path, start = request.path, landing(request)
    if path in (start, reverse("home")):
        return []
    home = Crumb(MY_WORK if signed_in(user) and user.is_official else _("Home"), start)
    for label, found in [(None, links), *groups]:
        for url, title in found:
            if url == current and url != start:
                trail = [home] + ([Crumb(label)] if label else [])
                return [*trail, Crumb(title, url if path != url else "")]
    return []


def landing(request) -> str:
    """Where the request's user arrives after signing in (``settings.LOGIN_REDIRECT_URL``): an official's work
    queue, another role's first own page (``ROLE_LINKS``), else the home page."""
    user = getattr(request, "user", None)
    if not signed_in(user):
        return reverse("home")
    if user.is_official:
        return reverse("dashboard")
    own = _links(request, user, ROLE_LINKS.get(user.role, []))
    return own[0][0] if own else reverse("home")


def context(request) -> dict:
    """Template context processor: the navigation and the languages of the switcher."""
    return {**menu(request), "LANGUAGES": settings.LANGUAGES}
