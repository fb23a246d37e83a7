"""回盘: a bank's return file, checked whole first (cut short, unreadable: refused, nothing
changes), then line by line (a wrong line refused in the report, the others processed). The
same file twice changes nothing. A payment is never made twice."""

import codecs
import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.core.errors import DomainError
from servicehall.payments import bankfiles, services
from servicehall.payments.models import PaymentBatch, PaymentItem, ReturnImport
from servicehall.payments.tests.factories import return_for
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(officers, awaiting, year):
    """An approved batch of three, its payment file, and an import function."""
    applications = awaiting(3)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")

    def do_import(answer: bytes, filename="回盘.csv", bank="102"):
        return services.return_file_import(
            actor=officers["checker"], batch=batch, bank=bank, filename=filename, data=answer
        )

    return batch, applications, data, do_import


def _states(applications):
    return [Application.objects.get(pk=a.pk).state for a in applications]


def _outcomes(imported):
    """Each line's (record number, outcome, code), sorted by record number (a file lists one
    school's lines by record number)."""
    return sorted((row[2], row[3], row[4]) for row in imported.report["rows"])


def test_all_paid(sent):
    batch, applications, data, do_import = sent
    imported = do_import(return_for(data))
    assert (imported.line_count, imported.paid_count, imported.failed_count, imported.refused_count) == (
        3,
        3,
        0,
        0,
    )
    assert imported.encoding == "gb18030" and not imported.repeated
    assert _states(applications) == [S.PAID] * 3
    assert set(PaymentItem.objects.values_list("status", flat=True)) == {"paid"}
    assert PaymentItem.objects.filter(return_import=imported).count() == 3
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.CLOSED
    for application in applications:
        event = Application.objects.get(pk=application.pk).timeline.last()
        assert (event.action, event.from_state, event.to_state, event.actor_id) == (
            "bank_paid",
            S.PAYING,
            S.PAID,
            None,
        )
    assert AuditEntry.objects.filter(action="subsidy.bank_paid").count() == 3
    assert AuditEntry.objects.filter(action="payments.return_import", target_id=str(batch.pk)).exists()


@pytest.mark.parametrize(
    ("reason", "advice"),
    [
        ("账户未开通金融功能", "激活金融功能"),
        ("卡已挂失", "补换社会保障卡"),
        ("户名不符", "核实账户状态"),
        ("", "核实账户状态"),
    ],
)
def test_one_failure_tells_the_applicant_what_to_fix(
    sent, django_capture_on_commit_callbacks, reason, advice
):
    from servicehall.messaging.models import SmsMessage

    batch, (one, two, three), data, do_import = sent
    answer = return_for(data, change=lambda c: [*c[:4], "失败", reason] if c[1] == two.record_number else c)
    with django_capture_on_commit_callbacks(execute=True):
        imported = do_import(answer)
    assert (imported.paid_count, imported.failed_count) == (2, 1)
    assert _states([one, two, three]) == [S.PAID, S.PAYMENT_FAILED, S.PAID]
    item = PaymentItem.objects.get(application=two)
    assert item.status == "failed" and item.bank_reason == (reason or "银行未说明原因")
    text = [m.text for m in SmsMessage.objects.order_by("pk") if two.record_number in m.text][-1]
    assert "发放失败" in text and advice in text and (reason or "银行未说明原因") in text
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.CLOSED  # every line settled, one of them failed


def test_the_same_file_twice_changes_nothing_and_says_so(sent):
    _batch, applications, data, do_import = sent
    answer = return_for(data, failed={applications[0].record_number: "卡已挂失"})
    first = do_import(answer)
    timeline = sum(Application.objects.get(pk=a.pk).timeline.count() for a in applications)
    again = do_import(answer, filename="回盘（再次）.csv")
    assert again.pk == first.pk and again.repeated and "导入过" in again.message
    assert ReturnImport.objects.count() == 1
    assert sum(Application.objects.get(pk=a.pk).timeline.count() for a in applications) == timeline
    assert AuditEntry.objects.filter(action="payments.return_repeated").count() == 1


def test_a_line_already_settled_by_an_earlier_file_is_refused(sent):
    _batch, (one, two, three), data, do_import = sent
    do_import(return_for(data, change=lambda c: c if c[1] == one.record_number else None))
    # The bank's full file later: the first line again (already paid) and the two others.
    imported = do_import(return_for(data, failed={one.record_number: "户名不符"}))
    assert _outcomes(imported) == sorted(
        [
            (one.record_number, "refused", "settled"),
            (two.record_number, "paid", ""),
            (three.record_number, "paid", ""),
        ]
    )
    assert PaymentItem.objects.get(application=one).status == "paid"  # not turned into a failure


