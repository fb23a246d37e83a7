"""The queue's Excel export: the filtered tab, every page of it, ID numbers masked unless asked,
only what the reviewer may see, and every export in the audit trail."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from servicehall.audit.models import AuditEntry
from servicehall.subsidy import exports
from servicehall.subsidy.constants import ApplicationStatus as S
from servicehall.subsidy.deadlines import DueDates
from servicehall.subsidy.models import Application

from .test_review_pages import clone, to_first_review

pytestmark = pytest.mark.django_db

EXPORT = reverse("subsidy:review_export")


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == exports.CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def by_header(rows) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def test_the_export_lists_the_tab_with_masked_id_numbers_and_is_audited(client, world, submitted):
    client.force_login(world["school"])
    response = client.get(EXPORT, {"tab": "pending"})
    rows = sheet_rows(response)
    assert rows[0][:5] == ["序号", "申报编号", "姓名", "性别", "公民身份号码"]
    [row] = by_header(rows)
    id_number = Application.objects.get(pk=submitted.pk).id_number
    assert row["申报编号"] == submitted.record_number
    assert row["公民身份号码"] == id_number[:4] + "*" * 10 + id_number[-4:]
    assert row["移动电话"] == "138****0001"
    assert (row["毕业生类型"], row["所在院系"], row["状态"]) == ("残疾", "计算机学院", "学校审核中")
    assert row["办理时限"]
    entry = AuditEntry.objects.get(action="subsidy.export")
    assert entry.actor == world["school"]
    assert entry.detail == {"rows": 1, "full_id": False, "tab": "pending"}
    assert response["Cache-Control"] == "private, no-store"


def test_the_full_id_number_only_when_ticked_and_the_audit_says_so(client, world, submitted):
    client.force_login(world["school"])
    [row] = by_header(sheet_rows(client.get(EXPORT, {"tab": "pending", "full_id": "1"})))
    assert row["公民身份号码"] == Application.objects.get(pk=submitted.pk).id_number
    assert AuditEntry.objects.get(action="subsidy.export").detail["full_id"] is True


def test_every_page_of_the_filtered_tab_and_nothing_else(client, world, submitted):
    clone(submitted, 120, department="外国语学院")
    clone(submitted, 5, start=500, state=S.RETURNED, department="外国语学院")
    client.force_login(world["school"])
    rows = by_header(sheet_rows(client.get(EXPORT, {"tab": "pending", "department": "外国语"})))
    assert len(rows) == 120  # more than two pages of the queue
    assert {r["所在院系"] for r in rows} == {"外国语学院"}
    assert [r["序号"] for r in rows] == list(range(1, 121))
    assert len(by_header(sheet_rows(client.get(EXPORT, {"tab": "returned"})))) == 5
    assert AuditEntry.objects.filter(action="subsidy.export").count() == 2


def test_the_queue_page_offers_the_export_with_its_filters(client, world, submitted):
    client.force_login(world["school"])
    page = client.get(reverse("subsidy:review_queue"), {"tab": "pending", "major": "软件"}).content.decode()
    assert f'action="{EXPORT}"' in page
    assert '<input type="hidden" name="major" value="软件">' in page
    assert 'name="full_id" value="1"' in page and "导出完整证件号码" in page


@pytest.mark.parametrize("who", ["other_school", "other_bureau"])
def test_another_school_or_bureau_exports_no_rows(client, world, submitted, who):
    to_first_review(world, submitted)
    client.force_login(world[who])
    for tab in ("pending", "passed", "first"):
        assert by_header(sheet_rows(client.get(EXPORT, {"tab": tab, "full_id": "1"}))) == []


def test_the_bureau_exports_its_first_review(client, world, submitted):
    to_first_review(world, submitted)
    client.force_login(world["first"])
    [row] = by_header(sheet_rows(client.get(EXPORT, {"tab": "first"})))
    assert row["申报编号"] == submitted.record_number and row["状态"] == "人社初审中"


def test_times_and_due_dates_are_excel_dates_and_personal_numbers_text(client, world, submitted):
    """A clerk can sort and filter by 提交时间 and 办理时限; masked numbers stay as written."""
    client.force_login(world["school"])
    response = client.get(EXPORT, {"tab": "pending"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = (list(r) for r in sheet.iter_rows(max_row=2))
    cells = {title.value: cell for title, cell in zip(header, row, strict=True)}
    application = Application.objects.get(pk=submitted.pk)

    submitted_at = cells["提交时间"]
    assert submitted_at.is_date and isinstance(submitted_at.value, datetime.datetime)
    assert submitted_at.number_format == "yyyy-mm-dd hh:mm"
    local = timezone.localtime(application.submitted_at).replace(tzinfo=None, microsecond=0)
    assert submitted_at.value == local

    due = cells["办理时限"]
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    assert due.value.date() == DueDates().day(application) and due.value.time() == datetime.time(0)

    assert cells["序号"].data_type == "n" and cells["序号"].value == 1
    for title in ("申报编号", "公民身份号码", "移动电话", "学号"):
        assert cells[title].data_type == "s", title
    assert cells["移动电话"].value == "138****0001"


def test_text_typed_by_an_applicant_never_becomes_a_formula(client, world, submitted):
    Application.objects.filter(pk=submitted.pk).update(department='=HYPERLINK("http://evil.example","x")')
    client.force_login(world["school"])
    response = client.get(EXPORT, {"tab": "pending"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = next(c for c in workbook.active[2] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://evil.example","x")'


def test_too_many_rows_are_refused_in_words(client, world, submitted, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_MAX_ROWS", 2)
    clone(submitted, 2)
    client.force_login(world["school"])
    queue = client.post(reverse("subsidy:review_queue"), {"tab": "pending", "q": "张"})
    token = queue.url.rsplit("s=", 1)[1]
    response = client.get(EXPORT, {"tab": "pending", "s": token})
    assert response.status_code == 302
    assert response.url == reverse("subsidy:review_queue") + f"?tab=pending&s={token}"
    page = client.get(response.url).content.decode()
    assert "符合条件的申请有3笔，一次最多导出2笔" in page
    assert not AuditEntry.objects.filter(action="subsidy.export").exists()


def test_logged_out_and_applicants_get_no_export(client, world, submitted, person):
    assert client.get(EXPORT).url.startswith(reverse("accounts:login_staff"))
    client.force_login(person)
    assert client.get(EXPORT).url == reverse("portal:center")
    assert not AuditEntry.objects.filter(action="subsidy.export").exists()


def test_a_full_id_export_audits_each_application_it_reveals(client, world, submitted):
    client.force_login(world["school"])
    sheet_rows(client.get(EXPORT, {"tab": "pending", "full_id": "1"}))
    reveal = AuditEntry.objects.get(action="subsidy.reveal_id_number")
    assert reveal.target_id == str(submitted.pk) and reveal.detail == {"via": "export"}
    assert reveal.actor == world["school"]
    # A masked export reveals nothing.
    sheet_rows(client.get(EXPORT, {"tab": "pending"}))
    assert AuditEntry.objects.filter(action="subsidy.reveal_id_number").count() == 1
