"""其他登录方式 (the unified identity, WeChat, Alipay) and 我的 → 账号绑定: HTTP only; every rule
is accounts.provider_login's.

The browser's session keeps what each started authorization must find again (its state, the
PKCE verifier, the nonce, whether it logs in or binds, where to go next), and a login's second
step keeps its ticket there."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip, safe_next

from .. import provider_login as flows
from ..forms import PasswordLoginForm, SmsCodeForm
from ..providers import authorization_origins, providers_configured
from ..selectors import provider_bindings_of
from .common import with_next

BACKEND = "servicehall.accounts.backends.IdentifierPasswordBackend"
FLOWS_KEY = "provider_flows"
TICKET_KEY = "provider_ticket"
KEEP_FLOWS = 3  # authorizations one browser may have started and not finished


def _error_page(request, exc: DomainError, *, intent: str = flows.LOGIN):
    status = 503 if exc.code in ("provider_unavailable", "provider_slow") else 400
    return render(request, "accounts/provider_error.html",
                  {"error": exc.message, "intent": intent, "method": "provider"}, status=status)


def _callback_uri(request, key: str) -> str:
    return request.build_absolute_uri(reverse("accounts:provider_callback", args=[key]))


def _start(request, key: str, *, intent: str, next_url: str = ""):
    try:
        authorization = flows.provider_authorization_start(
            provider_key=key[:32], redirect_uri=_callback_uri(request, key[:32]),
            client_address=client_ip(request))
    except DomainError as exc:
        return _error_page(request, exc, intent=intent)
    started = dict(request.session.get(FLOWS_KEY) or {})
    started[authorization.state] = {"provider": key, "intent": intent, "next": next_url,
                                    "kept": authorization.kept}
    request.session[FLOWS_KEY] = dict(list(started.items())[-KEEP_FLOWS:])
    return redirect(authorization.url)


def provider_start(request, key: str):
    """A 其他登录方式 button: off to the provider."""
    if request.user.is_authenticated:
        return redirect(safe_next(request, reverse("portal:center")))
    return _start(request, key, intent=flows.LOGIN, next_url=safe_next(request, ""))


def provider_callback(request, key: str):
    """Where the provider sends the person back, with a code and the state."""
    key = key[:32]
    started = dict(request.session.get(FLOWS_KEY) or {})
    flow = started.pop(request.GET.get("state", "")[:200], None)
    request.session[FLOWS_KEY] = started
    if flow is not None and flow["provider"] != key:
        flow = None
    intent = flow["intent"] if flow else flows.LOGIN
    actor = request.user if request.user.is_authenticated else None
    try:
        identity = flows.provider_identity_finish(
            # Alipay names its code auth_code.
            provider_key=key, code=request.GET.get("code") or request.GET.get("auth_code", ""),
            kept=flow and flow["kept"], refusal=request.GET.get("error", "")[:60],
            client_address=client_ip(request), actor=actor)
        if intent == flows.BIND:
            if actor is None:
                return redirect(with_next(reverse("accounts:login"), reverse("accounts:bindings")))
            flows.provider_bind(user=actor, identity=identity, client_address=client_ip(request))
            messages.success(request, _("绑定成功，以后可以用它登录本大厅"))
            return redirect("accounts:bindings")
        outcome = flows.provider_login(identity=identity, client_address=client_ip(request))
    except DomainError as exc:
        return _error_page(request, exc, intent=intent)
    next_url = flow["next"] if flow else ""
    if outcome.user is not None:
        login(request, outcome.user, backend=BACKEND)
        return redirect(next_url or reverse("portal:center"))
    request.session[TICKET_KEY] = {"ticket": outcome.ticket, "next": next_url}
    if outcome.next_step == "sms":
        return redirect("accounts:provider_confirm")
    return redirect("accounts:provider_link")


def _ticket(request) -> tuple[str, str]:
    kept = request.session.get(TICKET_KEY) or {}
    return kept.get("ticket", ""), kept.get("next", "")


def _finish_login(request, user, next_url: str):
    request.session.pop(TICKET_KEY, None)
    login(request, user, backend=BACKEND)
    messages.success(request, _("绑定成功，以后可以用它登录本大厅"))
    return redirect(next_url or reverse("portal:center"))


def provider_confirm(request):
    """The provider's verified mobile is an account's: its phone confirms by an SMS code."""
    ticket, next_url = _ticket(request)
    try:
        view = flows.provider_ticket_summary(ticket)
    except DomainError as exc:
        return _error_page(request, exc)
    context = {"method": "provider", "ticket": view}
    form = SmsCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("action") == "send_code":
        try:
            seconds = flows.provider_confirm_code_send(ticket=ticket, client_address=client_ip(request))
            context["sms_status"] = {"ok": True, "seconds": seconds, "text": _(
                "验证码已发送至{mobile}，请注意查收；{seconds}秒后可重新获取").format(
                    mobile=view.masked_mobile, seconds=seconds)}
        except DomainError as exc:
            context["sms_status"] = {"ok": False, "text": str(exc.message)}
        return render(request, "accounts/provider_confirm.html", {**context, "form": SmsCodeForm()})
    if request.method == "POST" and form.is_valid():
        try:
            user = flows.provider_confirm_by_sms(ticket=ticket, sms_code=form.cleaned_data["sms_code"],
                                                 client_address=client_ip(request))
        except DomainError as exc:
            if exc.code == "provider_ticket":
                return _error_page(request, exc)
            exc.add_to_form(form)
        else:
            return _finish_login(request, user, next_url)
    return render(request, "accounts/provider_confirm.html", {**context, "form": form})


def provider_link(request):
    """No account was found for the identity: log in once with the password, or register."""
    ticket, next_url = _ticket(request)
    try:
        view = flows.provider_ticket_summary(ticket)
    except DomainError as exc:
        return _error_page(request, exc)
    form = PasswordLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = flows.provider_bind_by_password(
                request=request, ticket=ticket, identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"])
        except DomainError as exc:
            if exc.code == "provider_ticket":
                return _error_page(request, exc)
            form.add_error(None, str(exc.message))
        else:
            return _finish_login(request, user, next_url)
    return render(request, "accounts/provider_link.html", {
        "method": "provider", "ticket": view, "form": form,
        "register_url": reverse("accounts:register") + "?via=provider"})


@login_required
def bindings(request):
    """我的 → 账号绑定."""
    if not request.user.is_person:
        messages.error(request, _("工作人员不能绑定第三方账号，请使用单位登录"))
        return redirect("accounts:staff_home")
    response = render(request, "accounts/bindings.html", {
        "rows": provider_bindings_of(request.user, providers_configured()), "tab": "bindings"})
    # 绑定 posts here and is redirected to the provider: the browser checks form-action on that.
    response._csp_update = {"form-action": authorization_origins()}
    return response


@login_required
@require_POST
def binding_add(request, key: str):
    if not request.user.is_person:
        return redirect("accounts:staff_home")
    return _start(request, key, intent=flows.BIND)


@login_required
@require_POST
def binding_remove(request, key: str):
    try:
        flows.provider_unbind(user=request.user, provider_key=key[:32], client_address=client_ip(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解绑"))
    return redirect("accounts:bindings")
