"""Public results for the whole country and the media: open data (CSV, JSON) and an Atom feed.

Every public view is cached under the election's results version (``selectors.results_version``), which
each publication bumps after commit: election-night load reads the cache, and a newly published protocol
appears at once.
"""

from __future__ import annotations

import json

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.tabular import csv_lines
from elections.models import Election
from elections.selectors import get_scoped
from results import nist, selectors
from results.models import Protocol

CACHE_SECONDS = 300


def cached(election_id: int, name: str, build):
    """``build()`` cached for this election's current results version and the reader's language."""
    key = f"results:{election_id}:{selectors.results_version(election_id)}:{get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def results_csv(request, election_id: int):
    election = get_scoped(Election.objects.all(), pk=election_id)
    text = cached(election.pk, "csv", lambda: "".join(csv_lines(*selectors.open_data_rows(election))))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{election.pk}.csv"'
    return response


def results_json(request, election_id: int):
    election = get_scoped(Election.objects.all(), pk=election_id)

    def build() -> str:
        header, rows = selectors.open_data_rows(election)
        return json.dumps(
            {"election": election.pk, "name": str(election), "protocols": [dict(zip(header, row, strict=True)) for row in rows]},
            ensure_ascii=False,
        )

    return StreamingHttpResponse([cached(election.pk, "json", build)], content_type="application/json")


def results_nist(request, election_id: int):
    """The published results in the NIST SP 1500-100 v2 common data format (``results.nist``)."""
    election = get_scoped(Election.objects.all(), pk=election_id)
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
