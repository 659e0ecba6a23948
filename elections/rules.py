"""Election rule settings kept as data (``Election.rules``), with documented defaults.

Every rule a service enforces is read through ``Election.rule(name)``, which falls
back to ``DEFAULT_RULES``.  Presets ship the reference rules named in DESIGN.md;
officials may change any value per election (docs/rules.md).
"""

from datetime import time

from django.utils.translation import gettext_lazy as _

DEFAULT_RULES: dict = {
    # candidates
    "min_candidate_age": 25,
    "signatures_required": 40_000,
    "signature_sample_share": 0.15,  # share of signatures the commission checks
    "signature_sample_size": None,  # or a fixed sample size (takes precedence)
    "signature_sample_extra": 0,  # extra signatures drawn when the first sample fails
    "signature_sample_extra_threshold": None,
    "signature_max_invalid_share": 0.05,
    "signature_max_online_share": 0.5,
    "signature_check_days": 5,
    "forbid_signing_for_competitors": False,
    # registration numbers of parties that need no signatures to register (e.g. parties already seated,
    # where the law exempts them); signatures are required at all only while "signatures_required" > 0
    "signature_exempt_parties": [],
    "objection_decision_days": 5,  # the commission decides an objection within this many days of filing
    # observers and media
    "observers_per_org_per_precinct": 1,
    "accreditation_days_before": 10,
    "accreditation_decision_days": 5,
    # voters
    "min_voter_age": 18,
    # roles a person holds at most one of in one election (elections.eligibility); the keys apps register:
    # "candidate", "commission_member", "observer", "journalist"
    "exclusive_roles": ["candidate", "commission_member", "observer"],
    # election day and results (results app, docs/results.md)
    "turnout_times": ["10:00", "13:00", "17:00", "20:00"],  # reporting times, local time
    "turnout_validity_share": 0.33,  # valid when MORE than this share of the voters on the lists took part
    "turnout_jump_share": 0.25,  # flag a precinct whose turnout grows by more than this between two times
    "majority_share": 0.5,  # single-mandate: elected with MORE than this share of those who took part
    "repeat_vote": True,  # else a repeat vote between the two leading candidates
    "list_threshold_share": 0.07,  # party lists: at least this share of the voters who took part
    "list_runner_up_joins": True,  # when only one party passes, the next one takes part too
    "seat_method": "hare",  # "hare" (largest remainders), "dhondt", "sainte_lague"
    "protocol_relations": None,  # None: results.protocol.DEFAULT_RELATIONS
    "protocol_late_hours": 12,  # flag a protocol entered this many hours after the polls closed
}

PRESETS: dict[str, dict] = {
    "uz_parliament": {
        "min_candidate_age": 25,
        "signatures_required": 40_000,
        "signature_sample_share": 0.15,
        "signature_check_days": 5,
    },
    "uz_presidential": {
        "min_candidate_age": 35,
        "signatures_required": 300_000,
        "signature_sample_share": 0.15,
    },
    "ru_presidential": {
        "min_candidate_age": 35,
        "signatures_required": 100_000,
        "signature_sample_share": None,
        "signature_sample_size": 60_000,
        "signature_sample_extra": 30_000,
        "signature_sample_extra_threshold": 0.05,
        "signature_max_invalid_share": 0.05,
        "signature_max_online_share": 0.5,
    },
}

#: Named deadlines of an election calendar, in the order they usually fall.
DEADLINE_KEYS = (
    ("nomination_opens", _("Nomination opens")),
    ("nomination_closes", _("Nomination closes")),
    ("signatures_start", _("Signature collection starts")),
    ("signatures_end", _("Signature collection ends")),
    ("registration_closes", _("Candidate registration closes")),
    ("objections_close", _("Objections to registrations close")),
    ("voter_lists_published", _("Voter lists published")),
    ("location_requests_close", _("Requests to vote elsewhere close")),
    ("accreditation_closes", _("Observer and media accreditation closes")),
)

#: The time of day a deadline falls when only its day is known: a default calendar's rows, and a deadline
#: that an election rule places without a calendar row (``DEADLINE_RULES``); local time.
DEADLINE_TIME = time(18, 0)

#: Deadlines an election rule places when the calendar has no row for them: key -> the rule giving the number
#: of days before election day (``Election.deadline_due``).
DEADLINE_RULES = {"accreditation_closes": "accreditation_days_before"}

#: Days before election day of each deadline in a default calendar.
DEFAULT_CALENDAR_OFFSETS = {
    "nomination_opens": 80,
    "nomination_closes": 50,
    "signatures_start": 80,
    "signatures_end": 50,
    "registration_closes": 40,
    "objections_close": 30,
    "voter_lists_published": 20,
    "location_requests_close": 5,
    "accreditation_closes": 10,
}
