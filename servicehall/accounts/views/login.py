"""个人登录 (账号密码, 手机动态码) and 单位登录 (account + password, then an SMS code)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip, safe_next

from .. import selectors, services
from ..forms import PasswordLoginForm, SmsCodeForm, SmsLoginForm, StaffLoginForm
from ..models import User
from .common import refill, send_code, wants_code

STAFF_PENDING_KEY = "staff_login_pending"
STAFF_PENDING_SECONDS = 300


def _password_login(request, form, *, kind: str, template: str, context: dict):
    """Shared by 个人登录 and 单位登录's first step. Returns (user or None, response or None)."""
    try:
        user = services.login_by_password(
            request=request, identifier=form.cleaned_data["identifier"],
            password=form.cleaned_data["password"], kind=kind,
        )
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        status = 200 if exc.code == "login_failed" else 429
        response = render(request, template, {**context, "form": form}, status=status)
        response.axes_handled = exc.code == "login_locked"
        return None, response
    return user, None


def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this for a locked-out request; our views already explain it."""
    if original_response is not None and getattr(original_response, "axes_handled", False):
        return original_response
    form = PasswordLoginForm()
    form.add_error(None, _("登录失败次数过多，账号已暂时锁定，请15分钟后再试"))
    return render(request, "accounts/login_password.html",
                  {"form": form, "method": "password"}, status=429)


def login_password(request):
    context = {"method": "password", "next": safe_next(request, "")}
    form = PasswordLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user, response = _password_login(
            request, form, kind="person", template="accounts/login_password.html", context=context
        )
        if response:
            return response
        login(request, user)
        services.login_recorded(user=user, method="password", client_address=client_ip(request))
        return redirect(safe_next(request, reverse("portal:center")))
    return render(request, "accounts/login_password.html", {**context, "form": form})


def login_sms(request):
    context = {"method": "sms", "next": safe_next(request, ""), "purpose": "login"}
    if wants_code(request):
        status = send_code(request, purpose="login", mobile=request.POST.get("mobile", ""))
        return render(request, "accounts/login_sms.html",
                      {**context, "form": refill(SmsLoginForm, request), "sms_status": status})
    form = SmsLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.person_login_by_sms(
                mobile=form.cleaned_data["mobile"], sms_code=form.cleaned_data["sms_code"],
                client_address=client_ip(request),
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            login(request, user, backend="servicehall.accounts.backends.IdentifierPasswordBackend")
            return redirect(safe_next(request, reverse("portal:center")))
    return render(request, "accounts/login_sms.html", {**context, "form": form})


def login_staff(request):
    context = {"method": "staff", "next": safe_next(request, "")}
    form = StaffLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user, response = _password_login(
            request, form, kind="staff", template="accounts/login_staff.html", context=context
        )
        if response:
            return response
        try:
            services.staff_login_begin(user=user, client_address=client_ip(request))
        except DomainError as exc:
            exc.add_to_form(form)
            return render(request, "accounts/login_staff.html", {**context, "form": form})
        request.session[STAFF_PENDING_KEY] = {
            "user": user.pk, "at": timezone.now().timestamp(), "next": context["next"],
        }
        return redirect("accounts:login_staff_verify")
    return render(request, "accounts/login_staff.html", {**context, "form": form})


def _pending_staff(request) -> User | None:
    pending = request.session.get(STAFF_PENDING_KEY) or {}
    if timezone.now().timestamp() - pending.get("at", 0) > STAFF_PENDING_SECONDS:
        return None
    return selectors.staff_user_active(pending.get("user"))


def login_staff_verify(request):
    user = _pending_staff(request)
    if user is None:
        messages.error(request, _("登录验证已超时，请重新输入账号和密码"))
        return redirect("accounts:login_staff")
    context = {"method": "staff", "masked_mobile": user.masked_mobile}
    form = SmsCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.staff_login_begin(user=user, client_address=client_ip(request))
            context["sms_status"] = {"ok": True, "text": _("验证码已重新发送")}
        except DomainError as exc:
            context["sms_status"] = {"ok": False, "text": str(exc.message)}
        return render(request, "accounts/login_staff_verify.html",
                      {**context, "form": SmsCodeForm()})
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_login_verify(
                user=user, sms_code=form.cleaned_data["sms_code"], client_address=client_ip(request)
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            next_url = request.session.get(STAFF_PENDING_KEY, {}).get("next")
            login(request, user, backend="servicehall.accounts.backends.IdentifierPasswordBackend")
            request.session.pop(STAFF_PENDING_KEY, None)
            return redirect(next_url or "accounts:staff_home")
    return render(request, "accounts/login_staff_verify.html", {**context, "form": form})


@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, _("您已安全退出"))
    return redirect("portal:home")
