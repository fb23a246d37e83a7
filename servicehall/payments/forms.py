"""Forms of the payment officers' pages: build a batch, import a bank's return file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.reference.models import School
from servicehall.subsidy.constants import ApplicationStatus
from servicehall.subsidy.models import Application, GraduationYear, HardshipCategory
from servicehall.subsidy.review_selectors import bureau_school_scope

MAX_RETURN_FILE = 20 * 1024 * 1024


class BatchBuildForm(forms.Form):
    graduation_year = forms.ModelChoiceField(
        label=_("毕业年度"),
        queryset=GraduationYear.objects.order_by("-year"),
        empty_label=None,
        error_messages={"required": _("请选择毕业年度"), "invalid_choice": _("请选择列表中的毕业年度")},
    )
    school = forms.ModelChoiceField(
        label=_("学校"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("全部学校"),
        help_text=_("只列出有待发放申请的学校。不选则包括本单位全部学校。"),
        error_messages={"invalid_choice": _("请选择列表中的学校")},
    )
    category_code = forms.ChoiceField(
        label=_("毕业生类型"),
        required=False,
        help_text=_("不选则包括全部类型。"),
        error_messages={"invalid_choice": _("请选择列表中的毕业生类型")},
    )

    def __init__(self, *args, bureau=None, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = Application.objects.filter(state=ApplicationStatus.AWAITING_PAYMENT)
        if bureau is not None:
            waiting = waiting.filter(bureau_school_scope(bureau))
        else:
            waiting = waiting.none()
        self.fields["school"].queryset = School.objects.filter(pk__in=waiting.values("school_id")).order_by(
            "name"
        )
        codes = {}
        for code, name in HardshipCategory.objects.order_by("order", "code").values_list("code", "name"):
            codes.setdefault(code, name)
        self.fields["category_code"].choices = [("", _("全部类型")), *codes.items()]


class ReturnImportForm(forms.Form):
    bank = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("回盘文件"),
        help_text=_("银行返回的CSV文件（GB18030或UTF-8编码），不超过20MB。"),
        error_messages={"required": _("请选择银行返回的回盘文件"), "empty": _("所选文件是空的，请核对")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RETURN_FILE:
            raise forms.ValidationError(_("文件超过20MB，请核对是否选错了文件"))
        return upload
