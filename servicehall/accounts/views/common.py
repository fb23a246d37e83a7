"""Small pieces the account pages share."""

from urllib.parse import quote

from django.utils.translation import gettext as _

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.core.masking import mask_mobile

from .. import services


def refill(form_class, request, **kwargs):
    """An unbound form showing what was typed: used when 获取验证码 is pressed without
    JavaScript, so the rest of the form is kept but not yet judged."""
    values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    return form_class(initial=values, **kwargs)


# The 获取验证码 button's purpose on the staff's 设置或重置密码 page (a reset_password code for a
# staff account).
STAFF_RESET = "staff_reset_password"


def send_code(request, *, purpose: str, mobile: str, staff: bool = False) -> dict:
    """Ask for a one-time code; returns the status the page shows under the code field."""
    try:
        seconds = services.sms_code_request(
            mobile=mobile, purpose=purpose, client_address=client_ip(request), actor=request.user, staff=staff
        )
    except DomainError as exc:
        return {"ok": False, "text": str(exc.message), "fields": exc.fields}
    return {
        "ok": True,
        "seconds": seconds,
        "text": _("验证码已发送至{mobile}，请注意查收；{seconds}秒后可重新获取").format(
            mobile=mask_mobile(mobile.strip()), seconds=seconds
        ),
    }


def wants_code(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == "send_code"


def with_next(path: str, next_url: str) -> str:
    """`path` carrying `next_url` (already passed core.http.safe_next) as its `next`, if any,
    quoted as the templates' `next|urlencode` quotes it."""
    return f"{path}?next={quote(next_url, safe='/')}" if next_url else path
