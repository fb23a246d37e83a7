import pytest
from django.test import Client
from stdnum.cn import ric

from servicehall.accounts import services
from servicehall.accounts.models import IdType, Organisation, Role
from servicehall.reference.models import Region, School

PASSWORD = "Good#Pass2026"


def resident_id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17 + "0")  # it skips the last digit


@pytest.fixture
def person(db):
    return services.person_create_verified(
        id_type=IdType.RESIDENT, id_number=resident_id("32010220040315003"),
        name="张晓明", mobile="13800000001", password=PASSWORD,
    )


@pytest.fixture
def organisations(db):
    platform = services.organisation_create(
        name="江苏省人力资源和社会保障厅", kind=Organisation.Kind.PLATFORM,
        region=Region.objects.get(code="320000"),
    )
    school = services.organisation_create(
        name="南京大学", kind=Organisation.Kind.SCHOOL, region=Region.objects.get(code="320100"),
        school=School.objects.get(code="4132010284"),
    )
    return {"platform": platform, "school": school}


@pytest.fixture
def operator(organisations):
    return services.staff_create(
        actor=None, username="js.admin", name="孙管理员", role=Role.OPERATOR,
        organisation=organisations["platform"], mobile="13900000041", password=PASSWORD,
    )


@pytest.fixture
def school_reviewer(organisations):
    return services.staff_create(
        actor=None, username="nju.reviewer", name="李老师", role=Role.SCHOOL_REVIEWER,
        organisation=organisations["school"], mobile="13900000011", password=PASSWORD,
    )


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.0.0.1")