def test_unknown_and_mismatched_lines_are_refused_one_by_one(sent):
    batch, (one, two, three), data, do_import = sent

    def change(cells):
        if cells[1] == one.record_number:
            return [cells[0], cells[1], "6212999999999999999", *cells[3:]]  # someone else's account
        if cells[1] == two.record_number:
            return [cells[0], cells[1], cells[2], 100_000, *cells[4:]]  # 1000.00, not 1500.00
        return cells

    answer = return_for(data, change=change)
    # And a line for an application that is not in this batch at all.
    lines = answer.decode("gb18030").split("\r\n")
    extra = "4,2099010100000001,6212000000000000001,1500.00,成功,"
    answer = "\r\n".join([*lines[:-2], extra, "合计,4,5500.00", ""]).encode("gb18030")
    imported = do_import(answer)
    assert _outcomes(imported) == sorted(
        [
            (one.record_number, "refused", "account"),
            (two.record_number, "refused", "amount"),
            (three.record_number, "paid", ""),
            ("2099010100000001", "refused", "unknown"),
        ]
    )
    assert imported.refused_count == 3 and imported.paid_count == 1
    assert _states([one, two, three]) == [S.PAYING, S.PAYING, S.PAID]
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.APPROVED  # two lines still wait for the bank
    # Nothing of a refused account is kept in the report.
    assert "6212999999999999999" not in str(imported.report)


def test_a_line_twice_in_one_file_is_paid_once(sent):
    _batch, _applications, data, do_import = sent
    lines = return_for(data).decode("gb18030").split("\r\n")
    twice = [lines[0], lines[1], lines[1], "合计,2,3000.00", ""]
    imported = do_import("\r\n".join(twice).encode("gb18030"))
    assert [row[3:5] for row in imported.report["rows"]] == [["paid", ""], ["refused", "duplicate"]]
    record_number = lines[1].split(",")[1]
    assert PaymentItem.objects.filter(record_number=record_number, status="paid").count() == 1
    assert PaymentItem.objects.filter(status="paid").count() == 1


def test_a_line_of_another_banks_file_is_refused(officers, awaiting, year):
    _one, two = awaiting(2)
    Application.objects.filter(pk=two.pk).update(bank_id="JSB")
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="JSB")
    services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    imported = services.return_file_import(
        actor=officers["maker"], batch=batch, bank="102", filename="x.csv", data=return_for(data)
    )
    assert [row[4] for row in imported.report["rows"]] == ["other_bank"]
    assert Application.objects.get(pk=two.pk).state == S.PAYING


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda lines: [*lines[:-2], ""], id="no trailer"),
        pytest.param(lambda lines: [lines[0], lines[1], lines[3], lines[4], ""], id="a line lost"),
        pytest.param(lambda lines: [*lines[:-2], "合计,3,4400.00", ""], id="total differs"),
        pytest.param(lambda lines: [*lines[:-2], "合计,3", ""], id="trailer without total"),
        pytest.param(
            lambda lines: [lines[0], lines[1], "合计,1,1500.00", lines[2], ""], id="lines after trailer"
        ),
        pytest.param(lambda lines: [*lines[:2], lines[2][:20]], id="cut mid-line"),
    ],
)
def test_a_file_cut_short_is_refused_whole(sent, cut):
    _batch, applications, data, do_import = sent
    lines = return_for(data).decode("gb18030").split("\r\n")
    with pytest.raises(DomainError) as error:
        do_import("\r\n".join(cut(lines)).encode("gb18030"))
    assert error.value.code == "return_file" and "整份文件未导入" in error.value.message
    assert _states(applications) == [S.PAYING] * 3
    assert not ReturnImport.objects.exists()
    assert set(PaymentItem.objects.values_list("status", flat=True)) == {"pending"}
    assert AuditEntry.objects.filter(action="payments.return_refused").count() == 1


def test_a_gbk_file_is_read_correctly(sent):
    _batch, (_one, two, _three), data, do_import = sent
    answer = return_for(data, failed={two.record_number: "账户已冻结"}, encoding="gbk")
    assert "账户已冻结".encode("gbk") in answer
    imported = do_import(answer)
    assert imported.encoding == "gb18030"
    assert PaymentItem.objects.get(application=two).bank_reason == "账户已冻结"


@pytest.mark.parametrize("bom", [True, False])
def test_a_utf8_file_with_or_without_bom(sent, bom):
    _batch, (_one, two, _three), data, do_import = sent
    answer = return_for(data, failed={two.record_number: "账户已冻结"}, encoding="utf-8", bom=bom)
    assert answer.startswith(codecs.BOM_UTF8) == bom
    # The UTF-8 header also decodes as GB18030 without an error, into nonsense (搴忓彿,...): only
    # the header tells the two apart.
    header = answer.removeprefix(codecs.BOM_UTF8).split(b"\r\n")[0]
    assert header.decode("gb18030").split(",")[0] == "搴忓彿"
    imported = do_import(answer)
    assert imported.encoding == "utf-8"
    assert (imported.paid_count, imported.failed_count) == (2, 1)
    assert PaymentItem.objects.get(application=two).bank_reason == "账户已冻结"


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4, id="binary"),
        pytest.param("随便写的一些文字\r\n没有表头\r\n".encode("gb18030"), id="text"),
        pytest.param(
            "序号,申报编号,户名,账号,金额,银行代码\r\n合计,0,0.00\r\n".encode("gb18030"), id="payment file"
        ),
        pytest.param(b"\xff\xfe" + "序号".encode("utf-16-le"), id="utf-16"),
        pytest.param(
            "序号,申报编号,账号,金额,处理结果,失败原因\r\n1,x,y,一千五,成功,\r\n合计,1,1500.00\r\n".encode(
                "gb18030"
            ),
            id="amount in words",
        ),
    ],
)
def test_garbage_is_refused_whole(sent, garbage):
    _batch, applications, _data, do_import = sent
    with pytest.raises(DomainError) as error:
        do_import(garbage)
    assert error.value.code == "return_file"
    assert _states(applications) == [S.PAYING] * 3 and not ReturnImport.objects.exists()


