"""``core.sql.CompiledQuery``: a queryset compiled once and run again with other ids or keys, giving the rows
the ORM gives; ``instance_from`` builds model instances of them as the ORM would."""

import pytest

from core.sql import CompiledQuery, instance_from, model_fields
from elections.models import Election, Precinct

pytestmark = pytest.mark.django_db


def test_rows_are_those_of_the_orm_for_every_value(country):
    query = CompiledQuery(
        lambda district: Precinct.objects.filter(district_id=district).order_by("number").values_list("pk", "number"),
        district=int,
    )
    for district in country.districts.values():
        expected = list(Precinct.objects.filter(district=district).order_by("number").values_list("pk", "number"))
        assert query.rows(district=district.pk) == expected
    assert query.rows(district=10**9) == []


def test_string_parameters_and_several_names(country):
    precinct = country.precincts["A1-1"]
    query = CompiledQuery(lambda pk, code: Precinct.objects.filter(pk=pk, code=code).values_list("number"), pk=int, code=str)
    assert query.first(pk=precinct.pk, code=precinct.code) == (precinct.number,)
    assert query.first(pk=precinct.pk, code=precinct.code + "x") is None


def test_a_parameter_of_another_kind_is_refused(country):
    query = CompiledQuery(lambda pk: Precinct.objects.filter(pk=pk).values_list("pk"), pk=int)
    with pytest.raises(TypeError):
        query.rows(pk="1 OR 1=1")
    with pytest.raises(TypeError):
        CompiledQuery(lambda pk: Precinct.objects.filter(pk=pk), pk=list)


def test_a_name_the_query_does_not_use_is_refused():
    query = CompiledQuery(lambda pk: Precinct.objects.filter(number=1).values_list("pk"), pk=int)
    with pytest.raises(ValueError, match="pk"):
        query.rows(pk=1)


def test_instance_from_converts_like_the_orm(country):
    election = country.election
    election.rules = {"turnout_threshold": 33, "names": ["Ўзбек"]}
    election.save()
    query = CompiledQuery(lambda pk: Election.objects.filter(pk=pk).values_list(*model_fields(Election)), pk=int)
    built = instance_from(Election, query.first(pk=election.pk))
    fresh = Election.objects.get(pk=election.pk)
    assert built.rules == fresh.rules == {"turnout_threshold": 33, "names": ["Ўзбек"]}
    assert (built.pk, built.name_uz, built.election_day, built.is_active) == (
        fresh.pk,
        fresh.name_uz,
        fresh.election_day,
        fresh.is_active,
    )
    assert built._state.adding is False
