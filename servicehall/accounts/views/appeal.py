"""用户申诉: a person asks to release an ID number bound to an account that is not theirs;
an operator reviews the photo and decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.audit.services import audit_record
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.core.images import reencode_photo
from servicehall.core.storage import private_file_response, read_sealed

from .. import selectors, services
from ..forms import AppealDecisionForm, AppealForm
from ..models import AccountAppeal
from .common import refill, send_code, wants_code
from .staff import operator_required

HELD_PHOTO_KEY = "appeal_held_photo"


def _hold_photo(request, form) -> None:
    """Keep a valid photo across a form error or a 获取验证码 round trip, so it is not lost."""
    upload = request.FILES.get("id_photo")
    if not upload:
        return
    try:
        data = reencode_photo(upload, field="id_photo")
    except DomainError as exc:
        if form.is_bound:
            exc.add_to_form(form)
        return
    request.session[HELD_PHOTO_KEY] = {"name": upload.name[:80], "hex": data.hex()}


def _held_photo(request):
    held = request.session.get(HELD_PHOTO_KEY)
    if not held:
        return None
    return SimpleUploadedFile(held["name"], bytes.fromhex(held["hex"]), "image/jpeg")


def appeal(request):
    context = {"purpose": "appeal"}
    if wants_code(request):
        form = refill(AppealForm, request)
        _hold_photo(request, form)
        status = send_code(request, purpose="appeal", mobile=request.POST.get("mobile", ""))
        return render(request, "accounts/appeal.html",
                      {**context, "form": form, "sms_status": status,
                       "held_photo": request.session.get(HELD_PHOTO_KEY, {}).get("name")})
    if request.method == "POST":
        files = request.FILES.copy()
        if not files.get("id_photo") and _held_photo(request):
            files["id_photo"] = _held_photo(request)
        form = AppealForm(request.POST, files)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.appeal_submit(
                    id_type=data["id_type"], id_number=data["id_number"], name=data["name"],
                    mobile=data["mobile"], sms_code=data["sms_code"], photo=data["id_photo"],
                    reason=data["reason"], client_address=client_ip(request),
                )
            except DomainError as exc:
                exc.add_to_form(form)
            else:
                request.session.pop(HELD_PHOTO_KEY, None)
                return redirect("accounts:appeal_done")
        _hold_photo(request, form)
    else:
        form = AppealForm()
        request.session.pop(HELD_PHOTO_KEY, None)
    return render(request, "accounts/appeal.html", {
        **context, "form": form,
        "held_photo": request.session.get(HELD_PHOTO_KEY, {}).get("name"),
    })


def appeal_done(request):
    return render(request, "accounts/appeal_done.html")


@operator_required
def appeal_list(request):
    status = request.GET.get("status", AccountAppeal.Status.PENDING)
    appeals = selectors.appeal_list_for(request.user, status=status)
    return render(request, "accounts/appeal_list.html", {
        "appeals": appeals[:200], "status": status, "statuses": AccountAppeal.Status.choices,
    })


def _appeal_or_404(request, appeal_id):
    try:
        return selectors.appeal_get_for(request.user, appeal_id)
    except AccountAppeal.DoesNotExist as exc:
        raise Http404 from exc


@operator_required
def appeal_detail(request, appeal_id: int):
    item = _appeal_or_404(request, appeal_id)
    pending = item.status == AccountAppeal.Status.PENDING
    holder = selectors.user_find_by_id_number(item.id_number) if pending else None
    return render(request, "accounts/appeal_detail.html", {
        "appeal": item, "holder": holder, "form": AppealDecisionForm(),
    })


@operator_required
def appeal_photo(request, appeal_id: int):
    item = _appeal_or_404(request, appeal_id)
    audit_record(actor=request.user, action="account.appeal.view_photo", target=item,
                 client_address=client_ip(request))
    content = read_sealed(item.id_photo, encrypted=item.id_photo_encrypted)
    return private_file_response(content, content_type="image/jpeg")


@operator_required
@require_POST
def appeal_decide(request, appeal_id: int):
    item = _appeal_or_404(request, appeal_id)
    form = AppealDecisionForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        raise PermissionDenied
    if form.is_valid():
        try:
            if decision == "approve":
                services.appeal_approve(
                    actor=request.user,
                    appeal=item,
                    opinion=form.cleaned_data["opinion"],
                    client_address=client_ip(request),
                )
                messages.success(request, _("申诉已通过，原账号的证件绑定已解除，已短信通知申诉人"))
            else:
                services.appeal_reject(
                    actor=request.user,
                    appeal=item,
                    opinion=form.cleaned_data["opinion"],
                    client_address=client_ip(request),
                )
                messages.success(request, _("申诉已驳回，已短信通知申诉人"))
            return redirect("accounts:appeal_list")
        except DomainError as exc:
            exc.add_to_form(form)
    return render(request, "accounts/appeal_detail.html",
                  {"appeal": item, "form": form}, status=400)
