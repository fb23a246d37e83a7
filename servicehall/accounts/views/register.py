"""个人注册 and the 《个人用户注册协议》 it links to."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip, safe_next

from .. import services
from ..forms import RegisterForm
from .common import refill, send_code, wants_code, with_next

BACKEND = "servicehall.accounts.backends.IdentifierPasswordBackend"


def register(request):
    # Where the person was going when a page asked them to log in (申报 → 请登录 → 立即注册):
    # read once here, carried by every link and form of the page (the 获取验证码 post without
    # JavaScript included) and followed after registering. Anything but a path of this site
    # falls back to 个人中心 (core.http.safe_next).
    next_url = safe_next(request, "")
    destination = next_url or reverse("portal:center")
    if request.user.is_authenticated:
        return redirect(destination)
    context = {"purpose": "register", "next": next_url,
               "login_url": with_next(reverse("accounts:login"), next_url)}
    if wants_code(request):
        status = send_code(request, purpose="register", mobile=request.POST.get("mobile", ""))
        return render(request, "accounts/register.html",
                      {**context, "form": refill(RegisterForm, request), "sms_status": status})
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.person_register(
                id_type=data["id_type"], id_number=data["id_number"], name=data["name"],
                mobile=data["mobile"], password=data["password"], sms_code=data["sms_code"],
                client_address=client_ip(request),
            )
        except DomainError as exc:
            exc.add_to_form(form)
            context["id_bound"] = exc.code == "id_bound"
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("注册成功，欢迎使用江苏人社网上办事服务大厅"))
            return redirect(destination)
    return render(request, "accounts/register.html", {**context, "form": form})


def agreement(request):
    return render(request, "accounts/agreement.html")
