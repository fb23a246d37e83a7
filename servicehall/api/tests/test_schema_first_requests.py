"""The schema's first requests in a fresh process, several at once: drf-spectacular loads its
extension classes during the first generation and was not thread-safe while doing so (two
first requests at once on a threaded server answered 500). Only a new process shows it, so the
test starts one: Django's threaded development server, on a scratch SQLite file."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 3
AT_ONCE = 4


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our own server
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped with {server.returncode}")
        try:
            _status(url)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the server did not start within 60 s")


def _first_requests_at_once(tmp_path, round_number) -> list[int]:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "servicehall.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/round{round_number}.sqlite3",
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # An answer that neither generates the schema nor needs a table (the API's 404), so
        # the schema's first generation is still ahead when the requests below go out together.
        _wait_until_up(f"http://127.0.0.1:{port}/api/v1/up", server)
        with ThreadPoolExecutor(AT_ONCE) as pool:
            return list(pool.map(_status, [f"http://127.0.0.1:{port}/api/schema/"] * AT_ONCE))
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_schemas_first_requests_at_once_all_succeed(tmp_path):
    statuses = [_first_requests_at_once(tmp_path, n) for n in range(ROUNDS)]
    assert statuses == [[200] * AT_ONCE] * ROUNDS
