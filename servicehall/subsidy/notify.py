"""What an applicant is told after each step, by SMS (and, where the hall has them, site
messages). Called after commit; never inside a decision's transaction."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicehall.messaging.services import site_message_send, sms_send

from .models import Application

logger = logging.getLogger(__name__)
MESSAGE_LANGUAGE = "zh-hans"

# SMS and site messages are written in Chinese, whatever the language of the page that led to them.
TEXTS = {
    "school_approved": gettext_lazy(
        "您的求职创业补贴申请（%(number)s）已通过学校审核，学校公示后将由人社部门审核。"
    ),
    "returned": gettext_lazy(
        "您的求职创业补贴申请（%(number)s）被退回修改：%(opinion)s。请登录网上办事服务大厅修改后重新提交。"
    ),
    "refused": gettext_lazy("您的求职创业补贴申请（%(number)s）学校不予受理：%(opinion)s。"),
    "publicity": gettext_lazy(
        "您的求职创业补贴申请（%(number)s）正在学校公示，公示期满无异议后转人社部门审核。"
    ),
    "publicity_upheld": gettext_lazy(
        "您的求职创业补贴申请（%(number)s）公示期间收到的异议经核实成立，已退回学校重新审核。"
    ),
    "first_review": gettext_lazy("您的求职创业补贴申请（%(number)s）公示期满，已转人社部门初审。"),
    "first_approved": gettext_lazy("您的求职创业补贴申请（%(number)s）已通过人社初审，进入复审。"),
    "rejected": gettext_lazy("您的求职创业补贴申请（%(number)s）人社审核不通过：%(opinion)s。"),
    "second_approved": gettext_lazy(
        "您的求职创业补贴申请（%(number)s）复审通过，补贴%(amount)s元将发放到您的社会保障卡。"
    ),
    # From payments: `extra` gives the amount actually paid and the card account's last four digits.
    "paid": gettext_lazy(
        "您的求职创业补贴（%(number)s）%(amount)s元已发放到您尾号%(last4)s的社会保障卡金融账户，请注意查收。"
    ),
    # `extra` gives the bank's reason and what to do about it (payments chooses it from the reason).
    "payment_failed": gettext_lazy(
        "您的求职创业补贴（%(number)s）发放失败，银行反馈：%(reason)s。%(advice)s"
        "办理后请登录网上办事服务大厅确认，补贴将重新发放。"
    ),
    "reissued": gettext_lazy(
        "您的求职创业补贴申请（%(number)s）已重新进入待发放，将在下一发放批次中发放到您的社会保障卡。"
    ),
}


def _text(application, event, opinion="", extra=None):
    amount = application.graduation_year.amount_yuan if application.graduation_year_id else ""
    values = {"number": application.record_number, "opinion": opinion, "amount": amount}
    values.update(extra or {})
    with translation.override(MESSAGE_LANGUAGE):
        return str(TEXTS[event]) % values


def send_one(application, event: str, opinion: str = "", extra: dict | None = None) -> None:
    """Runs after the decision is committed: a failure here must not undo or hide it. `extra`
    fills placeholders of the event's text beyond number, opinion and amount."""
    text = _text(application, event, opinion, extra)
    for send in (
        lambda: sms_send(mobile=application.mobile, text=text),
        lambda: _site_message(application, text),
    ):
        try:
            send()
        except ValueError:  # e.g. an opinion quoting a phone number, which messages refuse
            logger.warning("Notice for application %s (%s) not sent", application.pk, event)


def send_many(application_ids, event: str) -> int:
    applications = Application.objects.filter(pk__in=application_ids).select_related("graduation_year")
    for application in applications:
        send_one(application, event)
    return len(application_ids)


def on_commit(application, event: str, opinion: str = "", extra: dict | None = None) -> None:
    transaction.on_commit(lambda: send_one(application, event, opinion, extra))


def many_on_commit(application_ids, event: str) -> None:
    from .tasks import notify_applicants

    ids = list(application_ids)
    transaction.on_commit(lambda: notify_applicants.enqueue(ids, event))


def _site_message(application, text):
    with translation.override(MESSAGE_LANGUAGE):
        title = _("求职创业补贴办理进度")
    site_message_send(
        user=application.applicant,
        title=title,
        body=text,
        link=reverse("subsidy:case", args=[application.pk]),
    )
