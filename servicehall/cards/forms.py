from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from servicehall.core.forms import HallForm

from .importing import MAX_BYTES

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CardImportForm(HallForm):
    file = forms.FileField(
        label=_("数据文件"),
        help_text=_("社会保障卡系统导出的CSV（UTF-8或GB18030编码）或Excel .xlsx文件，"
                    "最多50,000行、20 MB"),
        validators=[FileExtensionValidator(["csv", "xlsx"], message=_("请上传.csv或.xlsx文件"))],
        error_messages={"required": _("请选择要导入的数据文件"), "empty": _("上传的文件是空的"),
                        "invalid": _("请选择要导入的数据文件")},
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过20 MB，请拆分后分批导入"))
        return upload
