"""忘记密码 (by SMS code), 修改密码 and 更换手机号码."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip

from .. import services
from ..forms import MobileChangeForm, PasswordChangeForm, PasswordResetForm
from .common import STAFF_RESET, refill, send_code, wants_code


def _password_reset(request, *, staff: bool):
    """忘记密码 for people, 设置或重置密码 for staff (also a new staff member's first password):
    the same steps, told apart by `staff`."""
    context = {"purpose": STAFF_RESET if staff else "reset_password", "staff": staff}
    if wants_code(request):
        status = send_code(request, purpose="reset_password",
                           mobile=request.POST.get("mobile", ""), staff=staff)
        return render(request, "accounts/password_reset.html",
                      {**context, "form": refill(PasswordResetForm, request),
                       "sms_status": status})
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.password_reset(
                mobile=data["mobile"],
                sms_code=data["sms_code"],
                new_password=data["new_password"],
                client_address=client_ip(request),
                staff=staff,
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            done = _("密码已设置，请使用新密码登录") if staff else _("密码已重置，请使用新密码登录")
            messages.success(request, done)
            return redirect("accounts:login_staff" if staff else "accounts:login")
    return render(request, "accounts/password_reset.html", {**context, "form": form})


def password_reset(request):
    return _password_reset(request, staff=False)


def password_reset_staff(request):
    return _password_reset(request, staff=True)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user, old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"], client_address=client_ip(request),
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _(
                "密码已修改，下次登录请使用新密码。您在其他设备和手机APP上的登录已退出"
            ))
            return redirect("portal:center" if request.user.is_person else "accounts:staff_home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def mobile_change(request):
    if not request.user.is_person:
        return redirect("accounts:staff_home")
    context = {"purpose": "change_mobile"}
    if wants_code(request):
        status = send_code(request, purpose="change_mobile", mobile=request.POST.get("mobile", ""))
        form = refill(MobileChangeForm, request)
        return render(request, "accounts/mobile_change.html",
                      {**context, "form": form, "sms_status": status})
    form = MobileChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mobile_change(user=request.user, password=data["password"],
                                   new_mobile=data["mobile"], sms_code=data["sms_code"],
                                   client_address=client_ip(request))
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _(
                "手机号码已更换，以后请使用新号码登录和接收通知。您在其他设备和手机APP上的登录已退出"
            ))
            return redirect("portal:center")
    return render(request, "accounts/mobile_change.html", {**context, "form": form})
