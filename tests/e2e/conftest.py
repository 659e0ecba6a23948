"""Browser tests: Playwright (sync API) driving Debian's Chromium, headless.

* ``browser`` (package): one Chromium for all of tests/e2e, closed after the
  last e2e test.  When no ``chromium`` binary is installed the tests are
  *skipped*, never failed.
* ``page`` (function): a fresh browser context (own cookies, ``locale="uz"``, so
  ``Accept-Language: uz``) and one page, both closed after the test.
* Every test in this folder is marked ``browser`` (``-m "not browser"`` skips them).

The application is reached through pytest-django's ``live_server``: a real
threaded HTTP server on the test database.  It serves static files itself
(``StaticFilesHandler`` wraps it whenever ``django.contrib.staticfiles`` is
installed; WhiteNoise with ``WHITENOISE_USE_FINDERS`` in settings_test would
serve them too), so the pages load their CSS and JS.  Tests that create rows
must use ``transactional_db``: the server thread has its own connection and
only sees committed data.
"""

import os
import shutil
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: Milliseconds Playwright waits for a page, a navigation or an element.
DEFAULT_TIMEOUT_MS = 20_000


def chromium_path() -> str | None:
    """Debian's Chromium, or None when it is not installed."""
    found = shutil.which("chromium")
    if found:
        return found
    fallback = "/usr/bin/chromium"
    return fallback if os.access(fallback, os.X_OK) else None


def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/e2e as a browser test."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    """Let the e2e tests use the ORM while Playwright's event loop is alive.

    Playwright's sync API keeps an asyncio event loop *running* in this thread
    from ``sync_playwright().start()`` until ``stop()`` (it drives the loop from
    a greenlet and switches back to us between calls).  Django's
    ``async_unsafe`` guard sees that loop and raises SynchronousOnlyOperation
    as soon as a test touches the ORM (factories, the transactional_db flush).
    Nothing here really runs Django code inside a coroutine: the ORM calls are
    plain synchronous calls from the test thread made while Playwright is idle,
    so switching the guard off is safe.  It is switched off for this package
    only (tests only, never in settings) and restored afterwards.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# Package scope rather than session scope: one Chromium serves every test in
# tests/e2e, and it (with Playwright's event loop, see above) is stopped when the
# last e2e test is done, so the rest of a full ``pytest tests`` run never sees a
# running event loop (``async_to_sync``/``asyncio.run`` would refuse to work).
@pytest.fixture(scope="package")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "browser tests need Debian's Chromium: no `chromium` on PATH and no /usr/bin/chromium (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")

    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="uz", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    # every journey also checks that the Content-Security-Policy blocked nothing the page needed
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        yield page
    finally:
        page.close()
        context.close()
    assert blocked == [], blocked
