"""Fixtures every test suite shares."""

import os
import re

import pytest
from django.core.cache import cache

# The cluster tests (tests/cluster) run against a running `make cluster`, in their own session:
# `make cluster-test`. Everywhere else they are not collected.
collect_ignore = [] if os.environ.get("HALL_CLUSTER_TESTS") == "1" else ["tests/cluster"]
# The local OpenID Connect provider, started once per worker by the tests that ask for it.
pytest_plugins = ["tests.provider"]


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


# --- The subsidy's world, shared by every app's tests (built by the apps' factories) --------


@pytest.fixture
def year(db):
    from servicehall.subsidy.tests.factories import YEAR
    from servicehall.subsidy.years import graduation_year_setup

    return graduation_year_setup(year=YEAR)


@pytest.fixture
def open_window(year):
    """The year's main window moved around today, so pages see it open."""
    from servicehall.subsidy.models import ApplicationWindow, WindowKind
    from servicehall.subsidy.tests.factories import open_year

    open_year(year)
    return ApplicationWindow.objects.get(graduation_year=year, kind=WindowKind.MAIN)


@pytest.fixture
def card(person):
    from servicehall.cards.services import demo_card_for

    return demo_card_for(id_number=person.id_number, name=person.name)


@pytest.fixture
def world(organisations, school_reviewer):
    """Two schools and two bureaus with their reviewers."""
    from servicehall.subsidy.tests.factories import review_world

    return review_world(school_reviewer)


@pytest.fixture
def submitted(person):
    from servicehall.subsidy.tests.factories import submit_for

    return submit_for(person)


@pytest.fixture
def officers(world):
    from servicehall.payments.tests.factories import payment_officers

    return payment_officers(world)


@pytest.fixture
def awaiting(world):
    """make(n): n applications of n people at 南京大学, awaiting payment."""
    from servicehall.accounts.tests.factories import PersonFactory
    from servicehall.subsidy.models import Application
    from servicehall.subsidy.tests.factories import submit_for, to_awaiting_payment

    def make(count: int, start: int = 0):
        applications = [submit_for(PersonFactory(index=start + i)) for i in range(count)]
        ids = to_awaiting_payment(world, applications)
        return list(Application.objects.filter(pk__in=ids).order_by("pk"))

    return make


@pytest.fixture
def migrated_rows(transactional_db):
    """For the race tests (transactional): the reference rows a previous flush removed."""
    from tests.migrated_data import ensure_reference_data

    ensure_reference_data()
