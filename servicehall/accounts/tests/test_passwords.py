import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from servicehall.accounts.models import User


def codes(password, user=None):
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.mark.parametrize("password", ["Kestrel#9", "abc#1234", "ABC#defg", "Zz9!" * 5])
def test_three_of_four_classes_within_8_to_20(password):
    assert codes(password) == set()


def test_too_short_and_too_long():
    assert "password_length" in codes("Ab#1234")
    assert "password_length" in codes("Ab#1" * 5 + "x")


@pytest.mark.parametrize("password", ["abcdefgh12", "ABCDEFGH12", "abcdefGHIJ", "12345678#$"])
def test_two_classes_are_not_enough(password):
    assert "password_classes" in codes(password)


def test_spaces_and_chinese_are_refused():
    assert "password_characters" in codes("Abc 12345")
    assert "password_characters" in codes("Abc12345密码")


def test_password_must_not_contain_the_id_number_or_mobile():
    user = User(id_number="11010519491231002X", mobile="13800000001")
    assert "password_has_id_number" in codes("x11010519491231002X#", user=user)
    assert "password_has_id_number" in codes("a11010519491231002x#", user=user)
    assert "password_has_mobile" in codes("Ab#13800000001", user=user)
    assert codes("Ab#13800000002", user=user) == set()
