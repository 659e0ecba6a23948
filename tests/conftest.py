"""Shared fixtures: a small country, one user per role, logged-in clients, a real Celery worker."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.roles import Role
from tests import factories as f

#: Every role of the matrix tests, plus "anon" for no login.
ROLES = ["anon", "admin", "cec", "region", "district", "precinct", "party", "coordinator", "observer", "editor", "journalist"]
OFFICIALS = {"admin", "cec", "region", "district", "precinct"}
COMMISSION_STAFF = {"region", "district", "precinct"}


@pytest.fixture(autouse=True)
def results_version_read_every_time(settings):
    """A publication shows on the next request (in production within ``RESULTS_VERSION_SECONDS``)."""
    settings.RESULTS_VERSION_SECONDS = 0


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level messages in English for the assertions (pages pick their own language)."""

    with translation.override("en"):
        yield


@dataclass
class Country:
    """Two regions (A, B), each with two districts, each with two precincts."""

    regions: dict
    districts: dict
    precincts: dict
    mahallas: dict
    users: dict
    election: object


def build_country() -> Country:
    """The ``country`` fixture's rows (also built once per module by tests/test_routes.py)."""
    regions = {k: f.RegionFactory(code=f"9{k}", name_uz=f"Viloyat {k}") for k in "AB"}
    districts, precincts, mahallas = {}, {}, {}
    for rk, region in regions.items():
        for i in (1, 2):
            d = f.DistrictFactory(region=region, code=f"9{rk}{i}", name_uz=f"Tuman {rk}{i}")
            districts[f"{rk}{i}"] = d
            mahallas[f"{rk}{i}"] = f.MahallaFactory(district=d, name_uz=f"Mahalla {rk}{i}")
            for j in (1, 2):
                precincts[f"{rk}{i}-{j}"] = f.PrecinctFactory(district=d, number=j, address=f"Address {rk}{i}-{j}")
    central = f.commission_for(level="central")
    users = {
        "admin": f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
        "cec": f.UserFactory(username="cec", role=Role.CEC_STAFF),
        "region": f.UserFactory(username="region", role=Role.COMMISSION_STAFF),
        "district": f.UserFactory(username="district", role=Role.COMMISSION_STAFF),
        "precinct": f.UserFactory(username="precinct", role=Role.COMMISSION_STAFF),
        "party": f.UserFactory(username="party", role=Role.PARTY_REP),
        "coordinator": f.UserFactory(username="coordinator", role=Role.OBSERVER_COORDINATOR),
        "observer": f.UserFactory(username="observer", role=Role.OBSERVER),
        "editor": f.UserFactory(username="editor", role=Role.MEDIA_EDITOR),
        "journalist": f.UserFactory(username="journalist", role=Role.JOURNALIST),
    }
    f.add_member(users["cec"], central)
    f.add_member(users["region"], f.commission_for(level="regional", region=regions["A"]))
    f.add_member(users["district"], f.commission_for(level="district", district=districts["A1"]))
    f.add_member(users["precinct"], f.commission_for(level="precinct", precinct=precincts["A1-1"]))
    election = f.ElectionFactory(name_uz="Test saylov")
    return Country(regions, districts, precincts, mahallas, users, election)


@pytest.fixture
def country(db):
    return build_country()


def verified_client(user) -> Client:
    """A client logged in as ``user`` who (if an official) has passed the TOTP step."""
    client = Client()
    client.force_login(user)
    if user.requires_two_factor:
        device = f.totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def build_clients(country) -> dict:
    """One client per role of ``ROLES`` (``anon`` signed out), officials past the TOTP step."""
    out = {"anon": Client()}
    for name, user in country.users.items():
        out[name] = verified_client(user)
    return out


@pytest.fixture
def clients(country):
    return build_clients(country)


def wait_for(predicate, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def start_worker() -> subprocess.Popen:
    """A Celery worker subprocess attached to the test database and this run's private queue."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    test_db_url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    env = {
        **os.environ,
        "DATABASE_URL": test_db_url,
        "DJANGO_SETTINGS_MODULE": "esaylov.settings_test",
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "esaylov",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def worker(transactional_db):
    proc = start_worker()
    yield proc
    stop_worker(proc)
