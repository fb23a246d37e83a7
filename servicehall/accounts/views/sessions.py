"""退出所有设备: a confirmation page, then every web session and app token of the account ends,
this browser's too (accounts.sessions). And 继续填写: a long form's page keeps its session."""

import time

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.http import client_ip

from ..idle_sessions import REFRESHED, session_seconds_left
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


@require_POST
def session_extend(request):
    """继续填写: a page warned that the session is about to end (hall.js) and the person chose
    to stay. The session's end moves thirty minutes on; the answer says how many seconds the
    page may count on now. Someone whose session has already ended is told so (401), as the
    page then says what happens to what they typed."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds": 0}, status=401)
    request.session[REFRESHED] = int(time.time())  # modified: saved with its new end
    return JsonResponse({"seconds": session_seconds_left()})
