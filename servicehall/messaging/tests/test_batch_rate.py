"""Batches of messages (政策找人's invitations) go out no faster than the gateway's contract,
counted across workers, and a message already sent is not sent again."""

import pytest

from servicehall.messaging.models import SmsMessage, SmsStatus
from servicehall.messaging.services import sms_deliver_batch, sms_send

pytestmark = pytest.mark.django_db


def test_a_batch_waits_for_the_next_second_past_the_contracted_rate(settings, monkeypatch):
    settings.SMS_GATEWAY_PER_SECOND = 2
    clock = {"now": 1000.0}
    monkeypatch.setattr("servicehall.core.ratelimit.time.time", lambda: clock["now"])
    monkeypatch.setattr("servicehall.messaging.services.time.time", lambda: clock["now"])
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        clock["now"] += seconds

    ids = [sms_send(mobile=f"1380000{i:04d}", text="您可能符合求职创业补贴条件", queue=False).pk
           for i in range(5)]
    assert sms_deliver_batch(message_ids=ids, sleep=sleep) == 5
    assert len(waits) == 2, "five messages at two a second: two waits for the next second"
    assert SmsMessage.objects.filter(status=SmsStatus.SENT).count() == 5
    assert sms_deliver_batch(message_ids=ids, sleep=sleep) == 0, "sent once"
