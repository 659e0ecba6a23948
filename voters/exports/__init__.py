"""Precinct voter lists as files: ``csv`` (spreadsheets) and ``pdf`` (printable, with a signature column).

Pure writers: the callers (views, the export task's service) choose the precincts, check permissions and give
the output stream; who is on a list, in which order, is ``voters.selectors.precinct_voters``.
"""

from voters.exports.csv import write_precinct_csv
from voters.exports.pdf import write_district_pdf, write_precinct_pdf

__all__ = ["write_district_pdf", "write_precinct_csv", "write_precinct_pdf"]
