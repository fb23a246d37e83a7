"""补贴发放 in the browser, each person in a browser of their own: payment officer A builds a
batch (and is told they cannot approve it), officer B approves it, the bank's payment file
downloads (the same bytes as the service's), a return file that settles nothing says so, a
return file with one failure is uploaded and its result shown (the lines read 待审批 before
approval, 待银行处理 after, then 已发放 / 发放失败); the paid applicant finds 已办结 with the SMS
in the outbox, the failed one sees the bank's reason and what to do, and confirms
已处理好，重新发放. Desktop and phone, axe on every page."""

import hashlib
import re

from django.urls import reverse
from playwright.sync_api import expect

from servicehall.core.crypto import blind_index
from servicehall.messaging.models import SmsMessage
from servicehall.payments import bankfiles
from servicehall.payments.models import BankFile, PaymentBatch, PaymentJob
from servicehall.payments.tests import factories as payments_setup
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application

from .conftest import check_page, log_in_person, log_in_staff

S = ApplicationStatus
REASON = "账户未开通金融功能"

# The schools, bureaus and reviewers of the subsidy's tests, and the payment officers and the
# applications awaiting payment of the payments' tests.


def line_labels(page):
    """The status of each line in 发放明细, as the page shows it."""
    return page.locator('section[aria-labelledby="items-title"] td[data-label="状态"] .tag')


def sms_texts(mobile: str) -> list[str]:
    return [
        message.text
        for message in SmsMessage.objects.filter(mobile_index=blind_index(mobile, purpose="mobile"))
    ]


