"""退出所有设备: a confirmation page, then every web session and app token of the account ends,
this browser's too (accounts.sessions)."""

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from servicehall.core.http import client_ip

from ..sessions import account_sign_out_everywhere


@login_required
def sign_out_everywhere(request):
    if request.method != "POST":
        return render(request, "accounts/sign_out_everywhere.html")
    account_sign_out_everywhere(user=request.user, reason="user_request", actor=request.user,
                                client_address=client_ip(request))
    auth_logout(request)
    messages.success(request, _("已退出所有设备，包括手机APP上的登录。请重新登录"))
    return redirect("accounts:login")
