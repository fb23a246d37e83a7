"""How long a school's 批量通过 of 1,000 applications takes, and how many SQL queries it
needs (it must not grow with the number of applications).

Run: .venv/bin/python bench/batch_approve.py [count]   (SQLite in a temporary file; set
DATABASE_URL to measure on PostgreSQL, on a scratch database: the bench creates and drops its
test database through Django's test runner machinery)
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


# The applicants' SMS go to the task queue after commit; a worker sends them, not the request.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@override_settings(TASKS=QUEUE_ONLY)
def main():
    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from bench.review_data import make_applications
        from servicehall.subsidy import review
        from servicehall.subsidy.review_queue import Selection

        reviewer, ids = make_applications(COUNT)
        for size in (1, COUNT - 1):
            chunk, ids = ids[:size], ids[size:]
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                approved = review.applications_approve(
                    actor=reviewer, decision="approve_by_school", selection=Selection(ids=tuple(chunk))
                ).done
            elapsed = time.perf_counter() - started
            print(
                f"{connection.vendor}: approved {approved:>5} in {elapsed * 1000:8.1f} ms, "
                f"{len(queries):3d} queries, {elapsed * 1e6 / approved:8.1f} µs per application"
            )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    main()
