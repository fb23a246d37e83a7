from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .common import STAFF_RESET, send_code


@require_POST
def send_code_fragment(request):
    """htmx endpoint behind every 获取验证码 button; the no-JS path posts the whole form."""
    purpose = request.POST.get("purpose", "")[:32]
    mobile = request.POST.get("mobile", "")[:40]
    if not purpose:
        return HttpResponseBadRequest()
    staff = purpose == STAFF_RESET
    status = send_code(request, purpose="reset_password" if staff else purpose, mobile=mobile, staff=staff)
    return render(request, "accounts/_sms_status.html", {"sms_status": status})
