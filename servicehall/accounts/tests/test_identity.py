"""GB 11643 and the other document formats, as the registration form applies them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from servicehall.accounts.identity import check_id_document, check_mobile, check_name
from servicehall.core.errors import DomainError
from tests.people import resident_id

pytestmark = pytest.mark.django_db


def error_code(id_type, number):
    with pytest.raises(DomainError) as exc:
        check_id_document(id_type, number)
    return exc.value.code


def test_known_valid_resident_id_gives_gender_and_birth_date():
    facts = check_id_document("resident", "11010519491231002X")
    assert facts.id_number == "11010519491231002X"
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.gender == "F"  # 17th digit 2 is even


def test_lower_case_x_and_full_width_digits_are_normalised():
    assert check_id_document("resident", "11010519491231002x").id_number == "11010519491231002X"
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert check_id_document("resident", full_width).id_number == "11010519491231002X"
    assert check_id_document("resident", " 1101 0519 4912 3100 2X ").id_number == (
        "11010519491231002X"
    )


def test_wrong_checksum_is_refused_with_its_own_message():
    with pytest.raises(DomainError) as exc:
        check_id_document("resident", "110105194912310021")
    assert exc.value.code == "id_checksum"
    assert "校验位" in exc.value.message


def test_thirtieth_of_february_is_refused():
    assert error_code("resident", resident_id("11010520000230002")) == "id_birth_date"


def test_future_birth_date_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert error_code("resident", resident_id(f"110105{tomorrow:%Y%m%d}002")) == "id_birth_date"


def test_unknown_region_is_refused():
    assert error_code("resident", resident_id("99010519900101002")) == "id_region"


def test_region_must_have_existed_at_birth():
    # 320103 白下区 existed 1983-2013: valid for someone born in 1990, not in 2015.
    assert check_id_document("resident", resident_id("32010319900101001")).gender == "M"
    assert error_code("resident", resident_id("32010320150101001")) == "id_region"


@pytest.mark.parametrize("value", ["", "123", "11010519491231002Y", "1101051949123100XX", "甲" * 18])
def test_malformed_resident_ids(value):
    assert error_code("resident", value) in {"id_format", "required"}


@pytest.mark.parametrize(
    ("id_type", "good", "bad"),
    [
        ("hk_macao", "H12345678", "X12345678"),
        ("hk_macao", "M1234567890", "H1234"),
        ("taiwan", "12345678", "1234567A"),
        ("foreign_pr", "USA110012345678", "US1100123456789"),
    ],
)
def test_other_documents_have_their_own_formats(id_type, good, bad):
    assert check_id_document(id_type, good).id_number == good
    assert error_code(id_type, bad) == "id_format"


def test_new_foreign_permanent_residence_id_uses_gb11643_checksum():
    number = resident_id("93310019900101001")
    assert check_id_document("foreign_pr", number).birth_date == date(1990, 1, 1)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert error_code("foreign_pr", wrong) == "id_checksum"


def test_unknown_document_type():
    assert error_code("passport", "E12345678") == "id_type"


@pytest.mark.parametrize("mobile", ["13800000001", "+8619912345678", "１３８０００００００１"])
def test_mobiles_accepted(mobile):
    assert len(check_mobile(mobile)) == 11


@pytest.mark.parametrize("mobile", ["12800000001", "1380000000", "138000000012", "abc", "138-0000-0001x"])
def test_mobiles_refused(mobile):
    with pytest.raises(DomainError):
        check_mobile(mobile)


@pytest.mark.parametrize("name", ["张三", "阿依古丽·买买提", "John Smith", "欧阳" * 15])
def test_names_accepted(name):
    assert check_name(name)


@pytest.mark.parametrize(
    "name", ["张", "A", "张三😀", "<script>", "张三1", "欧阳" * 16, "Robert'); DROP TABLE--"]
)
def test_names_refused(name):
    with pytest.raises(DomainError):
        check_name(name)
