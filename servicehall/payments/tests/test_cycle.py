"""The whole life of a payment: 制单, 审批 by another officer, the bank file, the bank's return
with one failure, the applicants told, the failure fixed and paid in a later batch."""

import pytest

from servicehall.audit.models import AuditEntry
from servicehall.messaging.models import SmsMessage
from servicehall.payments import reports, services
from servicehall.payments.models import PaymentBatch, PaymentItem
from servicehall.payments.tests.factories import payment_rows, return_for
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db


def _states(applications):
    return [Application.objects.get(pk=a.pk).state for a in applications]


def _sms_for(application):
    return [m.text for m in SmsMessage.objects.order_by("pk") if application.record_number in m.text]


def test_build_approve_export_return_reissue_and_pay(
    officers, awaiting, year, django_capture_on_commit_callbacks
):
    first, second, third = awaiting(3)
    maker, checker = officers["maker"], officers["checker"]

    batch = services.batch_build(actor=maker, graduation_year=year.year)
    assert (batch.status, batch.item_count, batch.total_fen) == ("draft", 3, 3 * 150_000)
    assert _states([first, second, third]) == [S.AWAITING_PAYMENT] * 3
    item = batch.items.get(application=first)
    assert (item.account, item.account_name, item.bank_id) == (
        first.account,
        first.account_name,
        first.bank_id,
    )

    services.batch_approve(actor=checker, batch=batch)
    assert _states([first, second, third]) == [S.PAYING] * 3
    event = Application.objects.get(pk=first.pk).timeline.last()
    assert (event.action, event.actor, event.organisation) == ("batch_approved", checker, maker.organisation)
    assert AuditEntry.objects.filter(action="subsidy.batch_approved").count() == 3

    filename, data = services.bank_file_export(actor=maker, batch=batch, bank=first.bank_id)
    assert filename == f"{batch.number}_{first.bank_id}.csv"
    assert len(payment_rows(data)) == 5

    answer = return_for(data, failed={second.record_number: "账户未开通金融功能"})
    with django_capture_on_commit_callbacks(execute=True):
        imported = services.return_file_import(
            actor=checker, batch=batch, bank=first.bank_id, filename="回盘.csv", data=answer
        )
    assert (imported.paid_count, imported.failed_count, imported.refused_count) == (2, 1, 0)
    assert (imported.paid_fen, imported.failed_fen) == (300_000, 150_000)
    assert _states([first, second, third]) == [S.PAID, S.PAYMENT_FAILED, S.PAID]
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.CLOSED and batch.closed_at is not None

    paid_sms = _sms_for(first)[-1]
    assert "1500元" in paid_sms and f"尾号{first.account[-4:]}" in paid_sms
    failed_sms = _sms_for(second)[-1]
    assert "账户未开通金融功能" in failed_sms and "激活金融功能" in failed_sms
    failed_item = PaymentItem.objects.get(application=second)
    assert (failed_item.status, failed_item.bank_reason) == ("failed", "账户未开通金融功能")
    event = Application.objects.get(pk=second.pk).timeline.last()
    assert (event.action, event.actor, event.opinion) == ("bank_failed", None, "账户未开通金融功能")

    # The student has the financial function activated and confirms: back in line.
    applicant = Application.objects.get(pk=second.pk).applicant
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_reissue(actor=applicant, application=second)
    assert _states([second]) == [S.AWAITING_PAYMENT]
    assert "下一发放批次" in _sms_for(second)[-1]

    later = services.batch_build(actor=checker, graduation_year=year.year)
    assert list(later.items.values_list("application_id", flat=True)) == [second.pk]
    services.batch_approve(actor=maker, batch=later)
    _name, data = services.bank_file_export(actor=checker, batch=later, bank=second.bank_id)
    services.return_file_import(
        actor=maker, batch=later, bank=second.bank_id, filename="回盘2.csv", data=return_for(data)
    )
    assert _states([first, second, third]) == [S.PAID] * 3
    # The failed line stays, as history; the application was paid once.
    assert list(
        PaymentItem.objects.filter(application=second).order_by("pk").values_list("status", flat=True)
    ) == [
        "failed",
        "paid",
    ]
    year_totals = reports.totals_by_year()
    assert year_totals[0]["paid_fen"] == 3 * 150_000 and year_totals[0]["failed_fen"] == 150_000
    bureau_totals = reports.totals_by_bureau(year)
    assert [(t["batch__bureau__name"], t["batches"], t["paid_count"]) for t in bureau_totals] == [
        ("南京市人力资源和社会保障局", 2, 3)
    ]
    assert reports.totals_by_batch(later)["paid_fen"] == 150_000
