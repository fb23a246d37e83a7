"""Password rules of the hall's registration page: 8-20 characters, at least three of digits,
upper case, lower case and special characters, and never the person's ID or mobile number."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SPECIALS = set(string.punctuation)
RULE_TEXT = gettext_lazy("8-20位字符，由数字、大小写字母、特殊字符中的三种或以上组成")


class LengthAndClassesValidator:
    def validate(self, password: str, user=None) -> None:
        if not 8 <= len(password) <= 20:
            raise ValidationError(_("密码长度应为8-20位"), code="password_length")
        if any(not (ch.isascii() and ch.isprintable()) or ch == " " for ch in password):
            raise ValidationError(
                _("密码只能由数字、大小写字母和特殊字符组成，不能含空格或汉字"),
                code="password_characters",
            )
        classes = sum(
            [
                any(ch.isdigit() for ch in password),
                any(ch.isupper() for ch in password),
                any(ch.islower() for ch in password),
                any(ch in SPECIALS for ch in password),
            ]
        )
        if classes < 3:
            raise ValidationError(
                _("密码需包含数字、大写字母、小写字母、特殊字符中的至少三种"),
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return str(RULE_TEXT)


class NoPersonalNumbersValidator:
    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        upper = password.upper()
        id_number = (getattr(user, "id_number", "") or "").upper()
        if id_number and id_number in upper:
            raise ValidationError(_("密码不能包含证件号码"), code="password_has_id_number")
        mobile = getattr(user, "mobile", "") or ""
        if mobile and mobile in password:
            raise ValidationError(_("密码不能包含手机号码"), code="password_has_mobile")

    def get_help_text(self) -> str:
        return _("密码不能包含证件号码或手机号码")
