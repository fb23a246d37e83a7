"""The application form (求职创业补贴个人申报), field by field as the manual's screen has it.
The form checks shape; services.application_submit checks the rules."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from servicehall.accounts.identity import check_mobile
from servicehall.core.errors import DomainError
from servicehall.core.forms import HallForm
from servicehall.reference.models import EducationLevel, EthnicGroup, School
from servicehall.reference.option_lists import ReferenceChoiceField, ReferenceSelect
from servicehall.reference.picker import RegionPickerField, region_codes

_STUDENT_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{1,29}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(label, max_length, *, hint=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=hint,
        error_messages={
            "max_length": _("%(label)s最多填写 %(limit)d 个字") % {"label": label, "limit": max_length},
            "null_characters_not_allowed": _("不能包含控制字符"),
        },
    )


class ApplicationForm(HallForm):
    category = forms.ChoiceField(
        label=_("毕业生类型"),
        help_text=_("按您家庭或本人的情况选择一项"),
        error_messages={"invalid_choice": _("请从列表中选择毕业生类型")},
    )
    ethnic_group = ReferenceChoiceField(
        label=_("民族"),
        queryset=EthnicGroup.objects.all(),
        empty_label=_("请选择民族"),
        widget=ReferenceSelect("ethnic_groups"),
        error_messages={"invalid_choice": _("请从列表中选择民族")},
    )
    education_level = ReferenceChoiceField(
        label=_("学历"),
        queryset=EducationLevel.objects.filter(is_selectable=True),
        empty_label=_("请选择学历"),
        widget=ReferenceSelect("education_levels"),
        error_messages={"invalid_choice": _("请从列表中选择学历")},
    )
    school = ReferenceChoiceField(
        label=_("毕业学校"),
        queryset=School.objects.filter(is_active=True),
        empty_label=_("请选择毕业学校"),
        widget=ReferenceSelect("schools_by_city"),
        help_text=_("在列表中选择；可先在上面输入学校名称中的字筛选"),
        error_messages={"invalid_choice": _("请从列表中选择毕业学校")},
    )
    student_number = _text(_("学号"), 30, hint=_("学校发给您的学号，字母、数字或短横线"))
    department = _text(_("所在院系"), 60)
    major = _text(_("专业"), 60)
    mobile = forms.CharField(
        label=_("移动电话"),
        max_length=20,
        help_text=_("审核结果和发放情况会发短信到这个号码"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}),
    )
    hukou_region = RegionPickerField(label=_("户籍区划"))
    hukou_address = _text(_("户籍地址"), 120, hint=_("户口簿上的地址，如“江苏省南京市秦淮区瑞金路1号”"))
    residence_region = RegionPickerField(label=_("常住区划"))
    residence_address = _text(_("居住地址"), 120, hint=_("现在居住的详细地址"))
    pledge = forms.BooleanField(label=_("我已阅读并了解以上内容"), required=False)

    def __init__(self, *args, categories=(), draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.fields["category"].choices = [
            ("", _("请选择毕业生类型")),
            *((c.code, c.name) for c in categories),
        ]
        self.fields["school"].queryset = School.objects.filter(is_active=True).order_by("city", "name")

    def full_clean(self):
        """A draft may leave anything empty: keep every other check, drop "请填写…"."""
        super().full_clean()
        if self.draft and self.is_bound:
            for name, errors in list(self._errors.items()):
                kept = [e for e in errors.as_data() if e.code != "required"]
                if kept:
                    self._errors[name] = self.error_class([m for e in kept for m in e.messages])
                else:
                    del self._errors[name]

    def _clean_text(self, name):
        value = self.cleaned_data.get(name, "").strip()
        if _CONTROL.search(value):
            raise ValidationError(_("不能包含控制字符"), code="control")
        return value

    def clean_student_number(self):
        value = self._clean_text("student_number")
        if value and not _STUDENT_NUMBER.match(value):
            raise ValidationError(_("学号只能包含字母、数字和短横线，长度2到30位"), code="student_number")
        return value

    def clean_department(self):
        return self._clean_text("department")

    def clean_major(self):
        return self._clean_text("major")

    def clean_hukou_address(self):
        return self._clean_text("hukou_address")

    def clean_residence_address(self):
        return self._clean_text("residence_address")

    def clean_mobile(self):
        raw = self.cleaned_data.get("mobile", "")
        if not raw.strip():
            return ""
        try:
            return check_mobile(raw)
        except DomainError as error:
            raise ValidationError(error.message, code=error.code) from None

    def clean_pledge(self):
        pledged = self.cleaned_data.get("pledge")
        if not self.draft and not pledged:
            raise ValidationError(_("请阅读上面的承诺，并勾选此项"), code="no_pledge")
        return pledged

    def valid_data(self) -> dict:
        """What passed its checks: a draft keeps these and reports the rest. A field a draft
        left empty is saved empty (None)."""
        return {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in self.errors and name != "pledge"
        }


# The form's fields that are the application's foreign keys (a code or an id in the data), and
# the region pickers among them, posted as their 省 / 市 / 区县 selects.
FOREIGN_KEYS = frozenset({"ethnic_group", "education_level", "school", "hukou_region", "residence_region"})
REGIONS = ("hukou_region", "residence_region")


def application_values(application) -> dict:
    """What `application` holds for each field of the form (the pledge aside): the category's
    code, the foreign keys' codes and ids, the texts; "" where nothing is set."""
    values = {"category": application.category_code}
    for name in ApplicationForm.base_fields:
        if name in {"category", "pledge"}:
            continue
        value = getattr(application, f"{name}_id" if name in FOREIGN_KEYS else name)
        values[name] = "" if value is None else value
    return values


def as_posted(values: dict) -> dict:
    """`values` (application_values, or JSON of the app) as a browser would post them: each
    region as its 省 / 市 / 区县 selects."""
    data = {}
    for name, value in values.items():
        value = "" if value is None else value
        if name in REGIONS:
            code = str(value)
            codes = region_codes(code) if code else ["", "", ""]
            if code and not any(codes):  # not a current region: let the field say so
                codes = [code, "", ""]
            for suffix, part in zip(("province", "city", "county"), codes, strict=True):
                data[f"{name}_{suffix}"] = part
        else:
            data[name] = value
    return data


class ObjectionForm(HallForm):
    entry = forms.TypedChoiceField(
        label=_("异议对象"),
        coerce=int,
        help_text=_("从公示名单中选择一人"),
        error_messages={"invalid_choice": _("请从名单中选择异议对象")},
    )
    reason = forms.CharField(
        label=_("异议理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("写明您了解的情况，如“该生已于2026年7月在某公司就业”"),
        error_messages={"max_length": _("异议理由最多500个字")},
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("请选择"))] + [
            (pk, f"{number}. {' '.join(row[:3])}") for number, row, pk in entries
        ]
