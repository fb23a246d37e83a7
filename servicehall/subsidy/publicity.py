"""学校公示: a school publishes its approved applications on 公示公告 for N working days
(reference.workdays), anyone logged in may object, the school dismisses or upholds each
objection, and when the period is over the system moves the rest on to 人社初审."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.accounts.permissions import ensure_may
from servicehall.audit.services import audit_record, audit_record_many
from servicehall.core.actions import Action
from servicehall.core.errors import DomainError
from servicehall.core.masking import mask_name, mask_student_number
from servicehall.core.moments import end_text
from servicehall.notices.models import NoticeKind
from servicehall.notices.services import notice_publish
from servicehall.reference.workdays import deadline_at

from . import notify, selectors
from .constants import ApplicationStatus
from .models import Application, Objection, ObjectionState, Publicity
from .review_selectors import application_list_for_reviewer
from .transitions import transition, transition_many

if TYPE_CHECKING:
    from servicehall.accounts.models import User

S = ApplicationStatus
REASON_MAX = 500


def awaiting_publicity_for(actor):
    """Approved by the school, not yet on a published list."""
    return application_list_for_reviewer(actor).filter(state=S.AWAITING_PUBLICITY)


def _rows(applications):
    names = {}
    rows = []
    for application in applications:
        key = (application.graduation_year_id, application.category_code)
        if key not in names:
            category = selectors.category_of(application)
            names[key] = category.name if category else ""
        rows.append(
            [
                mask_name(application.name),
                mask_student_number(application.student_number),
                application.department,
                names[key],
                f"{application.graduation_year.amount_yuan}",
            ]
        )
    return rows


def publicity_publish(
    *, actor: User, application_ids: list[int], now: datetime.datetime | None = None, client_address: str = ""
) -> Publicity:
    """Put the chosen approved applications on one 公示 of the actor's school."""
    ensure_may(actor, Action.REVIEW_SCHOOL, _("只有学校审核人员可以发布公示。"))
    now = now or timezone.now()
    with transaction.atomic():
        applications = list(
            awaiting_publicity_for(actor)
            .select_for_update(of=("self",))
            .filter(pk__in=[int(i) for i in application_ids if str(i).isdigit()])
            .order_by("department", "record_number")
        )
        if not applications:
            raise DomainError(
                _("请选择要公示的申请（学校审核通过、尚未公示的）。"), code="nothing_to_publish"
            )
        year = applications[0].graduation_year
        closes_at = deadline_at(now, year.publicity_days)
        school = actor.organisation
        notice = notice_publish(
            actor=actor,
            client_address=client_address,
            kind=NoticeKind.PUBLICITY,
            publisher=school.name,
            published_at=now,
            closes_at=closes_at,
            title=_("%(school)s %(year)s届毕业生求职创业补贴拟发放名单公示")
            % {"school": school.name, "year": year.year},
            body=_(
                "经本人申请、学校审核，以下%(count)s名毕业生拟享受一次性求职创业补贴，现予公示。公示期为%(days)s个"
                "工作日，至%(closes)s止。如有异议，请在公示期内登录网上办事服务大厅，在本公告下点击【提出异议】，"
                "写明理由。"
            )
            % {
                "count": len(applications),
                "days": year.publicity_days,
                "closes": end_text(closes_at),
            },
        )
        notice.table_columns = [
            str(_("姓名")),
            str(_("学号")),
            str(_("所在院系")),
            str(_("毕业生类型")),
            str(_("补贴金额（元）")),
        ]
        notice.table_rows = _rows(applications)
        publicity = Publicity.objects.create(
            organisation=school, notice=notice, published_by=actor, published_at=now, closes_at=closes_at
        )
        notice.action_url = reverse("subsidy:objection", args=[publicity.pk])
        notice.action_label = str(_("提出异议"))
        notice.save(update_fields=["table_columns", "table_rows", "action_url", "action_label"])
        ids = [a.pk for a in applications]
        transition_many(
            application_ids=ids,
            action="publish",
            who="school",
            from_state=S.AWAITING_PUBLICITY,
            actor_id=actor.pk,
            organisation_id=school.pk,
            now=now,
        )
        Application.objects.filter(pk__in=ids).update(publicity=publicity)
        audit_record_many(
            actor=actor,
            action="subsidy.publicity_publish",
            targets=applications,
            client_address=client_address,
            detail={"publicity": publicity.pk},
        )
        notify.many_on_commit([a.pk for a in applications], "publicity")
    return publicity


