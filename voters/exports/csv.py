"""A precinct's list (or several) as CSV: UTF-8 with a BOM (Excel opens Cyrillic correctly), every text cell
safe from formula injection (``core.tabular.csv_safe``).  The rows are ``voters.selectors.precinct_voters``'."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.tabular import csv_safe, text_sink
from voters.selectors import format_address, list_records


def _as_precincts(precincts) -> Iterable:
    return [precincts] if hasattr(precincts, "pk") and hasattr(precincts, "number") else precincts


def write_precinct_csv(out, precincts, election=None) -> int:
    """Write the lists of ``precincts`` (one precinct or an iterable) as CSV to ``out``; return the row count.

    ``out`` is a binary stream (the text is written as UTF-8 with a BOM, so Excel
    opens Cyrillic correctly) or a text stream (``io.TextIOBase``; the BOM is
    written as U+FEFF, so open it with ``encoding="utf-8"``, not ``"utf-8-sig"``).
    Columns: precinct number, No., surname, given name, patronymic, birth date
    (ISO), address.  Text cells starting with ``= + - @``, tab or CR get a
    leading ``'`` so that spreadsheets do not evaluate them.
    """
    sink = text_sink(out)
    sink.write("\ufeff")
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow(
        [
            csv_safe(h)
            for h in (_("Precinct"), _("No."), _("Surname"), _("Given name"), _("Patronymic"), _("Birth date"), _("Address"))
        ]
    )
    written = 0
    for precinct in _as_precincts(precincts):
        for number, (surname, given, patronymic, born, street, house, flat) in enumerate(list_records(precinct, election), 1):
            writer.writerow(
                [
                    precinct.number,
                    number,
                    csv_safe(surname),
                    csv_safe(given),
                    csv_safe(patronymic),
                    born.isoformat() if born else "",
                    csv_safe(format_address(street, house, flat)),
                ]
            )
            written += 1
    return written
