"""Two schedulers run (one beside each web node); every period of every job is run by exactly one
of them, the other finding it claimed, and the database holds one record per period."""

import json
import re
from collections import Counter

from .helpers import DIR, wait_for

LINE = re.compile(r"scheduler (ran|skipped) job=(\w+) period=(\S+?)(?:: claimed| node=)")


def _lines(name: str) -> list[tuple[str, str, str]]:
    found = []
    for raw in (DIR / "logs" / f"{name}.log").read_text(encoding="utf-8", errors="replace").splitlines():
        if not raw.startswith("{"):
            continue
        match = LINE.search(json.loads(raw).get("message", ""))
        if match:
            found.append(match.groups())
    return found


def test_each_period_of_each_job_runs_once_across_two_schedulers():
    from servicehall.core.models import ScheduledRun
    from servicehall.core.scheduler import JOBS

    wait_for(lambda: all(_lines(name) for name in ("scheduler-1", "scheduler-2")), what="both schedulers")
    lines = _lines("scheduler-1") + _lines("scheduler-2")
    ran = Counter((job, period) for what, job, period in lines if what == "ran")
    skipped = Counter((job, period) for what, job, period in lines if what == "skipped")
    assert ran and max(ran.values()) == 1, ran.most_common(3)
    # Both tried: the one that did not run a period found it claimed.
    assert skipped and set(skipped) <= set(ran), (skipped, ran)
    assert {job.command for job in JOBS} <= {job for job, _period in ran}
    assert ScheduledRun.objects.filter(outcome="failed").count() == 0, list(
        ScheduledRun.objects.filter(outcome="failed").values_list("job", "message")
    )
