"""What an applicant is told after each step: an SMS and a 我的消息 entry, titled by the step.
Called after commit; never inside a decision's transaction."""

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from servicehall.core.masking import carries_personal_number, mask_name
from servicehall.messaging.services import MESSAGE_LANGUAGE, person_tell

from .models import Application

# SMS and site messages are written in Chinese, whatever the language of the page that led to
# them. Each step has its title (what 我的消息 lists) and its text (the SMS and the message's body).
EVENTS = {
    "submitted": (
        gettext_lazy("申请已提交"),
        gettext_lazy(
            "您的求职创业补贴申请已提交，申报编号%(number)s，学校将进行审核，可在个人中心查看进度。"
        ),
    ),
    "resubmitted": (
        gettext_lazy("申请已重新提交"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）已重新提交，学校将重新审核。"),
    ),
    "withdrawn": (
        gettext_lazy("申请已撤回"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）已撤回。"),
    ),
    "school_approved": (
        gettext_lazy("学校审核通过"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）已通过学校审核，学校公示后将由人社部门审核。"),
    ),
    "returned": (
        gettext_lazy("申请被退回修改"),
        gettext_lazy(
            "您的求职创业补贴申请（%(number)s）被退回修改：%(opinion)s。请登录网上办事服务大厅修改后重新提交。"
        ),
    ),
    "refused": (
        gettext_lazy("学校不予受理"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）学校不予受理：%(opinion)s。"),
    ),
    "publicity": (
        gettext_lazy("学校公示中"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）正在学校公示，公示期满无异议后转人社部门审核。"),
    ),
    "publicity_upheld": (
        gettext_lazy("公示异议成立"),
        gettext_lazy(
            "您的求职创业补贴申请（%(number)s）公示期间收到的异议经核实成立，已退回学校重新审核。"
        ),
    ),
    "first_review": (
        gettext_lazy("公示期满，转人社初审"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）公示期满，已转人社部门初审。"),
    ),
    "first_approved": (
        gettext_lazy("人社初审通过"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）已通过人社初审，进入复审。"),
    ),
    "rejected": (
        gettext_lazy("人社审核不通过"),
        gettext_lazy("您的求职创业补贴申请（%(number)s）人社审核不通过：%(opinion)s。"),
    ),
    "second_approved": (
        gettext_lazy("人社复审通过"),
        gettext_lazy(
            "您的求职创业补贴申请（%(number)s）复审通过，补贴%(amount)s元将发放到您的社会保障卡。"
        ),
    ),
    # From payments: `extra` gives the amount actually paid and the card account's last four digits.
    "paid": (
        gettext_lazy("补贴已发放"),
        gettext_lazy(
            "您的求职创业补贴（%(number)s）%(amount)s元已发放到您尾号%(last4)s的社会保障卡金融账户，请注意查收。"
        ),
    ),
    # `extra` gives the bank's reason and what to do about it (payments chooses it from the reason).
    "payment_failed": (
        gettext_lazy("补贴发放失败"),
        gettext_lazy(
            "您的求职创业补贴（%(number)s）发放失败，银行反馈：%(reason)s。%(advice)s"
            "办理后请登录网上办事服务大厅确认，补贴将重新发放。"
        ),
    ),
    "reissued": (
        gettext_lazy("重新进入待发放"),
        gettext_lazy(
            "您的求职创业补贴申请（%(number)s）已重新进入待发放，将在下一发放批次中发放到您的社会保障卡。"
        ),
    ),
}
# What closes a sentence: an opinion that ends with one loses it, as the text adds its own 。.
SENTENCE_ENDS = "。．.！!？?；;，,、 \n"


def quoted(opinion: str) -> str:
    """An officer's words as a message quotes them: without the full stop the text adds (no
    。。). Numbers in them are masked where every notice is (messaging.person_tell)."""
    return (opinion or "").strip().rstrip(SENTENCE_ENDS)


def masked_warning(opinion: str) -> str | None:
    """What the officer who wrote `opinion` is told when the messages quote it with a number
    masked (None when nothing was masked)."""
    if not carries_personal_number(opinion):
        return None
    return gettext(
        "意见中含有手机号码或身份证号码：发给对方的短信和站内消息中已隐去其中部分数字。"
        "如需对方与您联系，请在意见中写明办公电话。"
    )


def _title_and_text(application, event, opinion="", extra=None) -> tuple[str, str]:
    amount = application.graduation_year.amount_yuan if application.graduation_year_id else ""
    values = {"number": application.record_number, "opinion": quoted(opinion), "amount": amount}
    values.update(extra or {})
    title, text = EVENTS[event]
    with translation.override(MESSAGE_LANGUAGE):
        return str(title), str(text) % values


def send_one(application, event: str, opinion: str = "", extra: dict | None = None) -> None:
    """Runs after the decision is committed: a failure here must not undo or hide it. `extra`
    fills placeholders of the event's text beyond number, opinion and amount."""
    title, text = _title_and_text(application, event, opinion, extra)
    person_tell(
        user=application.applicant, mobile=application.mobile, title=title, text=text,
        link=reverse("subsidy:case", args=[application.pk]),
    )


def send_many(application_ids, event: str) -> int:
    applications = (
        Application.objects.filter(pk__in=application_ids).select_related("graduation_year", "applicant")
    )
    for application in applications:
        send_one(application, event)
    return len(application_ids)


def on_commit(application, event: str, opinion: str = "", extra: dict | None = None) -> None:
    transaction.on_commit(lambda: send_one(application, event, opinion, extra))


def many_on_commit(application_ids, event: str) -> None:
    from .tasks import notify_applicants

    ids = list(application_ids)
    transaction.on_commit(lambda: notify_applicants.enqueue(ids, event))


OBJECTION_TITLE = gettext_lazy("异议处理结果")
OBJECTION_TEXTS = {
    True: gettext_lazy(
        "您对求职创业补贴公示名单中%(name)s提出的异议，经学校核实成立，该申请已退回学校重新审核。"
        "处理意见：%(response)s。感谢您的监督。"
    ),
    False: gettext_lazy(
        "您对求职创业补贴公示名单中%(name)s提出的异议，经学校核实不成立。处理意见：%(response)s。"
        "感谢您的监督。"
    ),
}


def objection_outcome_on_commit(objection, *, upheld: bool, notice_id: int | None) -> None:
    """The person who raised an objection is told how the school decided it: by SMS, and in 我的
    消息 when they are an applicant-side person (staff have no inbox). The listed person is
    named as the 公示 names them (masked)."""
    raiser = objection.raised_by
    values = {"name": mask_name(objection.application.name), "response": quoted(objection.response)}
    with translation.override(MESSAGE_LANGUAGE):
        title, text = str(OBJECTION_TITLE), str(OBJECTION_TEXTS[upheld]) % values
    link = reverse("notices:detail", args=[notice_id]) if notice_id else ""

    def send():
        person_tell(user=raiser, mobile=raiser.mobile, title=title, text=text, link=link)

    transaction.on_commit(send)
