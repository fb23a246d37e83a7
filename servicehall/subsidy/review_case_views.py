"""One application as a reviewer sees it: its fields (personal numbers masked unless asked for,
and audited), its materials, cross-checks and timeline, and the decisions open to this reviewer
(review.decisions_open), each taken through review.application_decide."""

from dataclasses import dataclass

from csp.constants import SELF
from csp.decorators import csp_replace, csp_update
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from servicehall.audit.services import audit_record
from servicehall.core.errors import DomainError
from servicehall.core.http import client_ip
from servicehall.core.masking import mask_account, mask_id_number, mask_mobile

from . import notify, review, selectors
from .check_selectors import checks_for
from .material_files import material_response
from .review_forms import DecisionForm
from .review_queue import TAB_OF_STATE, is_school
from .review_views import application_or_404, queue_url, reviewer_required


@dataclass(frozen=True)
class Move:
    decision: str  # the key of review.DECISIONS the service takes
    posted: str  # what the button posts: approve, return, refuse or reject
    label: str
    done: str
    style: str = ""


# What the case page says of each decision: its button, the button's style, and the notice
# once it is taken. Which decisions a reviewer is offered is review.decisions_open's.
DECISION_WORDS = {
    "approve_by_school": (
        gettext_lazy("通过"),
        "",
        gettext_lazy("申请%(number)s已审核通过，请在“待公示”中发布公示。"),
    ),
    "return_by_school": (
        gettext_lazy("退回修改"),
        "button--secondary",
        gettext_lazy("申请%(number)s已退回修改，申请人会收到短信，修改后可重新提交。"),
    ),
    "refuse_by_school": (
        gettext_lazy("不予受理"),
        "button--danger",
        gettext_lazy("申请%(number)s不予受理，申请人会收到短信。"),
    ),
    "approve_first": (
        gettext_lazy("通过"),
        "",
        gettext_lazy("申请%(number)s初审已通过，转入复审，复审须由其他审核人员办理。"),
    ),
    "approve_second": (
        gettext_lazy("通过"),
        "",
        gettext_lazy("申请%(number)s复审已通过，已核准，等待发放。"),
    ),
    "return_by_bureau": (
        gettext_lazy("退回修改"),
        "button--secondary",
        gettext_lazy("申请%(number)s已退回修改，申请人会收到短信，修改后重新由学校审核。"),
    ),
    "reject_by_bureau": (
        gettext_lazy("不通过"),
        "button--danger",
        gettext_lazy("申请%(number)s审核不通过，申请人会收到短信。"),
    ),
}


def _moves(user, application, *, state=None, refused_too=False) -> list[Move]:
    """The decisions open to this reviewer on the application, with their words."""
    moves = []
    for name in review.decisions_open(user, application, state=state, refused_too=refused_too):
        label, style, done = DECISION_WORDS[name]
        moves.append(Move(name, review.DECISIONS[name].action, label, done, style))
    return moves


def _detail_fields(application, category, *, full_id=False):
    """The application's fields as the reviewer reads them: ID number, mobile and account
    masked, unless the reviewer asked to see the full ID number (audited by the caller)."""

    def region(item):
        return item.full_name if item else "—"

    id_label = _("公民身份号码")
    fields = [
        (_("申报编号"), application.record_number),
        (_("毕业年度"), application.graduation_year_id or "—"),
        (_("毕业生类型"), category.name if category else "—"),
        (_("姓名"), application.name),
        (_("性别"), application.get_gender_display() or "—"),
        (id_label, application.id_number if full_id else mask_id_number(application.id_number)),
        (_("民族"), application.ethnic_group or "—"),
        (_("学历"), application.education_level or "—"),
        (_("毕业学校"), application.school.name if application.school else "—"),
        (_("学号"), application.student_number or "—"),
        (_("所在院系"), application.department or "—"),
        (_("专业"), application.major or "—"),
        (_("移动电话"), mask_mobile(application.mobile) or "—"),
        (_("户籍区划"), region(application.hukou_region)),
        (_("户籍地址"), application.hukou_address or "—"),
        (_("常住区划"), region(application.residence_region)),
        (_("居住地址"), application.residence_address or "—"),
        (_("开户银行"), application.bank or "—"),
        (_("开户名称"), application.account_name or "—"),
        (_("银行账号"), mask_account(application.account) or "—"),
        (_("核准标志"), application.approved_flag or _("未核准")),
    ]
    # The third value: whether the row offers 查看完整号码.
    return [(label, value, label is id_label and not full_id) for label, value in fields]


