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
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


#: Pages the menu does not lead to, under the menu page they belong to: the first of these the user's menu
#: has becomes the page's place in the breadcrumbs (and is marked in the menu).  A page under none of them
#: still gets a way back to the user's start page.
PARENTS = {
    "voters:detail": ["voters:search"],
    "voters:edit": ["voters:search"],
    "voters:status": ["voters:search"],
    "voters:duplicate_detail": ["voters:duplicates"],
    "voters:import_detail": ["voters:imports"],
    "voters:export_detail": ["elections:region_list"],
    "voters:precinct_list": ["elections:region_list"],
    "voters:stay_track": ["voters:stay"],
    "elections:election_detail": ["elections:election_list"],
    "elections:region_detail": ["elections:region_list"],
    "elections:district_detail": ["elections:region_list"],
    "elections:precinct_detail": ["elections:region_list"],
    "elections:commission_detail": ["elections:region_list"],
    "candidates:party_detail": ["candidates:party_list"],
    "candidates:party_nominations": ["candidates:party_list"],
    "candidates:nomination_detail": ["candidates:review_queue", "candidates:party_list"],
    "candidates:nomination_objections": ["candidates:review_queue", "candidates:party_list"],
    "candidates:signatures": ["candidates:review_queue", "candidates:party_list"],
    "candidates:signatures_detail": ["candidates:review_queue", "candidates:party_list"],
    "candidates:sheets": ["candidates:review_queue", "candidates:party_list"],
    "candidates:objection_detail": ["candidates:review_queue", "candidates:party_list"],
    "candidates:objection_file": ["candidates:review_queue", "candidates:party_list", "candidates:public_parties"],
    "candidates:public_candidates": ["candidates:public_parties"],
    "observers:accreditation_detail": ["observers:queue", "observers:my_accreditations", "observers:organization_list"],
    "observers:organization_detail": ["observers:organization_list"],
    "observers:organization_accreditations": ["observers:organization_list"],
    "observers:bulk_upload": ["observers:organization_list"],
    "media_accreditation:accreditation_detail": [
        "media_accreditation:review_queue",
        "media_accreditation:my_accreditations",
        "media_accreditation:outlet_list",
    ],
    "media_accreditation:outlet_detail": ["media_accreditation:outlet_list"],
    "media_accreditation:public_outlets": ["media_accreditation:public_index"],
    "incidents:incident_detail": ["incidents:incident_inbox", "incidents:my_incidents"],
    "incidents:incident_overview": ["incidents:incident_inbox"],
    "incidents:incident_new": ["incidents:my_incidents"],
    "results:protocol_detail": ["results:home"],
    "results:protocol_enter": ["results:home"],
    "results:turnout_enter": ["results:home"],
    "results:seats": ["results:home"],
    "results:public_results": ["results:home"],
    "results:public_seats": ["results:home"],
    "results:copy_new": ["results:copies"],
}

#: Pages between a menu page and the page shown (by address: ``/nominations/5/`` above
#: ``/nominations/5/signatures/``), named in the breadcrumbs.
STEPS = {
    "voters:detail": _("Voter"),
    "candidates:party_detail": _("Party"),
    "candidates:nomination_detail": pgettext_lazy("one nomination's page", "Nomination"),
    "observers:organization_detail": _("Organisation"),
}

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
    current = max((url for url in every if request.path.startswith(url) and url != "/"), key=len, default=None)
    current = current or _parent(request.path, every) or request.path
    return {
        "nav_links": _marked(links, current),
        "nav_groups": [Group(label, _marked(found, current)) for label, found in groups if found],
        "breadcrumbs": _breadcrumbs(request, user, current, links, groups),
    }


@dataclass(frozen=True)
class Crumb:
    label: str | Promise
    url: str = ""  # none for a task group (it has no page) and for the page itself


def _parent(path: str, every: list[str]) -> str | None:
    """The address of the menu page (among ``every``) that the page at ``path`` belongs under (``PARENTS``)."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        return None
    return next((view_of(parent)[0] for parent in PARENTS.get(name, ()) if view_of(parent)[0] in every), None)


def _steps(path: str, below: str) -> list[Crumb]:
    """The named pages (``STEPS``) whose addresses lie between the menu page ``below`` and ``path``."""
    parts, steps = path.strip("/").split("/"), []
    for n in range(1, len(parts)):
        prefix = "/" + "/".join(parts[:n]) + "/"
        if len(prefix) <= len(below):
            continue
        try:
            name = resolve(prefix).view_name
        except Resolver404:
            continue
        if name in STEPS:
            steps.append(Crumb(STEPS[name], prefix))
    return steps


def _breadcrumbs(request, user, current: str, links, groups) -> list[Crumb]:
    """Where the page sits: the start page, the task group, the menu's page it belongs to (a link when the
    page is below it) and the named pages between.  None on the start pages themselves; on a page under no
    menu page, the way back to the start page."""
    path, start = request.path, landing(request)
    if path in (start, reverse("home")):
        return []
    home = Crumb(MY_WORK if signed_in(user) and user.is_official else _("Home"), start)
    for label, found in [(None, links), *groups]:
        for url, title in found:
            if url == current and url == start:
                return [home, *_steps(path, url)]
            if url == current:
                trail = [home] + ([Crumb(label)] if label else [])
                return [*trail, Crumb(title, url if path != url else ""), *_steps(path, url)]
    return [home]


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
