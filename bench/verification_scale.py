"""数据比对 at the province's scale: a 1,000,000-row 城乡低保 registry imported from CSV (the
upload encrypted in chunks, then read as a stream and written in chunks of 5,000), and 100,000
applications checked again against every registry (低保, a 100,000-row employment list and a
50,000-row grant list of another province). Prints the wall and CPU time, the peak of Python
memory (tracemalloc) and the process's peak resident size (ru_maxrss), and the SQL statements of
each step. Nothing may hold a million rows at once: the peaks show it.

Run: .venv/bin/python bench/verification_scale.py [registry_rows] [applications] [--no-trace]
(SQLite in a temporary file; set DATABASE_URL to measure on PostgreSQL, on a scratch database:
the bench creates and drops its own test database through Django's test machinery.)
tracemalloc slows Python down; --no-trace gives the times without it (and no Python peak).
"""

import csv
import time
from datetime import date, timedelta
from pathlib import Path

from harness import (  # first: sets Django up
    ARGS,
    against_copy,
    copy_seconds,
    exit_by_copy_goal,
    made,
    measure,
    person,
    province_operator,
    scratch_database,
)

ROWS = int(ARGS[0]) if ARGS else 1_000_000
APPLICATIONS = int(ARGS[1]) if len(ARGS) > 1 else 100_000
CHUNK = 2000
APPLICANT_STEP = 7
PASSWORD = "Bench#Pass2026"  # noqa: S105 - throwaway accounts in a throwaway database

def write_csv(path: Path, header, rows) -> int:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path.stat().st_size


def registry_files(folder: Path):
    today = date.today()
    until = (today + timedelta(days=200)).isoformat()

    def low():
        for i in range(ROWS):
            id_number, name = person(i)
            # One row in 1,000 is bad (a broken check digit): the report has work to do.
            if i % 1000 == 999:
                id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
            yield id_number, name, "", until

    def employment():  # every 10th applicant is insured as an employee
        for n in range(0, APPLICATIONS, 10):
            id_number, name = person(n * APPLICANT_STEP)
            yield id_number, name, (today - timedelta(days=90)).isoformat(), ""

    def grants():  # every 20th applicant was paid by another province
        for n in range(5, APPLICATIONS, 20):
            id_number, name = person(n * APPLICANT_STEP)
            yield id_number, name, 2025

    files = {
        "subsistence_allowance": (folder / "低保.csv", ["证件号码", "姓名", "有效期起", "有效期至"], low()),
        "employment": (
            folder / "参保.csv",
            ["证件号码", "姓名", "参保开始日期", "参保终止日期"],
            employment(),
        ),
        "prior_grant": (folder / "外省.csv", ["证件号码", "姓名", "发放年度"], grants()),
    }
    for registry, (path, header, rows) in files.items():
        size = write_csv(path, header, rows)
        print(f"{'':>10}  {registry}: {path.name} {size / 1e6:.1f} MB", flush=True)
    return {registry: path for registry, (path, _h, _r) in files.items()}


def make_world():
    from django.utils import timezone

    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType
    from servicehall.reference.models import School
    from servicehall.subsidy.constants import ApplicationStatus
    from servicehall.subsidy.models import Application
    from servicehall.subsidy.selectors import category_index
    from servicehall.subsidy.years import graduation_year_setup
    from servicehall.verification.selectors import id_number_index

    operator = province_operator()
    applicant = accounts.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number="320102200403150038",
        name="张晓明",
        mobile="13800000001",
        password=PASSWORD,
    )
    school = School.objects.get(name="南京大学")
    year = graduation_year_setup(year=2027)
    now = timezone.now()
    low_index = category_index("subsistence_allowance")
    # Applicant n is person n × APPLICANT_STEP: one in ten is insured, one in twenty was paid
    # elsewhere; all are on the 低保 list but the bad rows' people and those past ROWS.
    for start in range(0, APPLICATIONS, CHUNK):
        batch = []
        for n in range(start, min(start + CHUNK, APPLICATIONS)):
            id_number, name = person(n * APPLICANT_STEP)
            batch.append(
                Application(
                    applicant=applicant,
                    record_number=f"{now:%Y%m%d}{n:08d}",
                    state=ApplicationStatus.SCHOOL_REVIEW,
                    graduation_year=year,
                    name=name,
                    id_number=id_number,
                    id_number_index=id_number_index(id_number),
                    mobile="13800000001",
                    school=school,
                    category_code="subsistence_allowance",
                    category_index=low_index,
                    submitted_at=now,
                    state_changed_at=now,
                )
            )
        Application.objects.bulk_create(batch, batch_size=CHUNK)
    return operator


def import_file(operator, registry: str, path: Path, *, province: str = ""):
    from django.core.files import File
    from django.utils import timezone

    from servicehall.verification import services
    from servicehall.verification.registries import spec_for

    spec = spec_for(registry)
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        upload.size = path.stat().st_size
        batch = measure(
            f"{registry}: upload (encrypt, store)",
            lambda: services.registry_import_start(
                actor=operator,
                registry=registry,
                uploaded_file=upload,
                source=spec.department,
                data_date=timezone.localdate(),
                mapping=dict(spec.headers),
                province=province,
            ),
        )
    done = measure(f"{registry}: import", lambda: services.registry_import_run(batch_id=batch.pk))
    assert done.state == "done", done.message
    from servicehall.verification.models import RegistryEntry

    rows = copy_seconds((RegistryEntry, f"WHERE batch_id = {int(done.pk)}"))
    against_copy(f"{registry}: import", rows, done.imported_count)
    print(
        f"{'':>10}  {done.row_count:,} rows: {done.imported_count:,} imported, "
        f"{done.rejected_count:,} reported",
        flush=True,
    )
    return done


def main():
    with scratch_database("verification_scale") as folder:
        from servicehall.subsidy.check_models import CheckResult
        from servicehall.subsidy.checks import checks_run
        from servicehall.subsidy.models import Application

        started = time.perf_counter()
        files = registry_files(folder)
        operator = make_world()
        made(f"files and {APPLICATIONS:,} applications", started)
        low = import_file(operator, "subsistence_allowance", files["subsistence_allowance"])
        assert low.rejected_count == ROWS // 1000, low.rejected_count
        import_file(operator, "employment", files["employment"])
        import_file(operator, "prior_grant", files["prior_grant"], province="浙江省")
        checked = measure(
            "checks_run (all applications)", lambda: checks_run(applications=Application.objects.all())
        )
        assert checked == APPLICATIONS
        results = CheckResult.objects.count()
        against_copy("checks_run (all applications)", copy_seconds(CheckResult), results)
        counts = {}
        for rule, outcome in CheckResult.objects.values_list("rule", "outcome").iterator():
            counts[(rule, outcome)] = counts.get((rule, outcome), 0) + 1
        print(f"{'':>10}  results: " + ", ".join(f"{r}/{o} {n:,}" for (r, o), n in sorted(counts.items())))
        measure("checks_run (again)", lambda: checks_run(applications=Application.objects.all()))
    exit_by_copy_goal()


if __name__ == "__main__":
    main()
