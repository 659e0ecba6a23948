"""The registry import, one file a step: ``reader`` (the file layout), ``rows`` (checking a row),
``fastpath`` (checking a CSV set-based in PostgreSQL), ``staging`` (the Python path), ``merge`` (into the
list, set-based), ``jobs`` (start, run, resume)."""
