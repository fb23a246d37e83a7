"""The organisation staff's landing page after 单位登录."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from servicehall.core.actions import Action
from servicehall.core.decorators import action_required


def staff_required(view):
    @wraps(view)
    @login_required(login_url="accounts:login_staff")
    def wrapper(request, *args, **kwargs):
        if request.user.is_person:
            return redirect("portal:center")
        return view(request, *args, **kwargs)

    return wrapper


operator_required = action_required(Action.OPERATE)


@staff_required
def staff_home(request):
    return render(request, "accounts/staff_home.html")
