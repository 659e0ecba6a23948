"""``make run``: migrate, seed the demo country, then serve the web app with a
Celery worker and beat, all in the foreground until Ctrl-C.

With no ``DATABASE_URL``/``REDIS_URL`` the embedded servers start first (see
``esaylov/embedded.py``); their URLs are passed to every child process.
"""

import os
import signal
import subprocess
import sys
import time

from esaylov import embedded


def main() -> int:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esaylov.settings")
    embedded.ensure_database_url()
    embedded.ensure_redis_url()
    py = sys.executable
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    subprocess.run([py, "manage.py", "migrate", "--noinput"], check=True)
    subprocess.run([py, "manage.py", "seed_demo"], check=True)
    procs = [
        subprocess.Popen([py, "-m", "celery", "-A", "esaylov", "worker", "--loglevel", "INFO", "--concurrency", "2"]),
        subprocess.Popen(
            [
                py,
                "-m",
                "celery",
                "-A",
                "esaylov",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(embedded.VAR_DIR / "celerybeat-schedule"),
            ]
        ),
        subprocess.Popen([py, "manage.py", "runserver", "--noreload", f"{host}:{port}"]),
    ]
    print(f"\n  E-saylov is running at http://{host}:{port}/  (Ctrl-C to stop)\n", flush=True)

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while all(p.poll() is None for p in procs):
        time.sleep(1)
    stop()
    return 1


if __name__ == "__main__":
    sys.exit(main())
