"""The payment file as BANK_FILE_FORMAT.md documents it: GB18030 CSV, header, one line per
item with the full account, amounts from fen, a trailer; the same bytes every time. And the
spreadsheets people open: accounts masked, nothing that runs as a formula."""

import datetime
import hashlib
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.core.errors import DomainError
from servicehall.core.spreadsheets import AMOUNT_FORMAT, FORMULA_STARTS, MOMENT_FORMAT
from servicehall.payments import bankfiles, reports, services
from servicehall.payments.models import BankFile, PaymentItem
from servicehall.payments.tests.factories import payment_rows, return_for
from servicehall.reference.models import School
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db
INJECTION = "=cmd|' /C calc'!A0"


@pytest.fixture
def approved(officers, awaiting, year):
    applications = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    return batch, applications


def test_the_layout_line_by_line(officers, approved):
    batch, (one, two) = approved
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    assert data.endswith(b"\r\n") and b"\r\n" in data and b"\n\n" not in data
    lines = data.decode("gb18030").split("\r\n")
    assert lines[0] == "序号,申报编号,户名,账号,金额,银行代码"
    in_file_order = sorted((one, two), key=lambda a: a.record_number)  # one school: by record number
    expected = [
        f"{i},{a.record_number},{a.account_name},{a.account},1500.00,102"
        for i, a in enumerate(in_file_order, start=1)
    ]
    assert lines[1:3] == expected
    assert lines[3:] == ["合计,2,3000.00", ""]
    # The full account is in the bank's file, and only there.
    assert one.account in data.decode("gb18030")


def test_the_file_is_gb18030_and_reads_as_gbk(officers, approved):
    batch, (one, _two) = approved
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    assert one.account_name.encode("gbk") in data
    assert data.decode("gbk") == data.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_a_name_gbk_cannot_write_keeps_its_character(officers, approved):
    batch, (one, _two) = approved
    PaymentItem.objects.filter(application=one).update(account_name="刘䶮")
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    assert "刘䶮".encode("gb18030") in data
    with pytest.raises(UnicodeEncodeError):
        "刘䶮".encode("gbk")


def test_amounts_come_from_fen_by_integer_arithmetic(officers, awaiting, year):
    awaiting(3)
    year.amount_fen = 10  # 0.10 yuan: 0.1 + 0.1 + 0.1 in floats is not 0.3
    year.save()
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    rows = payment_rows(data)
    assert [r[4] for r in rows[1:-1]] == ["0.10"] * 3
    assert rows[-1] == ["合计", "3", "0.30"]
    assert bankfiles.parse_amount("1500.5") == 150_050 and bankfiles.parse_amount("1,500") is None


def test_a_second_export_gives_the_same_bytes_and_hash(officers, approved):
    batch, (one, _two) = approved
    _name, first = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    recorded = BankFile.objects.get(batch=batch, bank="102")
    assert recorded.sha256 == hashlib.sha256(first).hexdigest()
    assert (recorded.rows, recorded.total_fen) == (2, 300_000)
    # Later: the bank has answered for one line; the file is still the file that was sent.
    PaymentItem.objects.filter(application=one).update(status="paid", settled_at=recorded.generated_at)
    _name, again = services.bank_file_export(actor=officers["checker"], batch=batch, bank="102")
    assert again == first
    assert BankFile.objects.count() == 1
    assert AuditEntry.objects.filter(action="payments.bank_file_export").count() == 2


def test_a_file_that_would_differ_is_not_exported(officers, approved):
    batch, (one, _two) = approved
    services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    PaymentItem.objects.filter(application=one).update(account_name="李四")
    with pytest.raises(DomainError) as error:
        services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    assert error.value.code == "file_changed"


def test_one_file_per_bank(officers, awaiting, year):
    _one, two = awaiting(2)
    Application.objects.filter(pk=two.pk).update(bank_id="JSB")
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="JSB")
    assert name.endswith("_JSB.csv")
    rows = payment_rows(data)
    assert [r[1] for r in rows[1:-1]] == [two.record_number] and rows[1][5] == "JSB"
    with pytest.raises(DomainError) as error:
        services.bank_file_export(actor=officers["maker"], batch=batch, bank="104")
    assert error.value.code == "no_lines"


def test_a_draft_batch_has_no_bank_file(officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    with pytest.raises(DomainError) as error:
        services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    assert error.value.code == "not_approved"
    # The people's copy is there for the checker to read before approving.
    _name, data = services.bank_file_excel(actor=officers["checker"], batch=batch, bank="102")
    assert data.startswith(b"PK")
    # Its line is not waiting for a bank yet: it reads as the batch's stage.
    line = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))[2]
    assert line[7] == "待审批"


def _cells(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_no_formula(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    for cell in _cells(data):
        assert cell.data_type != "f", cell.value
        assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)), (
            cell.value
        )


