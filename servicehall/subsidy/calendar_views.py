"""节假日安排: the operator's page for the working calendar. It says which years the hall will
count in without knowing their holidays, lists the years imported, and takes a year's file."""

from django import forms
from django.contrib import messages
from django.core.validators import FileExtensionValidator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.core.actions import Action
from servicehall.core.decorators import action_required
from servicehall.core.errors import DomainError
from servicehall.core.forms import HallForm
from servicehall.core.http import client_ip

from . import working_calendar

ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CalendarImportForm(HallForm):
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), coerce=int, error_messages={
        "required": gettext_lazy("请选择年度"), "invalid_choice": gettext_lazy("请选择年度"),
    })
    file = forms.FileField(
        label=gettext_lazy("节假日安排表"),
        help_text="",  # says the file's columns: set per request, in the page's language
        validators=[FileExtensionValidator(["csv", "xlsx"], message=gettext_lazy("请上传.csv或.xlsx文件"))],
        error_messages={"required": gettext_lazy("请选择要导入的节假日安排表"),
                        "empty": gettext_lazy("上传的文件是空的"),
                        "invalid": gettext_lazy("请选择要导入的节假日安排表")},
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, gaps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("CSV（UTF-8或GB18030编码）或Excel .xlsx文件，列为：%(columns)s") % {
            "columns": "、".join(working_calendar.HEADERS.values())
        }
        this_year = timezone.localdate().year
        years = sorted({*gaps, *range(this_year, this_year + 3)})
        self.fields["year"].choices = [("", _("请选择"))] + [(y, str(y)) for y in years]
        if gaps:
            self.fields["year"].initial = gaps[0]


@action_required(Action.OPERATE)
def calendar(request):
    gaps = working_calendar.calendar_gaps()
    form = CalendarImportForm(request.POST or None, request.FILES or None, gaps=gaps)
    if request.method == "POST" and form.is_valid():
        try:
            imported = working_calendar.calendar_year_import(
                actor=request.user, year=form.cleaned_data["year"],
                uploaded_file=form.cleaned_data["file"], client_address=client_ip(request),
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _(
                "已导入%(year)d年节假日安排：放假%(rest)d天，调休上班%(work)d天。公示期和审核时限即日起按此计算。"
            ) % {"year": imported.year, "rest": imported.rest_days, "work": imported.working_weekend_days})
            return redirect("subsidy:calendar")
    return render(request, "subsidy/calendar.html", {
        "form": form,
        "headers": working_calendar.HEADERS,
        "header_line": ",".join(working_calendar.HEADERS.values()),
        "words": {"rest": working_calendar.REST_WORD, "work": working_calendar.WORK_WORD},
        "gaps": gaps,
        "imported": working_calendar.calendar_years_imported(),
    })
