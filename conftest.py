"""Fixtures every test suite shares."""

import re

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_code():
    """The newest code the outbox holds for a mobile number (what the person reads on the
    phone)."""
    from servicehall.core.crypto import blind_index
    from servicehall.messaging.models import SmsMessage

    def read(mobile: str) -> str:
        message = (
            SmsMessage.objects.filter(mobile_index=blind_index(mobile, purpose="mobile"))
            .order_by("-created_at", "-id")
            .first()
        )
        assert message is not None, "no SMS was sent to that number"
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", message.text)
        assert found, message.text
        return found.group(1)

    return read
