"""The payment officers' pages through HTTP: who may see what, and the whole cycle from building
a batch to the applicant's 重新发放 after a failed payment."""

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse

from servicehall.core.money import money
from servicehall.payments import reports, services
from servicehall.payments.models import PaymentBatch, PaymentItem, ReturnImport
from servicehall.payments.tests.factories import return_for
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.models import Application

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_money_is_yuan_from_integer_fen():
    assert money(150000) == "1,500.00 元"
    assert money(123456789) == "1,234,567.89 元"
    assert money(5) == "0.05 元"
    assert money(0) == "0.00 元"


def test_someone_logged_out_is_sent_to_the_organisation_login(client, world):
    response = client.get(reverse("payments:batch_list"))
    assert response.status_code == 302 and reverse("accounts:login_staff") in response["Location"]


def test_other_staff_get_403(client, world, officers):
    for who in ("school", "first", "second"):
        client.force_login(world[who])
        assert client.get(reverse("payments:batch_list")).status_code == 403
        assert client.get(reverse("payments:totals")).status_code == 403


def test_an_applicant_is_sent_to_the_personal_centre(client, world, awaiting):
    application = awaiting(1)[0]
    client.force_login(application.applicant)
    assert client.get(reverse("payments:batch_list"))["Location"] == reverse("portal:center")


def test_the_staff_home_links_payment_officers_to_their_pages(client, world, officers):
    client.force_login(officers["maker"])
    page = client.get(reverse("accounts:staff_home")).content.decode()
    assert reverse("payments:batch_list") in page and "补贴发放" in page
    client.force_login(world["first"])
    assert reverse("payments:batch_list") not in client.get(reverse("accounts:staff_home")).content.decode()


