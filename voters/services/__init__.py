"""Every write to the voter list, one module a subdomain; this package names them all for pages, the API and
tasks (``from voters import services``).

* ``voters.imports``: registry imports (start, run, resume);
* ``corrections``: officials' corrections and status changes, reading a record;
* ``assignment``: precinct assignment rules and moves;
* ``requests``: requests to vote elsewhere;
* ``exports``: exports of a district's lists, downloads of a precinct's;
* ``duplicates``: possible duplicates, decided and scanned.
"""

from voters.imports.jobs import voter_import_resume, voter_import_run, voter_import_start
from voters.services.assignment import (
    assignment_apply,
    assignment_preview,
    assignment_rule_save,
    voter_reassign_one,
)
from voters.services.corrections import StaleEdit, voter_set_status, voter_update, voter_view_record
from voters.services.duplicates import (
    duplicate_confirm,
    duplicate_reject,
    duplicates_scan_run,
    duplicates_scan_start,
)
from voters.services.exports import export_run, export_start, voter_list_export_record
from voters.services.requests import (
    NotFoundForPublic,
    location_request_decide,
    location_request_submit,
    location_request_withdraw,
)

__all__ = [
    "NotFoundForPublic",
    "StaleEdit",
    "assignment_apply",
    "assignment_preview",
    "assignment_rule_save",
    "duplicate_confirm",
    "duplicate_reject",
    "duplicates_scan_run",
    "duplicates_scan_start",
    "export_run",
    "export_start",
    "location_request_decide",
    "location_request_submit",
    "location_request_withdraw",
    "voter_import_resume",
    "voter_import_run",
    "voter_import_start",
    "voter_list_export_record",
    "voter_reassign_one",
    "voter_set_status",
    "voter_update",
    "voter_view_record",
]