def _material_groups(application):
    attached = selectors.attached_materials(application)
    names = selectors.requirement_names(attached)
    return [(names.get(req, _("其他材料")), files) for req, files in attached.items() if files]


@reviewer_required
@csp_update({"frame-src": [SELF]})
def review_detail(request, pk):
    application = application_or_404(request.user, pk)
    form = DecisionForm(request.POST or None)
    problem = ""
    if request.method == "POST":
        seen = request.POST.get("state", "")
        decision = request.POST.get("decision")
        move = next(
            (
                m
                for m in _moves(request.user, application, state=seen, refused_too=True)
                if m.posted == decision
            ),
            None,
        )
        if move is None:
            problem = _("请选择审核结果（通过、退回修改等）后再提交。")
        elif form.is_valid():
            try:
                # The state the page showed: if someone decided in between, the service (under
                # the row lock) says "已被他人处理".
                done = review.application_decide(
                    decision=move.decision,
                    actor=request.user,
                    application_id=application.pk,
                    opinion=form.cleaned_data["opinion"],
                    client_address=client_ip(request),
                    expected_state=seen,
                )
            except DomainError as error:
                if error.code == "not_found":
                    raise Http404 from None
                if error.fields:
                    error.add_to_form(form)
                else:
                    problem = error.message
                application = application_or_404(request.user, pk)
            else:
                messages.success(request, move.done % {"number": done.record_number})
                if warning := notify.masked_warning(form.cleaned_data["opinion"]):
                    messages.warning(request, warning)
                return redirect(queue_url(f"tab={TAB_OF_STATE.get(seen, '')}"))
    category = selectors.category_of(application)
    audit_record(
        actor=request.user, action="subsidy.view", target=application, client_address=client_ip(request)
    )
    full_id = request.method == "GET" and request.GET.get("reveal") == "id_number"
    if full_id:
        audit_record(
            actor=request.user,
            action="subsidy.reveal_id_number",
            target=application,
            client_address=client_ip(request),
        )
    return render(
        request,
        "subsidy/review/detail.html",
        {
            "application": application,
            "fields": _detail_fields(application, category, full_id=full_id),
            "full_id": full_id,
            "groups": _material_groups(application),
            "timeline": application.timeline.select_related("organisation", "actor"),
            "objections": selectors.objections_open_of(application),
            "moves": _moves(request.user, application),
            "checks": checks_for(application),
            "form": form,
            "problem": problem,
            "is_first_reviewer": review.is_own_first_review(request.user, application),
            "is_school": is_school(request.user),
            "back_tab": TAB_OF_STATE.get(application.state, ""),
        },
    )


@reviewer_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def review_material(request, pk, material_id):
    """One material of one application, decrypted, for the detail page's viewer (framed from
    this site only). Only a file the application lists, and its applicant's own."""
    application = application_or_404(request.user, pk)
    material = selectors.material_listed_in(application, material_id)
    if material is None:
        raise Http404
    audit_record(
        actor=request.user,
        action="subsidy.material_view",
        target=application,
        detail={"material": str(material.pk)},
        client_address=client_ip(request),
    )
    return material_response(material, download=request.GET.get("download") == "1")


# --- 异议处理 ----------------------------------------------------------------------------------


