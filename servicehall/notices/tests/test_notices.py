import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from servicehall.audit.models import AuditEntry
from servicehall.core.errors import DomainError
from servicehall.notices.models import Notice, NoticeKind
from servicehall.notices.services import notice_publish

pytestmark = pytest.mark.django_db
PUBLISHER = "江苏省人力资源和社会保障厅"


def _publish(title, days_ago=0, **extra):
    return notice_publish(actor=None, title=title, body="第一段\n\n第二段", publisher=PUBLISHER,
                          published_at=timezone.now() - datetime.timedelta(days=days_ago), **extra)


def test_list_is_newest_first_and_paged(client):
    for day in range(20):
        _publish(f"公告{day:02d}", days_ago=day)
    first = client.get(reverse("notices:list")).content.decode()
    assert first.index("公告00") < first.index("公告01")
    assert "公告19" not in first and "第 1 页，共 2 页" in first
    second = client.get(reverse("notices:list"), {"page": 2}).content.decode()
    assert "公告19" in second
    assert client.get(reverse("notices:list"), {"page": "9999"}).status_code == 200
    assert client.get(reverse("notices:list"), {"page": "x'"}).status_code == 200


def test_filter_by_kind(client):
    _publish("一则公示", kind=NoticeKind.PUBLICITY)
    _publish("一则通知")
    page = client.get(reverse("notices:list"), {"kind": "publicity"}).content.decode()
    assert "一则公示" in page and "一则通知" not in page


def test_detail_shows_paragraphs_dates_and_the_demo_mark(client):
    notice = _publish("演示公告", is_demo=True,
                      closes_at=timezone.now() + datetime.timedelta(days=5))
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "<p>第一段</p>" in page and "<p>第二段</p>" in page
    assert "公示截止" in page and "示例公告" in page


def test_unpublished_and_future_notices_are_not_shown(client):
    hidden = _publish("撤下的公告")
    Notice.objects.filter(pk=hidden.pk).update(is_published=False)
    future = _publish("明天的公告", days_ago=-1)
    for notice in (hidden, future):
        assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
        assert notice.title not in client.get(reverse("notices:list")).content.decode()


def test_publishing_checks_its_input_and_is_audited():
    with pytest.raises(DomainError):
        notice_publish(actor=None, title=" ", body="x", publisher=PUBLISHER)
    now = timezone.now()
    with pytest.raises(DomainError):
        notice_publish(actor=None, title="t", body="x", publisher=PUBLISHER, published_at=now, closes_at=now)
    notice = _publish("正常公告")
    assert AuditEntry.objects.filter(action="notice.publish", target_id=str(notice.pk)).exists()
