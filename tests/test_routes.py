"""Every URL pattern and API route, as every role, against the permission matrix (tests/route_matrix.py).

* A route without an entry in the matrix fails the walk, and so does an entry whose route is gone.
* Each route is requested as each role of ``ROLES``: an allowed role gets one of the entry's ``ok`` answers (a
  redirect never to the login); any other role is refused: 403 or 404, an anonymous visitor of a page is sent
  to the login, an anonymous API caller gets 401 or 403.
* Each object that lies in an area or belongs to someone is also opened in another area (or of another party,
  outlet, organisation): those who may open the first but not the second get 404 or 403, never the object.

The rows are built once for the module (tests/route_world.py) in a transaction rolled back at its end; each
test runs in a savepoint of its own, so a write through a route is undone.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.route_matrix import MATRIX, PREFIX_RULES

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
