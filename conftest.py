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


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; each test starts in Chinese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture
def person(db):
    from servicehall.accounts import services
    from servicehall.accounts.models import IdType
    from tests.people import PASSWORD, resident_id

    return services.person_create_verified(
        id_type=IdType.RESIDENT, id_number=resident_id("32010220040315003"),
        name="张晓明", mobile="13800000001", password=PASSWORD,
    )


@pytest.fixture
def organisations(db):
    from servicehall.accounts import services
    from servicehall.accounts.models import Organisation
    from servicehall.reference.models import Region, School

    platform = services.organisation_create(
        name="江苏省人力资源和社会保障厅", kind=Organisation.Kind.PLATFORM,
        region=Region.objects.get(code="320000"),
    )
    school = services.organisation_create(
        name="南京大学", kind=Organisation.Kind.SCHOOL, region=Region.objects.get(code="320100"),
        school=School.objects.get(code="4132010284"),
    )
    return {"platform": platform, "school": school}


def _staff(organisation, *, username, name, role, mobile):
    from servicehall.accounts import services
    from tests.people import PASSWORD

    return services.staff_create(
        actor=None, username=username, name=name, role=role, organisation=organisation,
        mobile=mobile, password=PASSWORD,
    )


@pytest.fixture
def operator(organisations):
    return _staff(organisations["platform"], username="js.admin", name="孙管理员",
                  role="operator", mobile="13900000041")


@pytest.fixture
def auditor(organisations):
    return _staff(organisations["platform"], username="js.auditor", name="吴审计",
                  role="auditor", mobile="13900000051")


@pytest.fixture
def school_reviewer(organisations):
    return _staff(organisations["school"], username="nju.reviewer", name="李老师",
                  role="school_reviewer", mobile="13900000011")
