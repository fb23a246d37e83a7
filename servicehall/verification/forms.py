"""The operator's import form: the file, where it comes from, and which column holds what. It
checks shape; services.registry_import_start checks the rest."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicehall.core.forms import HallForm

from .reading import MAX_BYTES
from .registries import HOME_PROVINCE, RegistrySpec

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegistryImportForm(HallForm):
    file = forms.FileField(
        label=_("名单文件"),
        help_text=_("CSV（UTF-8或GB18030编码）或Excel .xlsx文件，最多300 MB"),
        validators=[FileExtensionValidator(["csv", "xlsx"], message=_("请上传.csv或.xlsx文件"))],
        error_messages={
            "required": _("请选择要导入的名单文件"),
            "empty": _("上传的文件是空的"),
            "invalid": _("请选择要导入的名单文件"),
        },
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    source = forms.CharField(
        label=_("提供单位"),
        max_length=40,
        help_text=_("名单来自哪个部门，如“民政”，会写进比对结果，如“民政城乡低保名单”"),
        error_messages={"required": _("请填写提供单位"), "max_length": _("提供单位最多40个字")},
    )
    data_date = forms.DateField(
        label=_("数据日期"),
        help_text=_("名单数据截至的日期，如2026-09-01"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写数据日期"), "invalid": _("请按“2026-09-01”的格式填写日期")},
    )

    def __init__(self, *args, spec: RegistrySpec, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.fields["source"].initial = spec.department
        self.fields["data_date"].initial = timezone.localdate()
        if spec.has_province:
            self.fields["province"] = forms.CharField(
                label=_("发放省份"),
                max_length=20,
                initial=HOME_PROVINCE,
                help_text=_("本省往年的发放名单填“江苏省”；外省提供的名单填该省名称，如“浙江省”"),
                error_messages={"required": _("请填写发放省份"), "max_length": _("发放省份最多20个字")},
            )
        for name in spec.fields:
            self.fields[f"column_{name}"] = forms.CharField(
                label=_("“%(field)s”所在列的列名") % {"field": spec.field_label(name)},
                max_length=40,
                required=name in spec.required,
                initial=spec.headers[name],
                help_text=_("必须有此列") if name in spec.required else _("文件中没有此列时，按空白处理"),
                error_messages={
                    "required": _("请填写“%(field)s”对应的列名") % {"field": spec.field_label(name)},
                    "max_length": _("列名最多40个字"),
                },
            )

    def clean_data_date(self):
        day = self.cleaned_data["data_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("数据日期不能晚于今天"))
        return day

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过300 MB，请拆分后分批导入"))
        return upload

    @property
    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"column_{name}", "") for name in self.spec.fields}

    def mapping_fields(self):
        return [self[f"column_{name}"] for name in self.spec.fields]
