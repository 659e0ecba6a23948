"""Filtering API lists by a related row's id without telling whether that row exists.

django-filter turns a foreign key of ``filterset_fields`` into a ``ModelChoiceFilter``, which checks the
id against the whole related table: an id outside the caller's scope answered 200 with an empty list and
an id that does not exist 400, so ids could be probed (docs/security.md, "Out of scope is 404").  Here a
foreign key filters as a plain number: both answer the same empty list.
"""

import django_filters
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend, FilterSet

_BY_ID = {"filter_class": django_filters.NumberFilter}


class IdFilterSet(FilterSet):
    """The base of every FilterSet, declared or generated from ``filterset_fields``."""

    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: _BY_ID,
        models.OneToOneField: _BY_ID,
        models.ManyToManyField: _BY_ID,
    }


class IdFilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet
