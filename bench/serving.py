"""The hall served for the HTTP benches as it is deployed: granian on 127.0.0.1 with the
production settings of bench/load_settings.py (DEBUG off, Argon2, sessions, cache and rate limits
in Redis) on the bench's scratch PostgreSQL database. Used by load_september.py and pages.py.

The bench process made the data with the test settings' encryption keys; the server is given the
same keys so that it reads what the bench wrote."""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def scratch_database_url(connection) -> str:
    """The URL of the scratch database the bench made (DATABASE_URL names the server)."""
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{base}/{connection.settings_dict['NAME']}"


@contextmanager
def served(database_url: str, *, port: int, workers: int = 2, threads: int = 8, media_root: str = ""):
    """granian with `workers` processes of `threads` threads each, until the block ends. Yields
    the base URL. Granian's default (up to 256 threads a worker, each with its own database
    connection) runs PostgreSQL out of connections long before it runs out of CPU."""
    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/9"),
        "DJANGO_SECRET_KEY": "load-bench-" + "k" * 40,
        "FIELD_ENCRYPTION_KEYS": settings.FIELD_ENCRYPTION_KEYS,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        **({"MEDIA_ROOT": media_root} if media_root else {}),  # where the bench stored uploads
    }
    (ROOT / "var").mkdir(exist_ok=True)
    log = (ROOT / "var" / "load-server.log").open("w")  # the server's errors, if any, are read here
    server = subprocess.Popen(
        [str(BIN / "granian"), "--interface", "wsgi", "servicehall.wsgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads),
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/offline/", timeout=2)  # noqa: S310 - our own http URL
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise SystemExit(f"granian did not answer on {base} (see var/load-server.log)")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
