"""The payments at the scale of a big city's year: 100,000 applications awaiting payment go
through 制单 (batch_build), 审批 (batch_approve), the bank file (bank_file_export, and again:
same bytes), and the bank's 100,000-line return file (return_file_import, one line in 500
failed). Prints the time, the peak of Python memory (tracemalloc) and the SQL statements of
each step (wall time, and the CPU time of this process, steadier on a busy machine; the
database server's own CPU is in the wall time only). Nothing may hold 100,000 model objects
at once: the peaks show it. Each step that writes in bulk is compared with PostgreSQL's own COPY
of the rows it writes (the lines; the applications it moves, their timeline rows and audit
entries), into tables with the same indexes and constraints: the goal is 3 × at most.

Run: .venv/bin/python bench/payments_scale.py [count] [--no-trace]
(SQLite in a temporary file; set DATABASE_URL to measure on PostgreSQL, on a scratch database:
the bench creates and drops its own test database through Django's test machinery.)
tracemalloc slows Python down; --no-trace gives the times without it (and no memory figures).
"""

import hashlib
import time

from harness import ARGS, against_copy, copy_seconds, exit_by_copy_goal, made, measure, scratch_database

COUNT = int(ARGS[0]) if ARGS else 100_000
CHUNK = 2000
FAIL_EVERY = 500
PASSWORD = "Bench#Pass2026"  # noqa: S105 - throwaway accounts in a throwaway database


def make_world(count: int):
    from django.utils import timezone

    from servicehall.accounts import services as accounts
    from servicehall.accounts.models import IdType, Organisation
    from servicehall.reference.models import Region, School
    from servicehall.subsidy.constants import ApplicationStatus
    from servicehall.subsidy.models import Application
    from servicehall.subsidy.years import graduation_year_setup

    school = School.objects.get(name="南京大学")
    bureau = accounts.organisation_create(
        name="南京市人力资源和社会保障局",
        kind=Organisation.Kind.BUREAU,
        region=Region.objects.get(code="320100"),
    )
    officers = [
        accounts.staff_create(
            actor=None,
            username=f"bench.finance{n}",
            name=f"财务{n}",
            role="payment_officer",
            organisation=bureau,
            mobile=f"1390000009{n}",
            password=PASSWORD,
        )
        for n in (1, 2)
    ]
    applicant = accounts.person_create_verified(
        id_type=IdType.RESIDENT,
        id_number="320102200403150038",
        name="张晓明",
        mobile="13800000001",
        password=PASSWORD,
    )
    year = graduation_year_setup(year=2027)
    now = timezone.now()
    for start in range(0, count, CHUNK):
        Application.objects.bulk_create(
            [
                Application(
                    applicant=applicant,
                    record_number=f"{now:%Y%m%d}{i:08d}",
                    state=ApplicationStatus.AWAITING_PAYMENT,
                    graduation_year=year,
                    name="张晓明",
                    id_number="320102200403150038",
                    id_number_index=f"bench-{i}",
                    mobile="13800000001",
                    school=school,
                    student_number=f"B{i:06d}",
                    bank_id="102",
                    account=f"6212{i:015d}",
                    account_name="张晓明",
                    submitted_at=now,
                    state_changed_at=now,
                )
                for i in range(start, min(start + CHUNK, count))
            ],
            batch_size=CHUNK,
        )
    return officers, year


def bank_answer(payment_file: bytes) -> bytes:
    """The bank's return file: every line paid but one in FAIL_EVERY."""
    import csv
    import io

    from servicehall.payments import bankfiles

    rows = csv.reader(io.StringIO(payment_file.decode(bankfiles.ENCODING), newline=""))
    next(rows)

    def lines():
        for cells in rows:
            if cells[0] == bankfiles.TRAILER:
                return
            sequence, record_number, _name, account, amount, _bank = cells
            failed = int(sequence) % FAIL_EVERY == 0
            yield (
                sequence,
                record_number,
                account,
                bankfiles.parse_amount(amount),
                "失败" if failed else "成功",
                "账户未开通金融功能" if failed else "",
            )

    return bankfiles.write_return_file(lines())


def _timeline(*actions):
    from servicehall.subsidy.models import TimelineEvent

    return TimelineEvent, "WHERE action IN ({})".format(", ".join(f"'{a}'" for a in actions))


def _audit(*actions):
    from servicehall.audit.models import AuditEntry

    return AuditEntry, "WHERE action IN ({})".format(", ".join(f"'{a}'" for a in actions))


def main():
    with scratch_database("payments_scale"):
        from servicehall.payments import reports, services
        from servicehall.payments.models import PaymentItem
        from servicehall.subsidy.models import Application

        started = time.perf_counter()
        (maker, checker), year = make_world(COUNT)
        made(f"{COUNT:,} applications awaiting payment", started)
        batch = measure("batch_build", lambda: services.batch_build(actor=maker, graduation_year=year))
        assert batch.item_count == COUNT, batch.item_count
        # The physical limit of each step: COPY of the rows it writes (harness.copy_seconds).
        lines = (PaymentItem, f"WHERE batch_id = {int(batch.pk)}")
        applications = (Application, "WHERE id IN (SELECT application_id FROM payments_paymentitem)")
        against_copy("batch_build", copy_seconds(lines), COUNT)
        measure("batch_approve", lambda: services.batch_approve(actor=checker, batch=batch))
        against_copy(
            "batch_approve",
            copy_seconds(applications, _timeline("batch_approved"), _audit("subsidy.batch_approved")),
            COUNT * 3,
        )
        _name, data = measure(
            "bank_file_export", lambda: services.bank_file_export(actor=maker, batch=batch, bank="102")
        )
        _name, again = measure(
            "bank_file_export (again)",
            lambda: services.bank_file_export(actor=checker, batch=batch, bank="102"),
        )
        assert again == data
        print(
            f"{'':>10}  payment file {len(data) / 1e6:.1f} MB, sha256 {hashlib.sha256(data).hexdigest()[:16]}"
        )
        measure("bank_file_excel", lambda: services.bank_file_excel(actor=maker, batch=batch, bank="102"))
        answer = bank_answer(data)
        del data, again
        print(f"{'':>10}  return file {len(answer) / 1e6:.1f} MB, {COUNT:,} lines")
        imported = measure(
            "return_file_import",
            lambda: services.return_file_import(
                actor=checker, batch=batch, bank="102", filename="return.csv", data=answer
            ),
        )
        against_copy(
            "return_file_import",
            copy_seconds(
                lines,
                applications,
                _timeline("bank_paid", "bank_failed"),
                _audit("subsidy.bank_paid", "subsidy.bank_failed"),
            ),
            COUNT * 4,
        )
        assert (imported.paid_count, imported.failed_count) == (
            COUNT - COUNT // FAIL_EVERY,
            COUNT // FAIL_EVERY,
        )
        repeated = measure(
            "return_file_import (again)",
            lambda: services.return_file_import(
                actor=checker, batch=batch, bank="102", filename="return.csv", data=answer
            ),
        )
        assert repeated.repeated
        measure("batch_report_xlsx", lambda: reports.batch_report_xlsx(batch))
        batch.refresh_from_db()
        paid = PaymentItem.objects.filter(batch=batch, status="paid").count()
        print(
            f"{'':>10}  batch {batch.number}: {batch.get_status_display()}, {paid:,} paid, "
            f"{imported.failed_count:,} failed"
        )
    exit_by_copy_goal()


if __name__ == "__main__":
    main()
