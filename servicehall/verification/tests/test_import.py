"""Importing a registry through the operator's pages: good rows kept, bad rows reported by line,
column and reason, CSV in either encoding or Excel, the column mapping, a file that cannot be read
refused, progress while it runs, a newer version superseding the older, and nothing but blind
indexes stored for the people."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.core.wording import read_rows
from servicehall.verification import selectors
from servicehall.verification.models import RegistryBatch, RegistryEntry

from .conftest import LISTED_ID, OTHER_ID, csv_bytes, days, form, xlsx_bytes

pytestmark = pytest.mark.django_db

REGISTRIES = reverse("verification:registries")


def page(response) -> str:
    return response.content.decode()


def test_good_rows_are_kept_and_bad_rows_reported_by_line_column_and_reason(import_registry, operator_client):
    data = csv_bytes(
        [
            [LISTED_ID, "张晓明", "2026-01-01", "2027-06-30"],
            [OTHER_ID, "王小红", "", ""],
            [LISTED_ID[:-1] + ("0" if LISTED_ID[-1] != "0" else "1"), "李四", "", ""],  # wrong check digit
            [OTHER_ID, "", "", ""],  # no name
            [OTHER_ID, "王小红", "2026-13-01", ""],  # no such month
            [OTHER_ID, "王小红", "2026-09-01", "2026-01-01"],  # ends before it starts
        ]
    )
    batch = import_registry(data=data)
    assert batch.state == RegistryBatch.State.DONE and batch.is_current
    assert (batch.row_count, batch.imported_count, batch.rejected_count) == (6, 2, 4)
    problems = [(p["line"], p["column"]) for p in read_rows(batch.rejected_rows)]
    assert problems == [(4, "证件号码"), (5, "姓名"), (6, "有效期起"), (7, "有效期至")]
    text = page(operator_client.get(reverse("verification:batch", args=[batch.pk])))
    assert "第4行" in text and "证件号码校验位不正确" in text
    assert "请输入姓名" in text
    assert "有效期起应为YYYY-MM-DD格式" in text and "有效期至早于有效期起" in text
    assert LISTED_ID not in text  # values in the report are masked
    assert AuditEntry.objects.filter(action="verification.import", target_id=str(batch.pk)).exists()
    # Written by the worker in the hall's language, read by an operator in theirs.
    operator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = page(operator_client.get(reverse("verification:batch", args=[batch.pk])))
    assert "The check digit of the ID number is wrong" in text
    assert "Valid from must be in the format YYYY-MM-DD" in text
    assert "Valid until is earlier than Valid from" in text and "早于" not in text


def test_only_blind_indexes_of_the_id_number_and_name_are_stored(import_registry):
    batch = import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", "2027-06-30"]]))
    entry = RegistryEntry.objects.get(batch=batch)
    assert entry.id_number_index == selectors.id_number_index(LISTED_ID)
    assert entry.name_index == selectors.name_index("张晓明")
    stored = " ".join(str(value) for value in RegistryEntry.objects.values_list().get())
    assert LISTED_ID not in stored and "张晓明" not in stored
    assert batch.upload_path == ""  # the encrypted upload is gone once imported


def test_gb18030_csv_and_excel_files_are_read(import_registry):
    gbk = import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", ""]], encoding="gb18030"))
    assert (gbk.encoding, gbk.imported_count, gbk.rejected_count) == ("gb18030", 1, 0)
    workbook = xlsx_bytes(
        [[LISTED_ID, "张晓明", None, None]], header=["证件号码", "姓名", "有效期起", "有效期至"]
    )
    excel = import_registry(data=workbook, name="名单.xlsx")
    assert (excel.encoding, excel.imported_count, excel.rejected_count) == ("xlsx", 1, 0)


def test_the_column_mapping_reads_a_file_whose_headers_differ(import_registry):
    data = csv_bytes([["张晓明", LISTED_ID, "2027-06-30"]], header=["户主姓名", "身份证号", "截止日期"])
    batch = import_registry(
        data=data,
        column_id_number="身份证号",
        column_name="户主姓名",
        column_valid_from="",
        column_valid_until="截止日期",
    )
    assert (batch.imported_count, batch.rejected_count) == (1, 0)
    assert RegistryEntry.objects.get(batch=batch).valid_until.isoformat() == "2027-06-30"


def test_a_missing_required_column_fails_the_import_and_keeps_the_current_version(
    import_registry, operator_client
):
    first = import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", ""]]))
    failed = import_registry(data=csv_bytes([[LISTED_ID, "张晓明"]], header=["身份证号", "姓名"]))
    assert failed.state == RegistryBatch.State.FAILED and failed.imported_count == 0
    assert "表头中找不到以下列：证件号码" in failed.message
    assert not RegistryEntry.objects.filter(batch=failed).exists()
    first.refresh_from_db()
    assert first.is_current
    text = page(operator_client.get(reverse("verification:batch", args=[failed.pk])))
    assert "导入失败" in text and "本名单仍使用原来的版本" in text


def test_a_file_that_is_no_table_is_refused_on_the_form(operator_client):
    response = operator_client.post(
        reverse("verification:import", args=["subsistence_allowance"]),
        form(data=b"\xd0\xcf\x11\xe0 old excel", name="名单.xls"),
    )
    assert response.status_code == 200
    assert "请上传.csv或.xlsx文件" in page(response)
    assert not RegistryBatch.objects.exists()


def test_a_newer_import_supersedes_the_older_for_checks(import_registry):
    older = import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", days(-1)]]))
    finding = selectors.category_check(
        id_number_index=selectors.id_number_index(LISTED_ID),
        name="张晓明",
        category_code="subsistence_allowance",
    )
    assert finding.outcome == "failed"  # expired yesterday
    newer = import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", days(365)]]))
    older.refresh_from_db()
    assert newer.is_current and older.superseded_at is not None and not older.is_current
    assert RegistryEntry.objects.filter(batch=older).count() == 1  # kept for the record
    finding = selectors.category_check(
        id_number_index=selectors.id_number_index(LISTED_ID),
        name="张晓明",
        category_code="subsistence_allowance",
    )
    assert finding.outcome == "passed" and finding.batch.pk == newer.pk


def test_grant_lists_of_different_provinces_are_versions_of_their_own(import_registry):
    header = ["证件号码", "姓名", "发放年度"]
    home = import_registry("prior_grant", data=csv_bytes([[OTHER_ID, "王小红", "2024"]], header=header))
    other = import_registry(
        "prior_grant", data=csv_bytes([[LISTED_ID, "张晓明", "2025年"]], header=header), province="浙江省"
    )
    home.refresh_from_db()
    assert home.is_current and other.is_current and other.province == "浙江省"
    assert RegistryEntry.objects.get(batch=other).grant_year == 2025


def test_the_progress_part_is_polled_while_running_and_redirects_when_done(operator_client, import_registry):
    batch = import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", ""]]))
    RegistryBatch.objects.filter(pk=batch.pk).update(state=RegistryBatch.State.RUNNING, progress=40)
    url = reverse("verification:batch", args=[batch.pk])
    polled = operator_client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200
    assert 'hx-trigger="every 1s"' in page(polled) and 'value="40"' in page(polled)
    assert "<h1>" not in page(polled)  # only the part that changes
    assert "刷新" in page(operator_client.get(url))  # and a plain link without JavaScript
    RegistryBatch.objects.filter(pk=batch.pk).update(state=RegistryBatch.State.DONE, progress=100)
    done = operator_client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Redirect"] == url


def test_the_registries_page_shows_the_current_version(import_registry, operator_client):
    import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", ""]]))
    text = page(operator_client.get(REGISTRIES))
    assert "城乡低保名单" in text and "民政 · " in text and "尚未导入" in text


def test_only_operators_reach_the_registry_pages(client, person, school_reviewer, import_registry):
    batch = import_registry(data=csv_bytes([[LISTED_ID, "张晓明", "", ""]]))
    urls = [
        REGISTRIES,
        reverse("verification:import", args=["disability"]),
        reverse("verification:batch", args=[batch.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to 单位登录
    staff = Client()
    staff.force_login(school_reviewer)
    for url in urls:
        assert staff.get(url).status_code == 403
    someone = Client()
    someone.force_login(person)
    assert someone.get(REGISTRIES).status_code == 302


def test_an_import_whose_worker_died_is_failed_and_cleared_and_a_live_one_left_alone(import_registry):
    from servicehall.verification.services import registry_imports_recover

    data = csv_bytes([[LISTED_ID, "张晓明", days(-30), days(300)], [OTHER_ID, "李华", "", ""]])
    dead = import_registry(data=data)
    live = import_registry(data=data, name="另一份.csv")
    # As if both were still running: one silent for 20 minutes, one a minute ago.
    RegistryBatch.objects.filter(pk=dead.pk).update(
        state="running", heartbeat_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    RegistryBatch.objects.filter(pk=live.pk).update(
        state="running", heartbeat_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert RegistryEntry.objects.filter(batch=dead).exists()
    assert registry_imports_recover() == 1
    dead.refresh_from_db()
    assert dead.state == "failed" and "导入中断" in dead.message
    assert not RegistryEntry.objects.filter(batch=dead).exists()
    assert RegistryBatch.objects.get(pk=live.pk).state == "running"
    assert AuditEntry.objects.filter(action="verification.import_failed", target_id=str(dead.pk)).exists()
    out = io.StringIO()
    call_command("recover_registry_imports", stdout=out)
    assert out.getvalue().startswith("0 ")


def test_superseded_versions_lose_their_rows_after_the_retention_and_keep_their_record(
    import_registry, operator_client, settings
):
    from servicehall.verification.services import superseded_registries_purge

    settings.REGISTRY_SUPERSEDED_RETENTION_DAYS = 365
    data = csv_bytes([[LISTED_ID, "张晓明", "", days(300)], [OTHER_ID, "李华", "", ""]])
    oldest, older, current = (import_registry(data=data, name=f"{n}.csv") for n in ("一", "二", "三"))
    now = timezone.now()
    RegistryBatch.objects.filter(pk=oldest.pk).update(superseded_at=now - datetime.timedelta(days=366))
    RegistryBatch.objects.filter(pk=older.pk).update(superseded_at=now - datetime.timedelta(days=364))

    assert superseded_registries_purge(now=now) == 1
    assert not RegistryEntry.objects.filter(batch=oldest).exists()
    assert RegistryEntry.objects.filter(batch=older).count() == 2  # within the retention
    assert RegistryEntry.objects.filter(batch=current).count() == 2  # the current version is never touched
    oldest.refresh_from_db()
    assert oldest.rows_removed_at == now and oldest.row_count == 2  # the record stays
    entry = AuditEntry.objects.get(action="verification.purge_superseded")
    assert entry.target_id == str(oldest.pk) and entry.detail["rows"] == 2
    assert superseded_registries_purge(now=now) == 0  # done once
    shown = page(operator_client.get(reverse("verification:batch", args=[oldest.pk])))
    assert "名单记录已按保存期限清除" in shown
    out = io.StringIO()
    call_command("purge_superseded_registries", stdout=out)
    assert out.getvalue().startswith("0 ")
