"""Benchmarks of E-saylov, each reported as a ratio against a reference measured in the same run.

``python -m bench`` (``make bench``) runs them against a dedicated database and writes
``bench/results.json``; ``docs/benchmarks.md`` says what every figure means.

- :mod:`bench.imports`: registry import through a real Celery worker against raw ``COPY``;
- :mod:`bench.lookup`: the public lookup under load (gunicorn, wrk) against a minimal JSON view;
- :mod:`bench.dedup`: duplicate detection precision, recall and time on synthetic data.
"""
