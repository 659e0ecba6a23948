"""The fast path of a CSV registry import: PostgreSQL parses and checks the rows, set-based.

``voters.imports.rows.RowValidator`` is the one authority on what a valid row is and on
every error message.  Checking a million rows with it costs about ten seconds of
Python, so for CSV files this module does the common case inside PostgreSQL:

1. the file's bytes, as they are, are ``COPY``'d into an UNLOGGED table of text
   columns by PostgreSQL's own CSV parser (and encoding conversion);
2. one ``CREATE TABLE … AS SELECT`` checks every row with the rules of
   ``RowValidator``'s fast path and renders it into the staging table exactly as
   ``RowValidator`` would; name keys come from the shared normaliser in Python,
   called once per *distinct* name;
3. every row that SQL does not accept, whatever the reason, goes back through
   ``RowValidator`` in Python, which accepts it or writes its errors.

So the SQL is an *accept filter*: it may send a valid row to Python (unusual
letters, Unicode white space, upper-case values ...), but it never accepts a row
that ``RowValidator`` would refuse, and never renders one differently
(``tests/voters/test_import_fastpath.py`` compares the two paths).  A file
PostgreSQL's parser refuses (a row with the wrong number of columns, bytes that
are not text in the detected encoding, a blank line, a ``\\.`` line) is left to the
Python path entirely, which reports the exact row.

A re-import skips, before any check, the rows whose bytes are those the voter was
last loaded from (``Voter.registry_hash``; any other change to the voter clears it),
unless their PINFL appears more than once in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import psycopg
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.names import normalize_name, normalize_patronymic
from core.pinfl import CENTURY_START, WEIGHTS
from core.tabular import RegistryFile
from voters.imports.reader import COLUMNS
from voters.imports.rows import SEX, RowValidator

_PG_ENCODING = {"utf-8": "UTF8", "utf-8-sig": "UTF8", "utf8": "UTF8", "cp1251": "WIN1251", "windows-1251": "WIN1251"}
#: Letters SQL accepts in names: a subset of Python's ``[^\W\d_]`` (Latin with its extensions,
#: Cyrillic without its combining marks and signs); a name with other letters goes to Python.
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0400-\u0481\u048a-\u04ff"
_SEP = " \\-'\u02bb\u02bc`\u2018\u2019."
NAME_RE = f"^[{_LETTER}]+([{_SEP}]+[{_LETTER}]*)*\\.?$"
#: What RowValidator refuses in addresses (control characters, backslash, < >) ...
TEXT_BAD_RE = "[<>\x01-\x1f\x7f\\\\]"
#: ... and what SQL leaves to Python: a formula's first character, or white space Python's
#: ``str.strip`` would remove but ``btrim`` does not.
_UNICODE_SPACE = "\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_EDGE_RE = f"^[=+@{_UNICODE_SPACE}-]|[{_UNICODE_SPACE}]$"
PASSPORT_RE = "^[A-Z]{2}[0-9]{7}$"
STAGE_BATCH = 20_000
#: For the statements below: PostgreSQL's default costs make a plan that hands a million rows
#: to a Gather look dearer than one process doing all the work; here it is the other way round
#: (the checks and hashes are computed by the workers, the leader only writes the rows).
PARALLEL = ("SET LOCAL parallel_setup_cost = 0", "SET LOCAL parallel_tuple_cost = 0.001")


class NotForSql(Exception):
    """PostgreSQL cannot parse this file as it stands: use the Python path (nothing was staged)."""


@dataclass
class Staged:
    read: int  # data rows in the file
    staged: int  # rows in the staging table
    skipped: int  # unchanged rows of a re-import, valid but not staged
    invalid: int  # rows refused, with their errors stored


def _copy_file(cur, table: str, width: int, path: str, registry: RegistryFile, progress: Callable[[int], None]) -> None:
    encoding = _PG_ENCODING.get(registry.encoding.lower())
    if encoding is None or registry.delimiter not in (",", ";"):
        raise NotForSql
    columns = ", ".join(f"c{i}" for i in range(width))
    sql = (
        f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true, "
        f"DELIMITER '{registry.delimiter}', ENCODING '{encoding}')"
    )
    tail = b"\n"
    with open(path, "rb") as fh, cur.copy(sql) as copy:
        while block := fh.read(1 << 20):
            joined = tail + block
            # "\." alone on a line ends a COPY: PostgreSQL would silently drop what follows.
            if b"\n\\.\n" in joined or b"\n\\.\r" in joined:
                raise NotForSql
            tail = joined[-3:]
            copy.write(block)
            progress(fh.tell())


def stage_csv(
    *,
    job,
    path: str,
    registry: RegistryFile,
    stage: str,
    validator: RowValidator,
    store_errors: Callable[[list[tuple]], None],
    progress: Callable[[int], None],
) -> Staged:
    """Create and fill ``stage`` from a CSV registry file; raise ``NotForSql`` to use the Python path.

    ``store_errors`` receives ``(row, field, code, message, value)`` tuples of refused rows;
    ``progress`` the number of bytes of the file sent to PostgreSQL so far.
    """
    width = len(registry.header)
    tables = {name: f"voters_{name}_{job.pk}" for name in ("raw", "fresh", "dups", "names", "patronymics", "texts", "dates")}
    drop = f"DROP TABLE IF EXISTS {', '.join(tables.values())}"
    with connection.cursor() as cur:
        cur.execute(drop)
        cur.execute(f"""CREATE UNLOGGED TABLE {tables["raw"]} (n bigint GENERATED ALWAYS AS IDENTITY (CACHE 10000),
                        {", ".join(f"c{i} text" for i in range(width))}) WITH (autovacuum_enabled = false)""")
        try:
            with transaction.atomic():
                _copy_file(cur, tables["raw"], width, path, registry, progress)
        except (NotForSql, psycopg.Error, DatabaseError, UnicodeError) as exc:
            cur.execute(drop)
            raise NotForSql from exc
    try:
        return _check(tables=tables, header=registry.header, stage=stage, validator=validator, store_errors=store_errors)
    finally:
        with connection.cursor() as cur:
            cur.execute(drop)


def _cell(header: list[str], name: str, alias: str = "r") -> str:
    """A cell stripped of spaces as RowValidator strips it (other white space fails a check later)."""
    if name not in header:
        return "''::text"
    return f"btrim(coalesce({alias + '.' if alias else ''}c{header.index(name)}, ''), ' ')"


def all_distinct(cur, table: str, expr: str) -> bool:
    """Whether no two rows of ``table`` share the value of ``expr`` (column names unqualified).

    Asked by building a unique index, a parallel sort that stops at the first repeat, which is
    several times cheaper than grouping a million values; the index is dropped either way.
    """
    try:
        with transaction.atomic():  # a savepoint: the failed build is undone alone
            cur.execute(f'CREATE UNIQUE INDEX {table}_distinct ON {table} (({expr}) COLLATE "C")')
            cur.execute(f"DROP INDEX {table}_distinct")
    except IntegrityError:
        return False
    return True


def _row_line(width: int, alias: str = "r") -> str:
    """The row as the file wrote it: its cells joined by \x1f, before any stripping."""
    cells = ", ".join(f"coalesce({alias}.c{i}, '')" for i in range(width))
    return f"concat_ws(E'\\x1f', {cells})"


def _row_hash(width: int, alias: str = "r") -> str:
    """A 64-bit hash of the row as the file wrote it (what ``Voter.registry_hash`` keeps)."""
    return f"hashtextextended({_row_line(width, alias)}, 0)"


_NAME_COLUMNS, _TEXT_COLUMNS = ("surname", "given", "patronymic"), ("street", "house", "flat")


def _distinct_values(cur, cells: str) -> dict[str, set[str]]:
    """Per column of ``cells`` (a subquery ``y``), its distinct values that pass the checks made per value.

    A registry repeats the same few thousand names, streets and house numbers a million
    times: the character checks (a name's letters, an address's characters) run once per
    distinct value, and rows join to the result.  One scan with a hash table per column
    (``GROUPING SETS``); cells are never NULL, so the one value set in a row names its column.
    """
    columns = (*_NAME_COLUMNS, *_TEXT_COLUMNS)
    which = " ".join(f"WHEN {c} IS NOT NULL THEN '{c}'" for c in columns)
    cur.execute(
        f"""
        SELECT k, v FROM (SELECT CASE {which} END AS k, coalesce({", ".join(columns)}) AS v
                            FROM {cells} GROUP BY GROUPING SETS ({", ".join(f"({c})" for c in columns)})) g
         WHERE CASE WHEN k IN ({", ".join(f"'{c}'" for c in _NAME_COLUMNS)}) THEN v ~ %s
                    ELSE v !~ %s AND v !~ %s END""",
        [NAME_RE, TEXT_BAD_RE, TEXT_EDGE_RE],
    )
    values: dict[str, set[str]] = {c: set() for c in columns}
    for column, value in cur.fetchall():
        values[column].add(value)
    return values


def _name_keys(cur, table: str, names: set[str], normalise) -> None:
    """A table ``(raw, key)`` of names SQL accepts (at most 100 characters), with their matching keys.

    Both columns have the staging table's type, so rows take them as they are (no cast per row);
    keys come from the shared normaliser, cut to the column's length as a cast would.
    """
    cur.execute(f"CREATE UNLOGGED TABLE {table} (raw varchar(100), key varchar(100))")
    with cur.copy(f"COPY {table} (raw, key) FROM STDIN") as copy:
        for name in sorted(n for n in names if len(n) <= 100):
            copy.write_row((name, normalise(name)[:100]))
    cur.execute(f"ANALYZE {table}")


#: Street, house and flat: their staging columns' lengths.
_TEXT_LENGTHS = {"street": 150, "house": 20, "flat": 20}


def _texts(cur, table: str, texts: set[str]) -> None:
    """A table of street, house and flat values whose characters pass, with a typed copy per column.

    ``street``, ``house`` and ``flat`` hold the value when it fits that column, else NULL: the
    length is checked once per distinct value, and rows take the typed value as it is.
    """
    columns = ", ".join(f"{c} varchar({n})" for c, n in _TEXT_LENGTHS.items())
    cur.execute(f"CREATE UNLOGGED TABLE {table} (raw text, {columns})")
    with cur.copy(f"COPY {table} (raw, {', '.join(_TEXT_LENGTHS)}) FROM STDIN") as copy:
        for text in sorted(texts):
            copy.write_row((text, *(text if len(text) <= n else None for n in _TEXT_LENGTHS.values())))
    cur.execute(f"ANALYZE {table}")


def _dates(cur, table: str, tomorrow) -> None:
    """Every birth date a row may carry, in both accepted spellings, with the PINFL digits that encode it
    (as numbers: DDMMYY and the first digit of a man born then).

    The centuries and their first digits come from ``core.pinfl`` (the one PINFL rule)."""
    centuries = " ".join(
        f"WHEN extract(year FROM d) BETWEEN {start} AND {start + 99} THEN '{digit}'"
        for digit, start in sorted(CENTURY_START.items())
        if int(digit) % 2
    )
    cur.execute(
        f"""
        CREATE UNLOGGED TABLE {table} AS
        SELECT to_char(d, f) AS spelling, d::date AS born, to_char(d, 'DDMMYY')::int AS ddmmyy,
               CASE {centuries} END::int AS male_digit
          FROM generate_series(%s::date, %s::date, interval '1 day') d,
               (VALUES ('YYYY-MM-DD'), ('DD.MM.YYYY')) f(f)""",
        [date(min(CENTURY_START.values()), 1, 1), tomorrow],
    )
    cur.execute(f"ANALYZE {table}")


_CENTURY_DIGITS = ", ".join(sorted(CENTURY_START))
_MALE_DIGITS = ", ".join(d for d in sorted(CENTURY_START) if int(d) % 2)  # odd first digit: male


def _digit(i: int) -> str:
    """Digit ``i`` (0-based, from the left) of the 14-digit PINFL held as a number in ``y.pnum``."""
    return f"mod(y.pnum / {10 ** (13 - i)}, 10)"


# The check digit: digits 1-13 weighted 7, 3, 1, ... modulo 10 (core.pinfl) equal the 14th.
_CHECK = f"mod({' + '.join(f'{w} * {_digit(i)}' for i, w in enumerate(WEIGHTS))}, 10) = mod(y.pnum, 10)"


def _check(*, tables: dict, header: list[str], stage: str, validator: RowValidator, store_errors) -> Staged:
    raw, fresh = tables["raw"], tables["fresh"]
    sex = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in SEX.items())
    text_ok = " AND ".join(f"t{c}.{c} IS NOT NULL" for c in _TEXT_LENGTHS)  # characters and length
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute("SET LOCAL jit = off")  # compiling these expressions costs more than it saves
        for setting in PARALLEL:
            cur.execute(setting)
        cur.execute(f"SELECT count(*) FROM {raw}")
        read = cur.fetchone()[0]
        cur.execute("SELECT EXISTS (SELECT 1 FROM voters_voter)")
        if not cur.fetchone()[0]:  # a first import: every row is a candidate
            fresh, candidates = raw, read
        else:
            # A re-import: rows exactly as the voter was last loaded are skipped, except for PINFLs
            # written more than once, so that the duplicate check sees all of their rows.
            # (Grouped by a 64-bit hash of the PINFL, which is faster; a collision only means a row
            # is checked rather than skipped.)
            pinfl = _cell(header, "pinfl")
            repeated = ""
            if not all_distinct(cur, raw, _cell(header, "pinfl", alias="")):
                cur.execute(f"""CREATE UNLOGGED TABLE {tables["dups"]} AS
                                SELECT hashtextextended({pinfl}, 0) AS h FROM {raw} r GROUP BY 1 HAVING count(*) > 1""")
                repeated = f"OR hashtextextended({pinfl}, 0) IN (SELECT h FROM {tables['dups']})"
            # without repeated PINFLs (the usual case) a plain anti-join, which PostgreSQL runs in parallel
            cur.execute(f"""
                CREATE UNLOGGED TABLE {fresh} WITH (autovacuum_enabled = false) AS
                SELECT r.* FROM {raw} r
                 WHERE NOT EXISTS (SELECT 1 FROM voters_voter v
                                    WHERE v.pinfl = {pinfl} AND v.registry_hash = {_row_hash(len(header))})
                       {repeated}""")
            candidates = cur.rowcount
        if not candidates:  # nothing new or changed
            create_stage_table(cur, stage)
            return Staged(read=read, staged=0, skipped=read, invalid=0)
        values = _distinct_values(cur, _cells(fresh, header, sex, barrier=False))
        _name_keys(cur, tables["names"], values["surname"] | values["given"], normalize_name)
        _name_keys(cur, tables["patronymics"], values["patronymic"], normalize_patronymic)
        _texts(cur, tables["texts"], values["street"] | values["house"] | values["flat"])
        _dates(cur, tables["dates"], validator.tomorrow)
        _stage_checked(cur, cells=_cells(fresh, header, sex), stage=stage, tables=tables, text_ok=text_ok)
        # Every row SQL did not accept goes through RowValidator, which accepts it or says why not.
        cur.execute("DROP TABLE IF EXISTS python_rows")
        cur.execute(f"CREATE TEMP TABLE python_rows ON COMMIT DROP AS SELECT row_no FROM {stage} WHERE NOT ok")
        refused = cur.rowcount
        if refused:
            cur.execute(f"DELETE FROM {stage} WHERE NOT ok")
        cur.execute(f"ALTER TABLE {stage} DROP COLUMN ok")
        staged, invalid = candidates - refused, 0
        if refused:
            accepted, invalid = _python_check(cur, raw, len(header), stage, validator, store_errors)
            staged += accepted
    return Staged(read=read, staged=staged, skipped=read - candidates, invalid=invalid)


def create_stage_table(cur, stage: str) -> None:
    """The staging table, empty (the Python path fills it with COPY)."""
    cur.execute(f"DROP TABLE IF EXISTS {stage}")
    cur.execute(f"""
        CREATE UNLOGGED TABLE {stage} (
            row_no bigint, pinfl varchar(14), passport varchar(12), surname varchar(100),
            given_name varchar(100), patronymic varchar(100), surname_key varchar(100),
            given_key varchar(100), patronymic_key varchar(100), birth_date date, sex varchar(1),
            district_id bigint, mahalla_id bigint, street varchar(150), house varchar(20), flat varchar(20),
            status varchar(10), registry_hash bigint
        ) WITH (autovacuum_enabled = false)""")


def _cells(source: str, header: list[str], sex: str, *, barrier: bool = True) -> str:
    """The cells every check reads, as a subquery ``y`` of ``source`` (a table of raw rows).

    Cells are taken as the file wrote them: a row with a cell padded with spaces (which
    RowValidator strips) is not accepted here and goes to Python, so no cell is trimmed
    (thirteen copies per row).  ``line`` is the row as written, cells joined by \x1f: its hash
    is the voter's ``registry_hash``, and a space next to a separator is a padded cell (the
    check looks for one; ``edge_padded`` covers the first cell's start and the last one's end).
    The set-returning ``generate_series(1, 1)`` keeps PostgreSQL from
    merging the subquery into the query that reads it (``barrier``), so each cell is computed
    once per row rather than at each use, still in parallel.  The PINFL is also read as a number
    (``pnum``) when it is 14 ASCII digits: its tests are then arithmetic.
    """
    c = {name: f"coalesce(r.c{header.index(name)}, '')" if name in header else "''::text" for name in COLUMNS}
    last = len(header) - 1
    return f"""(
        SELECT r.n + 1 AS row_no, {c["pinfl"]} AS pinfl,
               CASE WHEN octet_length({c["pinfl"]}) = 14 AND ltrim({c["pinfl"]}, '0123456789') = ''
                    THEN {c["pinfl"]}::int8 END AS pnum,
               {c["surname"]} AS surname, {c["given_name"]} AS given, {c["patronymic"]} AS patronymic,
               {c["birth_date"]} AS raw_date, (CASE {c["sex"]} {sex} END)::varchar(1) AS sex,
               {c["district_code"]} AS district_code, {c["mahalla_code"]} AS mahalla_code,
               {c["street"]} AS street, {c["house"]} AS house, {c["flat"]} AS flat,
               (CASE WHEN {c["status"]} IN ('', 'active') THEN 'active'
                     WHEN {c["status"]} IN ('deceased', 'incapable', 'excluded') THEN {c["status"]} END)::varchar(10)
               AS status,
               {c["passport"]} AS passport, {_row_line(len(header))} AS line,
               left(coalesce(r.c0, ''), 1) = ' ' OR right(coalesce(r.c{last}, ''), 1) = ' ' AS edge_padded
               {", generate_series(1, 1) AS barrier" if barrier else ""}
          FROM {source} r) y"""


def _stage_checked(cur, *, cells: str, stage: str, tables: dict, text_ok: str) -> None:
    """CREATE the staging table from the cells (``y``) with an ``ok`` column: RowValidator's fast path in SQL."""
    cur.execute(
        f"""
        CREATE UNLOGGED TABLE {stage} WITH (autovacuum_enabled = false) AS
        SELECT y.row_no, y.pinfl::varchar(14) AS pinfl,
               CASE WHEN y.passport = '' THEN ''::varchar(12) ELSE y.passport::varchar(12) END AS passport,
               sk.raw AS surname, gk.raw AS given_name,
               CASE WHEN y.patronymic = '' THEN ''::varchar(100) ELSE pk.raw END AS patronymic,
               sk.key AS surname_key, gk.key AS given_key,
               CASE WHEN y.patronymic = '' THEN ''::varchar(100) ELSE pk.key END AS patronymic_key,
               dt.born AS birth_date, y.sex, d.id AS district_id, m.id AS mahalla_id,
               tstreet.street, thouse.house, tflat.flat, y.status, hashtextextended(y.line, 0) AS registry_hash,
               coalesce(CASE WHEN y.pnum / {10**13} IN ({_CENTURY_DIGITS}) THEN
                            mod(y.pnum / 10000, 1000) <> 0 AND mod(y.pnum / 10, 1000) <> 0 AND {_CHECK}
                            AND mod(y.pnum / 10000000, 1000000) = dt.ddmmyy
                            AND y.pnum / {10**13} IN (dt.male_digit, dt.male_digit + 1)
                            AND y.sex = CASE WHEN y.pnum / {10**13} IN ({_MALE_DIGITS}) THEN 'M' ELSE 'F' END
                        END
                        AND y.status IS NOT NULL AND d.id IS NOT NULL AND (y.mahalla_code = '' OR m.id IS NOT NULL)
                        AND sk.key IS NOT NULL AND gk.key IS NOT NULL AND (y.patronymic = '' OR pk.key IS NOT NULL)
                        AND {text_ok}
                        AND (y.passport = '' OR y.passport ~ %(passport)s)
                        AND NOT y.edge_padded AND strpos(y.line, E' \\x1f') = 0 AND strpos(y.line, E'\\x1f ') = 0,
                        false) AS ok
          FROM {cells}
          LEFT JOIN {tables["dates"]} dt ON dt.spelling = y.raw_date
          LEFT JOIN elections_district d ON d.code = y.district_code
          LEFT JOIN elections_mahalla m ON y.mahalla_code <> '' AND m.code = y.mahalla_code AND m.district_id = d.id
          LEFT JOIN {tables["names"]} sk ON sk.raw = y.surname
          LEFT JOIN {tables["names"]} gk ON gk.raw = y.given
          LEFT JOIN {tables["patronymics"]} pk ON y.patronymic <> '' AND pk.raw = y.patronymic
          LEFT JOIN {tables["texts"]} tstreet ON tstreet.raw = y.street
          LEFT JOIN {tables["texts"]} thouse ON thouse.raw = y.house
          LEFT JOIN {tables["texts"]} tflat ON tflat.raw = y.flat""",
        {"passport": PASSPORT_RE},
    )