def test_a_return_for_a_bank_whose_file_was_never_sent_is_refused(sent):
    _batch, applications, data, do_import = sent
    with pytest.raises(DomainError) as error:
        do_import(return_for(data), bank="JSB")
    assert error.value.code == "no_bank_file"
    assert _states(applications) == [S.PAYING] * 3


def test_a_draft_batch_takes_no_return(officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    with pytest.raises(DomainError) as error:
        services.return_file_import(
            actor=officers["checker"], batch=batch, bank="102", filename="x", data=b"x"
        )
    assert error.value.code == "not_approved"


def test_never_twice_the_database_holds_one_paid_line_per_application(sent, officers):
    batch, (one, _two, _three), data, do_import = sent
    do_import(return_for(data))
    paid = PaymentItem.objects.get(application=one)
    # A second batch holding the same application, paid: refused by the database itself.
    other = PaymentBatch.objects.create(
        bureau=batch.bureau, graduation_year=batch.graduation_year, created_by=officers["maker"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentItem.objects.create(
            batch=other,
            application=one,
            record_number=one.record_number,
            amount_fen=paid.amount_fen,
            bank_id=paid.bank_id,
            account=paid.account,
            account_index=paid.account_index,
            account_name=paid.account_name,
            status="paid",
            settled_at=timezone.now(),
        )
    # Nor two lines waiting for a bank for one application.
    PaymentItem.objects.filter(pk=paid.pk).update(status="pending", settled_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentItem.objects.create(
            batch=other,
            application=one,
            record_number=one.record_number,
            amount_fen=paid.amount_fen,
            bank_id=paid.bank_id,
            account=paid.account,
            account_index=paid.account_index,
            account_name=paid.account_name,
        )


def test_a_line_the_database_refuses_does_not_stop_the_others(sent, officers):
    """The code's own checks passed over (an application set back to paying by hand, a second
    pending line for it in another batch): the constraint refuses that line only."""
    batch, (one, two, three), data, do_import = sent
    do_import(return_for(data, change=lambda c: c if c[1] == one.record_number else None))
    # By hand: `one` paying again, and waiting in a second, approved batch.
    Application.objects.filter(pk=one.pk).update(state=S.PAYING)
    other = PaymentBatch.objects.create(
        bureau=batch.bureau,
        graduation_year=batch.graduation_year,
        created_by=officers["maker"],
        status="approved",
        approved_by=officers["checker"],
        approved_at=timezone.now(),
    )
    paid = PaymentItem.objects.get(application=one)
    PaymentItem.objects.create(
        batch=other,
        application=one,
        record_number=one.record_number,
        amount_fen=paid.amount_fen,
        bank_id="102",
        account=paid.account,
        account_index=paid.account_index,
        account_name=paid.account_name,
    )
    services.bank_file_export(actor=officers["maker"], batch=other, bank="102")
    answer = bankfiles.write_return_file([(1, one.record_number, paid.account, paid.amount_fen, "成功", "")])
    imported = services.return_file_import(
        actor=officers["maker"], batch=other, bank="102", filename="x.csv", data=answer
    )
    assert [row[4] for row in imported.report["rows"]] == ["already_paid"]
    assert PaymentItem.objects.filter(application=one, status="paid").count() == 1
    # And in the original batch, the other two lines are still processed normally.
    imported = do_import(return_for(data, change=lambda c: None if c[1] == one.record_number else c))
    assert imported.paid_count == 2
    assert _states([two, three]) == [S.PAID, S.PAID]


def test_the_report_keeps_the_line_numbers_of_the_file(sent):
    _batch, _applications, data, do_import = sent
    lines = return_for(data).decode("gb18030").split("\r\n")
    spaced = [lines[0], "", lines[1], lines[2], lines[3], "", lines[4], ""]
    imported = do_import("\r\n".join(spaced).encode("gb18030"))
    assert [row[0] for row in imported.report["rows"]] == [3, 4, 5]
    assert imported.report["columns"][:4] == ["line", "sequence", "record_number", "outcome"]
    assert imported.imported_at <= timezone.now() + datetime.timedelta(seconds=1)
