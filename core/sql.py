"""Querysets compiled once per process, for the few reads that run hundreds of times a second.

Django builds and compiles a queryset's SQL on every evaluation: about half a millisecond of CPU for a join
with a filter or two, more than PostgreSQL takes to answer it.  On election night's hot paths (a protocol
entry, the token that signs it) the same few shapes are compiled over and over.  ``CompiledQuery`` keeps the
rule where it is written (``Voter.objects.listed()``, ``registered_candidates``, a model's fields) and only
skips the recompilation:

    seats = CompiledQuery(lambda user: Member.objects.filter(user_id=user).values_list("commission__level"), user=int)
    seats.rows(user=42)

``build`` is called once, with a marker for each named parameter (a number no id takes, or a string no key
takes); the markers are found among the compiled SQL's parameters, and ``rows()`` runs the kept SQL with the
values put in their places.  A parameter is a whole number (an id) or a string compared as it is (a token
key), never a list; rows come as the database gives them (``instance_from`` makes model instances of them).
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

from django.db import connections
from django.db.models import Model, QuerySet

#: A marker no id takes (ids are positive); one per named parameter, counted down from here.
_MARKER = -(2**62)


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default", **kinds: type) -> None:
        if any(kind not in (int, str) for kind in kinds.values()):
            raise TypeError("a parameter is an int or a str")
        self.build, self.kinds, self.using = build, kinds, using
        self._compiled: tuple[str, tuple, list[tuple[int, str]]] | None = None
        self._lock = Lock()

    def _compile(self) -> tuple[str, tuple, list[tuple[int, str]]]:
        with self._lock:
            if self._compiled is None:
                markers = {
                    name: _MARKER - i if kind is int else f"\x1fcompiled-query-marker-{i}\x1f"
                    for i, (name, kind) in enumerate(self.kinds.items())
                }
                sql, params = self.build(**markers).query.sql_with_params()
                slots = [
                    (i, name)
                    for i, value in enumerate(params)
                    for name, marker in markers.items()
                    if type(value) is type(marker) and value == marker
                ]
                missing = set(self.kinds) - {name for _i, name in slots}
                if missing:
                    raise ValueError(f"parameters not found in the compiled query: {sorted(missing)}")
                self._compiled = (sql, tuple(params), slots)
        return self._compiled

    def rows(self, **values: int | str) -> list[tuple]:
        """The query's rows for ``values`` (every named parameter, of its kind)."""
        sql, params, slots = self._compiled or self._compile()
        params = list(params)
        for i, name in slots:
            value = values[name]
            if type(value) is not self.kinds[name]:
                raise TypeError(f"{name} must be {self.kinds[name].__name__}, not {type(value).__name__}")
            params[i] = value
        with connections[self.using].cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def first(self, **values: int | str) -> tuple | None:
        rows = self.rows(**values)
        return rows[0] if rows else None


def model_fields(model: type[Model], prefix: str = "") -> list[str]:
    """Every concrete field of ``model`` as ``values_list`` names it (``prefix`` for a related model's, e.g.
    ``"district__"``), in the order ``instance_from`` takes them."""
    return [prefix + f.attname for f in model._meta.concrete_fields]


def instance_from(model: type[Model], values, using: str = "default") -> Model:
    """A model instance from the values of ``model_fields(model)`` read by a ``CompiledQuery``, as the ORM
    would have built it (each field's ``from_db_value`` applied, e.g. JSON parsed)."""
    connection = connections[using]
    converted = [
        f.from_db_value(value, None, connection) if value is not None and hasattr(f, "from_db_value") else value
        for f, value in zip(model._meta.concrete_fields, values, strict=True)
    ]
    return model.from_db(using, [f.attname for f in model._meta.concrete_fields], converted)
