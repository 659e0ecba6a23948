"""The synthetic country and election (``seed_demo``), the demo data of every app and the voter-file generator.

Demo code writes through the domain apps' services; no domain app imports it (``tests/test_architecture.py``).
"""
