"""CPU time the server's processes spend per request: steadier than requests per second on a
shared machine, where a neighbour's load changes the rate but not the work a request takes.

    before = server_cpu(port)
    ... run the load ...
    spent = server_cpu(port) - before     # a Cpu: granian, postgres, redis (seconds)
    spent.per_request_ms(requests)

Linux only (/proc). PostgreSQL's processes are all counted: run nothing else against it."""

import os
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Cpu:
    granian: float = 0.0
    postgres: float = 0.0
    redis: float = 0.0

    def __sub__(self, other: "Cpu") -> "Cpu":
        return Cpu(self.granian - other.granian, self.postgres - other.postgres, self.redis - other.redis)

    def per_request_ms(self, requests: int) -> dict[str, float]:
        n = max(requests, 1)
        return {"granian": self.granian * 1000 / n, "postgres": max(self.postgres, 0) * 1000 / n,
                "redis": self.redis * 1000 / n}


def server_cpu(port: int) -> Cpu:
    """User + system seconds so far of the granian serving `port`, PostgreSQL and Redis."""
    spent = {"granian": 0.0, "postgres": 0.0, "redis": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        seconds = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        if "granian" in command and f"--port {port}" in command:
            spent["granian"] += seconds
        elif command.startswith("postgres:") or command.split(" ", 1)[0].endswith("/postgres"):
            spent["postgres"] += seconds
        elif command.split(" ", 1)[0].endswith("redis-server"):
            spent["redis"] += seconds
    return Cpu(**spent)
