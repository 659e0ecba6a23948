"""Demo voters: assignment rules for the demo country and a generated registry
file loaded through the real import pipeline (so the demo exercises it)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction

from demo import generator
from elections.models import Mahalla, Precinct
from voters import services
from voters.models import AssignmentRule, ImportJob, Voter


def seed_assignment_rules() -> int:
    """Give every demo mahalla a precinct of its district (round robin); idempotent."""
    have = set(AssignmentRule.objects.filter(street="").values_list("mahalla_id", flat=True))
    precincts = defaultdict(list)
    for pk, district_id in Precinct.objects.filter(abroad_country="").order_by("number").values_list("pk", "district_id"):
        precincts[district_id].append(pk)
    new = []
    counters: dict[int, int] = defaultdict(int)
    for mahalla_id, district_id in Mahalla.objects.order_by("code").values_list("pk", "district_id"):
        options = precincts.get(district_id)
        if not options:
            continue
        i = counters[district_id]
        counters[district_id] += 1
        if mahalla_id not in have:
            new.append(AssignmentRule(mahalla_id=mahalla_id, precinct_id=options[i % len(options)]))
    AssignmentRule.objects.bulk_create(new, batch_size=5000)
    return len(new)


def seed_voters(n: int, *, seed: int = 2026) -> dict:
    """Load ``n`` generated voters through the import pipeline unless the list already has them."""
    if Voter.objects.count() >= n:
        return {}
    folder = Path(settings.MEDIA_ROOT) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"voters-{n}-{seed}.csv"
    if not path.exists():
        generator.write_voter_file(str(path), n, duplicates_share=0.005, seed=seed, geography=generator.demo_geography())
    with transaction.atomic():
        job = ImportJob(original_name=path.name, size=path.stat().st_size, encoding="auto")
        with open(path, "rb") as fh:
            job.file.save(path.name, File(fh), save=False)
        job.total_estimate = n
        job.save()
    job = services.voter_import_run(job_id=job.pk)
    found = services.duplicates_scan_run(actor_id=None)  # the system asks, as for the import above
    return {
        "voters inserted": job.inserted,
        "voters updated": job.updated,
        "rows refused": job.rows_invalid,
        "possible duplicates": found.pairs_new,
    }
