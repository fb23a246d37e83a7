"""扫码登录: the computer shows a QR code and polls; the phone, already logged in, confirms."""


from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip, safe_next
from servicehall.core.qr import qr_svg

from .. import services
from ..selectors import qr_token_status

SESSION_KEY = "qr_login"
BACKEND = "servicehall.accounts.backends.IdentifierPasswordBackend"


def _qr_svg(data: str) -> str:
    return qr_svg(data, label=_("扫码登录二维码"))


def _new_code(request) -> dict:
    row, token, secret = services.qr_token_create()
    state = {"id": row.pk, "secret": secret, "token": token}
    request.session[SESSION_KEY] = state
    return state


def _box_context(request, state: dict, status: str = "pending") -> dict:
    url = request.build_absolute_uri(reverse("accounts:qr_confirm", args=[state["token"]]))
    return {"qr_svg": _qr_svg(url), "qr_url": url, "qr_status": status,
            "next": safe_next(request, "")}


def login_qr(request):
    state = request.session.get(SESSION_KEY)
    status = "pending"
    if state:
        status = qr_token_status(state.get("id"))
    if not state or status != "pending":
        state, status = _new_code(request), "pending"
    return render(request, "accounts/login_qr.html",
                  {"method": "qr", **_box_context(request, state, status)})


def login_qr_status(request):
    """Polled by htmx every 2 seconds; also the no-JS 我已在手机上确认 button (POST)."""
    state = request.session.get(SESSION_KEY) or {}
    status, user = services.qr_token_take(token_id=state.get("id", 0),
                                          secret=state.get("secret", ""))
    is_htmx = request.headers.get("HX-Request") == "true"
    if status == "confirmed" and user is not None:
        login(request, user, backend=BACKEND)
        services.login_recorded(user=user, method="qr", client_address=client_ip(request))
        request.session.pop(SESSION_KEY, None)
        target = safe_next(request, reverse("portal:center"))
        if is_htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    if status == "expired":
        state = _new_code(request)
        status = "pending"
    if is_htmx:
        return render(request, "accounts/_qr_box.html", _box_context(request, state, status))
    if status == "pending":
        messages.info(request, _("尚未收到手机端的确认，请用已登录的江苏智慧人社APP或手机浏览器扫码并确认"))
    return redirect(reverse("accounts:login_qr"))


@login_required
def qr_confirm(request, token: str):
    """What scanning opens on the phone: 确认在电脑上登录？"""
    token = token[:64]
    if not request.user.is_person:
        messages.error(request, _("扫码登录仅适用于个人账号"))
        return redirect("accounts:staff_home")
    if request.method == "POST":
        confirm = request.POST.get("decision") == "confirm"
        try:
            services.qr_token_decide(actor=request.user, token=token, confirm=confirm,
                                     client_address=client_ip(request))
        except DomainError as exc:
            return render(request, "accounts/qr_confirm.html", {"error": exc.message})
        return render(request, "accounts/qr_confirm.html", {"decided": True, "confirmed": confirm})
    try:
        services.qr_token_check(token=token)
    except DomainError as exc:
        return render(request, "accounts/qr_confirm.html", {"error": exc.message})
    return render(request, "accounts/qr_confirm.html", {"token": token})
