"""办件进度查询 without logging in (issue 17): the record number and the applicant's ID number or
name show where the case is, masked; every mismatch gets the same answer; lookups are rate
limited; the receipt's QR code and the catalog's 查询 button open it."""

import pytest
from django.urls import reverse

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.audit.models import AuditEntry
from servicehall.subsidy import public_progress, receipt
from servicehall.subsidy.tests.factories import refused_by_school, submit_for

pytestmark = pytest.mark.django_db
PAGE = reverse("subsidy:progress_lookup")
NOT_FOUND = "没有查到这笔办件"


def _look(client, number, identity, **extra):
    return client.post(PAGE, {"record_number": number, "identity": identity}, **extra).content.decode()


@pytest.fixture
def refused(world):
    """A case with an officer's opinion in its timeline (which the lookup must not show)."""
    return refused_by_school(world, PersonFactory(index=51), opinion="学号与学籍记录不符，联系13912345678")


def test_the_number_and_the_id_number_show_the_masked_progress(client, refused):
    page = _look(client, refused.record_number, refused.id_number.lower())
    assert 'id="progress-found"' in page and refused.record_number in page
    assert refused.name[0] + "*" in page and refused.name not in page
    assert "不予受理" in page and "南京大学" in page and "学校审核" in page
    for secret in (refused.id_number, "学号与学籍记录不符", "13912345678", "残疾"):
        assert secret not in page, secret
    entry = AuditEntry.objects.get(action="subsidy.progress_lookup")
    assert entry.actor_id is None and entry.target_id == str(refused.pk)


def test_the_name_works_too_and_every_mismatch_says_the_same(client, world, refused):
    assert 'id="progress-found"' in _look(client, refused.record_number, f" {refused.name} ")
    other = submit_for(PersonFactory(index=52))
    answers = [
        _look(client, refused.record_number, "王某某"),  # the wrong name
        _look(client, refused.record_number, other.id_number),  # someone else's ID number
        _look(client, "9" * 16, refused.id_number),  # no such number
    ]
    for page in answers:
        assert NOT_FOUND in page and 'id="progress-found"' not in page
    assert AuditEntry.objects.filter(action="subsidy.progress_lookup").count() == 1


def test_guessing_names_for_one_number_is_stopped(client, refused):
    for _ in range(public_progress.MISSES_PER_NUMBER):
        assert NOT_FOUND in _look(client, refused.record_number, "王某某")
    page = _look(client, refused.record_number, refused.id_number)
    assert "查询过于频繁" in page and 'id="progress-found"' not in page


def test_one_address_cannot_scan(client, refused):
    for n in range(public_progress.LOOKUPS_PER_ADDRESS):
        _look(client, f"{n:016d}", "张三")
    assert "查询过于频繁" in _look(client, refused.record_number, refused.id_number)
    assert 'id="progress-found"' in _look(client, refused.record_number, refused.id_number,
                                          REMOTE_ADDR="192.0.2.77")


@pytest.mark.parametrize(("number", "identity", "said"), [
    ("", "", "请填写申报编号"),
    ("12345", "张三", "申报编号为16位数字"),
    ("\x00" * 16, "张三", "申报编号"),
    ("1" * 16, "x" * 41, "申请人公民身份号码或姓名"),
    ("1" * 16, "<script>alert(1)</script>", NOT_FOUND),
])
def test_bad_input_is_answered_beside_its_field(client, number, identity, said):
    response = client.post(PAGE, {"record_number": number, "identity": identity})
    page = response.content.decode()
    assert response.status_code == 200 and said in page and "<script>alert(1)" not in page


def test_the_receipts_qr_code_and_the_catalog_open_the_lookup(client, refused, monkeypatch):
    page = client.get(PAGE, {"number": refused.record_number}).content.decode()
    assert f'value="{refused.record_number}"' in page
    assert 'value="&lt;' not in client.get(PAGE, {"number": "<x>"}).content.decode()
    seen = {}

    def render(application, *, progress_url):
        seen["url"] = progress_url
        return b"%PDF-1.4"

    monkeypatch.setattr(receipt, "render", render)
    client.force_login(refused.applicant)
    response = client.get(reverse("subsidy:receipt", args=[refused.pk]))
    assert response.status_code == 200
    assert seen["url"] == f"http://testserver{PAGE}?number={refused.record_number}"
    client.logout()
    response = client.get(reverse("catalog:apply", args=["case-progress"]))
    assert response.status_code == 302 and response["Location"] == PAGE
