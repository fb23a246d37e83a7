from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from servicehall.core.forms import HallForm
from servicehall.reference.forms import city_choices
from servicehall.reference.selectors import city_get, is_region_code

from .importing import MAX_BYTES
from .selectors import OUTLET_QUERY_MAX, outlet_districts

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


class OutletImportForm(CardImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("网点信息表")
        self.fields["file"].help_text = _("按本页格式整理的CSV（UTF-8或GB18030编码）或Excel .xlsx文件，"
                                          "最多20 MB")
        self.fields["file"].error_messages.update({
            "required": _("请选择要导入的网点信息表"), "invalid": _("请选择要导入的网点信息表"),
        })


# --- 即时制卡网点 查询 ------------------------------------------------------------------------------

class OutletFilterForm(forms.Form):
    """The outlet page's filters (GET). The district list is the chosen city's; a district of
    another city (left over after the city was changed) is dropped, not refused."""

    city = forms.ChoiceField(
        label=_("城市"), choices=city_choices, required=False, help_text=_("江苏省的设区市"),
        error_messages={"invalid_choice": _("请从列表中选择城市")},
    )
    district = forms.ChoiceField(label=_("区县"), required=False)
    q = forms.CharField(
        label=_("网点名称或地址"), required=False, max_length=OUTLET_QUERY_MAX,
        help_text=_("输入网点名称或地址中的几个字，如“玄武”"),
        error_messages={
            "max_length": _("最多输入%(limit_value)d个字"),
            "null_characters_not_allowed": _("查询内容不能包含控制字符"),
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    photo = forms.BooleanField(label=_("只看可现场拍照的网点"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = None
        code = self.data.get("city", "") if self.is_bound else ""
        if is_region_code(code):
            self.city = city_get(code)
        self.districts = list(outlet_districts(self.city))
        field = self.fields["district"]
        field.choices = [("", _("全部区县")), *((d.code, d.name) for d in self.districts)]
        if self.city is None:
            field.help_text = _("请先选择城市并点击“查询”，再选择区县")
            field.widget.attrs["disabled"] = True
        else:
            field.help_text = _("%(city)s的区、县和县级市") % {"city": self.city.name}

    def full_clean(self):
        # A district left from another city is dropped before it can fail as a bad choice.
        if self.is_bound and self.data.get("district"):
            codes = {d.code for d in self.districts}
            if self.data.get("district") not in codes:
                self.data = self.data.copy()
                self.data["district"] = ""
        super().full_clean()

    @property
    def chosen_district(self):
        code = self.cleaned_data.get("district") if hasattr(self, "cleaned_data") else ""
        return next((d for d in self.districts if d.code == code), None)


class PhotoCheckForm(HallForm):
    photo = forms.FileField(
        label=_("证件照"),
        help_text=_("选择手机或电脑中的电子证件照，JPG或PNG格式，不超过10MB。照片只用于本次检测，不会保存。"),
        error_messages={"required": _("请选择要检测的照片"), "empty": _("上传的文件是空的，请重新选择照片"),
                        "invalid": _("请选择要检测的照片")},
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,.jpg,.jpeg,.png"}),
    )