def _python_check(cur, raw: str, width: int, stage: str, validator: RowValidator, store_errors) -> tuple[int, int]:
    copy_sql = f"COPY {stage} ({', '.join(RowValidator.STAGE_COLUMNS)}) FROM STDIN"
    cells = ", ".join(f"coalesce(r.c{i}, '')" for i in range(width))
    accepted = invalid = 0
    lines: list[str] = []
    errors: list[tuple] = []

    def flush():
        nonlocal lines, errors
        if lines:
            with cur.copy(copy_sql) as copy:
                copy.write("\n".join(lines) + "\n")
        if errors:
            store_errors(errors)
        lines, errors = [], []

    with connection.connection.cursor(name="voters_python_rows") as rows:
        rows.itersize = STAGE_BATCH
        rows.execute(f"SELECT r.n + 1, {cells} FROM {raw} r JOIN python_rows p ON p.row_no = r.n + 1 ORDER BY r.n")
        check = validator.check
        for row_no, *row in rows:
            line, problems = check(row, row_no)
            if line is not None:
                lines.append(line)
                accepted += 1
            elif problems:
                invalid += 1
                errors.extend((row_no, *p) for p in problems)
            if len(lines) + len(errors) >= STAGE_BATCH:
                flush()
    flush()
    return accepted, invalid
