from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.subsidy.models import GraduationYear


class GraduateListForm(forms.Form):
    graduation_year = forms.ModelChoiceField(
        label=_("毕业年度"),
        queryset=GraduationYear.objects.order_by("-year"),
        empty_label=None,
        error_messages={"required": _("请选择毕业年度"), "invalid_choice": _("请选择毕业年度")},
    )
    file = forms.FileField(
        label=_("毕业生名单文件"),
        help_text=_("Excel（.xlsx）或CSV文件，第一行为表头"),
        error_messages={"required": _("请选择要导入的文件"), "empty": _("文件是空的，请选择本校毕业生名单")},
    )
