"""Every page each role can reach, in the four languages, at a phone's and a laptop's width (issue 13).

The demo country is seeded once (small: 40 precincts, 3,000 voters) and each of its demo users, plus a
visitor who is not signed in and an official between password and code, walks every link their pages show
(``tests/e2e/walk.py``).  On every page reached:

* nothing scrolls sideways at 360 px or 1280 px (``scrollWidth <= innerWidth``), in uz, uz-cyrl, ru and en;
* axe-core (the copy pinned by ``axe-playwright-python``; the context bypasses the Content-Security-Policy
  so the script can be injected) reports no violation of any impact, in one language per role, in turn;
* breadcrumbs are shown on every page below the role's start page;
* no link leads to a page that refuses the role.

``test_every_url_pattern_is_walked`` keeps the walk complete: each URL pattern is reached by some role, or
is listed in ``NOT_PAGES`` with the reason it is no page to measure.

With ``SCREENSHOTS_DIR`` set (``make screenshots``), each role's start page is saved at both widths.
"""

from __future__ import annotations

import os
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from candidates.models import Nomination, Objection, RegistrationDecision
from candidates.services import registration_decision
from incidents.models import Incident
from observers.models import ObserverAccreditation
from tests.e2e.walk import NOT_WALKED, WIDTHS, Walk, axe_violations, overflow, session_cookie, walk

#: The marker makes pytest-django set up the test database; each test only reads (in its own transaction)
#: what the module's fixture committed, and the server thread reads it on its own connection.
pytestmark = pytest.mark.django_db

LANGUAGES = ("uz", "uz-cyrl", "ru", "en")

#: (role in the walk, demo username or None, start address)
ROLES = [
    ("visitor", None, "/"),
    ("admin", "admin", "/start/"),
    ("cec", "cec", "/start/"),
    ("region", "region", "/start/"),
    ("district", "district", "/start/"),
    ("precinct", "precinct", "/start/"),
    ("precinct-before-code", "precinct", "/start/"),
    ("party", "party", "/start/"),
    ("coordinator", "coordinator", "/start/"),
    ("observer", "observer", "/start/"),
    ("editor", "editor", "/start/"),
    ("journalist", "journalist", "/start/"),
]

#: URL patterns that are no page to measure, and why.
NOT_PAGES = {
    "set_language": "the language switch: a POST that redirects back",
    "accounts:logout": "signing out: a POST",
    "api-schema": "the API's machine-readable schema (its documentation page is walked)",
    "candidates:objection_file": (
        "open to a party with standing only until the objection deadline, which the demo's calendar has passed "
        "(tests/candidates/test_objections.py)"
    ),
    "landing": "a redirect to the role's own start page (the walk starts there)",
    "candidates:document_upload": "a form's target (POST), redirecting to the nomination",
    "candidates:document_correction": "a form's target (POST), redirecting to the nomination",
    "candidates:nomination_objections": "the same list as the nomination page's objections card (kept for old links)",
    "candidates:signatures_detail": (
        "opened after a signature upload, which the walk does not make (tests/e2e/test_party_journey.py)"
    ),
    "results:protocol_scan": "a form's target (POST), redirecting to the protocol",
    "results:protocol_qr_check": "a form's target (POST), redirecting to the protocol",
    "voters:request_decide": "a form's target (POST)",
    "voters:duplicates_scan": "a form's target (POST)",
    "voters:export_detail": "opened after starting an export (a POST); tests/e2e/test_import_progress.py",
    # files, reached by the walk as downloads: listed so that a file is never mistaken for a missing page
    "candidates:document_download": "a file",
    "candidates:signatures_report": "a file",
    "candidates:signatures_report_pdf": "a file",
    "candidates:sheets_pdf": "a file, listed once the party has printed sheets (tests/candidates/test_sheets.py)",
    "candidates:objection_evidence": "a file",
    "core:credential_photo": "a file",
    "media_accreditation:press_card": "a file",
    "observers:badge": "a file",
    "observers:bulk_errors": "a file",
    "observers:observer_photo": "a file",
    "incidents:incident_photo": "a file",
    "results:protocol_print": "a file",
    "results:protocol_scan_file": "a file",
    "results:public_protocol_scan": "a file",
    "results:public_results_csv": "a file",
    "results:public_results_feed": "a file",
    "results:public_results_json": "a file",
    "results:public_results_nist": "a file",
    "results:public_seats_pdf": "a file",
    "results:seats_pdf": "a file",
    "voters:change_document": "a file",
    "voters:district_export": "a file",
    "voters:export_download": "a file",
    "voters:import_errors": "a file",
}


