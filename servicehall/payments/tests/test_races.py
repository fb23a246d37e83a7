"""Return imports racing each other on PostgreSQL: each application is paid exactly once."""

import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from servicehall.payments import services
from servicehall.payments.models import PaymentItem, ReturnImport
from servicehall.payments.tests.factories import return_for
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
    ),
]
THREADS = 8


@pytest.fixture(autouse=True)
def _migrated_rows(transactional_db):
    """A transactional test before this one may have flushed the reference rows; put them back
    (serialized rollback clashes with content types another test's flush recreated)."""
    from tests.migrated_data import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def sent(officers, awaiting, year):
    applications = awaiting(3)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    return batch, applications, data


def test_different_files_racing_pay_each_line_once(sent, officers):
    batch, applications, data = sent
    answer = return_for(data)
    # Eight copies of the bank's answer that differ in their bytes (blank lines at the end), so
    # none is caught as "the same file again": only the payment constraint and locks hold.
    files = iter(answer + b"\r\n" * i for i in range(THREADS))
    imports = []

    def run():
        imports.append(
            services.return_file_import(
                actor=officers["checker"], batch=batch, bank="102", filename="r.csv", data=next(files)
            )
        )

    assert race(THREADS, run) == []
    assert len(imports) == THREADS
    assert sorted(i.paid_count for i in imports) == [0] * (THREADS - 1) + [3]
    assert sum(i.refused_count for i in imports) == 3 * (THREADS - 1)
    assert PaymentItem.objects.filter(status="paid").count() == 3
    for application in applications:
        application = Application.objects.get(pk=application.pk)
        assert application.state == S.PAID
        assert application.timeline.filter(action="bank_paid").count() == 1


def test_the_same_file_racing_is_imported_once(sent, officers):
    batch, _applications, data = sent
    answer = return_for(data)
    imports = []

    def run():
        imports.append(
            services.return_file_import(
                actor=officers["checker"], batch=batch, bank="102", filename="r.csv", data=answer
            )
        )

    assert race(THREADS, run) == []
    assert ReturnImport.objects.count() == 1
    assert sorted(bool(getattr(i, "repeated", False)) for i in imports) == [False] + [True] * (THREADS - 1)
    assert PaymentItem.objects.filter(status="paid").count() == 3


def test_the_database_lets_only_one_of_two_lines_of_an_application_be_paid(sent, officers, year):
    """Two lines of one application (a failed one, and one in a later batch) both set paid at
    once, past every check of the code: the partial unique index lets one commit."""
    batch, (one, _two, _three), data = sent
    services.return_file_import(
        actor=officers["checker"],
        batch=batch,
        bank="102",
        filename="r.csv",
        data=return_for(data, failed={one.record_number: "卡已挂失"}),
    )
    Application.objects.filter(pk=one.pk).update(state=S.AWAITING_PAYMENT)
    later = services.batch_build(actor=officers["maker"], graduation_year=year)
    lines = list(PaymentItem.objects.filter(application=one).order_by("pk").values_list("pk", flat=True))
    assert len(lines) == 2 and later.items.count() == 1
    targets = iter(lines)
    outcomes = []

    def pay():
        pk = next(targets)
        try:
            with transaction.atomic():
                PaymentItem.objects.filter(pk=pk).update(status="paid", settled_at=timezone.now())
                time.sleep(0.2)  # both updates in flight before either commits
            outcomes.append("paid")
        except IntegrityError:
            outcomes.append("refused")

    assert race(2, pay) == []
    assert sorted(outcomes) == ["paid", "refused"]
    assert PaymentItem.objects.filter(application=one, status="paid").count() == 1
