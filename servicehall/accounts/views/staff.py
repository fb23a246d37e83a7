"""The organisation staff's landing page after 单位登录."""

from django.shortcuts import render

from servicehall.core.actions import Action
from servicehall.core.decorators import action_required, staff_required

operator_required = action_required(Action.OPERATE)


@staff_required
def staff_home(request):
    return render(request, "accounts/staff_home.html")