def test_payment_journey(live_server, new_context, viewport_name, sms_code, world, officers, awaiting,
                         year, tmp_path, settings):
    base, vp = live_server.url, viewport_name
    paid, failed = awaiting(2)

    # 1. Officer A builds a batch from 工作台 → 补贴发放.
    maker = new_context().new_page()
    log_in_staff(maker, base, sms_code, officers["maker"])
    maker.locator("main").get_by_role("link", name="补贴发放").click()
    expect(maker.get_by_role("heading", level=1)).to_have_text("求职创业补贴发放")
    check_page(maker, shot="payments-batches", viewport=vp)
    maker.get_by_label("毕业年度").select_option(str(year.pk))
    maker.get_by_role("button", name="生成批次").click()
    expect(maker).to_have_url(re.compile(r"/payments/\d+/$"))
    batch = PaymentBatch.objects.get()
    expect(maker.locator("main")).to_contain_text(f"已生成批次{batch.number}")
    expect(maker.locator("main")).to_contain_text("不能审批自己生成的批次")
    expect(maker.get_by_role("button", name="审批通过")).to_have_count(0)
    # Not with the bank yet: the lines (and their total) read as the batch's stage.
    expect(line_labels(maker)).to_have_text(["待审批", "待审批"])
    expect(maker.locator("main")).not_to_contain_text("待银行处理")
    check_page(maker, shot="payments-batch-draft", viewport=vp)
    detail = maker.url

    # 2. Officer B approves it.
    checker = new_context().new_page()
    log_in_staff(checker, base, sms_code, officers["checker"])
    checker.goto(detail)
    checker.get_by_role("button", name="审批通过").click()
    expect(checker.locator("main")).to_contain_text("批次已审批")
    expect(line_labels(checker)).to_have_text(["待银行处理", "待银行处理"])
    check_page(checker, viewport=vp)

    # 3. The bank's payment file downloads: the service's bytes.
    bank = batch.items.values_list("bank_id", flat=True).first()
    with checker.expect_download() as download:
        checker.get_by_role("link", name=re.compile("^下载银行文件")).first.click()
    with open(download.value.path(), "rb") as saved:
        data = saved.read()
    # Read-only checks here (a write from the test beside the live server's locks SQLite): the
    # file is the one the export recorded, and it is what the services' writer makes of the lines.
    exported = BankFile.objects.get(batch=batch, bank_id=bank)
    assert download.value.suggested_filename == exported.filename
    assert hashlib.sha256(data).hexdigest() == exported.sha256
    # The documented layout (BANK_FILE_FORMAT.md): GB18030, CR LF, header, lines, trailer.
    rows = payments_setup.payment_rows(data)
    assert data.endswith(b"\r\n") and not data.startswith(b"\xef\xbb\xbf")
    assert rows[0] == bankfiles.HEADER
    assert [row[1] for row in rows[1:-1]] == sorted([paid.record_number, failed.record_number])
    assert [row[0] for row in rows[1:-1]] == ["1", "2"]
    assert all(row[4] == "1500.00" and row[5] == bank for row in rows[1:-1])
    assert rows[-1] == [bankfiles.TRAILER, "2", "3000.00"]

    # 4. A wrong answer first (every amount differs): nothing is settled, and nobody is told.
    wrong = tmp_path / f"回盘_{bank}_有误.csv"
    wrong.write_bytes(payments_setup.return_for(data, change=lambda c: [*c[:3], c[3] + 1, *c[4:]]))
    checker.locator(f"#return-file-{bank}").set_input_files(str(wrong))
    checker.get_by_role("button", name="导入回盘文件").first.click()
    notice = checker.locator("p.notice").filter(has_text="回盘文件已导入")
    expect(notice).to_have_text(
        "回盘文件已导入，但没有一笔记入发放结果：2行都未处理。请查看下面的原因，与银行核对后重新导入更正的回盘文件。"
    )
    expect(notice).to_have_class(re.compile(r"notice--warning"))
    expect(checker.locator("#import-result")).to_contain_text("金额与发放金额不一致")
    expect(line_labels(checker)).to_have_text(["待银行处理", "待银行处理"])
    check_page(checker, viewport=vp)

    # The bank's answer, one line failed, is uploaded; the result is shown.
    answer = tmp_path / f"回盘_{bank}.csv"
    answer.write_bytes(payments_setup.return_for(data, failed={failed.record_number: REASON}))
    checker.locator(f"#return-file-{bank}").set_input_files(str(answer))
    checker.get_by_role("button", name="导入回盘文件").first.click()
    result = checker.locator("#import-result")
    expect(result).to_contain_text("回盘文件导入结果")
    expect(result).to_contain_text(answer.name)
    expect(checker.locator("main")).to_contain_text(REASON)
    notice = checker.locator("p.notice").filter(has_text="回盘文件已导入")
    expect(notice).to_have_text(
        "回盘文件已导入：记入发放结果2笔，其中发放成功1笔，发放失败1笔；未处理的行0行。"
        "这2笔的申请人将收到短信和站内消息。"
    )
    expect(notice).to_have_class(re.compile(r"notice--success"))
    shown = batch.items.order_by("pk").values_list("application_id", flat=True)
    expect(line_labels(checker)).to_have_text(["已发放" if pk == paid.pk else "发放失败" for pk in shown])
    check_page(checker, shot="payments-return-import", viewport=vp)

    # The totals: the batch with its one payment and one failure.
    checker.get_by_role("navigation", name="补贴发放").get_by_role("link", name="发放统计").click()
    expect(checker.get_by_role("heading", level=1)).to_have_text("发放统计")
    expect(checker.locator("main")).to_contain_text(batch.number)
    check_page(checker, shot="payments-totals", viewport=vp)

    # 5. The paid applicant: 已办结, and the SMS saying so.
    assert Application.objects.get(pk=paid.pk).state == S.PAID
    person = new_context().new_page()
    log_in_person(person, base, paid.applicant.mobile)
    person.goto(base + reverse("portal:concluded"))
    expect(person.locator("table tbody tr").filter(has_text=paid.record_number)).to_have_count(1)
    check_page(person, viewport=vp)
    person.goto(f"{base}/subsidy/cases/{paid.pk}/")
    expect(person.locator("dl.info-list")).to_contain_text("已发放")
    expect(person.get_by_role("button", name="已处理好，重新发放")).to_have_count(0)
    check_page(person, viewport=vp)
    assert any("已发放到您尾号" in text for text in sms_texts(paid.mobile)), sms_texts(paid.mobile)

    # 6. The failed one: the bank's reason, what to do, and 重新发放.
    other = new_context().new_page()
    log_in_person(other, base, failed.applicant.mobile)
    other.goto(f"{base}/subsidy/cases/{failed.pk}/")
    expect(other.locator("main")).to_contain_text(f"银行反馈的原因：{REASON}")
    check_page(other, shot="payment-failed-case", viewport=vp)
    assert any(REASON in text for text in sms_texts(failed.mobile))
    other.get_by_role("button", name="已处理好，重新发放").click()
    expect(other.locator("main")).to_contain_text("补贴将在下一个发放批次中重新发放")
    expect(other.get_by_role("button", name="已处理好，重新发放")).to_have_count(0)
    check_page(other, viewport=vp)
    assert Application.objects.get(pk=failed.pk).state == S.AWAITING_PAYMENT

    # 7. The fixed one is paid in a second batch. This one goes through the task worker, as a
    # batch of tens of thousands would: the officers land on its result all the same.
    settings.PAYMENTS_INLINE_LIMIT = 0
    maker.goto(base + reverse("payments:batch_list"))
    maker.get_by_label("毕业年度").select_option(str(year.pk))
    maker.get_by_role("button", name="生成批次").click()
    expect(maker.locator("main")).to_contain_text("已生成批次")
    second = PaymentBatch.objects.exclude(pk=batch.pk).get()
    assert list(second.items.values_list("application_id", flat=True)) == [failed.pk]
    assert PaymentJob.objects.filter(kind="build", status="done").count() == 1
    checker.goto(f"{base}/payments/{second.pk}/")
    checker.get_by_role("button", name="审批通过").click()
    expect(checker.locator("main")).to_contain_text("批次已审批")
    with checker.expect_download() as download:
        checker.get_by_role("link", name=re.compile("^下载银行文件")).first.click()
    with open(download.value.path(), "rb") as saved:
        again = saved.read()
    answer = tmp_path / "回盘_second.csv"
    answer.write_bytes(payments_setup.return_for(again))
    checker.locator(f"#return-file-{bank}").set_input_files(str(answer))
    checker.get_by_role("button", name="导入回盘文件").first.click()
    expect(checker.locator("#import-result")).to_contain_text("回盘文件导入结果")
    check_page(checker, viewport=vp)
    assert Application.objects.get(pk=failed.pk).state == S.PAID
    other.reload()
    expect(other.locator("dl.info-list")).to_contain_text("已发放")
    assert any("已发放到您尾号" in text for text in sms_texts(failed.mobile))


def test_the_background_job_pages(live_server, new_context, viewport_name, sms_code, world, officers):
    """The page an officer waits on, while the worker has not finished and when it failed."""
    base, vp = live_server.url, viewport_name
    page = new_context().new_page()
    log_in_staff(page, base, sms_code, officers["maker"])
    bureau = officers["maker"].organisation
    waiting = PaymentJob.objects.create(kind="build", bureau=bureau, created_by=officers["maker"])
    page.goto(f"{base}/payments/jobs/{waiting.pk}/")
    expect(page.locator("main")).to_contain_text("正在后台处理")
    check_page(page, shot="payments-job", viewport=vp)
    page.goto(base + reverse("payments:batch_list"))
    expect(page.locator("main")).to_contain_text("后台处理中的任务")
    check_page(page, viewport=vp)
    failed = PaymentJob.objects.create(
        kind="build",
        bureau=bureau,
        created_by=officers["maker"],
        status="failed",
        message="没有符合条件的待发放申请，未生成批次。",
    )
    page.goto(f"{base}/payments/jobs/{failed.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("没有符合条件的待发放申请")
    page.get_by_role("link", name="返回重新办理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("求职创业补贴发放")
    check_page(page, viewport=vp)