def publicity_list_public():
    """Every 公示 with its notice: anyone logged in may open one to raise an objection."""
    return Publicity.objects.select_related("notice")


def publicity_entries(publicity):
    """(row number, masked row, application id) for the objection form's choice list."""
    applications = list(
        publicity.applications.order_by("department", "record_number").select_related("graduation_year")
    )
    return list(
        zip(range(1, len(applications) + 1), _rows(applications), [a.pk for a in applications], strict=True)
    )


def objection_raise(
    *,
    actor: User,
    publicity: Publicity,
    application_id: int,
    reason: str,
    now: datetime.datetime | None = None,
) -> Objection:
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明异议理由"), code="reason_required", fields=["reason"])
    if len(reason) > REASON_MAX:
        raise DomainError(_("异议理由最多500个字"), code="reason_too_long", fields=["reason"])
    if publicity.closed_at is not None or now >= publicity.closes_at:
        raise DomainError(_("公示期已结束，不能再提出异议。"), code="publicity_closed")
    application = publicity.applications.filter(pk=application_id, state=S.PUBLICITY).first()
    if application is None:
        raise DomainError(_("请从名单中选择异议对象"), code="not_listed", fields=["entry"])
    objection = Objection.objects.create(application=application, raised_by=actor, reason=reason)
    audit_record(
        actor=actor, action="subsidy.objection_raise", target=application, detail={"objection": objection.pk}
    )
    return objection


def objection_list_for(actor):
    return Objection.objects.filter(
        application__in=application_list_for_reviewer(actor).values("pk")
    ).select_related("application")


def objection_handle(
    *, actor: User, objection_id: int, uphold: bool, response: str, client_address: str = ""
) -> Objection:
    """异议不成立: the application continues. 异议成立: back to 学校审核 with the reason."""
    response = (response or "").strip()
    if not response:
        raise DomainError(_("请填写处理意见"), code="response_required", fields=["response"])
    ensure_may(actor, Action.HANDLE_OBJECTIONS, _("只有学校审核人员可以处理异议。"))
    with transaction.atomic():
        try:
            objection = objection_list_for(actor).select_for_update(of=("self",)).get(pk=objection_id)
        except Objection.DoesNotExist:
            raise DomainError(_("找不到这条异议。"), code="not_found") from None
        if objection.state != ObjectionState.OPEN:
            raise DomainError(_("这条异议已被他人处理。"), code="already_handled")
        notice_id = objection.application.publicity.notice_id if objection.application.publicity_id else None
        objection.state = ObjectionState.UPHELD if uphold else ObjectionState.DISMISSED
        objection.handled_by, objection.handled_at, objection.response = actor, timezone.now(), response
        objection.save()
        if uphold:
            application = (
                application_list_for_reviewer(actor)
                .select_for_update(of=("self",))
                .get(pk=objection.application_id)
            )
            if application.state == S.PUBLICITY:
                transition(
                    application,
                    action="uphold_objection",
                    who="school",
                    actor=actor,
                    organisation=actor.organisation,
                    opinion=response,
                )
                application.publicity = None
                application.save()
                notify.on_commit(application, "publicity_upheld")
        audit_record(
            actor=actor,
            action="subsidy.objection_" + objection.state,
            target=objection.application,
            client_address=client_address,
            detail={"objection": objection.pk},
        )
        notify.objection_outcome_on_commit(objection, upheld=uphold, notice_id=notice_id)
    return objection


def publicities_close_due(*, now: datetime.datetime | None = None) -> int:
    """The scheduled step: for each 公示 past its end, move every listed application with no
    open objection on to 人社初审 and mark the 公示 closed once none is left waiting."""
    now = now or timezone.now()
    moved = 0
    for publicity in Publicity.objects.filter(closed_at__isnull=True, closes_at__lte=now):
        with transaction.atomic():
            waiting = list(
                Application.objects.select_for_update()
                .filter(publicity=publicity, state=S.PUBLICITY)
                .exclude(objections__state=ObjectionState.OPEN)
            )
            for application in waiting:
                transition(application, action="end_publicity", who="system", actor=None)
                application.save(update_fields=["state", "state_changed_at", "updated_at"])
            if waiting:
                audit_record_many(
                    actor=None,
                    action="subsidy.end_publicity",
                    targets=waiting,
                    detail={"publicity": publicity.pk},
                )
                notify.many_on_commit([a.pk for a in waiting], "first_review")
            moved += len(waiting)
            if not Application.objects.filter(publicity=publicity, state=S.PUBLICITY).exists():
                publicity.closed_at = now
                publicity.save(update_fields=["closed_at"])
    return moved
