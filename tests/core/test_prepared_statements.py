"""Every query binds its parameters server-side, so PostgreSQL plans a statement once per connection:
after two runs (``DB_PREPARE_THRESHOLD``) an ORM query, and a ``CompiledQuery``, is a prepared statement
that later runs reuse with other values (``DB_SERVER_SIDE_BINDING=0`` would send each as new text)."""

import pytest
from django.db import connection

from core.sql import CompiledQuery
from elections.models import Precinct

pytestmark = pytest.mark.django_db


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"])
        return [row[0] for row in cur.fetchall()]


def test_an_orm_query_is_prepared_once_and_reused_with_other_values(country):
    first, second = country.precincts["A1-1"], country.precincts["B1-1"]
    for precinct in (first, second, first, second):
        assert Precinct.objects.filter(code=precinct.code).values_list("pk", flat=True).get() == precinct.pk
    prepared = _prepared('WHERE "elections_precinct"."code" = $1')
    assert len(prepared) == 1


def test_a_compiled_query_is_prepared_too(country):
    numbers = CompiledQuery(lambda pk: Precinct.objects.filter(pk=pk).order_by().values_list("number"), pk=int)
    answers = [numbers.first(pk=p.pk)[0] for p in country.precincts.values()]
    assert answers == [p.number for p in country.precincts.values()]
    assert len(_prepared('"number" FROM "elections_precinct" WHERE "elections_precinct"."id" = $1')) == 1
