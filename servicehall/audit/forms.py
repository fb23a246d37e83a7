from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import GROUPS, LABELS


def _action_choices():
    groups = [(f"group:{key}", label) for key, label, _test in GROUPS]
    codes = sorted(((code, f"{label}（{code}）") for code, label in LABELS.items()), key=lambda c: c[0])
    return [("", _("全部操作")), (_("按类别"), groups), (_("按操作"), codes)]


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=_("操作人"),
        required=False,
        max_length=64,
        help_text=_("账号或姓名，如 nj.reviewer1 或 王科员"),
    )
    case = forms.CharField(
        label=_("申报编号"),
        required=False,
        max_length=16,
        help_text=_("16位申报编号：列出与这笔申请有关的全部记录"),
    )
    action = forms.ChoiceField(label=_("操作"), required=False)
    date_from = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请按“年-月-日”填写日期，如 2026-09-01")},
    )
    date_to = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请按“年-月-日”填写日期，如 2026-09-30")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = _action_choices()

    def clean_case(self):
        case = self.cleaned_data["case"].strip()
        if case and not (case.isdigit() and len(case) == 16):
            raise forms.ValidationError(_("申报编号是16位数字"))
        return case

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return cleaned
