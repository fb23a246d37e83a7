"""查看进度: the six steps an applicant sees, each done, current or to come, with the time,
organisation and opinion of what happened there (the manual's 办件进度)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .constants import ApplicationStatus as S

STEPS = [_("申报提交"), _("学校审核"), _("学校公示"), _("人社初审"), _("人社复审"), _("资金发放")]
# Which step each state is at.
STATE_STEP = {
    S.SCHOOL_REVIEW: 1,
    S.RETURNED: 1,
    S.REFUSED: 1,
    S.WITHDRAWN: 1,
    S.PUBLICITY: 2,
    S.FIRST_REVIEW: 3,
    S.SECOND_REVIEW: 4,
    S.AWAITING_PAYMENT: 5,
    S.PAYING: 5,
    S.PAYMENT_FAILED: 5,
    S.PAID: 5,
}
STOPPED = {
    S.RETURNED: _("已退回修改"),
    S.REFUSED: _("不予受理"),
    S.WITHDRAWN: _("已撤回"),
    S.REJECTED: _("审核不通过"),
    S.PAYMENT_FAILED: _("发放失败"),
}


@dataclass
class Step:
    label: str
    status: str = "todo"  # done | current | stopped | todo
    note: str = ""
    events: list = field(default_factory=list)


def _event_step(event) -> int:
    if event.action in ("submit", "resubmit", "withdraw"):
        return 0 if event.action != "withdraw" else STATE_STEP.get(event.from_state, 1)
    if event.action in ("end_publicity", "uphold_objection"):
        return 2
    if event.action in ("bank_paid", "bank_failed", "batch_approved", "account_fixed"):
        return 5
    return STATE_STEP.get(event.from_state, 1)


def progress_steps(application, events) -> list[Step]:
    steps = [Step(str(label)) for label in STEPS]
    for event in events:
        steps[_event_step(event)].events.append(event)
    state = application.state
    at = STATE_STEP.get(state)
    if state == S.REJECTED:
        last = events[-1] if events else None
        at = STATE_STEP.get(last.from_state, 3) if last else 3
    for index, step in enumerate(steps):
        if index < at:
            step.status = "done"
        elif index == at:
            step.status = "done" if state == S.PAID else ("stopped" if state in STOPPED else "current")
            step.note = str(STOPPED.get(state, ""))
    return steps
