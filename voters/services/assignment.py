"""Precinct assignment: rules map addresses (a mahalla, or a street of it and a house range) to precincts; the
one SQL of the rule (``precinct_rule_joins``), a preview of the moves, and applying them set-based with history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from core.services import audit_record
from core.text import clean_reason
from elections.models import District
from voters.addressing import precinct_rule_joins
from voters.models import AssignmentRule, Voter

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from accounts.models import User
    from elections.models import Mahalla, Precinct


def voter_reassign_one(*, voter: Voter) -> None:
    with connection.cursor() as cur:
        joins, expr = precinct_rule_joins("voters_voter", "x", "id")
        cur.execute(f"SELECT {expr} FROM voters_voter x {joins} WHERE x.id = %s", [voter.pk])
        row = cur.fetchone()
    if row and row[0] and row[0] != voter.precinct_id:
        Voter.objects.filter(pk=voter.pk).update(precinct_id=row[0])
        voter.precinct_id = row[0]


def _moves_sql(district_ids: Iterable[int] | None = None) -> tuple[str, list]:
    joins, expr = precinct_rule_joins("voters_voter", "x", "id")
    where, params = "", []
    if district_ids is not None:
        where, params = "AND x.district_id = ANY(%s)", [list(district_ids)]
    return (
        f"""SELECT x.id, x.precinct_id AS old_precinct, {expr} AS new_precinct
                  FROM voters_voter x {joins}
                 WHERE x.merged_into_id IS NULL {where}""",
        params,
    )


def assignment_preview(*, district_ids: Iterable[int] | None = None) -> list[dict]:
    """How many voters each rule change would move: [{from, to, voters}], largest first."""
    sql, params = _moves_sql(district_ids)
    with connection.cursor() as cur:
        cur.execute(
            f"""
            SELECT m.old_precinct, m.new_precinct, count(*) FROM ({sql}) m
             WHERE m.new_precinct IS NOT NULL AND m.new_precinct IS DISTINCT FROM m.old_precinct
             GROUP BY 1, 2 ORDER BY 3 DESC""",
            params,
        )
        return [{"from": a, "to": b, "voters": n} for a, b, n in cur.fetchall()]


def assignment_apply(
    *, actor: User, district_ids: Iterable[int] | None = None, reason: str = "", request: HttpRequest | None = None
) -> int:
    """Move every voter to the precinct the rules give them: one set-based statement, with history; ``reason``
    (the page always asks) goes on each moved voter's history and on the audit event."""

    scope = scope_for(actor)
    if scope.is_empty:
        raise PermissionDenied
    reason = clean_reason(reason, limit=400)  # the history line adds the rule's own words before it
    if not scope.everything:
        allowed = set(District.objects.restrict(actor).values_list("pk", flat=True))
        if not allowed:
            raise PermissionDenied(_("Precinct commissions cannot change the assignment of voters."))
        district_ids = allowed if district_ids is None else set(district_ids) & allowed
    sql, params = _moves_sql(district_ids)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS assignment_moves")
        cur.execute(
            f"""CREATE TEMP TABLE assignment_moves ON COMMIT DROP AS
                        SELECT * FROM ({sql}) m
                         WHERE m.new_precinct IS NOT NULL AND m.new_precinct IS DISTINCT FROM m.old_precinct""",
            params,
        )
        cur.execute(
            """
            INSERT INTO voters_voterchange (voter_id, created_at, kind, changes, reason, actor_id, document)
            SELECT id, now(), 'assignment', jsonb_build_object('precinct_id', jsonb_build_array(old_precinct,
                   new_precinct)), %s, %s, '' FROM assignment_moves""",
            [_("precinct assignment rules changed") + (f": {reason}" if reason else ""), actor.pk],
        )
        cur.execute("""UPDATE voters_voter v SET precinct_id = m.new_precinct, version = v.version + 1,
                              updated_at = now()
                         FROM assignment_moves m WHERE v.id = m.id""")
        moved = cur.rowcount
        audit_record(
            actor=actor,
            action="voters.assignment.apply",
            object_type="voters.assignment",
            after={"moved": moved, "districts": sorted(district_ids) if district_ids else "all", "reason": reason},
            request=request,
        )
    return moved


def assignment_rule_save(
    *,
    actor: User,
    mahalla: Mahalla,
    precinct: Precinct,
    street: str = "",
    house_from: int | None = None,
    house_to: int | None = None,
    request: HttpRequest | None = None,
) -> AssignmentRule:
    if not scope_for(actor).covers(mahalla):
        raise PermissionDenied
    if precinct.district_id != mahalla.district_id:
        raise ValidationError({"precinct": _("The precinct must be in the mahalla's district.")})
    street = (street or "").strip()
    if (house_from is None) != (house_to is None):
        raise ValidationError(_("Give both ends of the house range, or neither."))
    if house_from is not None and not street:
        raise ValidationError(_("A house range needs a street."))
    if house_from is not None and house_from > house_to:
        raise ValidationError(_("The range must go from a lower to a higher house number."))
    overlapping = (
        AssignmentRule.objects.filter(mahalla=mahalla, street__iexact=street)
        .exclude(house_from__gt=house_to if house_to is not None else 10**9)
        .exclude(house_to__lt=house_from if house_from is not None else -1)
    )
    with transaction.atomic():
        rule = overlapping.filter(house_from=house_from, house_to=house_to).first() or AssignmentRule(
            mahalla=mahalla, street=street, house_from=house_from, house_to=house_to
        )
        if overlapping.exclude(pk=rule.pk).exists():
            raise ValidationError(_("This house range overlaps another rule for the same street."))
        before = {"precinct": rule.precinct_id} if rule.pk else None
        rule.precinct = precinct
        rule.full_clean()
        rule.save()
        audit_record(
            actor=actor,
            action="voters.assignment.rule",
            obj=rule,
            before=before,
            after={
                "mahalla": mahalla.pk,
                "street": street,
                "house_from": house_from,
                "house_to": house_to,
                "precinct": precinct.pk,
            },
            request=request,
        )
    return rule
