"""One `wrk` run and what its report says, for the benches that load the hall over HTTP
(bench/pages.py, bench/cluster_pages.py). Standard library only."""

import re
import subprocess
from pathlib import Path


def wrk(url: str, headers: dict, *, connections: int, seconds: int, script: Path | None = None) -> dict:
    """wrk's figures: rate (req/s), p50 and p99 (ms), requests, and the non-2xx/3xx count and
    socket errors as wrk printed them ("" when there were none)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50"),
        "p99": ms("99"),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": errors.group(0) if errors else "",
        "socket": socket.group(1) if socket else "",
        "report": out,
    }
