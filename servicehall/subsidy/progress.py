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
    S.AWAITING_PUBLICITY: 2,
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


# Actions that belong to a step whatever state they left.
ACTION_STEP = {
    "invited": 0,
    "submit": 0,
    "resubmit": 0,
    "publish": 2,
    "end_publicity": 2,
    "uphold_objection": 2,
    "batch_approved": 5,
    "bank_paid": 5,
    "bank_failed": 5,
    "account_fixed": 5,
}


def _place(events) -> list[int]:
    """The step each event happened at, in order. A decision happened where the case was
    waiting (its from_state); an event from 已退回修改 (withdrawing a returned case) happened at
    the step that returned it, not at the school's."""
    placed, step = [], 0
    for event in events:
        if event.action in ACTION_STEP:
            step = ACTION_STEP[event.action]
        elif event.from_state != S.RETURNED:
            step = STATE_STEP.get(event.from_state, step)
        placed.append(step)
    return placed


def progress_steps(application, events) -> list[Step]:
    """The six steps, derived from the timeline alone plus the current state: each event under
    the step where it happened (with its time, organisation and opinion); the step the case is
    at is the one its latest event happened at when the case stopped there (returned, refused,
    withdrawn, rejected), else the one its state waits in."""
    events = list(events)
    steps = [Step(str(label)) for label in STEPS]
    placed = _place(events)
    for event, index in zip(events, placed, strict=True):
        steps[index].events.append(event)
    state = application.state
    if state in STOPPED and state != S.PAYMENT_FAILED and placed:
        at = placed[-1]
    else:
        at = STATE_STEP.get(state, 0)
    for index, step in enumerate(steps):
        if index < at:
            step.status = "done"
        elif index == at:
            step.status = "done" if state == S.PAID else ("stopped" if state in STOPPED else "current")
            step.note = str(STOPPED.get(state, ""))
    return steps
