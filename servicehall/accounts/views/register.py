"""个人注册 and the 《个人用户注册协议》 it links to."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip, safe_next

from .. import provider_login, services
from ..forms import RegisterForm
from .common import refill, send_code, wants_code, with_next
from .provider import TICKET_KEY

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
    # 立即注册 from a login through another provider (其他登录方式): filled from what it vouched
    # for, and the identity bound once registered.
    ticket, locked = _provider_ticket(request, context)
    if ticket:
        destination = request.session.get(TICKET_KEY, {}).get("next") or destination
    if wants_code(request):
        status = send_code(request, purpose="register", mobile=request.POST.get("mobile", ""))
        return render(request, "accounts/register.html",
                      {**context, "form": _form(refill(RegisterForm, request), locked), "sms_status": status})
    form = _form(RegisterForm(request.POST if request.method == "POST" else None,
                              initial=context.get("provider_initial")), locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"id_type": data["id_type"], "id_number": data["id_number"], "name": data["name"],
                  "mobile": data["mobile"], "password": data["password"], "sms_code": data["sms_code"],
                  "client_address": client_ip(request)}
        try:
            if ticket:
                user = provider_login.provider_register(ticket=ticket, **fields)
                request.session.pop(TICKET_KEY, None)
            else:
                user = services.person_register(**fields)
        except DomainError as exc:
            exc.add_to_form(form)
            context["id_bound"] = exc.code == "id_bound"
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("注册成功，欢迎使用江苏人社网上办事服务大厅"))
            return redirect(destination)
    return render(request, "accounts/register.html", {**context, "form": form})


def _provider_ticket(request, context: dict) -> tuple[str, dict]:
    """The live ticket of a provider's login this registration completes, and the values the
    provider verified (locked on the form); ("", {}) for an ordinary registration."""
    if "provider" not in (request.GET.get("via"), request.POST.get("via")):
        return "", {}
    ticket = (request.session.get(TICKET_KEY) or {}).get("ticket", "")
    try:
        view = provider_login.provider_ticket_summary(ticket)
        values = provider_login.provider_registration_values_for(ticket)
    except DomainError as exc:
        messages.error(request, exc.message)
        return "", {}
    context.update(provider=view, provider_initial={k: v for k, v in values.items() if v})
    locked = {k: values[k] for k in ("id_type", "id_number", "name")} if view.has_id_number else {}
    return ticket, locked


def _form(form, locked: dict):
    """Fields the provider verified are shown and not editable: Django takes their values from
    `initial` whatever is posted."""
    for name, value in locked.items():
        form.fields[name].disabled = True
        form.fields[name].initial = value
    return form


def agreement(request):
    return render(request, "accounts/agreement.html")
