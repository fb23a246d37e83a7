"""The application's life (DESIGN.md section 4) as one table. Each move is one service
function; nothing else changes an application's state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SCHOOL_REVIEW = "school_review", _("学校审核中")
    RETURNED = "returned", _("已退回修改")
    REFUSED = "refused", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")
    AWAITING_PUBLICITY = "awaiting_publicity", _("待公示")
    PUBLICITY = "publicity", _("学校公示中")
    FIRST_REVIEW = "first_review", _("人社初审中")
    SECOND_REVIEW = "second_review", _("人社复审中")
    REJECTED = "rejected", _("审核不通过")
    AWAITING_PAYMENT = "awaiting_payment", _("待发放")
    PAYING = "paying", _("发放中")
    PAID = "paid", _("已发放")
    PAYMENT_FAILED = "payment_failed", _("发放失败")


S = ApplicationStatus

# (action, who) → {from state: to state}
ALLOWED_TRANSITIONS: dict[tuple[str, str], dict[str, str]] = {
    ("submit", "applicant"): {S.DRAFT: S.SCHOOL_REVIEW},
    ("approve", "school"): {S.SCHOOL_REVIEW: S.AWAITING_PUBLICITY},
    ("publish", "school"): {S.AWAITING_PUBLICITY: S.PUBLICITY},
    ("return", "school"): {S.SCHOOL_REVIEW: S.RETURNED},
    ("refuse", "school"): {S.SCHOOL_REVIEW: S.REFUSED},
    ("withdraw", "applicant"): {S.SCHOOL_REVIEW: S.WITHDRAWN, S.RETURNED: S.WITHDRAWN},
    ("resubmit", "applicant"): {S.RETURNED: S.SCHOOL_REVIEW},
    ("uphold_objection", "school"): {S.PUBLICITY: S.SCHOOL_REVIEW},
    ("end_publicity", "system"): {S.PUBLICITY: S.FIRST_REVIEW},
    ("approve", "first_reviewer"): {S.FIRST_REVIEW: S.SECOND_REVIEW},
    ("return", "bureau"): {S.FIRST_REVIEW: S.RETURNED, S.SECOND_REVIEW: S.RETURNED},
    ("reject", "bureau"): {S.FIRST_REVIEW: S.REJECTED, S.SECOND_REVIEW: S.REJECTED},
    ("approve", "second_reviewer"): {S.SECOND_REVIEW: S.AWAITING_PAYMENT},
    ("batch_approved", "payment_officer"): {S.AWAITING_PAYMENT: S.PAYING},
    ("bank_paid", "system"): {S.PAYING: S.PAID},
    ("bank_failed", "system"): {S.PAYING: S.PAYMENT_FAILED},
    ("account_fixed", "applicant_or_system"): {S.PAYMENT_FAILED: S.AWAITING_PAYMENT},
}

# 已办结. Everything else, drafts aside, is 办理中.
CONCLUDED = frozenset({S.PAID, S.REFUSED, S.REJECTED, S.WITHDRAWN})
# A claim that no longer blocks a new one: one claim per person for life otherwise.
CLAIM_RELEASED = frozenset({S.WITHDRAWN, S.REFUSED, S.REJECTED})
# The applicant may still change the form.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})

# A reviewer's opinion (审核意见), which the applicant reads, is at most this many characters.
OPINION_MAX = 500


# Not a move: the draft began from a 政策找人 invitation (outreach), recorded once on its timeline.
INVITED = "invited"

# 查看进度 names each step by what was done.
ACTION_LABELS = {
    INVITED: _("根据政策找人邀请发起申请"),
    "submit": _("提交申请"),
    "resubmit": _("重新提交"),
    "withdraw": _("撤回申请"),
    "approve": _("审核通过"),
    "return": _("退回修改"),
    "refuse": _("不予受理"),
    "reject": _("审核不通过"),
    "publish": _("发布公示"),
    "uphold_objection": _("公示异议成立"),
    "end_publicity": _("公示期满"),
    "batch_approved": _("发放批次审批"),
    "bank_paid": _("已发放至社会保障卡"),
    "bank_failed": _("发放失败"),
    "account_fixed": _("账户已更正"),
}


def next_state(action: str, who: str, current: str) -> str | None:
    return ALLOWED_TRANSITIONS.get((action, who), {}).get(current)
