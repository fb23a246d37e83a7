"""person_tell: one notice, by SMS and in 我的消息, with any quoted ID or mobile number masked;
staff get the SMS only; a channel that fails does not stop the other."""

import pytest

from servicehall.core.crypto import blind_index
from servicehall.messaging.models import SiteMessage, SmsMessage
from servicehall.messaging.services import person_tell

pytestmark = pytest.mark.django_db
TEXT = "银行反馈：账户有误，请致电13912345678或持320102200403150038的身份证办理。"


def _sms(mobile):
    return list(SmsMessage.objects.filter(mobile_index=blind_index(mobile, purpose="mobile"))
                .values_list("text", flat=True))


def test_a_person_gets_both_with_numbers_masked(person):
    person_tell(user=person, mobile=person.mobile, title="补贴发放失败", text=TEXT, link="/subsidy/apply/")
    [sms] = _sms(person.mobile)
    message = SiteMessage.objects.get(user=person)
    for text in (sms, message.body):
        assert "139****5678" in text and "13912345678" not in text
        assert "320102200403150038" not in text and "3201" in text
    assert message.title == "补贴发放失败" and message.link == "/subsidy/apply/"


def test_staff_get_the_sms_only(school_reviewer):
    person_tell(user=school_reviewer, mobile=school_reviewer.mobile, title="t", text="您有一条新的咨询。")
    assert len(_sms(school_reviewer.mobile)) == 1 and not SiteMessage.objects.exists()


def test_a_bad_mobile_still_leaves_the_site_message(person):
    person_tell(user=person, mobile="not a number", title="补贴已发放", text="您的补贴已发放。")
    assert SiteMessage.objects.filter(user=person).count() == 1 and not SmsMessage.objects.exists()