def test_the_excel_copy_masks_accounts_and_defuses_formulas(officers, approved):
    batch, (one, two) = approved
    PaymentItem.objects.filter(application=one).update(account_name=INJECTION)
    PaymentItem.objects.filter(application=two).update(account_name="@SUM(1+1)*cmd|' /C calc'!A0")
    _name, data = services.bank_file_excel(actor=officers["maker"], batch=batch, bank="102")
    _assert_no_formula(data)
    values = [cell.value for cell in _cells(data)]
    assert "'" + INJECTION in values
    assert one.account not in values and any(
        str(v).endswith(one.account[-4:]) and "****" in str(v) for v in values
    )
    assert "合计" in values and 3000 in values  # the trailer's total: a number, see below


def test_the_bank_csv_defuses_a_formula_too(officers, approved):
    batch, (one, _two) = approved
    PaymentItem.objects.filter(application=one).update(account_name=INJECTION)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    (row,) = [r for r in payment_rows(data) if r[1] == one.record_number]
    assert row[2] == "'" + INJECTION


def test_the_batch_report_is_signable_and_defused(officers, approved, world):
    batch, (one, _two) = approved
    type(officers["maker"]).objects.filter(pk=officers["maker"].pk).update(name=INJECTION)
    School.objects.filter(pk=one.school_id).update(name="+SUM(1,1)大学")
    data = reports.batch_report_xlsx(batch)
    _assert_no_formula(data)
    values = [cell.value for cell in _cells(data)]
    for expected in (
        "南京市人力资源和社会保障局",
        batch.number,
        "'" + INJECTION,
        "nj.finance2",
        "'+SUM(1,1)大学",
        "中国工商银行（102）",
        3000,
        "制单人（签字）：",
        "审核人（签字）：",
    ):
        assert expected in values, expected


# --- Numbers a finance clerk can add up -------------------------------------------------------


def _assert_amount(cell, yuan: str):
    assert cell.data_type == "n", (cell.coordinate, cell.value)
    assert cell.number_format == AMOUNT_FORMAT and "#,##0.00" in cell.number_format
    assert isinstance(cell.value, int | float) and Decimal(str(cell.value)) == Decimal(yuan)


def _assert_moment(cell, moment):
    assert cell.is_date and isinstance(cell.value, datetime.datetime), (cell.coordinate, cell.value)
    assert cell.number_format == MOMENT_FORMAT
    expected = timezone.localtime(moment).replace(tzinfo=None, microsecond=0)
    assert cell.value == expected


def test_the_excel_copy_writes_amounts_as_yuan_numbers_that_add_up(officers, awaiting, year):
    awaiting(3)
    year.amount_fen = 150_010  # 1,500.10: 0.1 three times is not 0.3 in floats
    year.save()
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_excel(actor=officers["maker"], batch=batch, bank="102")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows())
    assert rows[1][4].value == "金额（元）"
    lines, trailer = rows[2:-1], rows[-1]
    assert len(lines) == 3
    for row in lines:
        _assert_amount(row[4], "1500.10")
        assert row[0].data_type == "n"  # 序号
        assert row[3].data_type == "s" and "****" in row[3].value  # masked account: text
        assert row[7].value == "待银行处理"
    assert trailer[0].value == "合计" and trailer[1].value == 3
    _assert_amount(trailer[4], "4500.30")
    # What SUM(E3:E5) gives is the trailer's total.
    assert sum(Decimal(str(row[4].value)) for row in lines) == Decimal(str(trailer[4].value))


def test_the_batch_report_writes_amounts_as_numbers_and_times_as_dates(officers, approved):
    batch, (one, _two) = approved
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    imported = services.return_file_import(
        actor=officers["checker"],
        batch=batch,
        bank="102",
        filename="r.csv",
        data=return_for(data, failed={one.record_number: "卡已挂失"}),
    )
    assert (imported.paid_count, imported.failed_count) == (1, 1)
    batch.refresh_from_db()
    sheet = openpyxl.load_workbook(io.BytesIO(reports.batch_report_xlsx(batch))).active
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    _assert_moment(rows["制单人"][3], batch.created_at)
    _assert_moment(rows["审批人"][3], batch.approved_at)
    _assert_moment(rows["完成时间"][1], batch.closed_at)
    assert rows["打印时间"][1].is_date
    # 合计: 笔数, 金额, 已发放笔数, 已发放金额, 失败笔数, 失败金额, 待处理笔数, 待处理金额
    total = next(row for row in sheet.iter_rows() if row[0].value == "合计")
    assert [c.value for c in total[1::2]] == [2, 1, 1, 0]
    for cell, yuan in zip(total[2::2], ("3000", "1500", "1500", "0"), strict=True):
        _assert_amount(cell, yuan)
    bank = rows["中国工商银行（102）"]
    _assert_amount(bank[2], "3000")
    # The school rows add up to the total, as SUM over the column would.
    header = next(i for i, row in enumerate(sheet.iter_rows()) if row[0].value == "学校")
    schools = list(sheet.iter_rows(min_row=header + 2))
    schools = schools[: next(i for i, row in enumerate(schools) if row[0].value == "合计")]
    assert schools and sum(Decimal(str(row[2].value)) for row in schools) == Decimal("3000")
