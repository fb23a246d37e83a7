"""The scheduler runs each job once per period however many schedulers run (the unique claim),
runs it again the next period, records a failure without stopping the others, and places a daily
job's period at its hour in the hall's time zone."""

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from servicehall.core import scheduler
from servicehall.core.models import ScheduledRun
from tests.races import race

BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 7, 10, 3, 20, tzinfo=BEIJING)
JOBS = (
    scheduler.Job("close_publicities", every=timedelta(minutes=5)),
    scheduler.Job("sweep_sms", every=timedelta(minutes=5)),
    scheduler.Job("purge_audit", daily_at=time(2, 30)),
)


@pytest.fixture
def ran(monkeypatch):
    """The commands the scheduler called, in order (each a real name of a hall command)."""
    calls, lock = [], threading.Lock()

    def record(command, **_kwargs):
        with lock:
            calls.append(command)

    monkeypatch.setattr(scheduler, "call_command", record)
    return calls


def test_periods_of_a_five_minute_and_a_daily_job():
    every, daily = JOBS[0], JOBS[2]
    assert every.period_start(NOW) == datetime(2026, 9, 7, 10, 0, tzinfo=BEIJING)
    assert daily.period_start(NOW) == datetime(2026, 9, 7, 2, 30, tzinfo=BEIJING)
    early = datetime(2026, 9, 7, 1, 0, tzinfo=BEIJING)
    assert daily.period_start(early) == datetime(2026, 9, 6, 2, 30, tzinfo=BEIJING)


def test_two_schedulers_in_the_same_period_run_each_job_once(db, ran):
    first = scheduler.run_due(now=NOW, node="web-a", jobs=JOBS)
    second = scheduler.run_due(now=NOW + timedelta(seconds=30), node="web-b", jobs=JOBS)
    assert first == {job.command: "done" for job in JOBS}
    assert second == {job.command: "elsewhere" for job in JOBS}
    assert sorted(ran) == sorted(job.command for job in JOBS)
    assert set(ScheduledRun.objects.values_list("node", flat=True)) == {"web-a"}


def test_the_next_period_runs_again_but_a_daily_job_waits_for_its_day(db, ran):
    scheduler.run_due(now=NOW, node="web-a", jobs=JOBS)
    later = scheduler.run_due(now=NOW + timedelta(minutes=5), node="web-b", jobs=JOBS)
    assert later == {"close_publicities": "done", "sweep_sms": "done", "purge_audit": "elsewhere"}
    assert ran.count("close_publicities") == 2 and ran.count("purge_audit") == 1


def test_a_failing_job_is_recorded_and_the_others_run(db, monkeypatch):
    calls = []

    def flaky(command, **_kwargs):
        calls.append(command)
        if command == "close_publicities":
            raise RuntimeError("公示 for 13812345678 could not close")

    monkeypatch.setattr(scheduler, "call_command", flaky)
    outcomes = scheduler.run_due(now=NOW, node="web-a", jobs=JOBS)
    assert outcomes == {"close_publicities": "failed", "sweep_sms": "done", "purge_audit": "done"}
    failed = ScheduledRun.objects.get(job="close_publicities")
    assert failed.message.startswith("RuntimeError") and "13812345678" not in failed.message
    assert failed.finished_at is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers: needs PostgreSQL")
def test_schedulers_racing_on_their_own_connections_run_each_job_once(ran):
    def one_scheduler():
        scheduler.run_due(now=NOW, node=threading.current_thread().name, jobs=JOBS)

    assert race(4, one_scheduler) == []
    assert sorted(ran) == sorted(job.command for job in JOBS)
    assert ScheduledRun.objects.count() == len(JOBS)


def test_the_commands_named_exist():
    from django.core.management import get_commands

    assert {job.command for job in scheduler.JOBS} <= set(get_commands())
