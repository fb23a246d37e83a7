import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from servicehall.messaging.models import SmsMessage
from tests.clock import frozen

MOBILE = "13812345678"
OTHER_MOBILE = "13900001111"
IP = "198.51.100.7"
CODE_RE = re.compile(r"验证码为(\d{6})，")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    # Noon in Shanghai, far from the day's edges.
    start = timezone.now().replace(hour=4, minute=0, second=0, microsecond=0)
    with frozen(start) as c:
        yield c


def last_code(mobile: str = MOBILE) -> str:
    """The code in the newest SMS to `mobile`, as the person reads it on the phone."""
    from servicehall.messaging.selectors import outbox_messages

    message = outbox_messages(mobile, limit=1)[0]
    match = CODE_RE.search(message.text)
    assert match, message.text
    return match.group(1)


def sms_count(mobile: str = MOBILE) -> int:
    from servicehall.messaging.services import mobile_index_of

    return SmsMessage.objects.filter(mobile_index=mobile_index_of(mobile)).count()
