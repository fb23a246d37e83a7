"""Forms check the shape of what people type (and show each problem beside its field);
services check the rules that need the database."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicehall.core.errors import DomainError
from servicehall.core.forms import HallForm

from . import identity
from .models import IdType, User
from .passwords import RULE_TEXT

SMS_CODE_HELP = _("6位数字，5分钟内有效")


def _as_validation_error(exc: DomainError) -> ValidationError:
    return ValidationError(str(exc.message), code=exc.code)


class TextInput(forms.TextInput):
    def __init__(self, placeholder="", autocomplete="off", inputmode=None, **attrs):
        attrs = {"autocomplete": autocomplete, **attrs}
        if placeholder:
            attrs["placeholder"] = placeholder
        if inputmode:
            attrs["inputmode"] = inputmode
        super().__init__(attrs=attrs)


def id_number_field():
    return forms.CharField(label=_("证件号码"), max_length=40, widget=TextInput(
        placeholder=_("请输入证件号码"), autocomplete="off"))


def mobile_field(label=_("移动电话")):
    return forms.CharField(label=label, max_length=20, widget=TextInput(
        placeholder=_("请输入移动电话"), autocomplete="tel", inputmode="numeric", type="tel"))


def sms_code_field():
    return forms.CharField(
        label=_("短信验证码"), max_length=6, min_length=6, help_text=SMS_CODE_HELP,
        error_messages={"min_length": _("短信验证码为6位数字"), "required": _("请输入短信验证码")},
        widget=TextInput(placeholder=_("请输入短信验证码"), autocomplete="one-time-code",
                         inputmode="numeric"),
    )


def password_field(label=_("密码"), render_value=False, autocomplete="new-password", help_text=""):
    return forms.CharField(
        label=label, max_length=64, strip=False, help_text=help_text,
        widget=forms.PasswordInput(render_value=render_value,
                                   attrs={"autocomplete": autocomplete}),
    )


class SmsCodeCleanMixin:
    def clean_sms_code(self):
        code = self.cleaned_data["sms_code"].strip()
        if not code.isascii() or not code.isdigit():
            raise ValidationError(_("短信验证码为6位数字"))
        return code


class MobileCleanMixin(SmsCodeCleanMixin):
    def clean_mobile(self):
        try:
            return identity.check_mobile(self.cleaned_data["mobile"])
        except DomainError as exc:
            raise _as_validation_error(exc) from exc


class IdentityCleanMixin(MobileCleanMixin):
    def clean_name(self):
        try:
            return identity.check_name(self.cleaned_data["name"])
        except DomainError as exc:
            raise _as_validation_error(exc) from exc

    def clean(self):
        cleaned = super().clean()
        if "id_type" in cleaned and "id_number" in cleaned:
            try:
                facts = identity.check_id_document(cleaned["id_type"], cleaned["id_number"])
                cleaned["id_number"] = facts.id_number
            except DomainError as exc:
                self.add_error("id_number", _as_validation_error(exc))
        return cleaned


class RegisterForm(IdentityCleanMixin, HallForm):
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices,
                                initial=IdType.RESIDENT)
    id_number = id_number_field()
    name = forms.CharField(label=_("姓名"), max_length=30, widget=TextInput(
        placeholder=_("请输入姓名"), autocomplete="name"))
    mobile = mobile_field()
    password = password_field(render_value=True, help_text=RULE_TEXT)
    password_confirm = password_field(label=_("确认密码"), render_value=True)
    sms_code = sms_code_field()
    agree = forms.BooleanField(
        label=_("我已阅读并同意《个人用户注册协议》中的内容"),
        error_messages={"required": _("请阅读并勾选同意《个人用户注册协议》")},
    )

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and cleaned.get("password_confirm") and password != cleaned["password_confirm"]:
            self.add_error("password_confirm", _("两次输入的密码不一致"))
        if password and "password" not in self.errors:
            probe = User(id_number=cleaned.get("id_number", ""), mobile=cleaned.get("mobile", ""))
            try:
                validate_password(password, user=probe)
            except ValidationError as exc:
                self.add_error("password", exc.messages[0])
        return cleaned


class PasswordLoginForm(HallForm):
    identifier = forms.CharField(label=_("证件号码/移动电话"), max_length=40, widget=TextInput(
        placeholder=_("请输入证件号码或移动电话"), autocomplete="username"))
    password = password_field(label=_("密码"), autocomplete="current-password")


class StaffLoginForm(HallForm):
    identifier = forms.CharField(label=_("单位账号"), max_length=64, widget=TextInput(
        placeholder=_("请输入单位账号"), autocomplete="username"))
    password = password_field(label=_("密码"), autocomplete="current-password")


class SmsCodeForm(SmsCodeCleanMixin, HallForm):
    sms_code = sms_code_field()


class SmsLoginForm(MobileCleanMixin, HallForm):
    mobile = mobile_field()
    sms_code = sms_code_field()


class PasswordResetForm(MobileCleanMixin, HallForm):
    mobile = mobile_field()
    sms_code = sms_code_field()
    new_password = password_field(label=_("新密码"), render_value=True, help_text=RULE_TEXT)
    new_password_confirm = password_field(label=_("确认新密码"), render_value=True)

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password")
        if new and cleaned.get("new_password_confirm") and new != cleaned["new_password_confirm"]:
            self.add_error("new_password_confirm", _("两次输入的密码不一致"))
        return cleaned


class PasswordChangeForm(HallForm):
    old_password = password_field(label=_("当前密码"), autocomplete="current-password")
    new_password = password_field(label=_("新密码"), help_text=RULE_TEXT)
    new_password_confirm = password_field(label=_("确认新密码"))

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password")
        if new and cleaned.get("new_password_confirm") and new != cleaned["new_password_confirm"]:
            self.add_error("new_password_confirm", _("两次输入的密码不一致"))
        return cleaned


class MobileChangeForm(MobileCleanMixin, HallForm):
    password = password_field(label=_("登录密码"), render_value=True, autocomplete="current-password")
    mobile = mobile_field(label=_("新手机号码"))
    sms_code = sms_code_field()


class AppealForm(IdentityCleanMixin, HallForm):
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices,
                                initial=IdType.RESIDENT)
    id_number = id_number_field()
    name = forms.CharField(label=_("姓名"), max_length=30, widget=TextInput(autocomplete="name"))
    mobile = mobile_field(label=_("联系电话"))
    sms_code = sms_code_field()
    id_photo = forms.ImageField(
        label=_("身份证人像面照片"),
        help_text=_("请上传清晰完整的证件照片，JPG或PNG格式，不超过5MB"),
        error_messages={"invalid_image": _("无法识别该照片，请上传清晰的JPG或PNG图片"),
                        "required": _("请上传证件照片")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    reason = forms.CharField(
        label=_("申诉说明"), required=False, max_length=500,
        help_text=_("选填，例如：本人从未注册过该账号"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealDecisionForm(HallForm):
    opinion = forms.CharField(label=_("审核意见"), required=False, max_length=200,
                              widget=forms.Textarea(attrs={"rows": 3}))
