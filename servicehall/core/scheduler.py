"""The hall's periodic work, in one table, and the one way it is run: `manage.py run_scheduler`.

Each job is a management command run once per period: every few minutes for the workflow's
timed steps and the sweeps that finish work a killed worker left behind, once a day for the purges.
Run a scheduler on every web host: each claims a job's period by inserting a ScheduledRun row, and
the unique (job, period_start) lets exactly one of them insert it, so two nodes never run the same
period twice, and a period nobody ran (every scheduler down) is run when one comes back. A job that
fails is recorded and logged; the others still run, and the next period runs it again.

The commands are named, not imported: core stands below every app."""

from __future__ import annotations

import io
import logging
import socket
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from .logging import redact
from .models import DoneOnce, ScheduledRun

logger = logging.getLogger(__name__)

# How long the record of a run is kept.
KEEP_RUNS = timedelta(days=30)


@dataclass(frozen=True)
class Job:
    command: str
    every: timedelta | None = None  # a period of this length, from midnight
    daily_at: time | None = None  # or once a day, from this hour (in the hall's time zone)
    why: str = ""

    def period_start(self, now: datetime) -> datetime:
        """The start of the period `now` falls in."""
        local = timezone.localtime(now)
        if self.every is not None:
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            periods = (local - midnight) // self.every
            return midnight + periods * self.every
        start = local.replace(hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0)
        return start if local >= start else start - timedelta(days=1)


FIVE_MINUTES = timedelta(minutes=5)
JOBS = (
    Job("close_publicities", every=FIVE_MINUTES, why="a 公示 that has ended moves on to 人社初审"),
    Job("reissue_fixed_cards", every=FIVE_MINUTES, why="a failed payment whose card is fixed is paid again"),
    Job("recover_registry_imports", every=FIVE_MINUTES, why="a registry import a worker dropped goes on"),
    Job("sweep_sms", every=FIVE_MINUTES, why="an SMS no worker delivered is delivered"),
    Job("recover_payment_jobs", every=FIVE_MINUTES, why="a payment step a dead worker left runs again"),
    Job("recover_match_runs", every=FIVE_MINUTES, why="a 政策找人 matching a dead worker left goes on"),
    Job("purge_audit", daily_at=time(2, 30), why="audit entries past AUDIT_RETENTION_DAYS"),
    Job("purge_expired_data", daily_at=time(2, 40), why="drafts, files and login tickets past their keeping"),
    Job("purge_superseded_registries", daily_at=time(2, 50), why="rows of registry versions replaced"),
    Job("purge_graduate_lists", daily_at=time(3, 0), why="graduating-class lists past their keeping"),
    Job("send_pending_invitations", daily_at=time(9, 0), why="政策找人 matches invited once a window opens"),
)


def this_node() -> str:
    return getattr(settings, "HALL_NODE", "") or socket.gethostname()


def _claim(job: Job, period_start: datetime, node: str, now: datetime) -> ScheduledRun | None:
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=job.command, period_start=period_start, node=node, started_at=now
            )
    except IntegrityError:
        return None  # another scheduler has this period


def run_due(*, now: datetime | None = None, node: str | None = None, jobs=JOBS, stop=lambda: False) -> dict:
    """Run every job whose current period no scheduler has claimed yet. Returns {command: outcome}
    for the jobs this call ran ("done" or "failed") or left ("elsewhere")."""
    now = now or timezone.now()
    node = node or this_node()
    outcomes = {}
    for job in jobs:
        if stop():
            break
        period = job.period_start(now)
        run = _claim(job, period, node, now)
        if run is None:
            outcomes[job.command] = "elsewhere"
            logger.info("scheduler skipped job=%s period=%s: claimed by another scheduler",
                        job.command, period.isoformat())
            continue
        output = io.StringIO()
        try:
            call_command(job.command, stdout=output, stderr=output)
        except Exception as exc:  # a job's failure is recorded; the others still run
            run.outcome = ScheduledRun.Outcome.FAILED
            run.message = redact(f"{type(exc).__name__}: {exc}")[:500]
            logger.exception(
                "scheduler ran job=%s period=%s node=%s: failed", job.command, period.isoformat(), node
            )
        else:
            run.outcome = ScheduledRun.Outcome.DONE
            logger.info("scheduler ran job=%s period=%s node=%s: done", job.command, period.isoformat(), node)
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "message", "finished_at"])
        outcomes[job.command] = run.outcome
    ScheduledRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    # No task is retried a month later: the keys of effects done once are kept as long.
    DoneOnce.objects.filter(done_at__lt=now - KEEP_RUNS).delete()
    return outcomes
