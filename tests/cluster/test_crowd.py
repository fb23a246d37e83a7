"""300 clients at once across both nodes, through nginx: every answer is 2xx or 3xx, no database
connection error on either node, and PostgreSQL sees no more server connections than PgBouncer's
pool, whatever the number of clients (PostgreSQL ran out of connections at 200 under granian
alone before)."""

import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from .helpers import CLUSTER_DB, DIR, NGINX, PG, api_session

MIX = Path(__file__).parent / "wrk" / "mix.lua"
CLIENTS = 300
SECONDS = 20


def _log_size(name: str) -> int:
    path = DIR / "logs" / f"{name}.log"
    return path.stat().st_size if path.exists() else 0


def _log_since(name: str, offset: int) -> str:
    with open(DIR / "logs" / f"{name}.log", "rb") as handle:
        handle.seek(offset)
        return handle.read().decode("utf-8", "replace")


def _server_connections() -> int:
    with psycopg.connect(**PG, dbname="postgres") as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [CLUSTER_DB]
        ).fetchone()[0]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is installed by make cluster-test")
def test_300_clients_across_both_nodes_get_answers_and_no_connection_error(applicant):
    token = api_session(NGINX, applicant["mobile"]).headers["Authorization"].removeprefix("Bearer ")
    offsets = {name: _log_size(name) for name in ("web-a", "web-b")}
    peak = 0
    process = subprocess.Popen(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "--timeout", "30s", "-s", str(MIX), NGINX + "/"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={"HALL_TOKEN": token, "PATH": "/usr/bin:/bin"},
    )
    while process.poll() is None:
        peak = max(peak, _server_connections())
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
    report = process.stdout.read()
    print(report, f"PostgreSQL connections to the cluster's database at most: {peak}")

    requests_done = int(re.search(r"(\d+) requests in", report).group(1))
    assert requests_done > CLIENTS, report
    assert "Non-2xx or 3xx responses" not in report, report
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    assert errors is None or errors.groups() == ("0", "0", "0", "0"), report
    for name, offset in offsets.items():
        logged = _log_since(name, offset)
        assert "OperationalError" not in logged and "too many clients" not in logged, logged[-2000:]
    # PgBouncer's pool (default_pool_size 20 + reserve 5) bounds what PostgreSQL serves, plus the
    # workers' and schedulers' own and this test's.
    assert peak <= 30, peak
