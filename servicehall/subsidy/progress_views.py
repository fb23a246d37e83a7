"""办件进度查询 for anyone holding the receipt: the record number and the applicant's ID number
or name, no login (subsidy.public_progress). The answer comes back on the same page, to a POST,
so that the ID number never sits in an address, a log or the browser's history."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from servicehall.core.errors import DomainError
from servicehall.core.forms import HallForm
from servicehall.core.http import client_ip

from . import public_progress


class ProgressLookupForm(HallForm):
    record_number = forms.CharField(
        label=_("申报编号"), max_length=40, help_text=_("16位数字，见申报回执或提交成功的短信"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    identity = forms.CharField(
        label=_("申请人公民身份号码或姓名"), max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def progress_lookup(request):
    found = None
    if request.method == "POST":
        form = ProgressLookupForm(request.POST)
        if form.is_valid():
            try:
                found = public_progress.progress_lookup(
                    record_number=form.cleaned_data["record_number"],
                    identity=form.cleaned_data["identity"],
                    client_address=client_ip(request),
                )
            except DomainError as error:
                error.add_to_form(form)  # what was typed stays, to be corrected
            else:  # found: the ID number is not written back into the page
                form = ProgressLookupForm(initial={"record_number": found.record_number})
    else:
        number = request.GET.get("number", "")[:16]
        form = ProgressLookupForm(initial={"record_number": number if number.isdigit() else ""})
    response = render(request, "subsidy/progress_lookup.html", {"form": form, "found": found})
    response["Cache-Control"] = "private, no-store"
    return response
