"""The long form and the session's end (issue 17): a page may extend the session before it ends;
a form sent after it ended is kept (encrypted, for this browser, briefly) and, after the same
person logs in again, saved as their draft; nobody else gets it, and nothing is submitted."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from servicehall.accounts.tests.factories import PersonFactory
from servicehall.accounts.typed_keeping import COOKIE, OWNER_FIELD, owner_token
from servicehall.subsidy.models import Application
from servicehall.subsidy.tests.factories import form_data

pytestmark = pytest.mark.django_db
APPLY = reverse("subsidy:apply")
EXTEND = reverse("accounts:session_extend")


@pytest.fixture
def applicant(card, open_window, person):
    return person


def _typed(owner, **overrides) -> dict:
    return form_data(**{"action": "save_draft", "pledge": None, OWNER_FIELD: owner, **overrides})


def test_the_form_carries_its_owner_and_the_warning(client, applicant):
    client.force_login(applicant)
    page = client.get(APPLY).content.decode()
    assert f'name="{OWNER_FIELD}"' in page and 'data-session-seconds="1740"' in page
    assert "登录即将超时" in page and f'data-extend-url="{EXTEND}"' in page


def test_extending_moves_the_sessions_end(client, applicant):
    client.force_login(applicant)
    before = client.session.get_expiry_date()
    answer = client.post(EXTEND)
    assert answer.status_code == 200 and answer.json() == {"seconds": 1740}
    assert client.session.get_expiry_date() >= before
    assert client.get(EXTEND).status_code == 405
    client.logout()
    assert client.post(EXTEND).status_code == 401


def test_a_form_sent_after_the_session_ended_is_restored_as_a_draft(client, applicant):
    client.force_login(applicant)
    owner = owner_token(applicant)
    client.logout()  # the session ends while the person types
    response = client.post(APPLY, _typed(owner, department="计算机科学与技术学院"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "next=/subsidy/apply/" in response["Location"]
    key = response.cookies[COOKIE].value
    assert response.cookies[COOKIE]["httponly"] and response.cookies[COOKIE]["path"] == APPLY
    kept = cache.get(f"typed-kept:{key}")
    assert kept and "计算机科学与技术学院" not in kept and applicant.mobile not in kept  # encrypted
    assert not Application.objects.filter(applicant=applicant).exists()

    client.force_login(applicant)
    response = client.get(APPLY, follow=True)
    page = response.content.decode()
    assert "已恢复您登录超时前填写的内容并保存为草稿" in page
    draft = Application.objects.get(applicant=applicant)
    assert draft.state == "draft" and draft.department == "计算机科学与技术学院"
    assert draft.student_number == "221250001"
    assert cache.get(f"typed-kept:{key}") is None  # once
    assert "已恢复" not in client.get(APPLY).content.decode()


def test_someone_else_logging_in_on_that_browser_gets_nothing(client, applicant):
    owner = owner_token(applicant)
    response = client.post(APPLY, _typed(owner, department="别人看不到的学院"))
    key = response.cookies[COOKIE].value
    other = PersonFactory(index=81)
    client.force_login(other)
    page = client.get(APPLY).content.decode()
    assert "别人看不到的学院" not in page and "已恢复" not in page
    assert cache.get(f"typed-kept:{key}") is None  # and gone
    assert not Application.objects.filter(department="别人看不到的学院").exists()


@pytest.mark.parametrize("owner", ["", "forged", "1:abc:def"])
def test_a_form_without_a_true_owner_is_not_kept(client, applicant, owner):
    response = client.post(APPLY, _typed(owner))
    assert response.status_code == 302 and COOKIE not in response.cookies


def test_an_oversized_form_is_not_kept_and_never_a_500(client, applicant):
    response = client.post(APPLY, _typed(owner_token(applicant), department="学" * 70_000))
    assert response.status_code == 302 and COOKIE not in response.cookies


def test_a_kept_form_is_saved_not_submitted(client, applicant):
    response = client.post(APPLY, _typed(owner_token(applicant), action="submit", pledge="on"))
    assert COOKIE in response.cookies
    client.force_login(applicant)
    client.get(APPLY)
    assert Application.objects.get(applicant=applicant).state == "draft"
