"""A worker killed (SIGKILL) in the middle of an import: a new worker finishes it in
the same state as an uninterrupted run.  Real worker processes, real broker."""

import hashlib
import os
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from demo import generator
from tests.conftest import start_worker, stop_worker, wait_for
from voters import services
from voters.models import ImportJob, Voter

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 120_000


def list_digest() -> tuple[int, str]:
    digest = hashlib.sha256()
    for row in (
        Voter.objects.order_by("pinfl")
        .values_list(
            "pinfl",
            "surname",
            "given_name",
            "patronymic",
            "birth_date",
            "sex",
            "district_id",
            "mahalla_id",
            "street",
            "house",
            "flat",
            "status",
            "passport",
            "precinct_id",
            "version",
        )
        .iterator(chunk_size=20_000)
    ):
        digest.update(repr(row).encode())
    return Voter.objects.count(), digest.hexdigest()


@pytest.fixture
def registry_file(country, tmp_path):
    geography = [(d.code, [m.code for m in d.mahallas.all()]) for d in country.districts.values()]
    path = tmp_path / "registry.csv"
    generator.write_voter_file(str(path), ROWS, duplicates_share=0.0, seed=7, geography=geography)
    return path.read_bytes()


def _start(country, content) -> ImportJob:
    with transaction.atomic():
        return services.voter_import_start(actor=country.users["cec"], uploaded_file=SimpleUploadedFile("registry.csv", content))


def test_killed_worker_recovers_to_the_same_end_state(country, registry_file):
    worker = start_worker()
    try:
        job = _start(country, registry_file)
        # wait until the worker is in the middle of reading and staging the file
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).rows_read >= 20_000, timeout=90), ImportJob.objects.get(
            pk=job.pk
        ).status
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = ImportJob.objects.get(pk=job.pk)
        assert killed_at.status in (ImportJob.Status.VALIDATING, ImportJob.Status.MERGING)
        assert Voter.objects.count() == 0  # nothing half-imported is visible

        worker = start_worker()  # on start it re-queues imports whose worker died
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).is_finished, timeout=180)
    finally:
        stop_worker(worker)
    recovered = ImportJob.objects.get(pk=job.pk)
    assert recovered.status == ImportJob.Status.DONE, recovered.message
    assert recovered.attempts >= 2
    recovered_state = list_digest()
    counters = (recovered.rows_read, recovered.rows_valid, recovered.inserted, recovered.updated)

    # The same file imported without interruption into an empty list gives the same list.
    with connection.cursor() as cur:
        cur.execute("TRUNCATE voters_voter, voters_voterchange CASCADE")
    reference = services.voter_import_run(job_id=_start_without_queue(country, registry_file).pk)
    assert reference.status == ImportJob.Status.DONE
    assert list_digest() == recovered_state
    assert (reference.rows_read, reference.rows_valid, reference.inserted, reference.updated) == counters
    assert recovered_state[0] == ROWS


def _start_without_queue(country, content) -> ImportJob:
    # the reference run happens in this process: no worker is running, the queued task is never consumed
    return _start(country, content)
