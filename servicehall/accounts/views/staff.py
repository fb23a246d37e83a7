"""The organisation staff's landing page after 单位登录."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from ..models import Role


def staff_required(view):
    @wraps(view)
    @login_required(login_url="accounts:login_staff")
    def wrapper(request, *args, **kwargs):
        if request.user.is_person:
            return redirect("portal:center")
        return view(request, *args, **kwargs)

    return wrapper


def operator_required(view):
    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.OPERATOR:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def staff_home(request):
    return render(request, "accounts/staff_home.html", {"is_operator": request.user.role == Role.OPERATOR})
