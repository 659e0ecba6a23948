"""The error report of a refused bulk submission of observers, to download as CSV.

A refused file stores nothing (``services.observers_bulk_submit``), so its per-row errors are kept for a while
in the shared cache (Redis), under the session, the user and the organisation that submitted it: only the one
who uploaded the file, in the same session, downloads them, and only while they still coordinate the
organisation (the view checks that).  A later upload replaces them; an accepted one removes them.
"""

from __future__ import annotations

import csv
import io

from django.core.cache import cache
from django.utils.translation import gettext as _

from core.tabular import csv_safe
from observers.services import RowError

#: How long the errors of a refused file can be downloaded.
BULK_ERRORS_SECONDS = 3600


def _key(request, organization) -> str | None:
    session_key = request.session.session_key
    if not session_key or not request.user.is_authenticated:
        return None
    return f"observers:bulk-errors:{session_key}:{request.user.pk}:{organization.pk}"


def bulk_errors_keep(request, organization, errors: list[RowError]) -> bool:
    """Keep the errors of the file just refused (an empty list forgets them); True when they can be downloaded."""
    key = _key(request, organization)
    if key is None:
        return False
    if not errors:
        cache.delete(key)
        return False
    cache.set(key, [(e.row, e.field, str(e.message)) for e in errors], timeout=BULK_ERRORS_SECONDS)
    return True


def bulk_errors_recall(request, organization) -> list[RowError] | None:
    """The kept errors of this caller's last refused file for ``organization``, or None."""
    key = _key(request, organization)
    rows = cache.get(key) if key is not None else None
    return None if rows is None else [RowError(*row) for row in rows]


def bulk_errors_csv(errors: list[RowError]) -> str:
    """The errors as CSV text (with a BOM, for spreadsheets): row, field, reason; at most one file's rows.

    Every cell goes through ``core.tabular.csv_safe``: text a spreadsheet would read as a formula
    (starting with = + - @, tab or CR) gets a leading ``'``.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(h) for h in (_("row"), _("field"), _("reason"))])
    for error in errors:
        writer.writerow([csv_safe(error.row), csv_safe(error.field), csv_safe(error.message)])
    return "\ufeff" + out.getvalue()
