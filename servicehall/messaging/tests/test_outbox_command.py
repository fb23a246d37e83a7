"""manage.py outbox: the newest messages to a number, only where the outbox is the gateway."""

import io

import pytest
from django.core.management import CommandError, call_command

from servicehall.messaging.gateways import OutboxGateway

pytestmark = pytest.mark.django_db


def _send(mobile: str, text: str) -> None:
    from servicehall.messaging.services import sms_send

    sms_send(mobile=mobile, text=text)


def test_prints_the_newest_messages_to_that_number_only(settings):
    settings.SMS_BACKEND = f"{OutboxGateway.__module__}.{OutboxGateway.__name__}"
    _send("13800000001", "【江苏人社】第一条")
    _send("13800000001", "【江苏人社】第二条")
    _send("13900000002", "【江苏人社】别人的")
    out = io.StringIO()
    call_command("outbox", "13800000001", "--count", "1", stdout=out)
    assert "第二条" in out.getvalue() and "第一条" not in out.getvalue() and "别人的" not in out.getvalue()


def test_refused_when_a_real_gateway_sends(settings):
    settings.SMS_BACKEND = "servicehall.messaging.gateways.HttpGateway"
    with pytest.raises(CommandError):
        call_command("outbox", "13800000001")
