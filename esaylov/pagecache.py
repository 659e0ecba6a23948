"""Public results pages for signed-out readers, kept as bytes in front of Django (a per-worker microcache).

On election night most readers are signed out and read the same few pages.  ``results.public.anonymous_page``
renders such a page once per results version, language and area, and marks its response as the same for every
signed-out reader (``core.middleware.SHARED_PAGE_HEADER``).  This WSGI wrapper keeps that response (status,
headers, body) and gives it to the next signed-out reader who asks for the same page in the same language,
without entering Django's middleware at all, until the election's results version changes
(``results.public.current_version``, asked at most every ``RESULTS_VERSION_SECONDS`` per worker: a
publication shows within that time).

What a kept page depends on is its key: the path and query, the host and scheme, the language cookie and the
``Accept-Language`` header (all LocaleMiddleware reads).  A request that carries a session or messages cookie
(possibly signed in, or a message waiting) always goes to Django, and so does everything but GET and HEAD.
A response is kept only when the view marked it, it is a 200 and it sets no cookie.  In production the same
pages can also be cached by the reverse proxy for a second or two; this keeps a single gunicorn honest alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from threading import Lock

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from core.middleware import SHARED_PAGE_HEADER

_SHARED_LOWER = SHARED_PAGE_HEADER.lower()
_PATH = re.compile(r"^/public/elections/(\d+)/results/$")
#: At most this many pages per worker (areas times languages); beyond it the oldest are dropped.
MAX_PAGES = 2048


def _cookie_names(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _sep, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


class SharedPageCache:
    def __init__(self, app: Callable, version: Callable[[int], int] | None = None) -> None:
        self.app = app
        self._version = version
        self.pages: dict[tuple, tuple[int, str, list[tuple[str, str]], bytes]] = {}
        self._lock = Lock()

    def version(self, election_id: int) -> int:
        if self._version is None:
            from results.public import current_version  # noqa: PLC0415 - apps load after this module

            self._version = current_version
        return self._version(election_id)

    def _key(self, environ: dict) -> tuple[tuple, int] | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        match = _PATH.match(environ.get("PATH_INFO", ""))
        if match is None:
            return None
        cookies = _cookie_names(environ.get("HTTP_COOKIE", ""))
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        key = (
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("wsgi.url_scheme", ""),
            environ.get("HTTP_X_FORWARDED_PROTO", ""),
            cookies.get(settings.LANGUAGE_COOKIE_NAME, ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        )
        return key, int(match.group(1))

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        found = self._key(environ)
        if found is None:
            return self._through(environ, start_response, None)
        key, election_id = found
        version = self.version(election_id)
        kept = self.pages.get(key)
        if kept is not None and kept[0] == version:
            _version, status, headers, body = kept
            start_response(status, headers)
            return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        return self._through(environ, start_response, (key, version))

    def _through(self, environ: dict, start_response: Callable, keep: tuple | None) -> Iterable[bytes]:
        """Django's answer, with the marker header taken off; kept when ``keep`` and the view marked it."""
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            shared = any(name.lower() == _SHARED_LOWER for name, _value in headers)
            headers = [(name, value) for name, value in headers if name.lower() != _SHARED_LOWER]
            seen.update(status=status, headers=headers, shared=shared)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, capture)
        if keep is None or environ["REQUEST_METHOD"] != "GET":
            return result
        if not (
            seen.get("shared")
            and seen["status"].startswith("200 ")
            and not any(name.lower() == "set-cookie" for name, _value in seen["headers"])
        ):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        key, version = keep
        with self._lock:
            if len(self.pages) >= MAX_PAGES:
                self.pages.pop(next(iter(self.pages)))
            self.pages[key] = (version, seen["status"], seen["headers"], body)
        return [body]
