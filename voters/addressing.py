"""Which precinct an address belongs to: the one SQL of the precinct assignment rules (``AssignmentRule``),
used by imports (new and moved voters), corrections and the assignment of a whole area."""

from __future__ import annotations


def precinct_rule_joins(table: str, alias: str, key: str) -> tuple[str, str]:
    """Joins and expression giving the precinct the assignment rules assign to rows of ``table``.

    The one place for the rule: a rule for the row's street (and house range) wins over
    the rule for its whole mahalla.  Returns ``(joins, expression)`` to put after
    ``FROM {table} {alias}``; hash joins, so it runs set-based over millions of rows.
    """
    joins = f"""
        LEFT JOIN voters_assignmentrule mr ON mr.mahalla_id = {alias}.mahalla_id AND mr.street = ''
        LEFT JOIN (
            SELECT DISTINCT ON (y.{key}) y.{key} AS k, r.precinct_id
              FROM {table} y JOIN voters_assignmentrule r
                ON r.mahalla_id = y.mahalla_id AND r.street <> '' AND lower(r.street) = lower(y.street)
               AND (r.house_from IS NULL
                    OR NULLIF(substring(y.house FROM '^[0-9]{{1,9}}'), '')::int BETWEEN r.house_from AND r.house_to)
             ORDER BY y.{key}, r.house_from NULLS LAST
        ) sr ON sr.k = {alias}.{key}"""
    return joins, "COALESCE(sr.precinct_id, mr.precinct_id)"
