"""What every benchmark shares: the dedicated database, Django, child processes, results."""

from __future__ import annotations

import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
RESULTS = Path(__file__).resolve().parent / "results.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/esaylov_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
BENCH_DB_NAME = "esaylov_bench"
#: The voter tables a benchmark empties (never outside a benchmark database).
TRUNCATE = (
    "TRUNCATE voters_voter, voters_voterchange, voters_duplicatecandidate, voters_listentryoverride, "
    "voters_votinglocationrequest, voters_importrowerror CASCADE"
)


_T0 = time.monotonic()


def say(*parts) -> None:
    print(f"[{time.monotonic() - _T0:7.1f}s]", *parts, flush=True)


# --------------------------------------------------------------------------- database and Django


def _conninfo(url: str, dbname: str | None = None) -> dict:
    import environ

    cfg = environ.Env.db_url_config(url)
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "dbname": dbname or cfg["NAME"],
    }
    params.update({k: v for k, v in (cfg.get("OPTIONS") or {}).items() if k in ("host", "sslmode")})
    return {k: v for k, v in params.items() if v}


def database_ensure(url: str) -> None:
    """Create the database named in ``url`` (via the ``postgres`` database) if it is missing."""
    import psycopg
    from psycopg import sql

    name = _conninfo(url)["dbname"]
    with psycopg.connect(**_conninfo(url, "postgres"), autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say("created database", name)


def _embedded_database_url() -> str:
    """The embedded PostgreSQL of this checkout, with a database of its own for benchmarks."""
    import pgserver

    from esaylov import embedded

    embedded.PG_DATA.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(embedded.PG_DATA, cleanup_mode=None)
    if "1 row" not in server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{BENCH_DB_NAME}';"):
        server.psql(f"CREATE DATABASE {BENCH_DB_NAME};")
    return server.get_uri(BENCH_DB_NAME).replace("postgresql://", "postgres://", 1)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def configure_environment() -> dict:
    """Point this process (and the processes it starts) at the benchmark database; returns notes."""
    notes = {}
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        database_ensure(url)
    else:
        url = DEFAULT_DATABASE_URL
        try:
            database_ensure(url)
        except Exception as exc:  # no local server: the embedded one
            say(f"no PostgreSQL at {urlsplit(url).netloc} ({type(exc).__name__}): using the embedded server")
            url = _embedded_database_url()
            notes["database"] = "embedded"
    os.environ["DATABASE_URL"] = url
    if not os.environ.get("REDIS_URL") and _port_open("127.0.0.1", 6379):
        os.environ["REDIS_URL"] = DEFAULT_REDIS_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "esaylov.settings"
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CELERY_QUEUE"] = f"esaylov-bench-{os.getpid()}"
    os.environ["CACHE_KEY_PREFIX"] = f"esaylov-bench-{os.getpid()}"
    os.environ["MEDIA_ROOT"] = str(VAR / "media")
    VAR.mkdir(parents=True, exist_ok=True)
    return notes


def django_setup(precincts: int = 1000) -> None:
    import io

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    name = connection.settings_dict["NAME"]
    if "bench" not in name:  # the benchmarks empty the voter list
        raise RuntimeError(f"refusing to run benchmarks on database {name!r}: its name must contain 'bench'")
    say(f"database {name}: migrate, seed_demo --precincts {precincts}")
    call_command("migrate", verbosity=0)
    call_command(
        "seed_demo", "--precincts", str(precincts), "--voters", "0", "--no-results", "--quiet-logins", stdout=io.StringIO()
    )


def voters_truncate() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(TRUNCATE)
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'voters_stage_%'")
        for (table,) in cur.fetchall():  # left over by an interrupted run
            cur.execute(f'DROP TABLE IF EXISTS "{table}"')


def checkpoint() -> None:
    """Flush dirty pages so one measurement does not pay for the writes of the one before."""
    from django.db import connection

    try:
        with connection.cursor() as cur:
            cur.execute("CHECKPOINT")
    except Exception as exc:  # not a superuser: measure anyway
        say("CHECKPOINT failed:", exc)


def child_env(**extra) -> dict:
    """Production-like settings for a server or worker started by the benchmark."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RATE_LIMITS_ENABLED": "0",
    }
    env.update(extra)
    return env


def peak_rss_mb(pid: int) -> float | None:
    """The high-water mark of a process's resident memory (``VmHWM``), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc: subprocess.Popen | None, timeout: float = 20) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


class Worker:
    """A real Celery worker subprocess (solo pool) on this run's private queue."""

    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.name = f"bench-{os.getpid()}@{socket.gethostname()}"
        self.log = VAR / "worker.log"

    def start(self, timeout: float = 90) -> None:
        from django.conf import settings

        from esaylov.celery import app

        self.stop()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
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
                    "-n",
                    self.name,
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                ],
                env=child_env(),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Celery worker exited ({self.proc.returncode}); see {self.log}")
            if app.control.ping(destination=[self.name], timeout=1.0):
                return
        raise RuntimeError(f"the Celery worker did not answer within {timeout} s; see {self.log}")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def peak_rss_mb(self) -> float | None:
        return peak_rss_mb(self.proc.pid)

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None


# --------------------------------------------------------------------------- results


def _git_commit() -> str:
    """The checked-out commit, read from .git without running git."""
    try:
        git = ROOT / ".git"
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(":", 1)[1].strip()
        bases = [git]
        if (git / "commondir").exists():
            common = Path((git / "commondir").read_text().strip())
            bases.append(common if common.is_absolute() else git / common)
        for base in bases:
            if (base / ref).exists():
                return (base / ref).read_text().strip()
            packed = base / "packed-refs"
            if packed.exists():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0]
    except OSError:
        pass
    return ""


def machine_info() -> dict:
    cpu = ""
    try:
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    except OSError:
        pass
    mem_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    info = {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": mem_gb,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
    }
    try:
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            info["postgresql"] = cur.fetchone()[0]
    except Exception:  # noqa: S110  (informational only)
        pass
    return info


def results_merge(path: Path, results: dict, machine: dict, drop=()) -> dict:
    """Merge ``results`` into the JSON file at ``path`` (other keys are kept, ``drop`` removed)."""
    data = {}
    if path.exists():
        try:
            data = json.loads(path.read_text())
        except ValueError:
            data = {}
    for key in drop:
        data.pop(key, None)
    data.update(results)
    data["machine"] = machine
    path.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")
    return data
