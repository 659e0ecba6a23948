"""The status a role should get from a page or an API endpoint: one helper for every permission test.

A deny is 403 (wrong role) or 404 (a record outside the caller's area: its existence must not leak); anonymous
visitors of a page are redirected to the login, and anonymous API callers get 403 (the API never redirects).
"""

from __future__ import annotations

from collections.abc import Collection

from tests.conftest import OFFICIALS

LOGIN = 302


def page_expect(role: str, allowed: Collection[str], scoped_out: Collection[str] = frozenset()) -> int:
    if role == "anon":
        return LOGIN
    if role in scoped_out:
        return 404
    return 200 if role in allowed else 403


def api_expect(role: str, allowed: Collection[str], scoped_out: Collection[str] = frozenset()) -> int:
    if role not in OFFICIALS:
        return 403
    if role in scoped_out:
        return 404
    return 200 if role in allowed else 403
