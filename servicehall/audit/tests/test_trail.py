"""The audit trail: each entry says who, which organisation, what, when and from where; it
cannot be changed or deleted through the hall (nor, on PostgreSQL, by the database account);
it is kept at least six months; the auditor's page filters and exports it."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.checks import audit_retention_check
from servicehall.audit.models import AuditEntry
from servicehall.audit.services import audit_purge_expired, audit_record
from servicehall.core.errors import DomainError
from servicehall.subsidy.tests.factories import submit_for

pytestmark = pytest.mark.django_db


def test_an_entry_records_the_organisation_and_address(school_reviewer):
    entry = audit_record(
        actor=school_reviewer, action="subsidy.view", target=school_reviewer, client_address="10.1.2.3"
    )
    assert entry.organisation_id == school_reviewer.organisation_id
    assert entry.ip_address == "10.1.2.3"
    assert entry.target_type == "accounts.user" and entry.target_id == str(school_reviewer.pk)


def test_entries_cannot_be_changed_or_deleted_through_the_models(operator):
    entry = audit_record(actor=operator, action="config.change")
    entry.action = "something.else"
    with pytest.raises(DomainError):
        entry.save()
    with pytest.raises(DomainError):
        entry.delete()
    with pytest.raises(DomainError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(DomainError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "config.change"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_a_recent_entry(operator):
    entry = audit_record(actor=operator, action="config.change")
    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(Exception, match="audit entries"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="config.change").exists()


def _aged(days: int) -> AuditEntry:
    """An entry written `days` ago: inserted with its time, as nothing in the hall can backdate
    (or change) one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (at, action, target_type, target_id, detail, ip_address) "
            "VALUES (%s, 'account.login.staff', '', '', '{}', '')",
            [timezone.now() - datetime.timedelta(days=days)],
        )
    return AuditEntry.objects.order_by("-pk").first()


def test_only_entries_past_the_retention_are_purged_and_never_younger_than_six_months(settings):
    old, middle, recent = _aged(400), _aged(190), _aged(100)
    settings.AUDIT_RETENTION_DAYS = 365
    assert audit_purge_expired() == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=middle.pk).exists()
    # A setting below six months is not obeyed (and the system check refuses it): 183 days it is.
    settings.AUDIT_RETENTION_DAYS = 30
    assert audit_purge_expired() == 1
    assert not AuditEntry.objects.filter(pk=middle.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditEntry.objects.filter(action="audit.purge").count() == 2


def test_a_retention_below_six_months_fails_the_system_check():
    with override_settings(AUDIT_RETENTION_DAYS=90):
        assert [error.id for error in audit_retention_check(None)] == ["audit.E001"]
    with override_settings(AUDIT_RETENTION_DAYS=183):
        assert audit_retention_check(None) == []


def test_the_purge_command(settings):
    _aged(2000)
    out = io.StringIO()
    call_command("purge_audit", stdout=out)
    assert out.getvalue().startswith("1 ")


# --- The auditor's page ------------------------------------------------------------------------


def test_who_may_open_the_audit_page(client, auditor, operator, school_reviewer, person):
    url = reverse("audit:entry_list")
    assert reverse("accounts:login_staff") in client.get(url)["Location"]
    client.force_login(person)
    assert client.get(url)["Location"] == reverse("portal:center")
    client.force_login(school_reviewer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("audit:entry_export")).status_code == 403
    for user in (auditor, operator):
        client.force_login(user)
        assert client.get(url).status_code == 200
    page = client.get(reverse("accounts:staff_home")).content.decode()
    assert url in page


def _listed(client, **params) -> str:
    """The entries' table of the page (the filter's options name every action too)."""
    page = client.get(reverse("audit:entry_list"), params).content.decode()
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


def test_filters_by_person_action_and_date(client, auditor, operator, school_reviewer):
    audit_record(actor=school_reviewer, action="subsidy.view", target=school_reviewer)
    audit_record(actor=operator, action="config.change", target=operator)
    client.force_login(auditor)
    listed = _listed(client, person="nju.reviewer")
    assert "查看申请详情" in listed and "修改配置" not in listed and "南京大学" in listed
    listed = _listed(client, person="孙管理员")
    assert "修改配置" in listed and "查看申请详情" not in listed
    listed = _listed(client, action="group:personal_data")
    assert "查看申请详情" in listed and "修改配置" not in listed
    listed = _listed(client, action="config.change")
    assert "修改配置" in listed and "查看申请详情" not in listed
    today = timezone.localdate()
    assert "查看申请详情" in _listed(client, date_from=today.isoformat(), date_to=today.isoformat())
    assert _listed(client, date_from=(today + datetime.timedelta(days=1)).isoformat()) == ""


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-40"}, "请按“年-月-日”填写日期"),
        ({"date_from": "2026-09-30", "date_to": "2026-09-01"}, "结束日期不能早于开始日期"),
        ({"case": "12345"}, "申报编号是16位数字"),
        ({"action": "drop table"}, "选择一个有效的选项"),
        ({"person": "x" * 500}, "64"),
    ],
)
def test_bad_filters_are_told_next_to_the_field(client, auditor, params, message):
    client.force_login(auditor)
    response = client.get(reverse("audit:entry_list"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_export_is_filtered_neutralised_and_itself_audited(client, auditor, school_reviewer):
    audit_record(
        actor=school_reviewer,
        action="subsidy.view",
        target=school_reviewer,
        detail={"note": "=cmd|' /C calc'!A0"},
    )
    client.force_login(auditor)
    response = client.get(reverse("audit:entry_export"), {"person": "nju.reviewer"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and len(rows) == 2
    assert rows[1][1:3] == ("李老师", "nju.reviewer") and rows[1][4] == "查看申请详情"
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)
    export = AuditEntry.objects.get(action="audit.export")
    assert (
        export.actor == auditor and export.detail["rows"] == 1 and export.detail["person"] == "nju.reviewer"
    )


def test_the_export_writes_each_time_as_an_excel_date_to_the_second(client, auditor, school_reviewer):
    entry = audit_record(actor=school_reviewer, action="subsidy.view", target=school_reviewer)
    client.force_login(auditor)
    response = client.get(reverse("audit:entry_export"), {"person": "nju.reviewer"})
    at = openpyxl.load_workbook(io.BytesIO(response.content)).active["A2"]
    assert at.is_date and isinstance(at.value, datetime.datetime)
    assert at.number_format == "yyyy-mm-dd hh:mm:ss"
    assert at.value == timezone.localtime(entry.at).replace(tzinfo=None, microsecond=0)


def test_a_case_is_found_by_its_record_number_with_everything_done_to_it(client, auditor, world, year):
    application = submit_for(PersonFactory(index=1))
    client.force_login(world["school"])
    client.get(reverse("subsidy:review_detail", kwargs={"pk": application.pk}))
    client.force_login(auditor)
    listed = _listed(client, case=application.record_number)
    assert "提交申请" in listed and "查看申请详情" in listed and application.record_number in listed
    assert "nju.reviewer" in listed
    assert _listed(client, case="2026010100000000") == ""