#: Pages that are not ours to lay out: measured for sideways scrolling only.
THIRD_PARTY = {
    "api-docs": "Swagger UI, the developers' API explorer vendored by drf-spectacular-sidecar",
}


def url_patterns(resolver=None, namespace=""):
    """The name of every URL pattern outside the prefixes the walk leaves alone (``walk.NOT_WALKED``)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            if not any(f"/{pattern.pattern}".startswith(prefix) for prefix in NOT_WALKED):
                yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def _records_the_demo_lacks():
    """An incident and an objection, so that their pages have a real id to walk to."""
    observer = User.objects.get(username="observer")
    accreditation = ObserverAccreditation.objects.filter(observer__user=observer, status="approved").first()
    Incident.objects.create(
        election=accreditation.election,
        precinct=accreditation.precincts.first(),
        reporter=observer,
        category=Incident.Category.PROCEDURE,
        description="The ballot box was not shown empty before voting began.",
        occurred_at=timezone.now() - timedelta(hours=1),
    )
    party, cec = User.objects.get(username="party"), User.objects.get(username="cec")
    nomination = Nomination.objects.filter(status="approved").exclude(party__representatives__user=party).first()
    nomination = nomination or Nomination.objects.filter(status="approved").first()
    Objection.objects.create(
        nomination=nomination,
        decision=registration_decision(nomination)
        or RegistrationDecision.objects.create(
            nomination=nomination, outcome="registered", reason="The documents and signatures are in order.", decided_by=cec
        ),
        filed_by=party,
        standing="party",
        text="The candidate's signatures were collected twice.",
        status="submitted",
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo country, a live server and a session cookie per role; the database is emptied afterwards.

    The module starts its own server: tests that use pytest-django's ``live_server`` get a flushed database
    after each test, and the walk keeps one demo country for all of its tests."""
    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        call_command("seed_demo", precincts=40, voters=3000, quiet_logins=True, stdout=open(os.devnull, "w"))
        _records_the_demo_lacks()
        cookies = {}
        for role, username, _start in ROLES:
            if username:
                cookies[role] = session_cookie(User.objects.get(username=username), verified=role != "precinct-before-code")
    try:
        yield server.url, cookies
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


def _context(browser, base: str, cookie: dict | None, language: str):
    context = browser.new_context(viewport={"width": WIDTHS[-1], "height": 800}, bypass_csp=True)
    context.set_default_timeout(20_000)
    cookies = [{"name": "django_language", "value": language, "url": base}]
    if cookie:
        cookies.append({**cookie, "url": base})
    context.add_cookies(cookies)
    return context


@cache
def _walk_of(browser, base: str, role: str, cookie_value: str | None) -> Walk:
    start = dict((r, s) for r, _u, s in ROLES)[role]
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": cookie_value} if cookie_value else None
    context = _context(browser, base, cookie, "en")
    try:
        return walk(context, base, start)
    finally:
        context.close()


def walk_for(browser, demo, role) -> Walk:
    base, cookies = demo
    cookie = cookies.get(role)
    return _walk_of(browser, base, role, cookie["value"] if cookie else None)


#: The administrator's pages are the CEC's (same role rules, plus the Django administration, which is not
#: walked): walked for its links, not measured twice.
MEASURED = [r for r, _u, _s in ROLES if r != "admin"]


