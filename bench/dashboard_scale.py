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

import time

from django.db import connection
from harness import ARGS, TRACE, measure, scratch_database  # first: sets Django up

COUNT = int(ARGS[0]) if ARGS else 100_000


def make_world(count: int):
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType, Organisation
    from servicehall.reference.models import Region, School
    from servicehall.subsidy.years import graduation_year_setup
    from tests.people import PASSWORD, make_staff
    from tests.stats_data import make_cases

    def organisation(name, kind, region, school=None):
        return accounts.organisation_create(
            name=name, kind=kind, region=Region.objects.get(code=region), school=school
        )

    platform = organisation("江苏省人力资源和社会保障厅", Organisation.Kind.PLATFORM, "320000")
    nju = organisation("南京大学", Organisation.Kind.SCHOOL, "320100", School.objects.get(name="南京大学"))
    nanjing = organisation("南京市人力资源和社会保障局", Organisation.Kind.BUREAU, "320100")
    people = {
        "operator": make_staff(platform, "bench.admin", "operator", "13900000041"),
        "school": make_staff(nju, "bench.school", "school_reviewer", "13900000011"),
        "bureau": make_staff(nanjing, "bench.bureau", "bureau_reviewer", "13900000021"),
    }
    makers = (
        make_staff(nanjing, "bench.finance1", "payment_officer", "13900000031"),
        make_staff(nanjing, "bench.finance2", "payment_officer", "13900000032"),
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
    with scratch_database("dashboard_scale"):
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


if __name__ == "__main__":
    main()
