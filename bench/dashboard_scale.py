"""The statistics dashboard over a big year: 100,000 applications in every state, spread over the
province's schools, with their timelines (about 430,000 events) and payment lines (about 38,000
in batches of 5,000), made with bulk_create. Then the page is rendered through the test client,
logged in as an operator (the whole province), as a school reviewer and as a city's bureau, and
the Excel copy is exported. Prints the wall and CPU time, the peak of Python memory
(tracemalloc) and the SQL statements of each: the statements must not grow with the number of
applications (every panel is an aggregate query). Nothing is ANALYZEd after the load: PostgreSQL
plans with stale statistics, the worst case right after a bulk import.

Run: .venv/bin/python bench/dashboard_scale.py [count] [--no-trace]
tracemalloc slows Python down (SQLite's per-row work runs in this process); --no-trace gives the
times without it (and no memory figures).
(SQLite in a temporary file; set DATABASE_URL to measure on PostgreSQL, on a scratch database:
the bench creates and drops its own test database through Django's test machinery.)
"""

import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
COUNT = int(ARGS[0]) if ARGS else 100_000
TRACE = "--no-trace" not in sys.argv
PASSWORD = "Bench#Pass2026"  # noqa: S105 - throwaway accounts in a throwaway database


class Statements:
    """Counts SQL statements without keeping them."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(label, work):
    gc.collect()
    statements = Statements()
    if TRACE:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(statements):
        result = work()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = ""
    if TRACE:
        peak = f"peak {tracemalloc.get_traced_memory()[1] / 1e6:7.1f} MB"
        tracemalloc.stop()
    print(
        f"{connection.vendor:>10}: {label:<38} {elapsed:7.2f} s wall {cpu:7.2f} s CPU (this process) "
        f"{peak:>18} {statements.count:4d} statements",
        flush=True,
    )
    return result


def staff(organisation, username, role, mobile):
    from servicehall.accounts import services as accounts

    return accounts.staff_create(
        actor=None,
        username=username,
        name=username,
        role=role,
        organisation=organisation,
        mobile=mobile,
        password=PASSWORD,
    )


def make_world(count: int):
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType, Organisation
    from servicehall.reference.models import Region, School
    from servicehall.subsidy.years import graduation_year_setup
    from tests.stats_data import make_cases

    def organisation(name, kind, region, school=None):
        return accounts.organisation_create(
            name=name, kind=kind, region=Region.objects.get(code=region), school=school
        )

    platform = organisation("江苏省人力资源和社会保障厅", Organisation.Kind.PLATFORM, "320000")
    nju = organisation("南京大学", Organisation.Kind.SCHOOL, "320100", School.objects.get(name="南京大学"))
    nanjing = organisation("南京市人力资源和社会保障局", Organisation.Kind.BUREAU, "320100")
    people = {
        "operator": staff(platform, "bench.admin", "operator", "13900000041"),
        "school": staff(nju, "bench.school", "school_reviewer", "13900000011"),
        "bureau": staff(nanjing, "bench.bureau", "bureau_reviewer", "13900000021"),
    }
    makers = (
        staff(nanjing, "bench.finance1", "payment_officer", "13900000031"),
        staff(nanjing, "bench.finance2", "payment_officer", "13900000032"),
    )
    applicant = accounts.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number="320102200403150038",
        name="张晓明",
        mobile="13800000001",
        password=PASSWORD,
    )
    made = make_cases(
        count,
        year=graduation_year_setup(year=2027),
        schools=list(School.objects.order_by("pk")),
        applicant=applicant,
        bureau=nanjing,
        makers=makers,
        batch_size=5000,
    )
    return people, made


def main():
    setup_test_environment()
    scratch = None
    if connection.vendor == "sqlite":
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
        connection.settings_dict.setdefault("TEST", {})["NAME"] = scratch.name
    else:  # a name of its own: a test run on the same server keeps test_<name>
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_dashboard_scale"
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client
        from django.urls import reverse

        started = time.perf_counter()
        people, made = make_world(COUNT)
        print(
            f"{connection.vendor:>10}: {made.applications:,} applications, {made.events:,} timeline events, "
            f"{made.items:,} payment lines in {len(made.batch_ids)} batches made in "
            f"{time.perf_counter() - started:.1f} s (not measured){'' if TRACE else ' — no tracemalloc'}",
            flush=True,
        )
        client = Client()
        for who in ("operator", "school", "bureau"):
            client.force_login(people[who])
            for attempt in (" (first request)", " (again)"):
                response = measure(
                    f"dashboard as {who}{attempt}", lambda: client.get(reverse("stats:dashboard"))
                )
                assert response.status_code == 200, response.status_code
            print(
                f"{'':>10}  {response.context['dashboard'].total:,} applications on {who}'s page", flush=True
            )
        client.force_login(people["operator"])
        response = measure("Excel export as operator", lambda: client.get(reverse("stats:export")))
        size = len(b"".join(response.streaming_content))
        print(f"{'':>10}  workbook {size / 1e3:.0f} kB", flush=True)
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        if scratch is not None:
            scratch.close()
            Path(scratch.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
