from django import forms
from django.utils.translation import gettext_lazy as _

from .models import School
from .picker import RegionPickerField
from .selectors import city_list

SCHOOL_NAME_MAX_LENGTH = 50


class RegionLookupForm(forms.Form):
    region = RegionPickerField(label=_("行政区划"))


def city_choices():
    """全部城市 and Jiangsu's 13 cities, for a city filter."""
    return [("", _("全部城市")), *((city.code, city.name) for city in city_list())]


class SchoolFilterForm(forms.Form):
    city = forms.ChoiceField(
        label=_("所在城市"), choices=city_choices, required=False,
        error_messages={"invalid_choice": _("请从列表中选择城市")},
    )
    name = forms.CharField(
        label=_("学校名称"), required=False, max_length=SCHOOL_NAME_MAX_LENGTH,
        help_text=_("输入学校名称中的几个字，如“南京”"),
        error_messages={
            "max_length": _("学校名称最多输入 %(limit_value)d 个字"),
            "null_characters_not_allowed": _("学校名称不能包含控制字符"),
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SchoolAdminForm(forms.ModelForm):
    """The operator's school form: the 学校标识码 is 10 digits or empty (checked by the model's
    validator and constraints); the city defaults to the region's name."""

    class Meta:
        model = School
        fields = ["name", "code", "city", "region", "authority", "level", "ownership", "is_active"]
        error_messages = {"code": {"max_length": _("学校标识码应为 10 位数字")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].required = False
        self.fields["city"].help_text = _("留空时使用所在区划的名称，如“南京市”“张家港市”")

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        if not cleaned.get("city") and region is not None:
            cleaned["city"] = region.name
        return cleaned
