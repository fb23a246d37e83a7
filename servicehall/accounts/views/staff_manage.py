"""工作人员管理 (operators): the staff list with its filters and the 新增工作人员 form, and one
staff member's page to change them or disable and enable them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip

from .. import selectors, staff_accounts
from ..models import User
from ..staff_forms import StaffFilterForm, StaffForm, StaffInviteForm
from .staff import operator_required

PER_PAGE = 30


def _staff_or_404(request, pk) -> User:
    try:
        return selectors.staff_get_for(request.user, pk)
    except User.DoesNotExist:
        raise Http404 from None


@operator_required
def staff_list(request):
    invite = StaffInviteForm(request.POST or None, prefix="new")
    if request.method == "POST" and invite.is_valid():
        try:
            user = staff_accounts.staff_invite(
                actor=request.user, client_address=client_ip(request), **invite.cleaned_data
            )
        except DomainError as error:
            error.add_to_form(invite)
        else:
            messages.success(
                request,
                _("已开通账号%(username)s，开通短信已发送到%(mobile)s，本人凭验证码设置密码后即可登录。")
                % {"username": user.username, "mobile": user.masked_mobile},
            )
            return redirect("accounts:staff_edit", pk=user.pk)
    filters = StaffFilterForm(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    staff = selectors.staff_list_for(request.user, **wanted)
    page = Paginator(staff, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/staff_list.html",
        {"invite": invite, "filters": filters, "page": page, "query": query.urlencode()},
        status=400 if invite.errors else 200,
    )


@operator_required
def staff_edit(request, pk):
    user = _staff_or_404(request, pk)
    initial = {"name": user.name, "role": user.role, "organisation": user.organisation, "mobile": user.mobile}
    form = StaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            staff_accounts.staff_update(
                actor=request.user, user=user, client_address=client_ip(request), **form.cleaned_data
            )
        except DomainError as error:
            error.add_to_form(form)
        else:
            messages.success(request, _("已保存。"))
            return redirect("accounts:staff_edit", pk=user.pk)
    return render(
        request,
        "accounts/staff_edit.html",
        {"staff": user, "form": form, "is_self": user.pk == request.user.pk},
        status=400 if form.errors else 200,
    )


@require_POST
@operator_required
def staff_activate(request, pk):
    user = _staff_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        staff_accounts.staff_set_active(
            actor=request.user, user=user, active=active, client_address=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("账号已启用。") if active else _("账号已停用，不能再登录。"))
    return redirect("accounts:staff_edit", pk=user.pk)
