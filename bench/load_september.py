"""The September peak over HTTP: USERS simulated students (bench/locustfile.py) use the hall at
once for DURATION, against granian serving the hall with production settings (bench/
load_settings.py: DEBUG off, Argon2, sessions and rate limits in Redis) on PostgreSQL. Prints,
per page, the requests, failures, median, 95th and 99th percentile in milliseconds, and the
requests per second; then the totals. Locust shares the machine's cores with the server, so the
figures are a floor, not the hall's ceiling.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/load .venv/bin/python bench/load_september.py
     [users=200] [duration=90s] [workers=2] [threads=8]
(needs locust: `make bench-load` installs it and runs this; Redis on 127.0.0.1:6379, db 9.)
The bench makes its own scratch database (test_load_september), fills it with the demo data
and one account with a card per simulated student, and drops it afterwards."""

import csv
import os
import subprocess
import tempfile
import time
from pathlib import Path

from harness import ARGS, connection, made, person, scratch_database  # first: sets Django up
from serving import BIN, ROOT, scratch_database_url, served

USERS = int(ARGS[0]) if ARGS else 200
DURATION = ARGS[1] if len(ARGS) > 1 else "90s"
WORKERS = int(ARGS[2]) if len(ARGS) > 2 else 2
# Python threads per worker, and the requests each worker takes on at once. Granian's default
# (up to 256 threads a worker, each with its own database connection) runs PostgreSQL out of
# connections (max_connections is 100) long before it runs out of CPU; the GIL gains nothing
# from more threads than requests waiting on the database.
THREADS = int(ARGS[3]) if len(ARGS) > 3 else 8
PORT = 8765
# Students arrive over the first half minute rather than all in one second: each login costs
# an Argon2 hash (about 0.3 s of CPU at Django's settings), as it should.
RAMP_SECONDS = 30
PASSWORD = "Load#Pass2026"  # noqa: S105 - throwaway accounts in a throwaway database


def make_students(count: int) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django.core.management import call_command

    from servicehall.accounts.models import IdType, User
    from servicehall.accounts.services import person_create_verified
    from servicehall.cards.services import demo_card_for

    started = time.perf_counter()
    call_command("load_demo", verbosity=0)
    ids = []
    for number in range(count):
        id_number, name = person(500_000 + number)
        user = person_create_verified(
            id_type=IdType.RESIDENT,
            id_number=id_number,
            name=name,
            mobile=f"187{number:08d}",
            password=PASSWORD,
        )
        demo_card_for(id_number=id_number, name=name)
        ids.append(user.pk)
    # One Argon2 hash for all: the server checks passwords as in production, and making the
    # accounts does not spend minutes hashing the same password again.
    hashed = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    User.objects.filter(pk__in=ids).update(password=hashed)
    made(f"{count} students with cards, and the demo data,", started)


def run_locust(folder: Path) -> Path:
    """Returns the prefix of locust's CSV files."""
    prefix = folder / "load"
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
         "-u", str(USERS), "-r", f"{USERS / RAMP_SECONDS:.2f}", "-t", DURATION,
         "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--loglevel", "WARNING"],
        check=False, env={**os.environ, "LOAD_PEOPLE": str(USERS), "LOAD_PASSWORD": PASSWORD},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,  # its own summary; ours is below
    )
    return prefix


def report(prefix: Path) -> None:
    print(
        f"\n{USERS} students for {DURATION}, granian with {WORKERS} workers of {THREADS} threads, "
        "PostgreSQL, Redis"
    )
    columns = ("requests", "failures", "median ms", "p95 ms", "p99 ms", "req/s")
    print(f"{'page':<12}" + "".join(f"{column:>11}" for column in columns))
    with Path(f"{prefix}_stats.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            name = row["Name"] if row["Name"] != "Aggregated" else "all"
            values = (row["Request Count"], row["Failure Count"], row["50%"], row["95%"], row["99%"])
            print(f"{name:<12}" + "".join(f"{v:>11}" for v in values) + f"{float(row['Requests/s']):>11.1f}")
    with Path(f"{prefix}_failures.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            print(f"failed: {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']} times)")


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The load bench measures the hall as deployed: set DATABASE_URL to PostgreSQL.")
    with scratch_database("load_september") as folder:
        make_students(USERS)
        url = scratch_database_url(connection)
        connection.close()
        with served(url, port=PORT, workers=WORKERS, threads=THREADS):
            report(run_locust(Path(tempfile.mkdtemp(dir=folder))))


if __name__ == "__main__":
    main()
