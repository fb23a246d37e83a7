"""The reviewers' forms: the queue's filters, a decision with its opinion, the answer to an
objection. They check shape only; review.py and publicity.py check the rules."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .check_selectors import check_filter_choices
from .constants import OPINION_MAX
from .selectors import categories_every_year

# 18-character resident ID number: 17 digits and a check character.
ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
SEARCH_MAX = 40


def category_choices():
    """Every hardship category code any year has used, named as its newest year names it."""
    names: dict[str, str] = {}
    for (_year, code), category in categories_every_year().items():  # newest year first
        names.setdefault(code, category.name)
    return [("", _("全部类型")), *names.items()]


class QueueFilterForm(forms.Form):
    """GET form above the queue; an empty field does not filter."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=SEARCH_MAX,
        help_text=_("申报编号、姓名或18位公民身份号码"),
        error_messages={"max_length": _("搜索内容最多40个字")},
    )
    category = forms.ChoiceField(
        label=_("毕业生类型"),
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择毕业生类型")},
    )
    department = forms.CharField(
        label=_("所在院系"),
        required=False,
        max_length=60,
        error_messages={"max_length": _("所在院系最多60个字")},
    )
    major = forms.CharField(
        label=_("专业"), required=False, max_length=60, error_messages={"max_length": _("专业最多60个字")}
    )
    submitted_from = forms.DateField(
        label=_("提交日期（起）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按“2026-09-01”的格式填写日期")},
    )
    submitted_to = forms.DateField(
        label=_("提交日期（止）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按“2026-09-30”的格式填写日期")},
    )

    check = forms.ChoiceField(
        label=_("数据比对结果"),
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择比对结果")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["check"].choices = check_filter_choices()
        self.fields["q"].widget.input_type = "search"

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("结束日期不能早于开始日期"))
        return data

    def filters(self) -> dict:
        """The valid, non-empty filters; an invalid field is left out (and shown with its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: value for key, value in data.items() if value not in (None, "")}

    def described(self) -> list[tuple[str, str]]:
        """The filters that are set, as (label, value) in the form's order, for a person to read
        (the confirmation of 批量通过 says which applications it takes)."""
        filters = self.filters()
        described = []
        for name, field in self.fields.items():
            if name not in filters:
                continue
            value = filters[name]
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            described.append((str(field.label), str(value)))
        return described


class BatchConfirmForm(forms.Form):
    """What the confirmation of 批量通过 sends back with 确认批量通过: when it counted, where in the
    queue it stopped when more matched than one batch takes, and how many it showed. Shape
    only; a field that does not parse means the form was not the hall's (or is stale)."""

    as_of = forms.DateTimeField()
    through_at = forms.DateTimeField(required=False)
    through_pk = forms.IntegerField(required=False, min_value=1)
    counted = forms.IntegerField(min_value=0)


class DecisionForm(forms.Form):
    """通过 / 退回修改 / 不予受理 (or 不通过): one opinion box, one button per decision. Whether an
    opinion is needed is the service's rule; its error comes back beside this field."""

    opinion = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回修改、不予受理、不通过时必须填写，申请人会看到它；通过时可不填"),
        error_messages={"max_length": _("审核意见最多500个字")},
    )


class ObjectionHandleForm(forms.Form):
    response = forms.CharField(
        label=_("处理意见"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明核实的情况；异议成立时，申请退回学校审核"),
        error_messages={"required": _("请填写处理意见"), "max_length": _("处理意见最多500个字")},
    )
