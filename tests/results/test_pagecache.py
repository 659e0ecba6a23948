"""``esaylov.pagecache``: public results pages kept as bytes in front of Django for signed-out readers, per
language and area, until the next publication; everything else goes through Django as before."""

import wsgiref.util

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from esaylov.pagecache import SharedPageCache
from results import services
from tests.results.conftest import figures
from tests.results.test_public import public_urls, publish

pytestmark = pytest.mark.django_db


class Counted:
    """Django's own WSGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def served():
    """The wrapper around Django (the test's database connection kept open, as the test client keeps it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    django = Counted()
    try:
        yield SharedPageCache(django), django
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(app, path, method="GET", **headers):
    query = ""
    if "?" in path:
        path, query = path.split("?", 1)
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver"}
    environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
    wsgiref.util.setup_testing_defaults(environ)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen.update(status=status, headers=dict(response_headers))

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


EN = {"accept_language": "en"}


def test_a_second_signed_out_reader_gets_the_kept_page(served, country, contest):
    app, django = served
    url = public_urls(contest["election"], country)["page"]
    status, headers, first = call(app, url, **EN)
    assert status.startswith("200") and "X-Esaylov-Shared-Page" not in headers
    assert django.calls == 1
    status, headers, second = call(app, url, **EN)
    assert (status[:3], second, django.calls) == ("200", first, 1)  # Django not entered
    assert headers["Content-Security-Policy"] and headers["Content-Language"] == "en"
    status, headers, head = call(app, url, method="HEAD", **EN)
    assert (status[:3], head, django.calls) == ("200", b"", 1)


def test_each_language_and_area_is_kept_apart(served, country, contest):
    app, django = served
    url = public_urls(contest["election"], country)["page"]
    english = call(app, url, **EN)[2]
    russian = call(app, url, accept_language="ru")[2]
    assert "Результаты".encode() in russian and english != russian
    by_cookie = call(app, url, cookie="django_language=ru", **EN)[2]
    assert by_cookie == russian and django.calls == 3
    region = call(app, f"{url}?region={country.regions['A'].pk}", **EN)[2]
    assert region != english and django.calls == 4
    assert call(app, url, accept_language="ru")[2] == russian and django.calls == 4


def test_a_session_cookie_a_post_and_other_pages_go_to_django(served, country, contest):
    app, django = served
    url = public_urls(contest["election"], country)["page"]
    call(app, url, **EN)
    call(app, url, cookie="sessionid=abc", **EN)
    call(app, url, cookie="messages=abc", **EN)
    assert django.calls == 3
    call(app, url, method="POST", **EN)
    assert django.calls == 4
    for _ in range(2):
        call(app, "/check/", **EN)
    assert django.calls == 6


def test_a_publication_replaces_the_kept_page(served, country, contest, django_capture_on_commit_callbacks):
    """RESULTS_VERSION_SECONDS is 0 in tests: the next request after a publication sees it."""
    app, django = served
    url = public_urls(contest["election"], country)["page"]
    before = call(app, url, **EN)[2]
    assert b"0 of 3 precinct protocols published" in before
    services.protocol_entry_submit(
        actor=contest["members"][0], constituency=contest["constituency"], precinct=contest["precinct"], figures=figures(contest)
    )
    protocol = services.protocol_entry_submit(
        actor=contest["members"][1], constituency=contest["constituency"], precinct=contest["precinct"], figures=figures(contest)
    ).protocol
    publish(country, protocol, django_capture_on_commit_callbacks)
    after = call(app, url, **EN)[2]
    assert b"1 of 3 precinct protocols published" in after and django.calls == 2
