"""What the scale benchmarks share: Django on the test settings, a scratch test database (a
temporary SQLite file, or on PostgreSQL a database of the bench's own name, so a test run on
the same server keeps its test_<name>), and `measure`, which runs one step and prints its wall
and CPU time, its SQL statements, the process's peak resident size and, unless --no-trace, the
peak of Python memory (tracemalloc, which slows Python down).

Each bench imports this first: `from harness import ARGS, TRACE, measure, scratch_database`."""

import gc
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from stdnum.cn import ric  # noqa: E402

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
TRACE = "--no-trace" not in sys.argv
# Tasks queued after commit (SMS, checks) wait in a queue nobody serves: the bench measures the
# step, not the worker that would follow it.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def person(i: int) -> tuple[str, str]:
    """The i-th person: a valid ID number (320102, born from 2000 on, 1,000 a day) and a name."""
    born = date(2000, 1, 1) + timedelta(days=i // 1000)
    prefix = f"320102{born:%Y%m%d}{i % 1000:03d}"
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 131) % len(GIVEN)]
    return prefix + ric.calc_check_digit(prefix + "0"), name


class Statements:
    """Counts SQL statements without keeping them (CaptureQueriesContext would keep 100,000
    rows' worth of SQL text and distort the memory figures)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


SECONDS: dict[str, float] = {}  # each measured step's wall time, by label
COPY_GOAL = 3.0  # issue 16: each bulk step within 3 × PostgreSQL's COPY of the rows it writes
_ratios: list[tuple[str, float]] = []


def _copy_into_likes(raw, parts, with_foreign_keys: bool) -> float:
    """The seconds from the first COPY of `parts` (model, rows as COPY text) into new tables made
    LIKE their originals to the commit; the tables are dropped after."""
    names = []
    with raw.cursor() as cursor:
        for n, (model, _data) in enumerate(parts):
            table, name = connection.ops.quote_name(model._meta.db_table), f"copy_baseline_{n}"
            cursor.execute(f"CREATE TABLE {name} (LIKE {table} INCLUDING ALL)")
            if with_foreign_keys:
                cursor.execute(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [model._meta.db_table],
                )
                for (definition,) in cursor.fetchall():
                    cursor.execute(f"ALTER TABLE {name} ADD {definition}")
            names.append(name)
        cursor.execute("COMMIT")
        started = time.perf_counter()
        cursor.execute("BEGIN")
        for name, (_model, data) in zip(names, parts, strict=True):
            with cursor.copy(f"COPY {name} FROM STDIN") as copy:
                copy.write(data)
        cursor.execute("COMMIT")
        elapsed = time.perf_counter() - started
        for name in names:
            cursor.execute(f"DROP TABLE {name}")
        cursor.execute("COMMIT")
    return elapsed


def copy_seconds(*parts) -> tuple[float, float] | None:
    """PostgreSQL's own COPY of the rows a bulk step wrote, the physical limit the step is
    compared with, measured on this machine in the same run. Each part is a model or (model,
    SQL WHERE clause) selecting the rows the step wrote there (inserted, or updated: an updated
    row is written again whole). All parts' rows go, in one transaction, into empty tables with
    the same columns, defaults, indexes and constraints (CREATE TABLE ... LIKE ... INCLUDING
    ALL), once without foreign keys (LIKE leaves them out) and once with the originals' foreign
    keys added, checked at commit as the originals' are: (seconds without, seconds with). None
    on SQLite, which has no COPY."""
    if connection.vendor != "postgresql":
        return None
    import io

    connection.ensure_connection()
    raw = connection.connection
    dumps = []
    with raw.cursor() as cursor:
        for part in parts:
            model, where = part if isinstance(part, tuple) else (part, "")
            table = connection.ops.quote_name(model._meta.db_table)
            data = io.BytesIO()
            with cursor.copy(f"COPY (SELECT * FROM {table} {where}) TO STDOUT") as copy:  # noqa: S608
                for chunk in copy:
                    data.write(chunk)
            dumps.append((model, data.getvalue()))
    return _copy_into_likes(raw, dumps, False), _copy_into_likes(raw, dumps, True)


def against_copy(label: str, baseline: tuple[float, float] | None, rows: int) -> None:
    """Prints the step's time as a multiple of the COPY of the `rows` it writes, into tables
    with the same indexes and constraints (the goal), and without their foreign keys."""
    if baseline is None:
        return
    bare, constrained = baseline
    ratio = SECONDS[label] / constrained
    _ratios.append((label, ratio))
    verdict = "met" if ratio <= COPY_GOAL else "ABOVE THE GOAL"
    print(
        f"{'':>10}  {label}: {ratio:5.1f} × COPY of the {rows:,} rows it writes ({constrained:.2f} s); "
        f"goal ≤ {COPY_GOAL:.0f} × {verdict}; {SECONDS[label] / bare:.1f} × the same COPY without "
        f"foreign keys ({bare:.2f} s)",
        flush=True,
    )


def exit_by_copy_goal() -> None:
    """Exit non-zero when a step compared with COPY is above the goal."""
    above = [label for label, ratio in _ratios if ratio > COPY_GOAL]
    if above:
        print(f"above {COPY_GOAL:.0f} × COPY: {', '.join(above)}")
        sys.exit(1)


def measure(label, work):
    gc.collect()
    statements = Statements()
    if TRACE:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(statements):
        result = work()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    SECONDS[label] = elapsed
    peak = ""
    if TRACE:
        peak = f"peak {tracemalloc.get_traced_memory()[1] / 1e6:7.1f} MB"
        tracemalloc.stop()
    print(
        f"{connection.vendor:>10}: {label:<36} {elapsed:8.2f} s wall {cpu:8.2f} s CPU {peak:>18} "
        f"max RSS {rss_mb():7.1f} MB {statements.count:7d} statements",
        flush=True,
    )
    return result


def made(what: str, started: float) -> None:
    """The line saying how long making the data took (not measured)."""
    print(
        f"{connection.vendor:>10}: {what} made in {time.perf_counter() - started:.1f} s (not measured)"
        f"{'' if TRACE else ' — no tracemalloc'}",
        flush=True,
    )


def province_operator():
    """The province's platform organisation and its operator (bench.admin), through accounts'
    own services: what a bench that imports or runs something on the province's behalf needs."""
    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import Organisation
    from servicehall.reference.models import Region
    from tests.people import make_staff

    platform = accounts.organisation_create(
        name="江苏省人力资源和社会保障厅",
        kind=Organisation.Kind.PLATFORM,
        region=Region.objects.get(code="320000"),
    )
    return make_staff(platform, "bench.admin", "operator", "13900000041")


@contextmanager
def scratch_database(name: str):
    """A test database for the bench, destroyed afterwards, with tasks only queued."""
    setup_test_environment()
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    test = connection.settings_dict.setdefault("TEST", {})
    test["NAME"] = str(folder / "bench.sqlite3") if connection.vendor == "sqlite" else f"test_{name}"
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(TASKS=QUEUE_ONLY, MEDIA_ROOT=folder / "media"):
            yield folder
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        for path in sorted(folder.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        folder.rmdir()
