"""Every URL pattern and API route, as every role, against the permission matrix (tests/route_matrix.py).

* A route without an entry in the matrix fails the walk, and so does an entry whose route is gone.
* Each route is requested as each role of ``ROLES``: an allowed role gets one of the entry's ``ok`` answers (a
  redirect never to the login); any other role is refused: 403 or 404, an anonymous visitor of a page is sent
  to the login, an anonymous API caller gets 401 or 403.
* Each object that lies in an area or belongs to someone is also opened in another area (or of another party,
  outlet, organisation): those who may open the first but not the second get 404, never the object.

The rows are built once for the module (tests/route_world.py) in a transaction rolled back at its end; each
test runs in a savepoint of its own, so a write through a route is undone.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES, build_clients, build_country, verified_client
from tests.route_matrix import MATRIX, PREFIX_RULES, Entry
from tests.route_world import build_world
from voters import selectors as voter_selectors

pytestmark = pytest.mark.django_db

REFUSED = {403, 404}
API_ANON_REFUSED = {401, 403}


# --------------------------------------------------------------------------- the walk


def walk(resolver=None, prefix: str = "", namespace: str = ""):
    """``(name, path)`` of every URL pattern, DRF router routes included (``name`` is None when unnamed)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def route_keys() -> dict[str, str]:
    """Each route once: by its name (suffix variants share it), an unnamed one by its path."""
    keys = {}
    for name, path in walk():
        keys.setdefault(name or path, path)
    return keys


def rule_for(key: str, path: str) -> str | None:
    if key in MATRIX and key not in PREFIX_RULES:
        return key
    for rule, (name_prefix, path_prefix) in PREFIX_RULES.items():
        if key.startswith(name_prefix) or path.startswith(path_prefix):
            return rule
    return None


def test_every_route_has_an_entry_and_every_entry_a_route():
    routes = route_keys()
    missing = sorted(f"{key}  ({path})" for key, path in routes.items() if rule_for(key, path) is None)
    used = {rule_for(key, path) for key, path in routes.items()}
    stale = sorted(set(MATRIX) - used)
    assert not missing and not stale, (
        "Routes without an entry in tests/route_matrix.py:\n  "
        + "\n  ".join(missing or ["none"])
        + "\nEntries that match no route:\n  "
        + "\n  ".join(stale or ["none"])
    )


def test_prefix_rules_name_a_route_of_their_own():
    for rule, (name_prefix, _path) in PREFIX_RULES.items():
        assert MATRIX[rule].sample.startswith(name_prefix)
        reverse(MATRIX[rule].sample)


# --------------------------------------------------------------------------- the requests


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            country = build_country()
            w = build_world(country)
            w.clients = build_clients(country)
            yield w
            transaction.set_rollback(True)
        voter_selectors.forget_active_election()
        voter_selectors.forget_precincts()


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.RATE_LIMITS_ENABLED = False  # the public services' limits are not what is walked here


def url_of(name: str, entry: Entry, kwargs: dict) -> str:
    return reverse(entry.sample or name, kwargs=kwargs or None) + (f"?{entry.query}" if entry.query else "")


def request(world, name: str, entry: Entry, role: str, kwargs: dict):
    client = world.clients[role]
    if entry.fresh_client:
        client = Client() if role == "anon" else verified_client(world.country.users[role])
    if entry.before:
        entry.before(client, world)
    url = url_of(name, entry, kwargs)
    if entry.method == "get":
        return url, client.get(url)
    data = entry.data(world) if callable(entry.data) else entry.data or {}
    if url.startswith("/api/"):
        return url, client.post(url, data, content_type="application/json")
    return url, client.post(url, data)


def check(world, name: str, entry: Entry, role: str, kwargs: dict, allowed: bool, refused: set = REFUSED):
    url, response = request(world, name, entry, role, kwargs)
    status, location = response.status_code, response.get("Location", "")
    where = f"{role} {entry.method.upper()} {url} -> {status} {location}".strip()
    to_login = status == 302 and location.startswith(entry.login)
    if allowed:
        assert status in entry.ok and not to_login, f"allowed, but {where} (expected {sorted(entry.ok)})"
    elif url.startswith("/api/") and role == "anon":
        assert status in API_ANON_REFUSED, f"must be refused: {where}"
    else:
        assert status in refused or to_login, f"must be refused: {where}"
        assert role == "anon" or status != 302 or entry.sample, f"a signed-in user sent to the login: {where}"


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_route_as_role(world, name, role):
    entry = MATRIX[name]
    check(world, name, entry, role, entry.kwargs(world), role in entry.allowed)


# those who may open the entry's object, on an object of the same kind outside their area (or not theirs)
OUTSIDE_CASES = [
    (name, i, role) for name, entry in MATRIX.items() for i, outside in enumerate(entry.outside) for role in sorted(entry.allowed)
]


@pytest.mark.parametrize(
    ("name", "index", "role"), OUTSIDE_CASES, ids=[f"{n}-{MATRIX[n].outside[i].label}-{r}" for n, i, r in OUTSIDE_CASES]
)
def test_route_outside_scope(world, name, index, role):
    entry = MATRIX[name]
    outside = entry.outside[index]
    # rows outside the caller's area are 404, never 403: existence must not leak (docs/development.md)
    check(world, name, entry, role, outside.kwargs(world), role in outside.allowed, refused={404})
