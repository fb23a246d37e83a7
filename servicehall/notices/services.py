"""Writes to 公示公告. The review workflow publishes the subsidy's 公示 lists through here."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from servicehall.audit.services import audit_record
from servicehall.core.errors import DomainError

from .models import Notice, NoticeKind

if TYPE_CHECKING:
    from servicehall.accounts.models import User


def notice_publish(*, actor: User | None, title: str, body: str, publisher: str,
                   kind: str = NoticeKind.ANNOUNCEMENT, published_at: datetime.datetime | None = None,
                   closes_at: datetime.datetime | None = None, is_demo: bool = False,
                   client_address: str = "") -> Notice:
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise DomainError(_("公告的标题和正文都不能为空。"), code="empty", fields=["title", "body"])
    published_at = published_at or timezone.now()
    if closes_at is not None and closes_at <= published_at:
        raise DomainError(_("公示截止时间应晚于发布时间。"), code="closes_before_publish",
                          fields=["closes_at"])
    notice = Notice.objects.create(
        title=title, body=body, publisher=publisher, kind=kind, published_at=published_at,
        closes_at=closes_at, is_demo=is_demo,
    )
    audit_record(
        actor=actor,
        action="notice.publish",
        target=notice,
        detail={"title": title},
        client_address=client_address,
    )
    return notice
