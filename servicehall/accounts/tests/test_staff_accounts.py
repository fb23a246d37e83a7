"""工作人员管理: an operator opens an account (no password is ever chosen by anyone but its
holder, who sets it with an SMS code), changes it, and disables a leaver, who can no longer log
in. Each step is audited; only operators may do it."""

import pytest
from django.urls import reverse

from servicehall.accounts.models import User
from servicehall.audit.models import AuditEntry
from servicehall.messaging.models import SmsMessage
from tests.clients import staff_client
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
NEW_MOBILE = "13900000077"


def _invite(client, **overrides):
    data = {
        "new-username": "nj.reviewer3",
        "new-name": "周科员",
        "new-role": "bureau_reviewer",
        "new-organisation": "",
        "new-mobile": NEW_MOBILE,
    }
    data.update({f"new-{key}": value for key, value in overrides.items()})
    return client.post(reverse("accounts:staff_list"), data)


def test_an_operator_opens_an_account_and_its_holder_sets_the_password(
    client,
    operator,
    world,
    sms_code,
    django_capture_on_commit_callbacks,
):
    bureau = world["first"].organisation
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, organisation=bureau.pk)
    user = User.objects.get(username="nj.reviewer3")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:staff_edit", args=[user.pk]
    )
    assert not user.has_usable_password() and user.organisation == bureau
    invitation = SmsMessage.objects.order_by("-pk").first()
    assert "nj.reviewer3" in invitation.text and "设置或重置密码" in invitation.text
    assert AuditEntry.objects.filter(action="account.staff.create", target_id=str(user.pk)).exists()
    listed = client.get(reverse("accounts:staff_list"), {"q": "reviewer3"}).content.decode()
    assert "待设置密码" in listed and "周科员" in listed

    # The holder sets the password on the organisation login's page, then logs in.
    client.logout()
    reset = reverse("accounts:password_reset_staff")
    assert "设置或重置密码" in client.get(reverse("accounts:login_staff")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reset, {"mobile": NEW_MOBILE, "action": "send_code"})
    response = client.post(
        reset,
        {
            "mobile": NEW_MOBILE,
            "sms_code": sms_code(NEW_MOBILE),
            "new_password": PASSWORD,
            "new_password_confirm": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_staff")
    client.post(reverse("accounts:login_staff"), {"identifier": "nj.reviewer3", "password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        pass
    client.post(reverse("accounts:login_staff_verify"), {"sms_code": sms_code(NEW_MOBILE)})
    assert client.get(reverse("accounts:staff_home")).status_code == 200


def test_the_staff_page_sends_no_code_to_a_persons_mobile(client, person):
    reset = reverse("accounts:password_reset_staff")
    for response in (
        client.post(reset, {"mobile": person.mobile, "action": "send_code"}),
        client.post(
            reverse("accounts:send_code"), {"mobile": person.mobile, "purpose": "staff_reset_password"}
        ),
    ):
        # The page does not say whose number it is; the phone gets a notice and no code.
        assert "不是在用的单位账号的验证手机" not in response.content.decode()
    notice = SmsMessage.objects.get()
    assert "不是在用的单位账号的验证手机" in notice.text and notice.kind == "notice"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "js.admin"}, "username", "该账号已存在"),
        ({"username": "Bad Name!"}, "username", "账号为3–32位小写字母"),
        ({"role": "school_reviewer"}, "organisation", "角色与所属单位类型不一致"),
        ({"role": "applicant"}, "role", "请选择角色"),
        ({"mobile": "13900000041"}, "mobile", "该手机号码已被其他账号使用"),
        ({"mobile": "12345"}, "mobile", ""),
        ({"organisation": "999999"}, "organisation", "请选择列表中的单位"),
    ],
)
def test_bad_input_is_told_next_to_the_field(client, operator, world, overrides, field, message):
    client.force_login(operator)
    overrides.setdefault("organisation", world["first"].organisation.pk)
    response = _invite(client, **overrides)
    assert response.status_code == 400
    page = response.content.decode()
    block = page.split(f'id="field-new-{field}"')[1].split('<div class="field')[0]
    assert "field__error" in block and message in block
    assert 'value="周科员"' in page  # what was typed is kept
    assert not User.objects.filter(username="nj.reviewer3").exists()


