"""prune_messaging, the selector, and the admin's masking."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from servicehall.messaging.admin import SmsMessageAdmin
from servicehall.messaging.models import CodePurpose, OneTimeCode, SmsDailyQuota, SmsMessage
from servicehall.messaging.selectors import outbox_messages
from servicehall.messaging.services import otp_send, sms_send

from .conftest import IP, MOBILE, OTHER_MOBILE

pytestmark = pytest.mark.django_db


def test_prune_deletes_codes_older_than_a_day(django_capture_on_commit_callbacks, clock):
    with django_capture_on_commit_callbacks(execute=True):
        otp_send(mobile=MOBILE, purpose=CodePurpose.LOGIN, client_address=IP)
        clock.advance(hours=23)
        otp_send(mobile=OTHER_MOBILE, purpose=CodePurpose.LOGIN, client_address=IP)
    clock.advance(hours=2)

    call_command("prune_messaging", stdout=io.StringIO())

    (kept,) = OneTimeCode.objects.all()
    assert kept.created_at == clock.now - timedelta(hours=2)
    # Messages are kept; only codes go.
    assert SmsMessage.objects.count() == 2


def test_prune_deletes_old_quota_rows(django_capture_on_commit_callbacks, clock):
    with django_capture_on_commit_callbacks(execute=True):
        otp_send(mobile=MOBILE, purpose=CodePurpose.LOGIN, client_address=IP)
    clock.advance(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        otp_send(mobile=MOBILE, purpose=CodePurpose.LOGIN, client_address=IP)
    assert SmsDailyQuota.objects.count() == 2
    call_command("prune_messaging", stdout=io.StringIO())
    assert SmsDailyQuota.objects.count() == 1


def test_selector_filters_and_limits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            sms_send(mobile=MOBILE, text=f"通知{i}")
        sms_send(mobile=OTHER_MOBILE, text="其他")
    texts = [m.text for m in outbox_messages(MOBILE, limit=2)]
    assert texts == ["【江苏人社】通知2", "【江苏人社】通知1"]
    assert len(outbox_messages(None)) == 4
    assert [m.mobile for m in outbox_messages(OTHER_MOBILE)] == [OTHER_MOBILE]


def test_admin_masks_the_number_and_hides_the_text(django_capture_on_commit_callbacks):
    from django.contrib import admin

    with django_capture_on_commit_callbacks(execute=True):
        message = sms_send(mobile=MOBILE, text="您的验证码为111111")
    model_admin = SmsMessageAdmin(SmsMessage, admin.site)
    assert model_admin.masked_mobile(message) == "138****5678"
    shown = set(model_admin.fields) | set(model_admin.list_display)
    assert not shown & {"mobile", "text", "mobile_index"}


def test_admin_search_by_full_number(rf, django_capture_on_commit_callbacks):
    from django.contrib import admin

    with django_capture_on_commit_callbacks(execute=True):
        sms_send(mobile=MOBILE, text="一")
        sms_send(mobile=OTHER_MOBILE, text="二")
    model_admin = SmsMessageAdmin(SmsMessage, admin.site)
    found, _dups = model_admin.get_search_results(rf.get("/"), SmsMessage.objects.all(), MOBILE)
    assert [m.mobile for m in found] == [MOBILE]
    found, _dups = model_admin.get_search_results(rf.get("/"), SmsMessage.objects.all(), "138")
    assert list(found) == []