@pytest.mark.parametrize("role", MEASURED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_fits_the_window_and_passes_axe(browser, demo, role, language):
    base, cookies = demo
    found = walk_for(browser, demo, role)
    assert found.pages, f"{role} reached no page"
    # axe in one language per role, in turn (its rules do not depend on the words; the layout is measured in all)
    run_axe = LANGUAGES[MEASURED.index(role) % len(LANGUAGES)] == language
    start = found.pages[0].url
    context = _context(browser, base, cookies.get(role), language)
    problems = []
    try:
        page = context.new_page()
        for visit in found.pages:
            page.set_viewport_size({"width": WIDTHS[-1], "height": 800})
            response = page.goto(base + visit.url, wait_until="domcontentloaded")
            where = f"{visit.url} ({visit.route})"
            if response.status != 200:
                problems.append(f"{where} answered {response.status} in {language}")
                continue
            problems += [f"{where} scrolls sideways at {p}" for p in overflow(page)]
            if visit.route in THIRD_PARTY:
                continue
            if run_axe:
                page.set_viewport_size({"width": WIDTHS[-1], "height": 800})
                problems += [f"{where} axe: {v}" for v in axe_violations(page)]
            below_start = visit.url not in (start, "/") and visit.route != "accounts:two_factor"
            if below_start and page.locator("nav.breadcrumbs a").count() == 0:
                problems.append(f"{where} has no breadcrumbs")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_no_role_is_shown_a_link_it_may_not_open(browser, demo):
    refused = {role: walk_for(browser, demo, role).refused for role, _u, _s in ROLES}
    assert {role: found for role, found in refused.items() if found} == {}


def test_every_url_pattern_is_walked(browser, demo):
    reached, walked = set(), {}
    for role, _u, _s in ROLES:
        found = walk_for(browser, demo, role)
        reached |= found.routes | set(found.files)
        walked[role] = len(found.pages)
    missing = set(url_patterns()) - reached - set(NOT_PAGES)
    assert missing == set(), (
        f"no role's walk reached these pages (link them, or say in NOT_PAGES why not): {missing}; pages per role: {walked}"
    )
    stale = {name for name, why in NOT_PAGES.items() if name in reached and why != "a file"}
    assert stale == set(), f"listed as no page but walked (remove from NOT_PAGES): {stale}"


_PRINTED_JS = """() => {
  const shown = el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  const controls = ['header', 'nav', 'form', 'button', '.button', 'footer', '.pagination'];
  return {
    controls: controls.flatMap(sel => Array.from(document.querySelectorAll(sel)).filter(shown).map(() => sel)),
    heading: shown(document.querySelector('main h1')),
    tables: Array.from(document.querySelectorAll('main table')).filter(shown).length,
  };
}"""


@pytest.mark.parametrize(("role", "address"), [("cec", "/voters/"), ("precinct", "/dashboard/"), ("visitor", "/check/")])
def test_printing_shows_the_content_only(browser, demo, role, address):
    base, cookies = demo
    context = _context(browser, base, cookies.get(role), "ru")
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(base + address)
        on_screen = page.evaluate(_PRINTED_JS)
        page.emulate_media(media="print")
        printed = page.evaluate(_PRINTED_JS)
    finally:
        context.close()
    assert on_screen["controls"], "the page has navigation and forms on screen"
    assert printed["controls"] == [] and printed["heading"], printed
    assert printed["tables"] == on_screen["tables"]


_TABLES_JS = """() => Array.from(document.querySelectorAll('main table'), t => ({
  stacked: t.classList.contains('stack'),
  display: getComputedStyle(t.querySelector('tbody tr')).display,
  labels: Array.from(t.querySelectorAll('tbody tr:first-child td'), td => td.dataset.label || ''),
  headers: Array.from(t.querySelectorAll('thead th'), th => th.textContent.trim()),
}))"""


def test_tables_stack_on_a_phone_with_each_cell_named(browser, demo):
    """A table written without ``class="stack"`` (the journalist's accreditations) still stacks on a phone."""
    base, cookies = demo
    context = _context(browser, base, cookies["journalist"], "ru")
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(base + "/media/my/")
        [table] = page.evaluate(_TABLES_JS)
        page.set_viewport_size({"width": 1280, "height": 800})
        wide = page.evaluate(_TABLES_JS)[0]["display"]
    finally:
        context.close()
    assert table["stacked"] and table["display"] == "block" and wide == "table-row"
    assert table["labels"] == table["headers"][: len(table["labels"])] and "Статус" in table["labels"]


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS_DIR"), reason="make screenshots sets SCREENSHOTS_DIR")
@pytest.mark.parametrize("role", [r for r, _u, _s in ROLES if r not in ("admin", "precinct-before-code")])
def test_screenshots(browser, demo, role):
    """The start page of each role at both widths, in English, for the README (``make screenshots``)."""
    base, cookies = demo
    folder = Path(os.environ["SCREENSHOTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    start = walk_for(browser, demo, role).pages[0].url
    context = _context(browser, base, cookies.get(role), "en")
    try:
        page = context.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800 if width > 600 else 780})
            page.goto(base + start)
            path = folder / f"{role}-{width}.png"
            page.screenshot(path=str(path), full_page=width > 600)
            assert path.stat().st_size > 0
    finally:
        context.close()
