"""Date formats of the four interface languages (``settings.FORMAT_MODULE_PATH``), and the month names they use.

One date format and one date-time format on every page, each in its language's own order and script::

    uz       2027-yil 6-mart      2027-yil 6-mart, 14:05
    uz-cyrl  2027 йил 6 март      2027 йил 6 март, 14:05
    ru       6 марта 2027 г.      6 марта 2027 г., 14:05
    en       6 March 2027         6 March 2027, 14:05

Templates write ``{{ value|date }}`` / ``{{ value|date:"DATE_FORMAT" }}`` and ``{{ value|date:"DATETIME_FORMAT" }}``,
Python ``django.utils.formats.date_format(value, "DATE_FORMAT")``; never a format of their own.
``SHORT_DATETIME_FORMAT`` is the same as ``DATETIME_FORMAT`` (a page that asks for the short one shows the same
date-time as every other page); ``SHORT_DATE_FORMAT`` is the numeric date (06.03.2027; 06/03/2027 in English) for
narrow printed columns (a list's birth dates, a badge).  Machine output (CSV cells, the API, audit records) stays ISO.

``uz-cyrl`` is the locale ``uz_Cyrl`` (``django.utils.translation.to_locale``): its module here comes first, and
what it does not set is read from ``uz`` (ours, then Django's).  Django's date filter takes month names from the
active catalogue; Django has no Uzbek Cyrillic catalogue, and its Uzbek one writes them capitalised (Mart), so the
month names are marked below and translated in ``locale/uz`` (lower case: 6-mart), from which
``make_cyrillic_catalog`` writes the Cyrillic ones (``core.names.to_cyrillic`` spells the months as Uzbek Cyrillic
does: январь, сентябрь).
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

#: ``F`` (``django.utils.dates.MONTHS``).
MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)

#: ``E``, the month of a full date (``django.utils.dates.MONTHS_ALT``: Russian "6 марта").
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
