"""Journey: a CEC official uploads a registry file and watches the progress bar reach the end.

Real browser, real live server, real Celery worker process and broker.
"""

import pytest

from accounts.roles import Role
from demo import generator
from tests import factories as f
from tests.conftest import start_worker, stop_worker
from tests.e2e.helpers import log_in_official
from voters.models import ImportJob, Voter

ROWS = 60_000


@pytest.fixture
def live_worker(transactional_db):
    proc = start_worker()
    yield proc
    stop_worker(proc)


def test_official_uploads_registry_and_sees_progress_to_the_end(page, live_server, live_worker, tmp_path):
    region = f.RegionFactory(code="26", name_uz="Toshkent shahri")
    district = f.DistrictFactory(region=region, code="2601")
    mahallas = [f.MahallaFactory(district=district, code=f"2601{i:03d}") for i in range(1, 4)]
    path = tmp_path / "registry.csv"
    generator.write_voter_file(
        str(path), ROWS, duplicates_share=0.0, seed=3, geography=[(district.code, [m.code for m in mahallas])]
    )
    user = f.UserFactory(username="cec", role=Role.CEC_STAFF)
    device = f.totp_device(user)

    log_in_official(page, live_server.url, "cec", device, "/voters/imports/")

    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    assert "/voters/imports/" in page.url

    bar = page.locator("#import-bar")
    seen = set()
    # htmx replaces the block every second; watch the bar until the job is finished
    for _ in range(240):
        status = page.locator("#import-progress").get_attribute("data-status")
        seen.add((status, bar.get_attribute("value")))
        if status in ("done", "rejected", "failed"):
            break
        page.wait_for_timeout(500)
    assert status == "done", page.locator("main").inner_text()
    assert bar.get_attribute("value") == "100"
    assert page.locator("[data-counter=inserted]").inner_text().replace("\u00a0", "").replace(",", "").replace(" ", "") == str(
        ROWS
    )
    assert len(seen) >= 2  # the page showed the job before it ended, then the end
    assert Voter.objects.count() == ROWS
    assert ImportJob.objects.get().inserted == ROWS
    page.screenshot(path="/tmp/e2e-import-done.png", full_page=True)
