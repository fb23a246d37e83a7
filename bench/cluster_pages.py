"""The September pages through the cluster (issue 18): each page loaded with `wrk` against one web
node alone (granian on 127.0.0.1:8101, 8 threads) and then through nginx against both nodes, in the
same run, side by side. Prints req/s, p50 and p99 for each and the ratio both/one, and exits non-zero
when the cluster serves the mix at less than GOAL x one node (nginx and a second node must not cost
more than they bring). On this machine both nodes share its two cores with nginx, PgBouncer,
PostgreSQL and Redis, so two nodes cannot be twice one: docs/deployment.md says what the figures mean
for a province whose nodes are separate hosts.

Run against a running cluster: make bench-cluster [SECONDS=8 CONNECTIONS=64]
    or .venv/bin/python bench/cluster_pages.py [--seconds=8] [--connections=64]
Standard library and wrk only (no Django): it is a client like any other."""

from __future__ import annotations

import json
import sys
import tempfile
import urllib.request
from pathlib import Path

import wrk_run


def option(name: str, default: int) -> int:
    found = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith(f"--{name}=")]
    return int(found[0]) if found else default


SECONDS = option("seconds", 8)
CONNECTIONS = option("connections", 64)
ONE_NODE = "http://127.0.0.1:8101"
BOTH_NODES = "http://127.0.0.1:8080"
GOAL = 0.7
DEMO = {"identifier": "13800000001", "password": "Demo@2026"}  # the demo applicant (load_demo)

# (label, path, weight in the mix)
PAGES = [
    ("bare /offline/", "/offline/", 0),
    ("home /", "/", 3),
    ("search", "/search/?q=%E6%B1%82%E8%81%8C%E5%88%9B%E4%B8%9A", 2),
    ("guide", "/services/job-seeking-subsidy/", 2),
    ("login page", "/accounts/login/", 2),
    ("API /me", "/api/v1/me", 1),
    ("API /cases", "/api/v1/cases?status=in_progress", 1),
]


def token(base: str) -> str:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        base + "/api/v1/auth/login/password", data=json.dumps(DEMO).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)["access"]


def wrk(base: str, path: str, headers: dict, script: Path | None = None) -> dict:
    figures = wrk_run.wrk(base + path, headers, connections=CONNECTIONS, seconds=SECONDS, script=script)
    if figures["errors"]:
        raise SystemExit(f"{base}{path}: {figures['errors']}\n{figures['report']}")
    return figures


def mix_script(paths: list[tuple[str, int]], bearer: str) -> Path:
    """A wrk script that asks the weighted pages in turn, the API ones with the token."""
    order = [path for path, weight in paths for _ in range(weight)]
    lua = "local paths = {" + ", ".join(json.dumps(p) for p in order) + "}\n" + (
        "local n = 0\nrequest = function()\n  n = n + 1\n  local path = paths[(n % #paths) + 1]\n"
        "  local headers = {}\n  if string.sub(path, 1, 5) == \"/api/\" then\n"
        f"    headers[\"Authorization\"] = \"Bearer {bearer}\"\n  end\n"
        "  return wrk.format(\"GET\", path, headers)\nend\n"
    )
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(lua)
    return script


def main() -> int:
    bearer = token(BOTH_NODES)
    rows = []
    for label, path, _weight in PAGES:
        headers = {"Authorization": f"Bearer {bearer}"} if path.startswith("/api/") else {}
        one, both = wrk(ONE_NODE, path, headers), wrk(BOTH_NODES, path, headers)
        rows.append((label, one, both))
    script = mix_script([(path, weight) for _label, path, weight in PAGES if weight], bearer)
    mix_one, mix_both = wrk(ONE_NODE, "/", {}, script), wrk(BOTH_NODES, "/", {}, script)
    script.unlink()
    rows.append(("mix", mix_one, mix_both))

    print(f"\n{CONNECTIONS} connections, {SECONDS} s a page; one node = granian :8101 alone; "
          "both = nginx :8080 over both nodes\n")
    print(f"{'page':<18}{'one req/s':>10}{'p50':>8}{'p99':>8}{'both req/s':>12}{'p50':>8}{'p99':>8}"
          f"{'both/one':>10}")
    for label, one, both in rows:
        print(f"{label:<18}{one['rate']:>10.0f}{one['p50']:>8.0f}{one['p99']:>8.0f}{both['rate']:>12.0f}"
              f"{both['p50']:>8.0f}{both['p99']:>8.0f}{both['rate'] / one['rate']:>10.2f}")
        for where, figures in (("one", one), ("both", both)):
            if figures["socket"]:
                print(f"    {where}: socket errors {figures['socket']}")
    ratio = mix_both["rate"] / mix_one["rate"]
    print(f"\nmix through the cluster = {ratio:.2f} x one node (goal >= {GOAL})")
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