def test_a_change_is_audited_with_before_and_after(client, operator, world):
    reviewer = world["first"]
    client.force_login(operator)
    response = client.post(
        reverse("accounts:staff_edit", args=[reviewer.pk]),
        {
            "name": "王科长",
            "role": "payment_officer",
            "organisation": reviewer.organisation_id,
            "mobile": reviewer.mobile,
        },
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.name, reviewer.role) == ("王科长", "payment_officer")
    entry = AuditEntry.objects.get(action="account.staff.change")
    assert entry.detail["changes"]["role"] == {"before": "bureau_reviewer", "after": "payment_officer"}
    assert entry.detail["changes"]["name"]["after"] == "王科长" and "mobile" not in entry.detail["changes"]


def test_a_leaver_is_disabled_never_deleted_and_cannot_log_in(client, operator, world, sms_code):
    leaver = world["first"]
    staff_client(leaver, sms_code, client=client)
    assert client.get(reverse("accounts:staff_home")).status_code == 200
    admin = client.__class__()
    admin.force_login(operator)
    admin.post(reverse("accounts:staff_activate", args=[leaver.pk]), {"active": "0"})
    leaver.refresh_from_db()
    assert leaver.is_active is False and User.objects.filter(pk=leaver.pk).exists()
    # Their open session ends, and they cannot log in again.
    assert client.get(reverse("accounts:staff_home")).status_code == 302
    response = client.post(
        reverse("accounts:login_staff"), {"identifier": leaver.username, "password": PASSWORD}
    )
    assert response.status_code != 302 or "verify" not in response.get("Location", "")
    assert AuditEntry.objects.filter(action="account.staff.disable", target_id=str(leaver.pk)).exists()
    # Enabled again.
    admin.post(reverse("accounts:staff_activate", args=[leaver.pk]), {"active": "1"})
    leaver.refresh_from_db()
    assert leaver.is_active is True
    # An operator cannot disable themselves.
    admin.post(reverse("accounts:staff_activate", args=[operator.pk]), {"active": "0"})
    operator.refresh_from_db()
    assert operator.is_active is True


def test_only_operators_manage_staff(client, world, person):
    for url in (reverse("accounts:staff_list"), reverse("accounts:staff_edit", args=[world["first"].pk])):
        client.force_login(world["first"])
        assert client.get(url).status_code == 403
        client.force_login(person)
        assert client.get(url)["Location"] == reverse("portal:center")
    client.force_login(world["first"])
    assert (
        client.post(
            reverse("accounts:staff_activate", args=[world["school"].pk]), {"active": "0"}
        ).status_code
        == 403
    )


def test_the_staff_list_filters_by_name_role_and_state(client, operator, world):
    first, second = world["first"], world["second"]
    User.objects.filter(pk=second.pk).update(is_active=False)  # a leaver
    client.force_login(operator)
    url = reverse("accounts:staff_list")

    def listed(**query):
        return {user.username for user in client.get(url, query).context["page"].object_list}

    everyone = listed()
    assert {first.username, second.username, world["school"].username} <= everyone
    assert operator.username in everyone and "applicant" not in " ".join(everyone)
    assert listed(q=first.username) == {first.username}
    assert listed(role="school_reviewer") == {
        user.username for user in User.objects.filter(role="school_reviewer")
    }
    assert second.username in listed(active="0") and first.username not in listed(active="0")
    assert second.username not in listed(active="1")
    assert listed(role="no-such-role") == everyone  # an unknown choice filters nothing, never a 500
