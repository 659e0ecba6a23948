"""Duplicate detection over the whole voter list: pairs of active records that may be one person.

``scoring`` is the pure part (scoring a pair, blocking the list), ``scan`` the I/O (loading with ``COPY``,
storing the new pairs, the audit event).  The records are streamed from PostgreSQL with ``COPY`` (never as
model instances) and held as columns of small values (about 200 bytes a voter).

Blocking
========

Two records are compared only when they share a block; each kind of variation keeps at
least one block in common:

``date+surname``   (birth date, sex, first 3 letters of the surname key)
``date+given``     (birth date, sex, first 3 letters of the given-name key): a surname
                   misspelt in its second or third letter
``swapped``        a record whose day is <= 12 (and differs from the month) also meets, in
                   both kinds of block, the records born on its swapped date
``date_typo``      (surname key, given key, patronymic key, sex, district): one wrong digit of
                   the month or day, or two neighbouring digits transposed, in the same year

The name keys (``core.names.normalize_name``; ``normalize_patronymic`` for the patronymic)
already make Latin/Cyrillic spellings, Russian-style endings and apostrophe variants equal.
A block larger than :data:`BLOCK_CAP` is split by a finer key (the whole surname or given
name key); a part still larger is skipped and counted (``blocks_skipped`` in the audit event).
Each pair is compared once (later passes skip what an earlier pass compared).

Scoring
=======

:func:`score_pair` has the rules.  In short: same sex; birth dates equal or with day and
month swapped; each name exact or a spelling variant (Jaro-Winkler of the keys, ``rapidfuzz``,
or one edit); and never two *different common* names.  How common a key is comes from the
scanned list itself (voters of the same sex with that key): Hasan and Husan, Kamila and Jamila,
Alimova and Alimov are each written thousands of times, so they are two people's names, while
a key written once or twice next to a common one is a clerk's misspelling of it.  That is what
tells a typo from a twin brother.  Pairs whose PINFLs are equal are never proposed, nor pairs
already decided (confirmed or rejected): their ``DuplicateCandidate`` rows are kept and the
pair is skipped.  New pairs are inserted in one set-based statement (``ON CONFLICT DO
NOTHING``), so a second scan adds nothing.

Measured with ``python -m bench.dedup --rows 1000000`` (1% injected near-duplicates):
precision 0.999, recall 0.999, about 10 s on two cores, about 220 MB.
"""

from voters.dedup.scan import ScanResult, evidence_for, scan
from voters.dedup.scoring import compare_names, score_pair

__all__ = ["ScanResult", "compare_names", "evidence_for", "scan", "score_pair"]
