"""Public results for the whole country and the media: open data (CSV, JSON) and an Atom feed.

Every public view is cached under the election's results version (``selectors.results_version``), which
each publication bumps after commit: election-night load reads the cache (and small values a worker's own
memory), and a newly published protocol appears within ``RESULTS_VERSION_SECONDS``.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.middleware import SHARED_PAGE_HEADER
from core.tabular import csv_lines
from elections.models import Election
from elections.selectors import get_scoped
from results import nist, selectors
from results.models import Protocol

CACHE_SECONDS = 300


#: Values a worker keeps for itself (their keys carry the results version, so they never go stale), up to a size.
_KEPT: dict[str, object] = {}
_KEPT_ENTRIES, _KEPT_LARGEST = 256, 256 * 1024
#: The results version each election had when this worker last asked, and when (``time.monotonic``).
_VERSIONS: dict[int, tuple[float, int]] = {}


def current_version(election_id: int) -> int:
    """The election's results version, asked of the shared cache at most every ``RESULTS_VERSION_SECONDS``
    (default 1 s) per worker: a publication shows within that time, and a page view needs no round trip."""
    now, seen = time.monotonic(), _VERSIONS.get(election_id)
    if seen is not None and now - seen[0] < settings.RESULTS_VERSION_SECONDS:
        return seen[1]
    version = selectors.results_version(election_id)
    _VERSIONS[election_id] = (now, version)
    return version


_ELECTIONS: dict[int, tuple[float, Election | None]] = {}


def public_election(election_id: int) -> Election:
    """The election a public results view is about (404 when there is none), read at most every
    ``RESULTS_VERSION_SECONDS`` per worker like the version: a page view then asks the database nothing."""
    now, seen = time.monotonic(), _ELECTIONS.get(election_id)
    if seen is None or now - seen[0] >= settings.RESULTS_VERSION_SECONDS:
        seen = (now, Election.objects.filter(pk=election_id).first())
        _ELECTIONS[election_id] = seen
    if seen[1] is None:
        raise Http404
    return seen[1]


def cached(election_id: int, name: str, build):
    """``build()`` cached for this election's current results version and the reader's language: in the shared
    cache for every worker, and (when small) in this worker's memory."""
    key = f"results:{election_id}:{current_version(election_id)}:{get_language()}:{name}"
    if key in _KEPT:
        return _KEPT[key]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    if isinstance(value, (str, bytes)) and len(value) <= _KEPT_LARGEST:
        if len(_KEPT) >= _KEPT_ENTRIES:
            _KEPT.clear()
        _KEPT[key] = value
    return value


def anonymous_page(request, election_id: int, name: str, build):
    """A public page for a signed-out reader with no messages waiting: rendered once per results version, language
    and ``name`` (the area), with no CSRF token in it (the language switcher needs none), and marked as the same
    for every signed-out reader, so that ``esaylov.pagecache`` serves it in front of Django until the next
    publication.  ``build(csrf_token)`` renders the page: ``""`` for none, ``None`` for the reader's own.  A
    signed-out reader with other query parameters, and everyone signed in, get it rendered for them."""
    if request.user.is_authenticated or len(messages.get_messages(request)) or len(request.GET) > 1:
        return build(None)
    response = HttpResponse(cached(election_id, f"anon:{name}", lambda: build("").content.decode()))
    response[SHARED_PAGE_HEADER] = "1"
    return response


def results_csv(request, election_id: int):
    election = public_election(election_id)
    text = cached(election.pk, "csv", lambda: "".join(csv_lines(*selectors.open_data_rows(election))))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{election.pk}.csv"'
    return response


def results_json(request, election_id: int):
    election = public_election(election_id)

    def build() -> str:
        header, rows = selectors.open_data_rows(election)
        return json.dumps(
            {"election": election.pk, "name": str(election), "protocols": [dict(zip(header, row, strict=True)) for row in rows]},
            ensure_ascii=False,
        )

    return StreamingHttpResponse([cached(election.pk, "json", build)], content_type="application/json")


def results_nist(request, election_id: int):
    """The published results in the NIST SP 1500-100 v2 common data format (``results.nist``)."""
    election = public_election(election_id)
    text = cached(election.pk, "nist", lambda: json.dumps(nist.election_report(election), ensure_ascii=False))
    response = HttpResponse(text, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="results-{election.pk}-nist-1500-100.json"'
    return response


class PublishedProtocolsFeed(Feed):
    """Newly published precinct protocols of an election, newest first (for the accredited media)."""

    feed_type = Atom1Feed

    def get_object(self, request, election_id: int):
        return get_scoped(Election.objects.all(), pk=election_id)

    def title(self, obj):
        return _("Published results: %(election)s") % {"election": obj}

    def link(self, obj):
        return reverse("results:public_results", args=[obj.pk])

    def subtitle(self, obj):
        return _("Precinct protocols as the Central Election Commission publishes them.")

    def items(self, obj):
        return (
            Protocol.objects.published()
            .filter(election=obj)
            .select_related("precinct__district", "constituency", "current")
            .order_by("-status_changed_at")[:200]
        )

    def item_title(self, item):
        return f"{item.precinct}, {item.precinct.district} — {item.constituency}"

    def item_description(self, item):
        figures = item.current.figures
        return _("Took part: %(took)s of %(list)s; valid ballots %(valid)s, invalid %(invalid)s.") % {
            "took": sum(figures.get(k, 0) for k in ("issued_station", "issued_early", "issued_home")),
            "list": figures.get("voters_on_list", 0) + figures.get("voters_added", 0),
            "valid": figures.get("valid", 0),
            "invalid": figures.get("invalid", 0),
        }

    def item_link(self, item):
        return reverse("results:public_results", args=[item.election_id]) + f"#protocol-{item.pk}"

    def item_updateddate(self, item):
        return item.status_changed_at

    def item_pubdate(self, item):
        return item.status_changed_at
