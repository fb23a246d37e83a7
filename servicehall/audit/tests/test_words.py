"""The audit trail read in words (audit/describe.py): each entry's object as its Chinese kind and
its own name (发放批次 FF…, the case's record number, people masked), and its detail as sentences
(由“发放中”变为“已发放”), on 审计查询, in its export and in the admin; never JSON, never a whole
ID or mobile number."""

import io

import openpyxl
import pytest
from django.urls import reverse

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.describe import entry_texts
from servicehall.audit.models import AuditEntry
from servicehall.audit.services import audit_record
from servicehall.payments import services as payments
from servicehall.payments.tests.factories import return_for
from tests.clients import staff_client

pytestmark = pytest.mark.django_db


def _listed(client, **params) -> str:
    page = client.get(reverse("audit:entry_list"), params).content.decode()
    return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""


@pytest.fixture
def paid(officers, awaiting, year):
    """One application paid through a batch: built, approved, exported, settled by the bank."""
    (application,) = awaiting(1)
    batch = payments.batch_build(actor=officers["maker"], graduation_year=year)
    payments.batch_approve(actor=officers["checker"], batch=batch)
    _name, data = payments.bank_file_export(actor=officers["maker"], batch=batch, bank="102")
    payments.return_file_import(
        actor=officers["maker"], batch=batch, bank="102", filename="r.csv", data=return_for(data)
    )
    application.refresh_from_db()
    return batch, application


def test_a_batch_is_named_by_its_number_and_a_state_change_is_a_sentence(client, auditor, paid):
    batch, application = paid
    client.force_login(auditor)
    listed = _listed(client, action="payments.batch_approve")
    assert f"发放批次 {batch.number}" in listed and batch.number.startswith("FF")
    assert "payments.paymentbatch" not in listed and "#" not in listed
    assert "笔数：1" in listed and "金额：1,500.00元" in listed

    listed = _listed(client, action="subsidy.bank_paid")
    assert f"求职创业补贴申请 {application.record_number}" in listed
    assert "由“发放中”变为“已发放”" in listed
    assert f"发放批次：{batch.number}" in listed
    assert '"from"' not in listed and "{" not in listed and "paying" not in listed


def test_people_stay_masked_and_staff_are_named_with_their_account(client, auditor, operator, world):
    person = PersonFactory(index=3, name="张小三")
    audit_record(actor=person, action="account.login.password", target=person)
    audit_record(
        actor=operator,
        action="account.staff.change",
        target=world["school"],
        detail={"changes": {"role": {"before": "school_reviewer", "after": "bureau_reviewer"}}},
    )
    client.force_login(auditor)
    listed = _listed(client, action="account.login.password")
    assert "用户 张*三" in listed and "张小三" not in listed
    listed = _listed(client, action="account.staff.change")
    assert "工作人员 李老师（nju.reviewer）" in listed
    assert "角色由“学校审核员”变为“人社审核员”" in listed


def test_changed_fields_go_by_their_names_and_unknown_keys_read_as_key_and_value(operator, year):
    entry = audit_record(
        actor=operator,
        action="config.change",
        target=year,
        detail={
            "object": str(year),
            "changes": {"amount_fen": {"before": 150000, "after": 160000}},
            "note": "身份证 320102199001011234，手机 13812345678",
            "nested": {"a": [1, 2], "b": None, "c": True},
        },
    )
    texts = entry_texts([entry])[entry.pk]
    assert texts.target == f"毕业年度 {year.year}"
    field = str(year._meta.get_field("amount_fen").verbose_name)
    assert texts.detail[0] == f"{field}由“150000”变为“160000”"
    assert texts.detail[1] == "note：身份证 3201**********1234，手机 138****5678"
    assert texts.detail[2] == "nested：a：1、2，b：无，c：是"
    assert "320102199001011234" not in texts.detail_text and "13812345678" not in texts.detail_text


def test_a_deleted_object_is_named_as_it_was_and_an_unknown_one_by_its_number(operator):
    gone = AuditEntry.objects.create(
        action="config.delete", target_type="reference.workdayoverride", target_id="999999",
        detail={"object": "2027-02-06 春节调休", "values": {"note": "春节调休", "is_workday": True}},
    )
    unknown = AuditEntry.objects.create(action="x.y", target_type="nowhere.thing", target_id="5")
    texts = entry_texts([gone, unknown])
    assert texts[gone.pk].target == "工作日调整 2027-02-06 春节调休"
    assert "说明：春节调休" in texts[gone.pk].detail
    assert any(sentence.endswith("：是") for sentence in texts[gone.pk].detail)
    assert texts[unknown.pk].target == "对象（编号5）"


def test_objects_are_loaded_once_per_kind_however_many_entries(django_assert_num_queries, operator, world):
    staff = [world["school"], world["first"], world["second"], operator]
    for user in staff:
        audit_record(actor=operator, action="account.staff.enable", target=user,
                     detail={"organisation": user.organisation_id, "role": user.role})
    entries = list(AuditEntry.objects.filter(action="account.staff.enable"))
    with django_assert_num_queries(2):  # the users, the organisations
        texts = entry_texts(entries)
    assert {texts[e.pk].target.split(" ")[0] for e in entries} == {"工作人员"}
    # (PostgreSQL's jsonb orders a detail's keys its own way: the sentences are found, not indexed)
    organisations = {s for t in texts.values() for s in t.detail if s.startswith("单位：")}
    assert organisations == {f"单位：{user.organisation.name}" for user in staff}


def test_the_export_writes_the_object_and_the_detail_in_words(client, auditor, paid):
    batch, _application = paid
    client.force_login(auditor)
    response = client.get(reverse("audit:entry_export"), {"action": "subsidy.bank_paid"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][6] == "对象" and rows[0][10] == "详情"
    assert rows[1][6].startswith("求职创业补贴申请 ")
    assert rows[1][10].startswith("由“发放中”变为“已发放”；") and batch.number in rows[1][10]


def test_the_admins_audit_pages_say_the_same_words(client, operator, sms_code, paid):
    batch, _application = paid
    staff_client(operator, sms_code, client=client)
    page = client.get("/admin/audit/auditentry/", {"action": "payments.batch_approve"}).content.decode()
    assert f"发放批次 {batch.number}" in page and "审批发放批次" in page
    assert "payments.paymentbatch" not in page
    entry = AuditEntry.objects.get(action="payments.batch_approve")
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert f"发放批次 {batch.number}" in page and "金额：1,500.00元" in page
    assert "payments.batch_approve" not in page and "total_fen" not in page
