"""One-time codes: otp_send and otp_verify, as the accounts app uses them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings

from servicehall.core.errors import DomainError
from servicehall.messaging.models import CodePurpose, OneTimeCode, SmsDailyQuota, SmsMessage, SmsStatus
from servicehall.messaging.services import otp_send, otp_verify

from .conftest import IP, MOBILE, OTHER_MOBILE, frozen, last_code, sms_count

pytestmark = pytest.mark.django_db

REGISTER = CodePurpose.REGISTER
LOGIN = CodePurpose.LOGIN
ANONYMOUS = [REGISTER, LOGIN, CodePurpose.RESET_PASSWORD, CodePurpose.APPEAL]


def send(capture, mobile=MOBILE, purpose=REGISTER, ip=IP) -> int:
    with capture(execute=True):
        return otp_send(mobile=mobile, purpose=purpose, client_address=ip)


def verify_error(mobile=MOBILE, purpose=REGISTER, code="000000") -> DomainError:
    with pytest.raises(DomainError) as info:
        otp_verify(mobile=mobile, purpose=purpose, code=code)
    return info.value


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_send_texts_a_six_digit_code_in_chinese(django_capture_on_commit_callbacks, clock):
    wait = send(django_capture_on_commit_callbacks)

    assert wait == 60
    message = SmsMessage.objects.get()
    assert message.mobile == MOBILE
    assert message.kind == "otp"
    assert message.status == SmsStatus.SENT
    assert re.fullmatch(
        r"【江苏人社】您的注册验证码为\d{6}，5分钟内有效。如非本人操作，请忽略本短信。",
        message.text,
    )
    assert re.fullmatch(r"\d{6}", last_code())


def test_sms_is_queued_only_after_commit(django_capture_on_commit_callbacks, clock):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        otp_send(mobile=MOBILE, purpose=REGISTER, client_address=IP)
    assert SmsMessage.objects.get().status == SmsStatus.QUEUED
    assert len(callbacks) == 1


def test_code_and_mobile_are_not_stored_in_clear(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks)
    code = last_code()

    tables = [OneTimeCode._meta.db_table, SmsMessage._meta.db_table]
    with connection.cursor() as cursor:
        raw = ""
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (our own table names)
            rows = cursor.fetchall()
            assert rows
            raw += repr(rows)
    assert code not in raw
    assert MOBILE not in raw
    assert "验证码" not in raw


def test_right_code_verifies_once(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks)
    code = last_code()

    otp_verify(mobile=MOBILE, purpose=REGISTER, code=code)

    assert OneTimeCode.objects.get().consumed_at == clock.now
    error = verify_error(code=code)
    assert error.code == "otp_missing"
    assert error.fields == ("sms_code",)
    assert "请先获取短信验证码" in error.message


def test_never_requested_is_missing():
    assert verify_error().code == "otp_missing"


def test_code_expires_after_five_minutes(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks)
    code = last_code()

    clock.advance(minutes=5)
    error = verify_error(code=code)
    assert error.code == "otp_expired"
    assert "过期" in error.message


def test_code_still_valid_just_before_five_minutes(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks)
    clock.advance(minutes=4, seconds=59)
    otp_verify(mobile=MOBILE, purpose=REGISTER, code=last_code())


def test_resend_within_60_seconds_is_refused_then_allowed(
    django_capture_on_commit_callbacks, clock
):
    send(django_capture_on_commit_callbacks)
    clock.advance(seconds=45)

    with pytest.raises(DomainError) as info:
        send(django_capture_on_commit_callbacks)
    assert info.value.code == "sms_resend_too_soon"
    assert info.value.fields == ("mobile",)
    assert "15秒" in info.value.message
    assert sms_count() == 1

    clock.advance(seconds=15)
    assert send(django_capture_on_commit_callbacks) == 60
    assert sms_count() == 2


def test_wrong_code_tells_tries_left_and_is_counted(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks)
    code = last_code()

    error = verify_error(code=wrong(code))
    assert error.code == "otp_invalid"
    assert "4次" in error.message
    # Counted in the database even though an error was raised.
    assert OneTimeCode.objects.get().attempts == 1
    assert "3次" in verify_error(code=wrong(code)).message

    otp_verify(mobile=MOBILE, purpose=REGISTER, code=code)


def test_code_burns_after_five_wrong_tries(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks)
    code = last_code()

    codes = [verify_error(code=wrong(code)).code for _ in range(5)]
    assert codes == ["otp_invalid"] * 4 + ["otp_burnt"]

    error = verify_error(code=code)
    assert error.code == "otp_burnt"
    assert "该验证码已失效，请重新获取" in error.message
    assert OneTimeCode.objects.get().consumed_at is None


def test_ten_codes_a_day_then_refused_next_day_allowed(django_capture_on_commit_callbacks):
    shanghai = ZoneInfo("Asia/Shanghai")
    start = datetime(2025, 9, 1, 0, 30, tzinfo=shanghai)
    purposes = ANONYMOUS * 3
    with frozen(start) as clock:
        for i in range(10):
            send(django_capture_on_commit_callbacks, purpose=purposes[i])
            clock.advance(minutes=2)

        with pytest.raises(DomainError) as info:
            send(django_capture_on_commit_callbacks, purpose=LOGIN)
        assert info.value.code == "sms_daily_limit"
        assert info.value.fields == ("mobile",)
        assert sms_count() == 10

        # Another number is not affected.
        send(django_capture_on_commit_callbacks, mobile=OTHER_MOBILE)

        # 23:59 in Shanghai is still the same day; 00:00 is the next.
        clock.now = datetime(2025, 9, 1, 23, 59, tzinfo=shanghai)
        with pytest.raises(DomainError):
            send(django_capture_on_commit_callbacks, purpose=LOGIN)
        clock.now = datetime(2025, 9, 2, 0, 0, tzinfo=shanghai)
        send(django_capture_on_commit_callbacks, purpose=LOGIN)
    assert sms_count() == 11


def test_refused_requests_do_not_use_up_the_daily_allowance(
    django_capture_on_commit_callbacks, clock
):
    send(django_capture_on_commit_callbacks)
    for _ in range(20):
        with pytest.raises(DomainError):
            send(django_capture_on_commit_callbacks)
    for purpose in list(CodePurpose)[1:]:
        send(django_capture_on_commit_callbacks, purpose=purpose)
    assert sms_count() == len(CodePurpose)


@override_settings(SMS_LIMIT_PER_ADDRESS_PER_HOUR=3)
def test_per_address_limit(django_capture_on_commit_callbacks, clock):
    for i in range(3):
        send(django_capture_on_commit_callbacks, mobile=f"1370000000{i}")

    with pytest.raises(DomainError) as info:
        send(django_capture_on_commit_callbacks, mobile="13700000009")
    assert info.value.code == "sms_address_limit"
    assert info.value.fields == ("mobile",)
    assert OneTimeCode.objects.count() == 3
    assert SmsMessage.objects.count() == 3

    # Another address may still ask.
    send(django_capture_on_commit_callbacks, mobile="13700000009", ip="203.0.113.9")


def test_default_address_limit_is_thirty(django_capture_on_commit_callbacks, clock):
    for i in range(30):
        send(django_capture_on_commit_callbacks, mobile=f"137000{i:05d}")
    with pytest.raises(DomainError) as info:
        send(django_capture_on_commit_callbacks, mobile="13600000000")
    assert info.value.code == "sms_address_limit"


def test_purposes_are_isolated(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks, purpose=REGISTER)
    register_code = last_code()

    # A register code does not log in, and asking for it counts no try against anything.
    assert verify_error(purpose=LOGIN, code=register_code).code == "otp_missing"

    # Each purpose has its own resend interval.
    send(django_capture_on_commit_callbacks, purpose=LOGIN)
    login_code = last_code()
    if login_code != register_code:
        assert verify_error(purpose=LOGIN, code=register_code).code == "otp_invalid"
    otp_verify(mobile=MOBILE, purpose=LOGIN, code=login_code)
    otp_verify(mobile=MOBILE, purpose=REGISTER, code=register_code)


def test_numbers_are_isolated(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks, mobile=MOBILE)
    code = last_code(MOBILE)
    assert verify_error(mobile=OTHER_MOBILE, code=code).code == "otp_missing"
    otp_verify(mobile=MOBILE, purpose=REGISTER, code=code)


def test_newer_code_supersedes_older(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks)
    old_code = last_code()
    clock.advance(seconds=61)
    send(django_capture_on_commit_callbacks)
    new_code = last_code()

    old, new = OneTimeCode.objects.order_by("created_at")
    assert old.superseded_at == clock.now
    assert new.superseded_at is None
    if old_code != new_code:
        assert verify_error(code=old_code).code == "otp_invalid"
    otp_verify(mobile=MOBILE, purpose=REGISTER, code=new_code)


def test_each_code_is_hashed_with_its_number_and_purpose(
    django_capture_on_commit_callbacks, clock, monkeypatch
):
    monkeypatch.setattr("secrets.randbelow", lambda n: 123456)
    send(django_capture_on_commit_callbacks, mobile=MOBILE)
    send(django_capture_on_commit_callbacks, mobile=OTHER_MOBILE)
    send(django_capture_on_commit_callbacks, mobile=MOBILE, purpose=LOGIN)
    hashes = set(OneTimeCode.objects.values_list("code_hash", flat=True))
    assert len(hashes) == 3
    assert all(len(h) == 64 for h in hashes)


@pytest.mark.parametrize("mobile", ["", "1381234567", "138123456789", "23812345678", "1381234567a"])
def test_send_refuses_a_malformed_number(django_capture_on_commit_callbacks, mobile):
    with pytest.raises(DomainError) as info:
        send(django_capture_on_commit_callbacks, mobile=mobile)
    assert info.value.code == "mobile_invalid"
    assert not SmsMessage.objects.exists()


def test_unknown_purpose_is_a_programming_error():
    with pytest.raises(ValueError):
        otp_send(mobile=MOBILE, purpose="nonsense", client_address=IP)


@pytest.mark.django_db(transaction=True)
def test_wrong_tries_survive_when_the_error_propagates(django_capture_on_commit_callbacks):
    """Without a test transaction around it: the increment must be committed."""
    with django_capture_on_commit_callbacks(execute=True):
        otp_send(mobile=MOBILE, purpose=REGISTER, client_address=IP)
    code = last_code()
    with pytest.raises(DomainError):
        otp_verify(mobile=MOBILE, purpose=REGISTER, code=wrong(code))
    assert OneTimeCode.objects.get().attempts == 1


def test_codes_vary(django_capture_on_commit_callbacks, clock):
    codes = set()
    for i in range(8):
        send(django_capture_on_commit_callbacks, mobile=f"1350000000{i}")
        codes.add(last_code(f"1350000000{i}"))
    assert len(codes) > 1


def test_sms_text_stays_chinese_under_english(django_capture_on_commit_callbacks, clock):
    from django.utils import translation

    with translation.override("en"):
        send(django_capture_on_commit_callbacks, purpose=CodePurpose.STAFF_LOGIN)
    assert "您的单位登录验证码为" in SmsMessage.objects.get().text


def test_expired_window_uses_settings(django_capture_on_commit_callbacks, clock):
    with override_settings(SMS_CODE_TTL_SECONDS=120):
        send(django_capture_on_commit_callbacks)
        assert "2分钟内有效" in SmsMessage.objects.get().text
    clock.advance(seconds=121)
    assert verify_error(code=last_code()).code == "otp_expired"
    assert OneTimeCode.objects.get().expires_at - OneTimeCode.objects.get().created_at == (
        timedelta(seconds=120)
    )


def test_each_budget_class_has_its_own_daily_count(django_capture_on_commit_callbacks):
    start = datetime(2025, 9, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with frozen(start) as clock:
        for i in range(10):
            send(django_capture_on_commit_callbacks, purpose=(ANONYMOUS * 3)[i])
            clock.advance(minutes=2)
        with pytest.raises(DomainError) as info:
            send(django_capture_on_commit_callbacks, purpose=LOGIN)
        assert info.value.code == "sms_daily_limit"
        # Neither a logged-in person's own change nor the staff second factor is spent.
        send(django_capture_on_commit_callbacks, purpose=CodePurpose.CHANGE_MOBILE)
        send(django_capture_on_commit_callbacks, purpose=CodePurpose.STAFF_LOGIN)
    counts = dict(SmsDailyQuota.objects.values_list("budget", "codes_sent"))
    assert counts == {"anonymous": 10, "own_action": 1, "staff_login": 1}


def test_the_staff_second_factor_has_twenty_a_day(django_capture_on_commit_callbacks):
    start = datetime(2025, 9, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with frozen(start) as clock:
        for _ in range(20):
            send(django_capture_on_commit_callbacks, purpose=CodePurpose.STAFF_LOGIN)
            clock.advance(minutes=2)
        with pytest.raises(DomainError) as info:
            send(django_capture_on_commit_callbacks, purpose=CodePurpose.STAFF_LOGIN)
    assert info.value.code == "sms_daily_limit" and "20次" in info.value.message


@override_settings(SMS_LIMIT_PER_ADDRESS_PER_HOUR=2)
def test_the_hourly_address_cap_is_per_budget_class(django_capture_on_commit_callbacks, clock):
    send(django_capture_on_commit_callbacks, mobile="13700000001")
    send(django_capture_on_commit_callbacks, mobile="13700000002")
    with pytest.raises(DomainError):
        send(django_capture_on_commit_callbacks, mobile="13700000003")
    # Visitors behind the same address do not stop a staff member's second factor.
    send(django_capture_on_commit_callbacks, mobile="13700000003", purpose=CodePurpose.STAFF_LOGIN)
