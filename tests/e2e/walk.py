"""A walk of every page a role can reach: the links each role is shown, followed breadth-first.

Used by ``test_page_walk.py`` (no page scrolls sideways, axe-core finds nothing, breadcrumbs below the
top level) and by ``make screenshots``.  A role is signed in by writing its session directly (with the
second factor marked as passed, as django-otp's own ``login`` does): the login form itself is tested by
``test_official_login.py``, and one-time codes could not be reused across the walk's contexts.

Each address is reduced to its URL pattern (``resolve(path).route``): a pattern is opened once per role,
with the first real id the role's pages link to, so the walk follows demo data, not guessed ids.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import Resolver404, resolve
from django_otp import DEVICE_ID_SESSION_KEY

#: Address prefixes the walk does not open, and why.
NOT_WALKED = {
    "/static/": "files, not pages",
    "/api/v": "the JSON API (its documentation page, /api/docs/, is walked)",
    "/api/schema": "the API's machine-readable schema",
    "/admin/": "Django's own administration, with its own responsive, accessible templates",
    "/i18n/": "the language switch (a POST)",
    "/accounts/logout/": "signing out (a POST)",
}

#: The browser widths every page is measured at: a small phone and a laptop.
WIDTHS = (360, 1280)

#: axe-core ships with the ``axe-playwright-python`` package (a pinned copy, see requirements-dev.txt).
AXE_SOURCE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")

_LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"

#: Elements wider than the window, for the failure message (the widest first).
_OVERFLOW_JS = """() => {
  const w = window.innerWidth, out = [];
  if (document.documentElement.scrollWidth <= w) return {scroll: document.documentElement.scrollWidth, inner: w, culprits: []};
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0) {
      let p = el.parentElement, clipped = false;
      while (p) { const s = getComputedStyle(p); if (s.overflowX !== 'visible') { clipped = true; break; } p = p.parentElement; }
      const name = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '');
      if (!clipped) out.push([Math.round(r.right), name]);
    }
  }
  out.sort((a, b) => b[0] - a[0]);
  return {scroll: document.documentElement.scrollWidth, inner: w, culprits: out.slice(0, 3)};
}"""


def session_cookie(user, *, verified: bool = True) -> dict:
    """A signed-in session for ``user`` as a cookie: its confirmed TOTP device counted as passed unless
    ``verified`` is false (an official between the password and the code)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None and verified:
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return {"name": settings.SESSION_COOKIE_NAME, "value": store.session_key}


def route_of(path: str) -> str | None:
    """The URL pattern serving ``path`` (its namespaced name), or None when none does."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


@dataclass
class Visit:
    route: str
    url: str  # path and query, as first linked


@dataclass
class Walk:
    """The pages one role reached, and the addresses that were files (downloads) rather than pages."""

    pages: list[Visit] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # route -> first address
    refused: dict[str, int] = field(default_factory=dict)  # address -> status, where it was not 200

    @property
    def routes(self) -> set[str]:
        return {visit.route for visit in self.pages}


def _walked(path: str) -> bool:
    return not any(path.startswith(prefix) for prefix in NOT_WALKED)


def walk(context, base: str, start: str) -> Walk:
    """Every page reachable from ``start`` by following links, one per URL pattern, in ``context``."""
    seen_routes: set[str] = set()
    seen_files: set[str] = set()
    queue = deque([start])
    found = Walk()
    page = context.new_page()
    try:
        while queue:
            address = queue.popleft()
            route = route_of(urlsplit(address).path)
            if route is None or route in seen_routes or address in seen_files:
                continue
            seen_routes.add(route)
            response = context.request.get(base + address, max_redirects=0)
            kind = response.headers.get("content-type", "")
            if response.status in (301, 302, 303, 307, 308):
                location = urlsplit(response.headers["location"])
                if not location.netloc or location.netloc == urlsplit(base).netloc:
                    seen_routes.discard(route_of(location.path) or "")
                    queue.appendleft(location.path + (f"?{location.query}" if location.query else ""))
                continue
            if response.status != 200:
                found.refused[address] = response.status  # the permission tests say who may; the walk measures
                continue
            if not kind.startswith("text/html"):
                # a file: the same pattern may still serve a page at another address (``?format=pdf``)
                found.files.setdefault(route, address)
                seen_routes.discard(route)
                seen_files.add(address)
                continue
            found.pages.append(Visit(route, address))
            page.goto(base + address, wait_until="domcontentloaded")
            for href in page.evaluate(_LINKS_JS):
                parts = urlsplit(href)
                if parts.netloc != urlsplit(base).netloc or not _walked(parts.path):
                    continue
                linked = parts.path + (f"?{parts.query}" if parts.query else "")
                if route_of(parts.path) not in seen_routes and linked not in seen_files:
                    queue.append(linked)
    finally:
        page.close()
    return found


def overflow(page) -> list[str]:
    """At each of ``WIDTHS``: the page's width where it is wider than the window (with the widest elements)."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        measured = page.evaluate(_OVERFLOW_JS)
        if measured["scroll"] > measured["inner"]:
            problems.append(f"{width}px: {measured['scroll']}px wide, widest {measured['culprits']}")
    return problems


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it stands (every impact), one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SOURCE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:3]}" for v in result["violations"]
    ]
