"""The dashboard's filters (a GET form): the graduation year for everyone, the city and the school
for operators only; everyone else is held to their own organisation by selectors.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from servicehall.reference.models import School
from servicehall.reference.selectors import city_list
from servicehall.subsidy.models import GraduationYear


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("毕业年度"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择毕业年度")},
    )
    city = forms.ChoiceField(
        label=_("城市"), required=False, error_messages={"invalid_choice": _("请从列表中选择城市")}
    )
    school = forms.ModelChoiceField(
        label=_("学校"),
        required=False,
        queryset=School.objects.none(),
        empty_label=_("全部学校"),
        error_messages={"invalid_choice": _("请从列表中选择学校")},
    )

    def __init__(self, data=None, *, whole_province: bool):
        super().__init__(data)
        years = list(GraduationYear.objects.values_list("year", flat=True))
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.latest_year = years[0] if years else None
        if whole_province:
            cities = [(city.code, city.name) for city in city_list()]
            self.city_names = dict(cities)
            self.fields["city"].choices = [("", _("全省")), *cities]
            self.fields["school"].queryset = School.objects.order_by("city", "name")
        else:
            del self.fields["city"], self.fields["school"]
            self.city_names = {}

    def chosen(self) -> dict:
        """What to show: the valid choices, and the latest year when none (or a wrong one) is
        chosen. A wrong city or school is reported beside its field and not applied."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "year": cleaned.get("year") or self.latest_year,
            "city": cleaned.get("city") or "",
            "school": cleaned.get("school"),
        }