def test_another_bureaus_officer_finds_nothing(client, world, officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    client.force_login(officers["other"])
    assert batch.number not in client.get(reverse("payments:batch_list")).content.decode()
    for name in ("payments:batch_detail", "payments:batch_report"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    assert client.get(reverse("payments:bank_file", args=[batch.pk, "102"])).status_code == 404
    assert client.post(reverse("payments:batch_approve", args=[batch.pk])).status_code == 404
    assert client.post(reverse("payments:batch_discard", args=[batch.pk])).status_code == 404
    assert PaymentBatch.objects.get(pk=batch.pk).status == PaymentBatch.Status.DRAFT


def test_building_with_nothing_waiting_says_so_on_the_form(client, world, officers, year):
    client.force_login(officers["maker"])
    response = client.post(reverse("payments:batch_list"), {"graduation_year": year.pk})
    assert response.status_code == 200
    assert "没有符合条件的待发放申请，未生成批次。" in response.content.decode()
    assert not PaymentBatch.objects.exists()


def test_the_maker_sees_why_they_cannot_approve_and_may_discard(client, world, officers, awaiting, year):
    awaiting(1)
    client.force_login(officers["maker"])
    response = client.post(reverse("payments:batch_list"), {"graduation_year": year.pk}, follow=True)
    batch = PaymentBatch.objects.get()
    page = response.content.decode()
    assert "不能审批自己生成的批次" in page
    assert reverse("payments:batch_approve", args=[batch.pk]) not in page
    response = client.post(reverse("payments:batch_approve", args=[batch.pk]), follow=True)
    assert "制单人不能审批自己生成的批次" in response.content.decode()
    response = client.post(reverse("payments:batch_discard", args=[batch.pk]), follow=True)
    assert "已作废" in response.content.decode()
    assert not PaymentBatch.objects.exists()


def test_downloads_before_approval_are_refused_in_words(client, world, officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    client.force_login(officers["maker"])
    response = client.get(reverse("payments:bank_file", args=[batch.pk, "102"]), follow=True)
    assert "批次尚未审批，不能导出银行发放文件。" in response.content.decode()


def test_the_whole_cycle(client, world, officers, awaiting, year):
    applications = awaiting(2)
    paid, failed = applications
    maker, checker = officers["maker"], officers["checker"]

    # 制单
    client.force_login(maker)
    response = client.get(reverse("payments:batch_list"))
    assert response.status_code == 200 and "生成发放批次" in response.content.decode()
    response = client.post(reverse("payments:batch_list"), {"graduation_year": year.pk, "school": ""})
    batch = PaymentBatch.objects.get()
    assert response["Location"] == reverse("payments:batch_detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert batch.number in page and "已生成批次" in page
    assert money(batch.total_fen) in page and money(year.amount_fen) in page
    assert paid.account not in page  # accounts are masked

    # 审批, by another officer
    client.force_login(checker)
    response = client.post(reverse("payments:batch_approve", args=[batch.pk]), follow=True)
    assert "批次已审批" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.APPROVED and batch.approved_by == checker
    assert Application.objects.get(pk=paid.pk).state == S.PAYING

    # 导出: the same bytes as the service's
    response = client.get(reverse("payments:bank_file", args=[batch.pk, "102"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=gb18030"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    filename, data = services.bank_file_export(actor=maker, batch=batch, bank="102")
    assert response.content == data
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    excel = client.get(reverse("payments:bank_excel", args=[batch.pk, "102"]))
    assert excel.status_code == 200 and excel["Content-Type"] == XLSX and excel.content[:2] == b"PK"
    assert excel["Content-Disposition"].startswith("attachment;")

    # 回盘: one failure, and a line the bank made up (refused in the report)
    answer = return_for(data, failed={failed.record_number: "账户未开通金融功能"})
    upload = io.BytesIO(answer)
    upload.name = "回盘_102.csv"
    response = client.post(
        reverse("payments:return_import", args=[batch.pk]), {"bank": "102", "file": upload}
    )
    imported = ReturnImport.objects.get()
    assert response.status_code == 302 and f"import={imported.pk}" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "回盘文件导入结果" in page and "回盘_102.csv" in page
    assert (imported.paid_count, imported.failed_count, imported.refused_count) == (1, 1, 0)
    assert "账户未开通金融功能" in page
    assert Application.objects.get(pk=paid.pk).state == S.PAID
    assert Application.objects.get(pk=failed.pk).state == S.PAYMENT_FAILED
    assert PaymentItem.objects.get(application=failed).bank_reason == "账户未开通金融功能"

    # 批次报表 and 统计
    report = client.get(reverse("payments:batch_report", args=[batch.pk]))
    assert report["Content-Type"] == XLSX and report.content[:2] == b"PK"
    assert "attachment" in report["Content-Disposition"] and "no-store" in report["Cache-Control"]
    totals = client.get(reverse("payments:totals"))
    assert totals.status_code == 200 and batch.number in totals.content.decode()
    assert money(reports.totals_by_batch(batch)["paid_fen"]) in totals.content.decode()

    # The applicant sees what to fix, and reissues
    client.force_login(failed.applicant)
    case = client.get(reverse("subsidy:case", args=[failed.pk])).content.decode()
    assert "账户未开通金融功能" in case and "已处理好，重新发放" in case
    assert reverse("payments:reissue", args=[failed.pk]) in case
    response = client.post(reverse("payments:reissue", args=[failed.pk]), follow=True)
    assert "下一个发放批次" in response.content.decode()
    assert Application.objects.get(pk=failed.pk).state == S.AWAITING_PAYMENT
    case = client.get(reverse("subsidy:case", args=[failed.pk])).content.decode()
    assert "已处理好，重新发放" not in case

    # The paid applicant has no such button
    client.force_login(paid.applicant)
    assert "已处理好，重新发放" not in client.get(reverse("subsidy:case", args=[paid.pk])).content.decode()


def test_a_return_file_with_a_wrong_line_shows_the_refused_line(client, world, officers, awaiting, year):
    applications = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    target = applications[0].record_number

    def wrong_amount(cells):
        if cells[1] == target:
            cells[3] = cells[3] + 1
        return cells

    upload = io.BytesIO(return_for(data, change=wrong_amount))
    upload.name = "r.csv"
    client.force_login(officers["maker"])
    response = client.post(
        reverse("payments:return_import", args=[batch.pk]), {"bank": "102", "file": upload}, follow=True
    )
    page = response.content.decode()
    assert "未处理的行及原因" in page and target in page and "金额与发放金额不一致" in page
    assert ReturnImport.objects.get().refused_count == 1
    # The stored report is worded when read: an officer using the hall in English reads English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "The amount does not match the payment amount" in page and "金额与发放金额不一致" not in page


def test_an_unreadable_return_file_is_refused_beside_the_field(client, world, officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    upload = io.BytesIO(b"\x00\x01 not a return file")
    upload.name = "r.csv"
    client.force_login(officers["maker"])
    response = client.post(
        reverse("payments:return_import", args=[batch.pk]), {"bank": "102", "file": upload}
    )
    assert response.status_code == 400
    assert re.search(r'class="field__error"', response.content.decode())
    assert not ReturnImport.objects.exists()


def test_reissue_is_the_applicants_own(client, world, officers, awaiting, year):
    first, second = awaiting(2)
    client.force_login(second.applicant)
    assert client.post(reverse("payments:reissue", args=[first.pk])).status_code == 404
    assert client.get(reverse("payments:reissue", args=[second.pk])).status_code == 405
    response = client.post(reverse("payments:reissue", args=[second.pk]), follow=True)
    assert "不是发放失败状态" in response.content.decode()


def test_the_totals_are_the_bureaus_own(client, world, officers, awaiting, year):
    awaiting(1)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    client.force_login(officers["other"])
    page = client.get(reverse("payments:totals")).content.decode()
    assert batch.number not in page and money(batch.total_fen) not in page
    client.force_login(officers["maker"])
    page = client.get(reverse("payments:totals")).content.decode()
    assert batch.number in page and str(year.pk) in page and money(batch.total_fen) in page


# --- What the batch page says of its lines and of an import ----------------------------------


def _line_labels(page: str) -> list[str]:
    """The status tag of each line in 发放明细."""
    table = page.split('id="items-title"', 1)[1]
    return re.findall(r'<td data-label="状态"><span class="tag [^"]*">([^<]*)</span>', table)


def test_lines_of_a_batch_awaiting_approval_read_as_its_stage_not_the_banks(
    client, world, officers, awaiting, year
):
    awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    client.force_login(officers["checker"])
    page = client.get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    assert _line_labels(page) == ["待审批", "待审批"]
    assert "<dt>待审批</dt><dd>2笔，3,000.00 元</dd>" in page
    assert "待银行处理" not in page
    # Approved: the bank files can go out, and the lines wait for the bank.
    client.post(reverse("payments:batch_approve", args=[batch.pk]))
    page = client.get(reverse("payments:batch_detail", args=[batch.pk])).content.decode()
    assert _line_labels(page) == ["待银行处理", "待银行处理"]
    assert "<dt>待银行处理</dt><dd>2笔，3,000.00 元</dd>" in page


def _upload(client, batch, answer: bytes, name="回盘.csv"):
    upload = io.BytesIO(answer)
    upload.name = name
    return client.post(
        reverse("payments:return_import", args=[batch.pk]), {"bank": "102", "file": upload}, follow=True
    )


def _notices(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="notice notice--(\w+)">([^<]*)</p>', page)


def test_the_import_message_counts_the_settled_lines_and_who_is_told(client, world, officers, awaiting, year):
    _paid, failed = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    client.force_login(officers["checker"])
    answer = return_for(data, failed={failed.record_number: "卡已挂失"})
    page = _upload(client, batch, answer).content.decode()
    assert (
        "success",
        "回盘文件已导入：记入发放结果2笔，其中发放成功1笔，发放失败1笔；未处理的行0行。"
        "这2笔的申请人将收到短信和站内消息。",
    ) in _notices(page)
    assert sorted(_line_labels(page)) == ["发放失败", "已发放"]


def test_an_import_that_settles_nothing_says_so_and_tells_of_no_message(
    client, world, officers, awaiting, year
):
    one, _two = awaiting(2)
    batch = services.batch_build(actor=officers["maker"], graduation_year=year)
    services.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = services.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    only_one = return_for(data, change=lambda cells: cells if cells[1] == one.record_number else None)
    client.force_login(officers["checker"])
    _upload(client, batch, only_one)
    # The bank sends its first line again in another file: it was settled, nothing is.
    again = return_for(
        data, change=lambda cells: [*cells[:5], "重复"] if cells[1] == one.record_number else None
    )
    response = _upload(client, batch, again, name="回盘（补）.csv")
    page = response.content.decode()
    imported = ReturnImport.objects.order_by("pk").last()
    assert (imported.paid_count, imported.failed_count, imported.refused_count) == (0, 0, 1)
    assert (
        "warning",
        "回盘文件已导入，但没有一笔记入发放结果：1行都未处理。请查看下面的原因，与银行核对后重新导入更正的回盘文件。",
    ) in _notices(page)
    assert not any("申请人" in text or "短信" in text or "消息" in text for _kind, text in _notices(page))
    assert "该笔此前已处理，本行未重复处理" in page
    assert sorted(_line_labels(page)) == ["已发放", "待银行处理"]
