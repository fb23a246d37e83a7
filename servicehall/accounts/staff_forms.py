"""The operator's forms for 工作人员管理."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from servicehall.core.forms import HallForm

from .forms import TextInput, mobile_field
from .models import STAFF_ROLES, Organisation, Role

USERNAME_RULE = RegexValidator(
    r"^[a-z0-9][a-z0-9._-]{2,31}$", _("账号为3–32位小写字母、数字、点、下划线或连字符，以字母或数字开头")
)


def _role_choices():
    return [(value, label) for value, label in Role.choices if value in STAFF_ROLES]


class StaffForm(HallForm):
    name = forms.CharField(label=_("姓名"), max_length=30, widget=TextInput(autocomplete="off"),
                           error_messages={"required": _("请输入姓名")})
    role = forms.ChoiceField(label=_("角色"), choices=_role_choices,
                             error_messages={"required": _("请选择角色"), "invalid_choice": _("请选择角色")})
    organisation = forms.ModelChoiceField(
        label=_("所属单位"), queryset=Organisation.objects.filter(is_active=True).order_by("kind", "name"),
        help_text=_("学校审核员属于学校；人社审核员和人社财务属于人社局；管理员和审计员属于省人社厅。"),
        error_messages={"required": _("请选择所属单位"), "invalid_choice": _("请选择列表中的单位")},
    )
    mobile = mobile_field(label=_("验证手机"))


class StaffInviteForm(StaffForm):
    username = forms.CharField(
        label=_("单位账号"), max_length=32, validators=[USERNAME_RULE],
        help_text=_("登录用的账号，如 nj.reviewer3，开通后不能修改"),
        widget=TextInput(autocomplete="off"), error_messages={"required": _("请输入单位账号")},
    )
    field_order = ["username", "name", "role", "organisation", "mobile"]

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("查找账号或姓名"), required=False, max_length=32)
    role = forms.ChoiceField(label=_("按角色"), required=False,
                             choices=lambda: [("", _("全部角色")), *_role_choices()])
    active = forms.ChoiceField(label=_("按状态"), required=False,
                               choices=[("", _("全部")), ("1", _("在用")), ("0", _("已停用"))])
