"""Issue 15: two ID-number checkers with different rules (registration and appeals in
accounts/identity.py, imports in cards/importing.py: the import took a birth date in the
future). Now one check (reference/id_numbers.py) and one set of messages at every door."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from servicehall.accounts.identity import check_id_document
from servicehall.accounts.models import IdType
from servicehall.cards.importing import check_id_number
from servicehall.core.errors import DomainError
from servicehall.reference.id_numbers import IdNumberProblem, resident_id
from servicehall.verification.reading import check_id
from tests.people import resident_id as make_id

GOOD = make_id("32010219900101001")
BAD_CHECK_DIGIT = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
NO_SUCH_DAY = make_id("32010219900230001")
IN_THE_FUTURE = make_id("32010221000101001")
UNKNOWN_REGION = make_id("99010219900101001")

CASES = [
    (BAD_CHECK_DIGIT, "证件号码校验位不正确，请核对最后一位"),
    (NO_SUCH_DAY, "证件号码中的出生日期不存在，请核对第7-14位"),
    (IN_THE_FUTURE, "证件号码中的出生日期不正确，请核对第7-14位"),
    (UNKNOWN_REGION, "证件号码前6位的地区代码不存在，请核对"),
    ("32010219900101", "居民身份证号码应为18位，最后一位可以是数字或X"),
]


def test_a_good_number_gives_its_birth_date_and_sex():
    found = resident_id(GOOD)
    assert found.birth_date == datetime.date(1990, 1, 1) and found.male is True


@pytest.mark.parametrize("number, message", CASES)
def test_each_problem_has_one_message(number, message):
    with pytest.raises(IdNumberProblem) as problem:
        resident_id(number)
    assert problem.value.message == message


def test_a_region_is_checked_against_the_year_of_birth():
    # 320102 (南京市玄武区) exists today; a code abolished long before a birth does not count.
    assert resident_id(make_id("32010220000101001")).birth_date.year == 2000


@pytest.mark.parametrize("number, message", CASES[:4])
def test_registration_and_the_imports_say_the_same(number, message):
    with pytest.raises(DomainError) as at_registration:
        check_id_document(IdType.RESIDENT, number.lower())
    with pytest.raises(DomainError) as in_the_card_import:
        check_id_number(number)
    with pytest.raises(DomainError) as in_a_registry_import:
        check_id(number)
    assert str(at_registration.value.message) == message
    assert str(in_the_card_import.value.message).startswith(message)
    assert str(in_a_registry_import.value.message).startswith(message)


@pytest.mark.django_db
@pytest.mark.parametrize("number, message", CASES[:4])
def test_the_register_page_and_the_app_say_the_same(client, number, message):
    page = client.post(reverse("accounts:register"), {"id_type": IdType.RESIDENT, "id_number": number})
    assert message in page.content.decode()
    payload = {
        "id_type": IdType.RESIDENT,
        "id_number": number,
        "name": "张晓明",
        "mobile": "13812345678",
        "password": "Abcd1234!",
        "password_confirm": "Abcd1234!",
        "sms_code": "123456",
        "agree": True,
    }
    answer = APIClient().post("/api/v1/auth/register", payload, format="json")
    assert answer.status_code == 400
    assert message in answer.json()["errors"]["id_number"]
