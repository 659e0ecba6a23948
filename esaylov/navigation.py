"""The portal's navigation: links grouped by task, each shown only to those its page lets in.

A page's own access rule decides (``core.permissions.role_required`` keeps its test on the view as
``access``), so the menu never offers a link that answers "Access denied" and never hides one that opens.
Groups with no link left are dropped; the group holding the current page is marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib import admin
from django.urls import Resolver404, resolve, reverse
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
    links: list[Link] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


ADMINISTRATION = _("Administration")

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
    (ADMINISTRATION, [("api-docs", _("API"))]),  # and the Django administration for its staff (menu)
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


@cache
def _view(name: str):
    url = reverse(name)
    try:
        return url, resolve(url).func
    except Resolver404:  # pragma: no cover - every name above is a route (tests/test_navigation.py)
        return url, None


def _links(user, names) -> list[tuple[str, str | Promise]]:
    shown = []
    for name, label in names:
        url, view = _view(name)
        if view is not None and may_open(view, user):
            shown.append((url, label))
    return shown


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
        groups, links = [], _links(None, PUBLIC_LINKS)
    elif user.is_official:
        groups = [(label, _links(user, names)) for label, names in OFFICIAL_GROUPS]
        links = _links(user, [("dashboard", _("My work"))])
    else:
        groups, links = [], _links(user, ROLE_LINKS.get(user.role, []))
        links.append((reverse("api-docs"), _("API")))
    if signed_in(user) and admin.site.has_permission(request):  # the admin site's own rule (active staff)
        admin_link = (reverse("admin:index"), _("Django administration"))
        if user.is_official:
            groups = [(label, [admin_link, *found] if label is ADMINISTRATION else found) for label, found in groups]
        else:
            links.insert(-1, admin_link)
    every = [url for url, _label in links] + [url for _g, found in groups for url, _label in found]
    current = max((url for url in every if request.path.startswith(url) and url != "/"), key=len, default=request.path)
    return {
        "nav_links": _marked(links, current),
        "nav_groups": [Group(label, _marked(found, current)) for label, found in groups if found],
        "breadcrumbs": _breadcrumbs(user, request.path, current, links, groups),
    }


@dataclass(frozen=True)
class Crumb:
    label: str | Promise
    url: str = ""  # none for a task group (it has no page) and for the page itself


def _breadcrumbs(user, path: str, current: str, links, groups) -> list[Crumb]:
    """Where the page sits: the start page, the task group and the menu's page it belongs to (a link when
    the page is below it). None on the start pages themselves or on a page the menu does not lead to."""
    start = landing(user)
    if path in (start, reverse("home")):
        return []
    home = Crumb(_("My work") if signed_in(user) and user.is_official else _("Home"), start if signed_in(user) else "/")
    for label, found in [(None, links), *groups]:
        for url, title in found:
            if url == current and url != start:
                trail = [home] + ([Crumb(label)] if label else [])
                return [*trail, Crumb(title, url if path != url else "")]
    return []


def landing(user) -> str:
    """Where a user arrives after signing in (``settings.LOGIN_REDIRECT_URL``): an official's work queue,
    another role's first own page (``ROLE_LINKS``), else the home page."""
    if signed_in(user) and user.is_official:
        return reverse("dashboard")
    own = _links(user, ROLE_LINKS.get(getattr(user, "role", ""), [])) if signed_in(user) else []
    return own[0][0] if own else reverse("home")


def context(request) -> dict:
    """Template context processor: the navigation and the languages of the switcher."""
    return {**menu(request), "LANGUAGES": settings.LANGUAGES}
